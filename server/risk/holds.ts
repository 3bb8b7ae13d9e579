import type { ConfirmationError, Operation } from '../confirmations/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { LedgerCommand, Metadata } from '../ledger/types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { type Tx, isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Currency, fenToJson } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import * as queue from './store-queue.js';
import type { Actor } from './restrictions.js';
import * as store from './store.js';
import { holdPromptText } from './text.js';

/**
 * Hold and confirm. A held movement is a ledger hold plus a risk_holds row; exactly one of the
 * holder's confirm or deny, the expiry job, or an analyst resolves it: each locks the row FOR
 * UPDATE, checks it is still pending, and posts or voids the ledger hold (which itself resolves
 * at most once) in the same transaction. The calling channel learns the result through its
 * onResolved handler, delivered after commit and retried by a job until it succeeds.
 */

export const HOLD_CONFIRM_TTL_MS = 30 * 60_000;
/** The ledger hold outlives the confirmation window so the risk expiry job, not the ledger's, resolves it. */
export const LEDGER_HOLD_GRACE_MS = 60 * 60_000;
/** The suspense account reservations are held against; they are only ever voided, never posted. */
export const RISK_RESERVE_ACCOUNT_ID = 'acc_risk_reserve_cny';
const RESERVE_PREFIX = 'risk-reserve:';
export const isReservation = (row: Pick<store.HoldRow, 'hold_reference'>) =>
  row.hold_reference.startsWith(RESERVE_PREFIX);

export interface HoldCommand {
  reference: string;
  debitAccountId: string;
  creditAccountId: string;
  amountFen: bigint;
  currency: Currency;
  metadata?: Metadata;
  limitExempt?: boolean;
}

export type HoldStatus = store.HoldRow['status'];

export interface HeldView {
  riskHoldId: string;
  holdId: string;
  reference: string;
  channel: string;
  amountFen: bigint;
  currency: string;
  payeeDisplay: string;
  status: HoldStatus;
  expiresAt: Date;
  entryId: string | null;
  createdAt: Date;
}

export type HoldError =
  | LedgerError
  | ConfirmationError
  | { code: 'RISK_HOLD_NOT_FOUND' }
  | { code: 'RISK_HOLD_RESOLVED'; status: HoldStatus }
  | { code: 'RISK_HOLD_EXPIRED' }
  | { code: 'RISK_ACTION_NOT_APPLICABLE'; reason: string };

/** What a channel's handler is told once a held movement is settled. Handlers must be idempotent. */
export interface ResolutionEvent {
  riskHoldId: string;
  userId: string;
  channel: string;
  /** The channel's own movement reference, as given to assessOutgoing. */
  reference: string;
  holdId: string;
  holdReference: string;
  /**
   * posted: the money moved (entryId); voided: it was released back to the payer; approved: the
   * holder confirmed a movement the channel left waiting (a reservation), so the channel may now
   * complete it: assessing its reference again answers allow.
   */
  outcome: 'posted' | 'voided' | 'approved';
  status: HoldStatus;
  entryId: string | null;
}
export type ResolutionHandler = (event: ResolutionEvent) => Promise<void>;

/**
 * The operation a held movement's confirmation is bound to: built here only, when the confirmation
 * is made (challenge) and when it is spent (confirm), so the two cannot drift apart.
 */
export function holdOperation(
  row: Pick<store.HoldRow, 'amount' | 'currency' | 'payee_key'>,
  reference: string,
): Operation {
  return { reference, amountFen: row.amount, currency: row.currency, payee: row.payee_key };
}

export const heldView = (row: store.HoldRow): HeldView => ({
  riskHoldId: row.id,
  holdId: row.hold_id,
  reference: row.reference,
  channel: row.channel,
  amountFen: row.amount,
  currency: row.currency,
  payeeDisplay: row.payee_display,
  status: row.status,
  expiresAt: row.expires_at,
  entryId: row.entry_id,
  createdAt: row.created_at,
});

interface SettleOptions {
  action: 'post' | 'void';
  status: Exclude<HoldStatus, 'pending'>;
  actor: Actor;
  /** Only this holder's hold. */
  userId?: string;
  /** Spend this identity confirmation (bound to amount and payee) in the same transaction. */
  confirmationId?: string;
  /** Settle only if the confirmation window has passed (the expiry job). */
  onlyIfExpired?: boolean;
  /** Refuse (and void as expired) once the confirmation window has passed. */
  refuseAfterExpiry?: boolean;
  /** More work in the same transaction, after the money moved. */
  also?: (tx: Tx, row: store.HoldRow) => Promise<void>;
}

export function createHolds(deps: RiskDeps) {
  const { db, clock } = deps;
  const handlers = new Map<string, ResolutionHandler[]>();

  async function deliver(row: store.HoldRow): Promise<void> {
    const event: ResolutionEvent = {
      riskHoldId: row.id,
      userId: row.user_id,
      channel: row.channel,
      reference: row.reference,
      holdId: row.hold_id,
      holdReference: row.hold_reference,
      outcome:
        row.status === 'confirmed' || row.status === 'released'
          ? isReservation(row)
            ? 'approved'
            : 'posted'
          : 'voided',
      status: row.status,
      entryId: row.entry_id,
    };
    try {
      for (const handler of handlers.get(row.channel) ?? []) await handler(event);
      await store.markDelivered(db, row.id, clock.now());
    } catch (error) {
      deps.logger?.warn(
        { err: error, riskHoldId: row.id, channel: row.channel },
        'risk resolution not delivered; the job retries',
      );
    }
  }

  async function voidInTx(tx: Tx, row: store.HoldRow, status: Exclude<HoldStatus, 'pending'>, by: string, now: Date) {
    const [voided] = await deps.ledger.execute(tx, [
      { type: 'void_hold', reference: `risk-void:${row.id}`, holdId: row.hold_id },
    ]);
    if (!voided.ok && voided.error.code !== 'HOLD_ALREADY_RESOLVED' && voided.error.code !== 'HOLD_EXPIRED')
      throw new Error(`void of ${row.hold_id} failed: ${voided.error.code}`);
    await store.resolveHold(tx, row.id, { status, resolvedBy: by, at: now });
    await queue.resolveAlertsForHold(tx, row.id, status, by, now);
  }

  async function settle(riskHoldId: string, options: SettleOptions): Promise<Result<store.HoldRow, HoldError>> {
    const now = clock.now();
    const by = `${options.actor.kind}:${options.actor.id}`;
    const box: { settled: store.HoldRow | null } = { settled: null };
    // An expected refusal either commits what it did (a lapsed hold voided) or rolls back (a bad confirmation).
    type Settled = Result<store.HoldRow, HoldError>;
    const settled = await inTransaction(db, async (tx, rollback: RollbackWith<HoldError>): Promise<Settled> => {
      box.settled = null;
      const row = await store.findHold(tx, riskHoldId, true);
      if (!row || (options.userId && row.user_id !== options.userId)) return err({ code: 'RISK_HOLD_NOT_FOUND' });
      if (row.status !== 'pending')
        return err(
          row.status === 'expired' ? { code: 'RISK_HOLD_EXPIRED' } : { code: 'RISK_HOLD_RESOLVED', status: row.status },
        );
      const lapsed = row.expires_at <= now;
      if (options.onlyIfExpired && !lapsed)
        return err({ code: 'RISK_ACTION_NOT_APPLICABLE', reason: 'not expired yet' });
      if (options.refuseAfterExpiry && lapsed) {
        await voidInTx(tx, row, 'expired', 'system:expiry', now);
        box.settled = { ...row, status: 'expired', resolved_at: now };
        return err({ code: 'RISK_HOLD_EXPIRED' });
      }
      if (options.confirmationId) {
        const consumed = await deps.identity.confirmations.consume(
          tx,
          row.user_id,
          options.confirmationId,
          holdOperation(row, row.auth_reference ?? ''),
        );
        if (!consumed.ok) return rollback(consumed.error);
      }
      // A reservation only kept the money from being spent elsewhere: it is released either way,
      // and on approval the channel posts the movement itself.
      const command: LedgerCommand =
        options.action === 'post' && !isReservation(row)
          ? { type: 'post_hold', reference: `risk-post:${row.id}`, holdId: row.hold_id }
          : { type: 'void_hold', reference: `risk-void:${row.id}`, holdId: row.hold_id };
      const [moved] = await deps.ledger.execute(tx, [command]);
      if (!moved.ok) {
        if (moved.error.code !== 'HOLD_ALREADY_RESOLVED' && moved.error.code !== 'HOLD_EXPIRED')
          return rollback(moved.error);
        // The ledger settled the hold on its own (its expiry, or a theft report voided it).
        await store.resolveHold(tx, row.id, { status: 'expired', resolvedBy: 'ledger', at: now });
        await queue.resolveAlertsForHold(tx, row.id, 'expired', 'ledger', now);
        box.settled = { ...row, status: 'expired', resolved_at: now };
        return err({ code: 'RISK_HOLD_EXPIRED' });
      }
      const entryId = moved.value.type === 'post_hold' ? moved.value.entry.id : null;
      await store.resolveHold(tx, row.id, { status: options.status, resolvedBy: by, at: now, entryId });
      if (options.action === 'post') await store.updateAssessment(tx, row.assessment_id, { proceeded: true });
      await queue.resolveAlertsForHold(tx, row.id, options.status, by, now);
      await deps.audit.record(tx, {
        actorKind: options.actor.kind,
        actorId: options.actor.id,
        action: `risk.hold_${options.status}`,
        subjectType: 'risk_hold',
        subjectId: row.id,
        details: { holdId: row.hold_id, reference: row.reference, amountFen: row.amount.toString(), entryId },
        ip: options.actor.ip,
        requestId: options.actor.requestId,
      });
      const done: store.HoldRow = {
        ...row,
        status: options.status,
        resolved_at: now,
        resolved_by: by,
        entry_id: entryId,
      };
      if (options.also) await options.also(tx, done);
      box.settled = done;
      return ok(done);
    });
    const outcome = settled.ok ? settled.value : settled;
    if (box.settled) await deliver(box.settled);
    return outcome;
  }

  let reserveAccountReady = false;
  async function ensureReserveAccount() {
    if (reserveAccountReady) return;
    if (!(await deps.ledger.getAccount(RISK_RESERVE_ACCOUNT_ID))) {
      try {
        await deps.ledger.createAccount({
          id: RISK_RESERVE_ACCOUNT_ID,
          kind: 'suspense',
          currency: 'CNY',
          ownerRef: 'risk',
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    reserveAccountReady = true;
  }

  function holdRow(
    assessment: store.AssessmentRow,
    holdId: string,
    holdReference: string,
    expiresAt: Date,
    now: Date,
  ): store.HoldRow {
    return {
      id: newId('rkh', now.getTime()),
      assessment_id: assessment.id,
      user_id: assessment.user_id,
      channel: assessment.channel,
      reference: assessment.reference,
      hold_id: holdId,
      hold_reference: holdReference,
      amount: assessment.amount,
      currency: assessment.currency,
      payee_key: assessment.payee_key,
      payee_display: assessment.payee_display,
      status: 'pending',
      auth_confirmation_id: null,
      auth_reference: null,
      expires_at: expiresAt,
      resolved_at: null,
      resolved_by: null,
      entry_id: null,
      delivered_at: null,
      created_at: now,
    };
  }

  async function announce(row: store.HoldRow) {
    const text = holdPromptText(row.amount, 'CNY', row.payee_display, HOLD_CONFIRM_TTL_MS / 60_000);
    await deps.identity.notifyHolder(row.user_id, {
      kind: 'risk.confirm_payment',
      ...text,
      data: { riskHoldId: row.id, amount: fenToJson(row.amount), currency: row.currency },
    });
  }

  const expire = (riskHoldId: string) =>
    settle(riskHoldId, {
      action: 'void',
      status: 'expired',
      actor: { kind: 'system', id: 'expiry' },
      onlyIfExpired: true,
    });

  return {
    /** Registers what a channel does when one of its held movements is posted or voided. */
    onResolved(channel: string, handler: ResolutionHandler) {
      handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
    },

    /**
     * Turns a held assessment into a ledger hold inside the caller's transaction, so the channel's
     * own record ("held") commits with it. Call `announce()` after commit: it sends the in-app and
     * SMS prompt. Repeating it for the same assessment returns the same hold.
     */
    async holdInTx(
      tx: Tx,
      input: { assessmentId: string; hold: HoldCommand },
    ): Promise<Result<{ held: HeldView; replayed: boolean; announce: () => Promise<void> }, HoldError>> {
      const now = clock.now();
      const assessment = await store.findAssessment(tx, input.assessmentId, true);
      if (!assessment) return err({ code: 'RISK_HOLD_NOT_FOUND' });
      if (assessment.outcome !== 'hold')
        return err({ code: 'RISK_ACTION_NOT_APPLICABLE', reason: `the assessment decided ${assessment.outcome}` });
      const { hold } = input;
      if (
        hold.amountFen !== assessment.amount ||
        hold.currency !== assessment.currency ||
        hold.debitAccountId !== assessment.wallet_account_id
      ) {
        return err({ code: 'RISK_ACTION_NOT_APPLICABLE', reason: 'the hold does not match the assessed movement' });
      }
      const existing = await store.findHoldByAssessment(tx, assessment.id, true);
      if (existing && !isReservation(existing))
        return ok({ held: heldView(existing), replayed: true, announce: async () => {} });
      if (existing && existing.status !== 'pending')
        return err(
          existing.status === 'expired'
            ? { code: 'RISK_HOLD_EXPIRED' }
            : { code: 'RISK_HOLD_RESOLVED', status: existing.status },
        );
      const expiresAt = existing?.expires_at ?? new Date(now.getTime() + HOLD_CONFIRM_TTL_MS);
      const holdCommand: LedgerCommand = {
        type: 'hold',
        ...hold,
        expiresAt: new Date(expiresAt.getTime() + LEDGER_HOLD_GRACE_MS),
      };
      // The engine's reservation gives way to the channel's own hold, in the same transaction.
      const commands: LedgerCommand[] = existing
        ? [{ type: 'void_hold', reference: `risk-release:${existing.id}`, holdId: existing.hold_id }, holdCommand]
        : [holdCommand];
      const outcomes = await deps.ledger.execute(tx, commands);
      const held = outcomes[outcomes.length - 1];
      if (!held.ok) return err(held.error);
      if (held.value.type !== 'hold') throw new Error('ledger answered a hold with another kind');
      if (existing) {
        await store.replaceHoldOfRow(tx, existing.id, held.value.hold.id, hold.reference);
        return ok({
          held: heldView({ ...existing, hold_id: held.value.hold.id, hold_reference: hold.reference }),
          replayed: false,
          announce: async () => {},
        });
      }
      const row = holdRow(assessment, held.value.hold.id, hold.reference, expiresAt, now);
      await store.insertHold(tx, row);
      await queue.insertAlert(tx, {
        id: newId('ral', now.getTime()),
        userId: row.user_id,
        kind: 'hold',
        assessmentId: assessment.id,
        riskHoldId: row.id,
        at: now,
      });
      return ok({ held: heldView(row), replayed: false, announce: () => announce(row) });
    },

    /**
     * For a channel that only leaves a held movement waiting: reserves the amount in the payer's
     * wallet (a ledger hold against the engine's suspense account) and prompts the holder. Once
     * confirmed the reservation is released and the channel's next assessment of the reference
     * answers allow. Null when the money could not be reserved (the channel's own post would fail too).
     */
    async reserve(assessment: store.AssessmentRow): Promise<HeldView | null> {
      const now = clock.now();
      await ensureReserveAccount();
      const expiresAt = new Date(now.getTime() + HOLD_CONFIRM_TTL_MS);
      const reference = `${RESERVE_PREFIX}${assessment.id}`;
      const made = await db.transaction(async (tx) => {
        if (await store.findHoldByAssessment(tx, assessment.id)) return null;
        const [held] = await deps.ledger.execute(tx, [
          {
            type: 'hold',
            reference,
            currency: assessment.currency as Currency,
            debitAccountId: assessment.wallet_account_id,
            creditAccountId: RISK_RESERVE_ACCOUNT_ID,
            amountFen: assessment.amount,
            expiresAt: new Date(expiresAt.getTime() + LEDGER_HOLD_GRACE_MS),
            limitExempt: true,
          },
        ]);
        if (!held.ok || held.value.type !== 'hold') return null;
        const row = holdRow(assessment, held.value.hold.id, reference, expiresAt, now);
        await store.insertHold(tx, row);
        await queue.insertAlert(tx, {
          id: newId('ral', now.getTime()),
          userId: row.user_id,
          kind: 'hold',
          assessmentId: assessment.id,
          riskHoldId: row.id,
          at: now,
        });
        return row;
      });
      if (!made) return null;
      await announce(made);
      return heldView(made);
    },

    /** The holder says it was them, with a confirmation bound to this amount and payee: the money moves. */
    confirm: (userId: string, riskHoldId: string, confirmationId: string, actor: Actor) =>
      settle(riskHoldId, {
        action: 'post',
        status: 'confirmed',
        actor,
        userId,
        confirmationId,
        refuseAfterExpiry: true,
      }),

    /** The holder says it was not them: the money goes back, and `also` opens the case in the same transaction. */
    deny: (userId: string, riskHoldId: string, actor: Actor, also: SettleOptions['also']) =>
      settle(riskHoldId, { action: 'void', status: 'denied', actor, userId, also }),

    /** An analyst posts (release) or voids a held movement. */
    resolveByStaff: (riskHoldId: string, action: 'post' | 'void', actor: Actor) =>
      settle(riskHoldId, { action, status: action === 'post' ? 'released' : 'voided', actor }),

    expire,

    /** Voids holds whose confirmation window has passed; run by a job. Returns how many it expired. */
    async expireDue(batchSize = 100): Promise<number> {
      const ids = await store.expiredHoldIds(db, clock.now(), batchSize);
      let expired = 0;
      for (const id of ids) if ((await expire(id)).ok) expired++;
      return expired;
    },

    /** Retries handlers that failed; run by a job. */
    async deliverPending(batchSize = 100): Promise<number> {
      const rows = await store.undeliveredHolds(db, batchSize);
      for (const row of rows) await deliver(row);
      return rows.length;
    },

    /** A fresh identity confirmation bound to this held amount and payee, for the holder to approve with PIN or
     * passkey. */
    async challenge(userId: string, riskHoldId: string) {
      const row = await store.findHold(db, riskHoldId);
      if (!row || row.user_id !== userId) return err({ code: 'RISK_HOLD_NOT_FOUND' as const });
      if (row.status !== 'pending')
        return err(
          row.status === 'expired'
            ? { code: 'RISK_HOLD_EXPIRED' as const }
            : { code: 'RISK_HOLD_RESOLVED' as const, status: row.status },
        );
      if (row.expires_at <= clock.now()) return err({ code: 'RISK_HOLD_EXPIRED' as const });
      const authReference = `risk:${row.id}:${newId('att')}`;
      const confirmation = await deps.identity.confirmations.create(userId, holdOperation(row, authReference));
      await store.setHoldAuth(db, row.id, confirmation.id, authReference);
      return ok(confirmation);
    },

    async listPending(userId: string, after: string | null, limit: number) {
      return store.listPendingHolds(db, userId, after, Math.min(Math.max(limit, 1), 50));
    },

    /** One of the holder's held movements (any status); null when it is not theirs. */
    heldMovement: (userId: string, id: string) => store.findHoldOfUser(db, userId, id),

    /** For channels that prefer to read: the held movement of one of their references. */
    async statusOf(reference: string): Promise<HeldView | null> {
      const row = await store.findHoldByReference(db, reference);
      return row ? heldView(row) : null;
    },
  };
}

export type Holds = ReturnType<typeof createHolds>;
