import type { ConfirmationError, ConfirmationView, Operation } from '../identity/confirmation.js';
import type { Identity, PartyView } from '../identity/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Currency, formatFen } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import * as store from './store.js';
import type { TransferRow } from './store.js';

/**
 * Transfers between wallet holders: look the payee up (masked), prepare a transfer with a
 * confirmation bound to amount and payee, and complete it once confirmed: the confirmation is
 * consumed, the money posted and the transfer marked completed in one database transaction.
 */

/** What the risk engine is asked before an outgoing transfer is posted (the shape server/risk takes). */
export interface OutgoingAssessment {
  userId: string;
  walletAccountId: string;
  amountFen: bigint;
  currency: Currency;
  /** A stable id of the payee. */
  payeeKey: string;
  /** The payee as the payer sees them, masked. */
  payeeDisplay: string;
  channel: 'p2p';
  /** The transfer's ledger reference: assessing it again answers the same decision. */
  reference: string;
  ip?: string;
  deviceId?: string;
}
/** The risk engine's answer: anything but allow stops the transfer with the engine's problem code. */
export interface RiskVerdict {
  outcome: 'allow' | 'step_up' | 'hold' | 'block';
  problem: string | null;
  assessmentId?: string;
  reasons?: readonly { code: string; zh: string; en: string }[];
}
export interface OutgoingRisk {
  assessOutgoing(assessment: OutgoingAssessment): Promise<RiskVerdict>;
}

export type PayeeRef = { phone: string } | { walletId: string };

export type TransferError =
  | { code: 'PAYEE_NOT_FOUND' }
  | { code: 'SELF_TRANSFER' }
  | { code: 'PAYEE_LOOKUP_LIMITED'; retryAfterSeconds: number }
  | { code: 'TRANSFER_NOT_FOUND' }
  | { code: 'TRANSFER_NOT_PENDING'; status: string }
  | { code: 'TRANSFER_DECLINED_BY_RISK'; outcome: string; assessmentId?: string; reasons?: readonly unknown[] }
  | { code: 'TRANSFER_REQUEST_NOT_FOUND' }
  | { code: 'TRANSFER_REQUEST_NOT_PENDING'; status: string }
  | LedgerError
  | ConfirmationError;

export interface TransferServiceDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  notifications: NotificationService;
  risk?: OutgoingRisk;
  /** Phone-number resolutions per holder per hour (lookups and transfers by phone). */
  lookupsPerHour?: number;
}

export interface PrepareInput {
  payee: PayeeRef;
  amountFen: bigint;
  currency: Currency;
  note?: string;
  /** The caller's Idempotency-Key: a retried prepare returns the same transfer. */
  clientKey?: string | null;
  requestId?: string | null;
}

/** Where the request came from, for the risk engine. */
export interface RequestOrigin {
  ip?: string;
  deviceId?: string;
}

export interface Prepared {
  transfer: TransferRow;
  confirmation: ConfirmationView | null;
}

export const DEFAULT_LOOKUPS_PER_HOUR = 30;
const HOUR_MS = 3600_000;
const MAX_PAGE = 100;

/** Thrown inside the money transaction to roll it back with an expected failure. */
class Refused extends Error {
  constructor(readonly error: TransferError) {
    super(error.code);
  }
}

export const transferReference = (transferId: string) => `p2p:${transferId}`;

/** The operation a transfer's confirmation is bound to (dynamic linking). */
export function transferOperation(row: Pick<TransferRow, 'id' | 'amount' | 'currency' | 'payee_phone_masked'>): Operation {
  return { reference: transferReference(row.id), amountFen: row.amount, currency: row.currency, payee: `wallet:${row.payee_phone_masked}` };
}

export function createTransferService(deps: TransferServiceDeps) {
  const { db, clock, ledger, identity, notifications } = deps;
  const lookupsPerHour = deps.lookupsPerHour ?? DEFAULT_LOOKUPS_PER_HOUR;

  /** Resolves a payee; phone numbers count against the hourly cap, since they can be enumerated. */
  async function resolvePayee(userId: string, payee: PayeeRef): Promise<Result<PartyView, TransferError>> {
    if ('phone' in payee) {
      const now = clock.now();
      const used = await store.countLookupsSince(db, userId, new Date(now.getTime() - HOUR_MS));
      if (used >= lookupsPerHour) return err({ code: 'PAYEE_LOOKUP_LIMITED', retryAfterSeconds: 3600 });
      await store.recordLookup(db, userId, now);
    }
    const party = await identity.findParty('phone' in payee ? { phone: payee.phone } : { walletAccountId: payee.walletId });
    if (!party) return err({ code: 'PAYEE_NOT_FOUND' });
    if (party.userId === userId) return err({ code: 'SELF_TRANSFER' });
    return ok(party);
  }

  /** Early refusals that need no write: frozen payer, not enough money, over the per-payment limit. */
  async function precheck(payer: PartyView, amountFen: bigint, currency: string): Promise<TransferError | null> {
    const account = await ledger.getAccount(payer.walletAccountId);
    assert(account, `wallet ${payer.walletAccountId} of ${payer.userId} exists`);
    if (account.frozen) return { code: 'ACCOUNT_FROZEN', accountId: account.id };
    if (account.currency !== currency) return { code: 'CURRENCY_MISMATCH', accountId: account.id, expected: account.currency, actual: currency };
    if (account.availableFen < amountFen) return { code: 'INSUFFICIENT_FUNDS', accountId: account.id, availableFen: account.availableFen, requiredFen: amountFen };
    const perMovement = account.limits.perMovementFen;
    if (perMovement !== undefined && amountFen > perMovement) {
      return { code: 'LIMIT_EXCEEDED', accountId: account.id, limit: 'perMovementFen', limitFen: perMovement, usedFen: 0n, remainingFen: perMovement };
    }
    return null;
  }

  async function notifyCompleted(row: TransferRow): Promise<void> {
    const amount = formatFen(row.amount, row.currency as Currency);
    const data = { transferId: row.id, amount: Number(row.amount), currency: row.currency };
    await notifications.notify(row.payer_user_id, {
      kind: 'transfer.sent',
      titleZh: '转账成功',
      titleEn: 'Transfer sent',
      bodyZh: `您已向${row.payee_name_masked}（${row.payee_phone_masked}）转账${amount}。`,
      bodyEn: `You sent ${amount} to ${row.payee_name_masked} (${row.payee_phone_masked}).`,
      data,
    });
    await notifications.notify(row.payee_user_id, {
      kind: 'transfer.received',
      titleZh: '收到转账',
      titleEn: 'Money received',
      bodyZh: `${row.payer_name_masked}（${row.payer_phone_masked}）向您转账${amount}。`,
      bodyEn: `${row.payer_name_masked} (${row.payer_phone_masked}) sent you ${amount}.`,
      data,
    });
  }

  /** Consumes the confirmation and posts the money with the status change, in one transaction. */
  async function post(userId: string, transferId: string, confirmationId: string): Promise<{ row: TransferRow; replayed: boolean }> {
    return db.transaction(async (tx) => {
      const row = await store.lockTransferOfPayer(tx, transferId, userId);
      if (!row) throw new Refused({ code: 'TRANSFER_NOT_FOUND' });
      if (row.status === 'completed') return { row, replayed: true };
      if (row.status !== 'awaiting_confirmation') throw new Refused({ code: 'TRANSFER_NOT_PENDING', status: row.status });
      if (row.confirmation_id !== confirmationId) throw new Refused({ code: 'CONFIRMATION_INVALID' });
      const consumed = await identity.confirmations.consume(tx, userId, confirmationId, transferOperation(row));
      if (!consumed.ok) throw new Refused(consumed.error);
      const now = clock.now();
      if (row.request_id) {
        const paid = await store.resolveRequest(tx, row.request_id, 'paid', now, row.id);
        if (!paid) throw new Refused({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: (await store.lockRequest(tx, row.request_id))?.status ?? 'unknown' });
      }
      // Last in the transaction: the ledger holds the chain head until commit.
      const [outcome] = await ledger.execute(tx, [
        {
          type: 'transfer',
          reference: transferReference(row.id),
          currency: row.currency as Currency,
          legs: [{ debitAccountId: row.payer_account_id, creditAccountId: row.payee_account_id, amountFen: row.amount }],
          metadata: {
            kind: 'p2p',
            transferId: row.id,
            payerName: row.payer_name_masked,
            payerPhone: row.payer_phone_masked,
            payeeName: row.payee_name_masked,
            payeePhone: row.payee_phone_masked,
            note: row.note,
            requestId: row.request_id,
          },
        },
      ]);
      if (!outcome.ok) throw new Refused(outcome.error);
      assert(outcome.value.type === 'transfer', 'a transfer command answers with a transfer');
      return { row: await store.markTransferCompleted(tx, row.id, outcome.value.entry.id, now), replayed: outcome.value.replayed };
    });
  }

  const service = {
    /** The masked name and phone of a payee, so the payer can check before paying. */
    async lookupPayee(userId: string, payee: PayeeRef): Promise<Result<PartyView, TransferError>> {
      return resolvePayee(userId, payee);
    },

    /** Records a transfer awaiting confirmation and the confirmation bound to it. Moves no money. */
    async prepare(userId: string, input: PrepareInput): Promise<Result<Prepared, TransferError>> {
      assert(input.amountFen > 0n, 'amount is positive');
      const note = (input.note ?? '').trim();
      assert([...note].length <= 50, 'note is at most 50 characters');
      const payer = await identity.findParty({ userId });
      assert(payer, `user ${userId} exists`);
      const payee = await resolvePayee(userId, input.payee);
      if (!payee.ok) return payee;
      const refused = await precheck(payer, input.amountFen, input.currency);
      if (refused) return err(refused);
      const now = clock.now();
      const id = newId('trf', now.getTime());
      const operation: Operation = { reference: transferReference(id), amountFen: input.amountFen, currency: input.currency, payee: `wallet:${payee.value.phone}` };
      const confirmation = await identity.confirmations.create(userId, operation);
      const { row, created } = await store.insertTransfer(db, {
        id,
        payer_user_id: userId,
        payer_account_id: payer.walletAccountId,
        payer_name_masked: payer.name,
        payer_phone_masked: payer.phone,
        payee_user_id: payee.value.userId,
        payee_account_id: payee.value.walletAccountId,
        payee_name_masked: payee.value.name,
        payee_phone_masked: payee.value.phone,
        amount: input.amountFen,
        currency: input.currency,
        note,
        confirmation_id: confirmation.id,
        request_id: input.requestId ?? null,
        client_key: input.clientKey ?? null,
        expires_at: confirmation.expiresAt,
        created_at: now,
      });
      if (created) return ok({ transfer: row, confirmation });
      // A retried prepare: the confirmation just made is left to expire unused.
      return ok({ transfer: row, confirmation: await identity.confirmations.get(userId, row.confirmation_id) });
    },

    /** Completes a confirmed transfer. Completing a completed transfer answers it again. */
    async complete(userId: string, transferId: string, confirmationId: string, context: RequestOrigin = {}): Promise<Result<TransferRow, TransferError>> {
      const found = await store.findTransferForParty(db, transferId, userId);
      if (!found || found.payer_user_id !== userId) return err({ code: 'TRANSFER_NOT_FOUND' });
      if (found.status === 'completed') return ok(found);
      if (found.status !== 'awaiting_confirmation') return err({ code: 'TRANSFER_NOT_PENDING', status: found.status });
      if (deps.risk) {
        const verdict = await service.assess(found, context);
        if (verdict.outcome !== 'allow') {
          // A block ends the transfer; a step-up or hold leaves it waiting, to be completed once resolved.
          if (verdict.outcome === 'block') await store.markTransferFailed(db, found.id, verdict.problem ?? 'TRANSFER_DECLINED_BY_RISK');
          return err({ code: 'TRANSFER_DECLINED_BY_RISK', outcome: verdict.outcome, riskProblem: verdict.problem, assessmentId: verdict.assessmentId, reasons: verdict.reasons } as TransferError);
        }
      }
      try {
        const { row, replayed } = await post(userId, transferId, confirmationId);
        if (!replayed) await notifyCompleted(row);
        return ok(row);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        // Money refusals end the transfer; a bad or reused confirmation leaves it waiting for the right one.
        if (isMoneyRefusal(error.error.code)) await store.markTransferFailed(db, transferId, error.error.code);
        return err(error.error);
      }
    },

    /** One request moves money: prepare, confirm with the PIN, complete, each step as in the two-step flow. */
    async send(userId: string, input: PrepareInput, pin: string, context: RequestOrigin = {}): Promise<Result<TransferRow, TransferError>> {
      const prepared = await service.prepare(userId, input);
      if (!prepared.ok) return prepared;
      const { transfer, confirmation } = prepared.value;
      if (transfer.status !== 'awaiting_confirmation' || !confirmation) return ok(transfer);
      if (confirmation.status === 'pending') {
        const confirmed = await identity.confirmations.confirmWithPin(userId, confirmation.id, pin);
        if (!confirmed.ok) return confirmed;
      }
      return service.complete(userId, transfer.id, confirmation.id, context);
    },

    /** The one place an outgoing transfer is assessed for risk before it is posted. */
    async assess(row: TransferRow, context: RequestOrigin = {}): Promise<RiskVerdict> {
      if (!deps.risk) return { outcome: 'allow', problem: null };
      return deps.risk.assessOutgoing({
        userId: row.payer_user_id,
        walletAccountId: row.payer_account_id,
        amountFen: row.amount,
        currency: row.currency as Currency,
        payeeKey: `wallet:${row.payee_account_id}`,
        payeeDisplay: row.payee_name_masked,
        channel: 'p2p',
        reference: transferReference(row.id),
        ip: context.ip,
        deviceId: context.deviceId,
      });
    },

    /** A transfer as its payer or payee sees it; null for anyone else. */
    get: (userId: string, transferId: string) => store.findTransferForParty(db, transferId, userId),

    async list(userId: string, page: { before?: string; limit?: number; direction?: 'all' | 'outgoing' | 'incoming' }) {
      const limit = Math.min(Math.max(page.limit ?? 20, 1), MAX_PAGE);
      const rows = await store.listTransfers(db, userId, { before: page.before ?? null, limit, direction: page.direction ?? 'all' });
      return { items: rows, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
    },

    /** Ends transfers whose confirmation window passed, and prunes the lookup log; run by a job. */
    async expire(batchSize = 200): Promise<number> {
      const now = clock.now();
      await store.pruneLookups(db, new Date(now.getTime() - 2 * HOUR_MS), 5_000);
      return store.expireTransfers(db, now, batchSize);
    },
  };
  return service;
}

function isMoneyRefusal(code: string): boolean {
  return ['INSUFFICIENT_FUNDS', 'ACCOUNT_FROZEN', 'LIMIT_EXCEEDED', 'CURRENCY_MISMATCH', 'ACCOUNT_NOT_FOUND', 'SAME_ACCOUNT', 'TRANSFER_REQUEST_NOT_PENDING'].includes(code);
}

export type TransferService = ReturnType<typeof createTransferService>;
