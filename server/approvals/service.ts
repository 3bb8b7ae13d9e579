import type { AuditLog } from '../audit/service.js';
import type { Clock } from '../platform/clock.js';
import { type Db, type Tx, isUniqueViolation } from '../platform/db/types.js';
import type { ProblemCode } from '../platform/http/problems.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import * as store from './store.js';

/**
 * Maker-checker for changes too consequential for one person: a maker asks, the change waits as a
 * pending request, and a different person with the right role approves (the change is applied in
 * the same transaction as the approval) or rejects it. Each step is audited. Domains register what
 * approving one of their kinds does; this module never touches their tables.
 */

export type { ApprovalKind, ApprovalRow, ApprovalStatus } from './store.js';

export interface Party {
  kind: store.PartyKind;
  id: string;
  roles?: readonly string[];
  ip?: string;
  requestId?: string;
}

export type DomainError = { code: ProblemCode } & Record<string, unknown>;

export interface ApprovalHandler {
  /** Staff roles of which an approver needs one. */
  approverRoles: readonly string[];
  /** Whether a second operator (another X-Operator-Id) may approve, besides staff. */
  operatorsMayApprove: boolean;
  /** Applies the change inside the approval's transaction; an error rolls all of it back. */
  apply(tx: Tx, request: store.ApprovalRow, approver: Party): Promise<Result<Record<string, unknown>, DomainError>>;
  /** After commit (notices, caches); a failure here is logged by the caller, never undoes the approval. */
  afterApproved?(request: store.ApprovalRow, outcome: Record<string, unknown>): Promise<void>;
}

export type ApprovalError =
  | { code: 'APPROVAL_NOT_FOUND' }
  | { code: 'APPROVAL_ALREADY_PENDING'; approvalId: string }
  | { code: 'APPROVAL_ALREADY_DECIDED'; status: string }
  | { code: 'APPROVAL_SECOND_PERSON_REQUIRED'; requestedBy: string }
  | { code: 'APPROVAL_ROLE_REQUIRED'; roles: readonly string[] };

export interface NewApproval {
  kind: store.ApprovalKind;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  reason: string;
}

const MAX_PAGE = 100;

class ApplyFailed extends Error {
  constructor(readonly error: DomainError) {
    super(error.code);
  }
}

export interface ApprovalsDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  logger?: { warn(obj: object, msg: string): void };
}

export function createApprovals(deps: ApprovalsDeps) {
  const { db, clock } = deps;
  const handlers = new Map<store.ApprovalKind, ApprovalHandler>();

  const audit = (tx: Tx, party: Party, action: string, row: store.ApprovalRow, details: Record<string, unknown>) =>
    deps.audit.record(tx, {
      actorKind: party.kind,
      actorId: party.id,
      action: `${row.kind}_${action}`,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      details: { approvalId: row.id, ...details },
      ip: party.ip,
      requestId: party.requestId,
    });

  /** Whether this party may decide requests of this kind at all (the maker rule is checked separately). */
  function mayDecide(handler: ApprovalHandler, party: Party): boolean {
    if (party.kind === 'operator') return handler.operatorsMayApprove;
    return handler.approverRoles.some((role) => party.roles?.includes(role));
  }

  function handlerOf(kind: store.ApprovalKind): ApprovalHandler {
    const handler = handlers.get(kind);
    if (!handler) throw new Error(`no approval handler registered for ${kind}`);
    return handler;
  }

  async function markFailed(id: string, approver: Party, note: string | null, error: DomainError): Promise<void> {
    await db.transaction(async (tx) => {
      const row = await store.findApproval(tx, id, true);
      if (row?.status !== 'pending') return;
      const outcome = { code: error.code };
      const at = clock.now();
      const failed = await store.recordDecision(tx, {
        id,
        status: 'failed',
        byKind: approver.kind,
        by: approver.id,
        note,
        outcome,
        at,
      });
      await audit(tx, approver, 'failed', failed, { code: error.code, note });
    });
  }

  return {
    register(kind: store.ApprovalKind, handler: ApprovalHandler): void {
      if (handlers.has(kind)) throw new Error(`approval kind ${kind} registered twice`);
      handlers.set(kind, handler);
    },

    /** The kinds this party may decide: what the console lists for them. */
    kindsFor(party: Party): store.ApprovalKind[] {
      return [...handlers.entries()].filter(([, handler]) => mayDecide(handler, party)).map(([kind]) => kind);
    },

    /** The maker asks: nothing changes until someone else approves. */
    async request(input: NewApproval, maker: Party): Promise<Result<store.ApprovalRow, ApprovalError>> {
      handlerOf(input.kind);
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const row = await store.insertApproval(tx, {
            id: newId('apr', now.getTime()),
            kind: input.kind,
            subject_type: input.subjectType,
            subject_id: input.subjectId,
            payload: input.payload,
            reason: input.reason,
            requested_by_kind: maker.kind,
            requested_by: maker.id,
            created_at: now,
          });
          await audit(tx, maker, 'requested', row, { payload: input.payload, reason: input.reason });
          return ok(row);
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const pending = await store.findPending(db, input.kind, input.subjectId);
        return err({ code: 'APPROVAL_ALREADY_PENDING', approvalId: pending?.id ?? '' });
      }
    },

    get: (id: string) => store.findApproval(db, id),

    async list(filter: {
      kinds: readonly store.ApprovalKind[];
      status?: store.ApprovalStatus;
      before?: string;
      limit?: number;
    }) {
      const limit = Math.min(Math.max(filter.limit ?? 20, 1), MAX_PAGE);
      const query = {
        kinds: filter.kinds,
        status: filter.status ?? null,
        before: filter.before ?? null,
        limit: limit + 1,
      };
      const rows = await store.listApprovals(db, query);
      const page = rows.slice(0, limit);
      return { items: page, nextBefore: rows.length > limit ? page[page.length - 1].id : null };
    },

    /**
     * The checker decides. Approving applies the change in the same transaction; if applying
     * fails (the state moved on, funds ran short), nothing is applied and the request is closed
     * as failed with the domain's code, which is also the answer.
     */
    async decide(
      id: string,
      checker: Party,
      decision: { approve: boolean; note: string | null },
    ): Promise<Result<store.ApprovalRow, ApprovalError | DomainError>> {
      let approvedKind: ApprovalHandler | null = null;
      try {
        const decided = await db.transaction(async (tx): Promise<Result<store.ApprovalRow, ApprovalError>> => {
          const row = await store.findApproval(tx, id, true);
          if (!row) return err({ code: 'APPROVAL_NOT_FOUND' });
          const handler = handlerOf(row.kind);
          if (!mayDecide(handler, checker))
            return err({ code: 'APPROVAL_ROLE_REQUIRED', roles: handler.approverRoles });
          if (row.status !== 'pending') return err({ code: 'APPROVAL_ALREADY_DECIDED', status: row.status });
          if (row.requested_by_kind === checker.kind && row.requested_by === checker.id) {
            return err({ code: 'APPROVAL_SECOND_PERSON_REQUIRED', requestedBy: row.requested_by });
          }
          const at = clock.now();
          if (!decision.approve) {
            const by = { byKind: checker.kind, by: checker.id, note: decision.note };
            const rejected = await store.recordDecision(tx, { id, status: 'rejected', ...by, outcome: null, at });
            await audit(tx, checker, 'rejected', rejected, { note: decision.note, requestedBy: row.requested_by });
            return ok(rejected);
          }
          const applied = await handler.apply(tx, row, checker);
          if (!applied.ok) throw new ApplyFailed(applied.error);
          const by = { byKind: checker.kind, by: checker.id, note: decision.note };
          const approved = await store.recordDecision(tx, {
            id,
            status: 'approved',
            ...by,
            outcome: applied.value,
            at,
          });
          const details = { note: decision.note, requestedBy: row.requested_by, outcome: applied.value };
          await audit(tx, checker, 'approved', approved, details);
          approvedKind = handler;
          return ok(approved);
        });
        const handler = approvedKind as ApprovalHandler | null;
        if (decided.ok && decided.value.status === 'approved' && handler?.afterApproved) {
          try {
            await handler.afterApproved(decided.value, decided.value.outcome ?? {});
          } catch (error) {
            deps.logger?.warn({ err: error, approvalId: id }, 'after-approval step failed');
          }
        }
        return decided;
      } catch (error) {
        if (!(error instanceof ApplyFailed)) throw error;
        await markFailed(id, checker, decision.note, error.error);
        return err(error.error);
      }
    },
  };
}

export type Approvals = ReturnType<typeof createApprovals>;
