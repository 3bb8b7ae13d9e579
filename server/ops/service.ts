import { readableLabel } from '../platform/device-name.js';
import type { AuditEntry, AuditFilter, AuditLog } from '../audit/service.js';
import type { AccountSafety, SecurityCase } from '../account-safety/service.js';
import type { Identity } from '../identity/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { EntryView } from '../ledger/types.js';
import { type Feature, type MaintenanceService, type MaintenanceWindow } from '../maintenance/service.js';
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import type { RiskService } from '../risk/service.js';
import { todayVolumes } from './volumes.js';

/**
 * The operations console's own staff actions: customer lookup, freezing, theft cases, maintenance
 * windows and the audit log. Each action reads through the owning domain's service and lands in
 * the audit log with the staff member, the request and what was looked at (masked).
 */

export interface StaffActor {
  id: string;
  roles: readonly string[];
  ip?: string;
  requestId?: string;
}

export interface OpsDeps {
  db: Queryable;
  clock: Clock;
  identity: Identity;
  accountSafety: AccountSafety;
  ledger: LedgerService;
  risk: RiskService;
  maintenance: MaintenanceService;
  audit: AuditLog;
}

export type OpsError =
  | { code: 'CUSTOMER_NOT_FOUND' }
  | { code: 'LOOKUP_INVALID' }
  | { code: 'ALREADY_FROZEN' }
  | { code: 'NOT_FROZEN' }
  | { code: 'CASE_NOT_FOUND' }
  | { code: 'CASE_ALREADY_CLOSED' }
  | { code: 'MAINTENANCE_WINDOW_NOT_FOUND' }
  | { code: 'VALIDATION_FAILED'; field: string; message: string };

export interface Movement {
  entryId: string;
  seq: bigint;
  reference: string;
  kind: string;
  amountFen: bigint;
  counterpartyAccountIds: string[];
  metadata: Record<string, unknown>;
  createdAt: Date;
}

const MOVEMENT_PAGE = 20;

export function movementOf(entry: EntryView, walletAccountId: string): Movement {
  return {
    entryId: entry.id,
    seq: entry.seq,
    reference: entry.reference,
    kind: entry.kind,
    amountFen: entry.postings
      .filter((posting) => posting.accountId === walletAccountId)
      .reduce((sum, posting) => sum + posting.amountFen, 0n),
    counterpartyAccountIds: [
      ...new Set(
        entry.postings.filter((posting) => posting.accountId !== walletAccountId).map((posting) => posting.accountId),
      ),
    ],
    metadata: (entry.metadata ?? {}) as Record<string, unknown>,
    createdAt: entry.createdAt,
  };
}

/** "13812345678" → "138****5678", an ID number → its first 4 and last 4: what the audit log keeps of a search. */
function maskedQuery(by: { phone: string } | { idNumber: string }): string {
  const value = 'phone' in by ? by.phone.replace(/\D/g, '').slice(-11) : by.idNumber.trim();
  return value.length > 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '****';
}

export function createOpsService(deps: OpsDeps) {
  const { identity, accountSafety, ledger, risk, maintenance, audit, clock } = deps;
  const record = (
    actor: StaffActor,
    action: string,
    subjectType: string,
    subjectId: string | undefined,
    details: Record<string, unknown> = {},
  ) =>
    audit.record(deps.db, {
      actorKind: 'staff',
      actorId: actor.id,
      action,
      subjectType,
      subjectId,
      details,
      ip: actor.ip,
      requestId: actor.requestId,
    });

  return {
    /** Today's money volumes (Beijing day) for the overview. */
    todayVolumes: () => todayVolumes({ ledger, clock }),

    /** The signed-in staff member's own name (the console's header), null when the login is gone. */
    async staffName(staffId: string): Promise<string | null> {
      return (await identity.staff.profile(staffId))?.name ?? null;
    },

    /** Every staff member's name by id, so the console names who acted instead of showing `stf_…`. */
    staffDirectory: () => identity.staff.directory(),

    /** Finds the holder by mobile number or full resident ID number (keyed hash; never a scan of decrypted data). */
    async lookup(
      actor: StaffActor,
      by: { phone: string } | { idNumber: string },
    ): Promise<
      Result<
        { userId: string; name: string; phone: string; idNumber: string; tier: string; frozen: boolean }[],
        OpsError
      >
    > {
      if ('idNumber' in by && !/^(\d{17}[\dXx]|\d{15})$/.test(by.idNumber.trim()))
        return err({ code: 'LOOKUP_INVALID' });
      if ('phone' in by && !/^(\+?86)?1\d{10}$/.test(by.phone.replace(/[\s-]/g, '')))
        return err({ code: 'LOOKUP_INVALID' });
      const userId = await identity.findUserIdFor(by);
      const view = userId ? await identity.staffView(userId, false) : null;
      await record(actor, 'ops.customer_searched', 'user', view?.id, {
        by: 'phone' in by ? 'phone' : 'idNumber',
        query: maskedQuery(by),
        found: view !== null,
      });
      return ok(
        view
          ? [
              {
                userId: view.id,
                name: view.name,
                phone: view.phone,
                idNumber: view.idNumber,
                tier: view.tier,
                frozen: view.frozen,
              },
            ]
          : [],
      );
    },

    /** Everything the console shows about one holder; `reveal` (checked by the route) unmasks personal data and is
     * audited as such. */
    async customer(actor: StaffActor, userId: string, reveal: boolean) {
      const view = await identity.staffView(userId, reveal);
      if (!view) return err({ code: 'CUSTOMER_NOT_FOUND' } as const);
      const [account, usage, entries, devices, restrictions, cases] = await Promise.all([
        ledger.getAccount(view.walletAccountId),
        ledger.usage(view.walletAccountId),
        ledger.listEntries(view.walletAccountId, { limit: MOVEMENT_PAGE }),
        identity.devices(userId),
        risk.restrictions.ofUser(userId),
        accountSafety.listCases({ userId, limit: 20 }),
      ]);
      await record(
        actor,
        reveal ? 'ops.customer_pii_viewed' : 'ops.customer_viewed',
        'user',
        userId,
        reveal ? { fields: ['name', 'phone', 'idNumber'] } : {},
      );
      return ok({
        profile: view,
        wallet: account
          ? {
              accountId: account.id,
              currency: account.currency,
              balanceFen: account.balanceFen,
              availableFen: account.availableFen,
              pendingDebitsFen: account.pendingDebitsFen,
              frozen: account.frozen,
              limits: account.limits,
            }
          : null,
        usage,
        movements: entries.map((entry) => movementOf(entry, view.walletAccountId)),
        devices: devices.map((device) => ({
          id: device.id,
          label: readableLabel(device.label),
          firstSeenAt: device.first_seen_at,
          lastSeenAt: device.last_seen_at,
        })),
        restrictions,
        cases,
      });
    },

    /** A page of the holder's movements, older than `beforeSeq`. */
    async movements(
      actor: StaffActor,
      userId: string,
      page: { beforeSeq?: bigint; limit?: number },
    ): Promise<Result<Movement[], OpsError>> {
      const view = await identity.staffView(userId, false);
      if (!view) return err({ code: 'CUSTOMER_NOT_FOUND' });
      const entries = await ledger.listEntries(view.walletAccountId, {
        beforeSeq: page.beforeSeq,
        limit: page.limit ?? MOVEMENT_PAGE,
      });
      await record(actor, 'ops.movements_viewed', 'user', userId, { beforeSeq: page.beforeSeq?.toString() ?? null });
      return ok(entries.map((entry) => movementOf(entry, view.walletAccountId)));
    },

    async freeze(actor: StaffActor, userId: string, reason: string): Promise<Result<true, OpsError>> {
      const view = await identity.staffView(userId, false);
      if (!view) return err({ code: 'CUSTOMER_NOT_FOUND' });
      if (view.frozen) return err({ code: 'ALREADY_FROZEN' });
      // identity records `user.frozen` with this staff member as the actor, in the freezing transaction.
      const frozen = await accountSafety.freezeFor(
        userId,
        `staff: ${reason}`,
        { kind: 'staff', id: actor.id },
        { ip: actor.ip, requestId: actor.requestId },
      );
      return frozen ? ok(true) : err({ code: 'ALREADY_FROZEN' });
    },

    async unfreeze(actor: StaffActor, userId: string, reason: string): Promise<Result<true, OpsError>> {
      const view = await identity.staffView(userId, false);
      if (!view) return err({ code: 'CUSTOMER_NOT_FOUND' });
      const lifted = await accountSafety.lift(userId, { kind: 'staff', id: actor.id }, reason, {
        ip: actor.ip ?? '',
        userAgent: '',
        requestId: actor.requestId ?? '',
      });
      return lifted.ok ? ok(true) : err({ code: 'NOT_FROZEN' });
    },

    async cases(
      actor: StaffActor,
      filter: { status?: string; userId?: string; before?: string; limit: number },
    ): Promise<SecurityCase[]> {
      const found = await accountSafety.listCases({ ...filter, kind: 'theft' });
      await record(actor, 'ops.cases_listed', 'case', undefined, {
        status: filter.status ?? null,
        userId: filter.userId ?? null,
      });
      return found;
    },

    /** A case with its holder (masked) and the movements attached when it was opened, re-read from the ledger. */
    async caseDetail(actor: StaffActor, caseId: string) {
      const found = await accountSafety.getCase(caseId);
      if (!found) return err({ code: 'CASE_NOT_FOUND' } as const);
      const holder = await identity.staffView(found.userId, false);
      const attached = Array.isArray(found.details.movements) ? (found.details.movements as { entryId: string }[]) : [];
      const movements: Movement[] = [];
      for (const item of attached.slice(0, 100)) {
        const entry = typeof item.entryId === 'string' ? await ledger.getEntry(item.entryId) : null;
        if (entry && holder) movements.push(movementOf(entry, holder.walletAccountId));
      }
      await record(actor, 'ops.case_viewed', 'case', caseId);
      return ok({ case: found, holder, movements });
    },

    async closeCase(actor: StaffActor, caseId: string, note: string): Promise<Result<true, OpsError>> {
      const closed = await accountSafety.closeCase(caseId, actor.id, note, actor);
      if (closed === null) return err({ code: 'CASE_NOT_FOUND' });
      if (!closed) return err({ code: 'CASE_ALREADY_CLOSED' });
      return ok(true);
    },

    maintenanceWindows: (): Promise<MaintenanceWindow[]> => maintenance.announcements(),

    async scheduleMaintenance(
      actor: StaffActor,
      input: {
        feature: Feature;
        startsAt: Date;
        endsAt: Date;
        titleZh: string;
        titleEn: string;
        messageZh: string;
        messageEn: string;
      },
    ): Promise<Result<MaintenanceWindow, OpsError>> {
      const scheduled = await maintenance.schedule({ ...input, createdBy: actor.id });
      if (!scheduled.ok) return scheduled;
      await record(actor, 'maintenance.scheduled', 'maintenance', scheduled.value.id, {
        feature: input.feature,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        titleEn: input.titleEn,
      });
      return scheduled;
    },

    async endMaintenance(actor: StaffActor, windowId: string): Promise<Result<MaintenanceWindow, OpsError>> {
      const ended = await maintenance.endEarly(windowId);
      if (!ended) return err({ code: 'MAINTENANCE_WINDOW_NOT_FOUND' });
      await record(actor, 'maintenance.ended_early', 'maintenance', windowId, { endedAt: clock.now().toISOString() });
      return ok(ended);
    },

    /** Signs the staff member out of this session (the web console also drops its cookies). */
    async signOut(actor: StaffActor, sessionId: string | undefined): Promise<void> {
      if (sessionId) await identity.sessions.revoke('staff', actor.id, sessionId);
      await record(actor, 'staff.signed_out', 'session', sessionId);
    },
    clearCookies: identity.sessions.clearCookies,

    /** Searching the log is itself logged, so who looked at whose trail stays visible. */
    async searchAudit(actor: StaffActor, filter: AuditFilter): Promise<AuditEntry[]> {
      const found = await audit.find(filter);
      await record(actor, 'ops.audit_searched', 'audit', undefined, {
        filter: { ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() },
      });
      return found;
    },
  };
}

export type OpsService = ReturnType<typeof createOpsService>;
