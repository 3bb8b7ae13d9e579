import type { SmsGateway } from '../notifications/sms.js';
import type { Clock } from '../platform/clock.js';
import { type PiiCipher, randomDigits } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import {
  type Arrival,
  type CallbackEvent,
  type CardNetwork,
  CardNetworkTimeout,
  type DeclineReason,
  type NetworkOutcome,
  type SettlementLine,
  type StatusAnswer,
  signCallback,
} from './card-network.js';
import { shanghaiDayBounds } from './days.js';
import { fenToJson } from '../platform/money.js';
import * as sandboxStore from './store-card-network-sandbox.js';

/**
 * A card network that behaves like a real one, with its state in the database (its own tables)
 * so it survives restarts and serves several processes. Behaviour is chosen by the card's last
 * four digits and by the fen part of the amount (docs/wallet.md lists them):
 *
 * cards (last four): 0002 blocked · 0003 reserved phone differs · 0004 no money at the bank
 *   (charges declined) · 0005 holder name differs at the bank
 * amounts (fen % 100): 51 declined, no money (payouts: card blocked) · 52 card blocked ·
 *   61 timeout, then succeeded · 62 timeout, then failed · 63 processing, late success callback ·
 *   64 processing, late failure callback · 65 success, callback twice · 66 success, callback
 *   before the response · 67 processing, success with no callback (status query only) ·
 *   68 timeout, never received · 69 success, no callback
 * payouts with arrival within_2h or next_day complete at that time.
 */

export const SANDBOX_CARD = { blocked: '0002', wrongPhone: '0003', noFunds: '0004', holderMismatch: '0005' } as const;
export const SANDBOX_CODE_TTL_MS = 5 * 60_000;
const CODE_MAX_ATTEMPTS = 3;
const CALLBACK_DELAY_MS = 5_000;
const CALLBACK_MAX_ATTEMPTS = 10;

type TxnKind = 'charge' | 'payout';
type Sync = 'succeeded' | 'failed' | 'processing' | 'timeout';

interface Plan {
  scenario: string;
  sync: Sync;
  final: 'succeeded' | 'failed';
  reason?: DeclineReason;
  completesAfterMs: number;
  callbacksAfterMs: number[];
  visible: boolean;
  callbackFirst?: boolean;
}

type TxnRow = sandboxStore.SandboxTxnRow;

const HOUR_MS = 3600_000;

/** Next-day arrival: 09:00 Asia/Shanghai on the following day. */
function nextDayArrival(now: Date): Date {
  const { end } = shanghaiDayBounds(now);
  return new Date(end.getTime() + 9 * HOUR_MS);
}

export function sandboxPlan(kind: TxnKind, last4: string, amountFen: bigint, arrival: Arrival, now: Date): Plan {
  const fen = Number(amountFen % 100n);
  const ok = (extra: Partial<Plan> = {}): Plan => ({
    scenario: 'success',
    sync: 'succeeded',
    final: 'succeeded',
    completesAfterMs: 0,
    callbacksAfterMs: [CALLBACK_DELAY_MS],
    visible: true,
    ...extra,
  });
  const declined = (reason: DeclineReason, scenario: string): Plan => ({
    scenario,
    sync: 'failed',
    final: 'failed',
    reason,
    completesAfterMs: 0,
    callbacksAfterMs: [],
    visible: true,
  });
  if (last4 === SANDBOX_CARD.blocked) return declined('CARD_BLOCKED', 'card_blocked');
  if (kind === 'charge' && last4 === SANDBOX_CARD.noFunds) return declined('BANK_INSUFFICIENT_FUNDS', 'card_no_funds');
  switch (fen) {
    case 51:
      return declined(kind === 'charge' ? 'BANK_INSUFFICIENT_FUNDS' : 'CARD_BLOCKED', 'declined');
    case 52:
      return declined('CARD_BLOCKED', 'declined_blocked');
    case 61:
      return ok({ scenario: 'timeout_then_success', sync: 'timeout', callbacksAfterMs: [30_000] });
    case 62:
      return {
        scenario: 'timeout_then_failure',
        sync: 'timeout',
        final: 'failed',
        reason: 'BANK_SYSTEM_ERROR',
        completesAfterMs: 0,
        callbacksAfterMs: [30_000],
        visible: true,
      };
    case 63:
      return ok({ scenario: 'late_success', sync: 'processing', completesAfterMs: 60_000, callbacksAfterMs: [60_000] });
    case 64:
      return {
        scenario: 'late_failure',
        sync: 'processing',
        final: 'failed',
        reason: 'BANK_SYSTEM_ERROR',
        completesAfterMs: 60_000,
        callbacksAfterMs: [60_000],
        visible: true,
      };
    case 65:
      return ok({ scenario: 'duplicate_callback', callbacksAfterMs: [CALLBACK_DELAY_MS, CALLBACK_DELAY_MS + 1_000] });
    case 66:
      return ok({ scenario: 'callback_first', callbacksAfterMs: [0], callbackFirst: true });
    case 67:
      return ok({ scenario: 'silent_success', sync: 'processing', completesAfterMs: 120_000, callbacksAfterMs: [] });
    case 68:
      return {
        scenario: 'lost',
        sync: 'timeout',
        final: 'failed',
        reason: 'NOT_RECEIVED',
        completesAfterMs: 0,
        callbacksAfterMs: [],
        visible: false,
      };
    case 69:
      return ok({ scenario: 'no_callback', callbacksAfterMs: [] });
  }
  if (kind === 'payout' && arrival !== 'realtime') {
    const completesAfterMs = arrival === 'within_2h' ? 2 * HOUR_MS : nextDayArrival(now).getTime() - now.getTime();
    return ok({
      scenario: `arrival_${arrival}`,
      sync: 'processing',
      completesAfterMs,
      callbacksAfterMs: [completesAfterMs],
    });
  }
  return ok();
}

export interface CardNetworkSandbox extends CardNetwork {
  /** Where callbacks go: the wallet's callback handler (the same one the HTTP route calls). */
  setReceiver(receiver: (rawBody: string, signature: string) => Promise<void>): void;
  /** Delivers callbacks that are due; run by a job. Returns how many were delivered. */
  deliverDueCallbacks(limit?: number): Promise<number>;
}

export function createCardNetworkSandbox(deps: {
  db: Db;
  clock: Clock;
  sms: SmsGateway;
  cipher: PiiCipher;
  secret: string;
  latencyMs?: number;
}): CardNetworkSandbox {
  const { db, clock, cipher } = deps;
  const latencyMs = deps.latencyMs ?? 30;
  let receiver: ((rawBody: string, signature: string) => Promise<void>) | null = null;
  const pause = () => (latencyMs > 0 ? new Promise((done) => setTimeout(done, latencyMs)) : Promise.resolve());
  const cardHash = (number: string) => cipher.lookupHash(`sandbox-card:${number}`);
  const codeHash = (id: string, code: string) => cipher.lookupHash(`sandbox-bind:${id}:${code}`);
  const networkRef = () => `UP${randomDigits(16)}`;

  /** Completes processing transactions whose time has come (the network's own clock). */
  async function advance(requestId: string | null, until: Date): Promise<void> {
    await sandboxStore.completeDueTxns(db, requestId, until);
  }

  async function findTxn(requestId: string): Promise<TxnRow | null> {
    await advance(requestId, clock.now());
    return sandboxStore.findTxn(db, requestId);
  }

  function outcomeOf(row: TxnRow): NetworkOutcome {
    if (row.status === 'succeeded') return { status: 'succeeded', networkRef: row.network_ref };
    if (row.status === 'failed')
      return { status: 'failed', reason: row.reason ?? 'BANK_SYSTEM_ERROR', networkRef: row.network_ref };
    return { status: 'processing', networkRef: row.network_ref };
  }

  function eventOf(row: TxnRow): CallbackEvent {
    return {
      eventId: newId('evt', clock.now().getTime()),
      requestId: row.request_id,
      kind: row.kind,
      status: row.status === 'succeeded' ? 'succeeded' : 'failed',
      ...(row.status === 'failed' ? { reason: row.reason ?? 'BANK_SYSTEM_ERROR' } : {}),
      networkRef: row.network_ref,
      amountFen: fenToJson(row.amount),
      currency: row.currency,
    };
  }

  async function deliver(row: TxnRow): Promise<boolean> {
    if (!receiver || row.status === 'processing') return false;
    const body = JSON.stringify(eventOf(row));
    await receiver(body, signCallback(deps.secret, body, clock.now()));
    return true;
  }

  async function submit(
    kind: TxnKind,
    request: { requestId: string; agreementId: string; amountFen: bigint; currency: string },
    arrival: Arrival,
  ): Promise<NetworkOutcome> {
    await pause();
    const existing = await findTxn(request.requestId);
    if (existing) {
      if (!existing.visible) throw new CardNetworkTimeout(request.requestId);
      return outcomeOf(existing);
    }
    const last4 = await sandboxStore.findAgreementLast4(db, request.agreementId);
    const now = clock.now();
    const plan = last4
      ? sandboxPlan(kind, last4, request.amountFen, arrival, now)
      : {
          ...sandboxPlan(kind, '0000', 1n, 'realtime', now),
          sync: 'failed' as const,
          final: 'failed' as const,
          reason: 'CARD_BLOCKED' as const,
          callbacksAfterMs: [],
        };
    const completesAt = new Date(now.getTime() + plan.completesAfterMs);
    const finalNow = plan.sync !== 'processing' || plan.completesAfterMs === 0;
    const inserted = await sandboxStore.insertTxn(db, {
      requestId: request.requestId,
      kind,
      agreementId: request.agreementId,
      amountFen: request.amountFen,
      currency: request.currency,
      scenario: plan.scenario,
      status: finalNow ? plan.final : 'processing',
      finalStatus: plan.final,
      reason: plan.final === 'failed' ? (plan.reason ?? null) : null,
      networkRef: networkRef(),
      visible: plan.visible,
      receivedAt: now,
      completesAt,
      completedAt: finalNow ? completesAt : null,
    });
    const row = inserted ?? (await findTxn(request.requestId));
    if (!row) throw new Error('sandbox transaction vanished');
    if (!inserted) return outcomeOf(row); // a concurrent duplicate won the insert
    for (const afterMs of plan.callbacksAfterMs) {
      await sandboxStore.insertCallback(
        db,
        newId('cbk', now.getTime()),
        row.request_id,
        new Date(now.getTime() + afterMs),
      );
    }
    if (plan.callbackFirst && (await deliver(row)))
      await sandboxStore.markCallbacksOfRequestDelivered(db, row.request_id, clock.now());
    if (plan.sync === 'timeout') throw new CardNetworkTimeout(request.requestId);
    return outcomeOf(row);
  }

  return {
    setReceiver(next) {
      receiver = next;
    },

    async startBinding(request) {
      await pause();
      const last4 = request.cardNumber.slice(-4);
      if (last4 === SANDBOX_CARD.blocked) return { status: 'declined', reason: 'CARD_BLOCKED' };
      if (last4 === SANDBOX_CARD.wrongPhone) return { status: 'declined', reason: 'RESERVED_PHONE_MISMATCH' };
      if (last4 === SANDBOX_CARD.holderMismatch) return { status: 'declined', reason: 'HOLDER_MISMATCH' };
      const now = clock.now();
      const id = newId('bnd', now.getTime());
      const code = randomDigits(6);
      const expiresAt = new Date(now.getTime() + SANDBOX_CODE_TTL_MS);
      await sandboxStore.insertBinding(db, {
        id,
        cardHash: cardHash(request.cardNumber),
        last4,
        phone: request.phone,
        codeHash: codeHash(id, code),
        expiresAt,
        at: now,
      });
      // The bank texts the code to the phone it has on file for the card, not to the wallet.
      await deps.sms.send({
        phone: request.phone,
        purpose: 'card_network:bind',
        text: `【银联】您正在绑定尾号${last4}的银行卡，验证码${code}，5分钟内有效，请勿泄露。`,
      });
      return { status: 'code_sent', bindingId: id, expiresAt };
    },

    async confirmBinding(request) {
      await pause();
      const now = clock.now();
      return db.transaction(async (tx) => {
        const binding = await sandboxStore.lockBinding(tx, request.bindingId);
        if (!binding || binding.status === 'failed')
          return { status: 'declined' as const, reason: 'BIND_EXPIRED' as const };
        if (binding.status === 'bound' && binding.agreement_id)
          return { status: 'bound' as const, agreementId: binding.agreement_id };
        if (binding.expires_at <= now) return { status: 'declined' as const, reason: 'BIND_EXPIRED' as const };
        if (codeHash(binding.id, request.code) !== binding.code_hash) {
          const attempts = binding.attempts + 1;
          await sandboxStore.recordBindingAttempt(tx, binding.id, attempts, CODE_MAX_ATTEMPTS);
          return {
            status: 'declined' as const,
            reason: attempts >= CODE_MAX_ATTEMPTS ? ('BIND_EXPIRED' as const) : ('BIND_CODE_INVALID' as const),
          };
        }
        const agreementId = newId('agr', now.getTime());
        await sandboxStore.bindAgreement(tx, binding, agreementId, now);
        return { status: 'bound' as const, agreementId };
      });
    },

    charge: (request) => submit('charge', request, 'realtime'),
    payout: (request) => submit('payout', request, request.arrival),

    async query(requestId): Promise<StatusAnswer> {
      await pause();
      const row = await findTxn(requestId);
      if (!row || !row.visible) return { status: 'not_found' };
      return outcomeOf(row);
    },

    async cancelPayout(requestId) {
      await pause();
      const now = clock.now();
      await advance(requestId, now);
      if (await sandboxStore.cancelProcessingPayout(db, requestId, now)) return { status: 'cancelled' as const };
      const row = await findTxn(requestId);
      return {
        status: 'too_late' as const,
        outcome: row && row.visible ? outcomeOf(row) : { status: 'not_found' as const },
      };
    },

    async settlementFile(day): Promise<SettlementLine[]> {
      const { start, end } = shanghaiDayBounds(new Date(`${day}T12:00:00+08:00`));
      await advance(null, end);
      const rows = await sandboxStore.succeededBetween(db, start, end);
      return rows.map((row) => ({
        requestId: row.request_id,
        kind: row.kind,
        amountFen: BigInt(row.amount),
        currency: row.currency,
        networkRef: row.network_ref,
        completedAt: row.completed_at,
      }));
    },

    async deliverDueCallbacks(limit = 100) {
      const now = clock.now();
      const rows = await sandboxStore.claimDueCallbacks(db, now, CALLBACK_MAX_ATTEMPTS, limit);
      let delivered = 0;
      for (const callback of rows) {
        const txn = await findTxn(callback.request_id);
        if (!txn || !(await deliver(txn).catch(() => false))) continue;
        await sandboxStore.markCallbackDelivered(db, callback.id, clock.now());
        delivered++;
      }
      return delivered;
    },
  };
}
