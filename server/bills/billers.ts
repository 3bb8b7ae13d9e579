import { isUniqueViolation } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import type { ProblemCode } from '../platform/http/problems.js';
import { type BillerType, SEED_BILLERS } from './catalogue.js';
import type { BillsDeps } from './deps.js';
import type { SandboxBiller } from './network-sandbox.js';
import * as store from './store.js';
import type { BillerRow } from './store.js';
import * as paymentStore from './store-payments.js';

/** A refusal of the bills domain: a problem code and its details. */
export type BillError = { code: ProblemCode } & Record<string, unknown>;

export interface BillerView {
  id: string;
  name: string;
  nameEn: string;
  type: BillerType;
  city: string;
  cityName: string;
  cityNameEn: string;
  mode: 'postpaid' | 'prepaid';
  prepaidMinimum: bigint | null;
  prepaidMaximum: bigint | null;
  accountFormat: {
    length: number;
    digitsOnly: true;
    prefix: string;
    checkDigit: 'luhn' | null;
    example: string;
    hintZh: string;
    hintEn: string;
  };
  lateFeePerMille: number;
  autopay: boolean;
  status: 'active' | 'disabled' | 'maintenance';
  maintenance: { startsAt: Date; endsAt: Date; messageZh: string; messageEn: string } | null;
}

/** A biller's maintenance window that has not ended (current or announced). */
function windowOf(row: BillerRow, now: Date) {
  if (!row.maintenance_starts_at || !row.maintenance_ends_at || row.maintenance_ends_at <= now) return null;
  return {
    startsAt: row.maintenance_starts_at,
    endsAt: row.maintenance_ends_at,
    messageZh: row.maintenance_zh ?? '',
    messageEn: row.maintenance_en ?? '',
  };
}

export function billerView(row: BillerRow, now: Date): BillerView {
  const window = windowOf(row, now);
  const inMaintenance = window !== null && window.startsAt <= now;
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    type: row.type,
    city: row.city,
    cityName: row.city_name,
    cityNameEn: row.city_name_en,
    mode: row.mode,
    prepaidMinimum: row.prepaid_minimum,
    prepaidMaximum: row.prepaid_maximum,
    accountFormat: {
      length: row.account_length,
      digitsOnly: true,
      prefix: row.account_prefix,
      checkDigit: row.check_digit,
      example: row.example,
      hintZh: row.hint_zh,
      hintEn: row.hint_en,
    },
    lateFeePerMille: Number(row.late_fee_per_mille),
    autopay: row.mode === 'postpaid',
    status: !row.enabled ? 'disabled' : inMaintenance ? 'maintenance' : 'active',
    maintenance: window,
  };
}

export interface StaffActor {
  id: string;
  requestId?: string;
  ip?: string;
}

export function createBillers(deps: BillsDeps) {
  const { db, clock, ledger, audit } = deps;
  let ready: Promise<void> | null = null;

  /** Writes the seed billers, each with its settlement account, once per database; racing processes agree. */
  async function seed(): Promise<void> {
    if ((await store.billerCount(db)) > 0) return;
    for (const biller of SEED_BILLERS) {
      try {
        await db.transaction(async (tx) => {
          if (await store.findBiller(tx, biller.id)) return;
          const account = await ledger.createAccountInTx(tx, {
            kind: 'merchant_settlement',
            currency: 'CNY',
            ownerRef: `biller:${biller.id}`,
          });
          await store.insertBiller(tx, biller, account.id, clock.now());
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
  }

  function ensure(): Promise<void> {
    ready ??= seed().catch((error) => {
      ready = null;
      throw error;
    });
    return ready;
  }

  async function find(id: string): Promise<BillerRow | null> {
    await ensure();
    return store.findBiller(db, id);
  }

  /** A biller a holder may use now: enabled, and not in its announced maintenance. */
  async function usable(id: string): Promise<Result<BillerRow, BillError>> {
    const row = await find(id);
    if (!row) return err({ code: 'BILLER_NOT_FOUND' });
    if (!row.enabled) return err({ code: 'BILLER_DISABLED' });
    const view = billerView(row, clock.now());
    if (view.status === 'maintenance') return err({ code: 'BILLER_UNAVAILABLE', maintenance: view.maintenance });
    return ok(row);
  }

  async function staffChange(
    actor: StaffActor,
    id: string,
    action: string,
    change: () => Promise<BillerRow | null>,
    details: Record<string, unknown>,
  ): Promise<Result<BillerView, BillError>> {
    await ensure();
    const row = await change();
    if (!row) return err({ code: 'BILLER_NOT_FOUND' });
    await audit.record(db, {
      actorKind: 'staff',
      actorId: actor.id,
      action,
      subjectType: 'biller',
      subjectId: id,
      requestId: actor.requestId,
      ip: actor.ip,
      details,
    });
    return ok(billerView(row, clock.now()));
  }

  return {
    ensure,
    find,
    usable,

    async list(filter: { type?: string; city?: string; includeDisabled?: boolean } = {}): Promise<BillerView[]> {
      await ensure();
      const now = clock.now();
      return (await store.billers(db))
        .filter((row) => filter.includeDisabled || row.enabled)
        .filter((row) => !filter.type || row.type === filter.type)
        .filter((row) => !filter.city || row.city === filter.city || row.city === 'all')
        .map((row) => billerView(row, now));
    },

    /** What the sandbox network needs to know of a biller. */
    async sandboxBiller(id: string): Promise<SandboxBiller | null> {
      const row = await find(id);
      return row
        ? {
            type: row.type,
            mode: row.mode,
            checkDigit: row.check_digit,
            lateFeePerMille: Number(row.late_fee_per_mille),
          }
        : null;
    },

    setEnabled: (actor: StaffActor, id: string, enabled: boolean, reason: string) =>
      staffChange(
        actor,
        id,
        enabled ? 'bills.biller_enabled' : 'bills.biller_disabled',
        () => store.setBillerEnabled(db, id, enabled, reason),
        { reason },
      ),

    async announceMaintenance(
      actor: StaffActor,
      id: string,
      window: { startsAt: Date; endsAt: Date; messageZh: string; messageEn: string },
    ): Promise<Result<BillerView, BillError>> {
      if (window.endsAt <= window.startsAt || window.endsAt <= clock.now())
        return err({
          code: 'VALIDATION_FAILED',
          field: 'endsAt',
          message: 'the window must end after it starts, later than now',
        });
      return staffChange(
        actor,
        id,
        'bills.biller_maintenance_announced',
        () => store.setBillerMaintenance(db, id, window),
        {
          startsAt: window.startsAt.toISOString(),
          endsAt: window.endsAt.toISOString(),
        },
      );
    },

    endMaintenance: (actor: StaffActor, id: string) =>
      staffChange(actor, id, 'bills.biller_maintenance_ended', () => store.setBillerMaintenance(db, id, null), {}),

    /** Succeeded payments per biller since an instant (the console's "payments today"). */
    paymentsSince: (from: Date) => paymentStore.paymentsToday(db, from),

    /** Staff looked at a holder's data: the view is in the audit log too. */
    async auditView(actor: StaffActor, action: string, subjectType: string, subjectId: string): Promise<void> {
      await audit.record(db, {
        actorKind: 'staff',
        actorId: actor.id,
        action,
        subjectType,
        subjectId,
        requestId: actor.requestId,
        ip: actor.ip,
      });
    },

    settlementAccountId: async (id: string) => (await find(id))?.settlement_account_id ?? null,
  };
}

export type Billers = ReturnType<typeof createBillers>;
