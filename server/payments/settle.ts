import { shanghaiDay } from '../platform/clock.js';
import { createGroupCommit } from '../platform/group-commit.js';
import type { Tx } from '../platform/db/types.js';
import type { Operation } from '../confirmations/service.js';
import type { LedgerCommand } from '../ledger/types.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import * as store from './store-payments.js';
import * as merchantStore from './store-merchants.js';
import type { PaymentsDeps } from './deps.js';
import {
  type MerchantRow,
  type PaymentError,
  type PaymentRow,
  type QrCodeRow,
  STATIC_QR_DAILY_CAP_FEN,
} from './types.js';

/**
 * Completing confirmed payments with group commit. Each completion locks its payment (and its
 * dynamic code), spends its confirmation, counts the static-code cap and posts the money, all in
 * one transaction; completions that arrive together share it, so the ledger's chain head (one lock
 * for every movement) is taken once per batch rather than once per payment. Each item succeeds or
 * fails on its own.
 *
 * Lock order, the same in every batch and in every other payments transaction: payments (by id),
 * dynamic codes (by id), confirmations (by id), daily usage rows, then the ledger's accounts and
 * chain head.
 */

export interface SettleItem {
  userId: string;
  paymentId: string;
  confirmationId: string;
}

export type SettleOutcome = Result<{ payment: PaymentRow; merchant: MerchantRow; replayed: boolean }, PaymentError>;

export const paymentReference = (paymentId: string) => `payment:${paymentId}`;
export const merchantPayee = (merchant: Pick<MerchantRow, 'merchant_number'>) => `merchant:${merchant.merchant_number}`;

/**
 * The operation a payment's confirmation is bound to: built here only, when the confirmation is made
 * and when it is spent, so the two cannot drift apart.
 */
export function paymentOperation(
  payment: Pick<PaymentRow, 'id' | 'amount' | 'currency'>,
  merchant: Pick<MerchantRow, 'merchant_number'>,
): Operation {
  const payee = merchantPayee(merchant);
  return { reference: payment.id, amountFen: payment.amount, currency: payment.currency, payee };
}

/** The payment's one ledger movement; metadata in the wallet history convention (kind, counterparty, ref, note). */
export function paymentCommand(payment: PaymentRow, merchant: MerchantRow): LedgerCommand {
  return {
    type: 'transfer',
    reference: paymentReference(payment.id),
    currency: 'CNY',
    legs: [
      {
        debitAccountId: payment.wallet_account_id,
        creditAccountId: merchant.settlement_account_id as string,
        amountFen: payment.amount,
      },
    ],
    metadata: {
      kind: 'merchant_payment',
      counterparty: merchant.name,
      ref: payment.id,
      note: payment.note,
      merchantId: merchant.id,
      paymentId: payment.id,
    },
  };
}

interface Candidate {
  index: number;
  payment: PaymentRow;
  merchant: MerchantRow;
  qr: QrCodeRow | null;
  countedStatic: boolean;
}

/** One batch being settled: its items, their answers so far, and what the batch has locked and decided. */
interface Batch {
  items: readonly SettleItem[];
  outcomes: SettleOutcome[];
  /** The first item of each payment; later items of the same payment get its answer. */
  first: Map<string, number>;
  /** Dynamic codes a payment of this batch is paying. */
  claimedCodes: Set<string>;
  /** Dynamic codes this batch paid, for `deps.events`. */
  paidCodes: { qrId: string; paymentId: string }[];
  failed: { id: string; code: string }[];
  now: Date;
  day: string;
}

/** Locks the batch's payments and dynamic codes (in id order) and reads their merchants. */
async function lockBatch(tx: Tx, items: readonly SettleItem[]) {
  const ids = [...new Set(items.map((item) => item.paymentId))].sort();
  const payments = await store.lockPayments(tx, ids);
  const merchants = await merchantStore.findMerchants(tx, [...new Set(payments.map((row) => row.merchant_id))]);
  const qrIds = [...new Set(payments.map((row) => row.dynamic_qr_id).filter((id): id is string => id !== null))].sort();
  const codes = await store.lockQrCodes(tx, qrIds);
  return {
    payments: new Map(payments.map((row) => [row.id, row])),
    merchants: new Map(merchants.map((row) => [row.id, row])),
    codes: new Map(codes.map((row) => [row.id, row])),
  };
}

type Locked = Awaited<ReturnType<typeof lockBatch>>;

/** The refusal of one item before its confirmation is spent, or null when it may go on. */
function refusalOf(batch: Batch, item: SettleItem, payment: PaymentRow, merchant: MerchantRow, qr: QrCodeRow | null) {
  const { now } = batch;
  if (payment.status !== 'awaiting_confirmation') return err({ code: 'PAYMENT_NOT_PENDING' as const });
  if (payment.expires_at <= now) return err({ code: 'PAYMENT_EXPIRED' as const });
  if (payment.confirmation_id !== item.confirmationId) return err({ code: 'CONFIRMATION_INVALID' as const });
  if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' as const });
  if (payment.dynamic_qr_id && (!qr || qr.status !== 'active' || batch.claimedCodes.has(qr.id)))
    return err({ code: 'QR_ALREADY_PAID' as const });
  if (qr && (qr.expires_at as Date) <= now) return err({ code: 'QR_EXPIRED' as const });
  return null;
}

/** The payments of the batch that may be settled; the others get their answer. */
function checkPayments(batch: Batch, locked: Locked): Candidate[] {
  const checked: Candidate[] = [];
  batch.items.forEach((item, index) => {
    if (batch.first.has(item.paymentId)) return;
    batch.first.set(item.paymentId, index);
    const payment = locked.payments.get(item.paymentId);
    const merchant = payment ? locked.merchants.get(payment.merchant_id) : undefined;
    if (!payment || !merchant || payment.user_id !== item.userId) {
      batch.outcomes[index] = err({ code: 'PAYMENT_NOT_FOUND' });
    } else if (payment.status === 'completed' && payment.confirmation_id === item.confirmationId) {
      batch.outcomes[index] = ok({ payment, merchant, replayed: true });
    } else {
      const qr = payment.dynamic_qr_id ? (locked.codes.get(payment.dynamic_qr_id) ?? null) : null;
      const refused = refusalOf(batch, item, payment, merchant, qr);
      if (refused) batch.outcomes[index] = refused;
      else {
        if (qr) batch.claimedCodes.add(qr.id);
        checked.push({ index, payment, merchant, qr, countedStatic: false });
      }
    }
  });
  return checked;
}

/**
 * Spends the confirmations and counts static-code payments against the payer's daily cap (payers in
 * order). From here on a refusal ends the payment: its confirmation is spent. Answers those to post.
 */
async function spendAndCount(identity: PaymentsDeps['identity'], tx: Tx, batch: Batch, checked: Candidate[]) {
  const consumed = await identity.consumeConfirmations(
    tx,
    checked.map(({ index, payment, merchant }) => ({
      userId: batch.items[index].userId,
      confirmationId: batch.items[index].confirmationId,
      operation: paymentOperation(payment, merchant),
    })),
  );
  const toPost: Candidate[] = [];
  const byPayer = [...checked.entries()].sort((a, b) => (a[1].payment.user_id < b[1].payment.user_id ? -1 : 1));
  for (const [k, candidate] of byPayer) {
    const result = consumed[k];
    if (!result.ok) {
      batch.outcomes[candidate.index] = err(result.error);
      if (candidate.qr) batch.claimedCodes.delete(candidate.qr.id);
      continue;
    }
    if (candidate.payment.source === 'static_qr') {
      const { user_id: userId, amount } = candidate.payment;
      if (!(await store.addDailyUsage(tx, userId, batch.day, 'static_qr', amount, STATIC_QR_DAILY_CAP_FEN))) {
        batch.outcomes[candidate.index] = err({ code: 'STATIC_QR_DAILY_LIMIT' });
        batch.failed.push({ id: candidate.payment.id, code: 'STATIC_QR_DAILY_LIMIT' });
        continue;
      }
      candidate.countedStatic = true;
    }
    toPost.push(candidate);
  }
  return toPost;
}

/** Posts the money (last in the transaction: the ledger holds the chain head until commit) and records each result. */
async function postAndRecord(ledger: PaymentsDeps['ledger'], tx: Tx, batch: Batch, toPost: Candidate[]) {
  const results =
    toPost.length > 0
      ? await ledger.execute(
          tx,
          toPost.map(({ payment, merchant }) => paymentCommand(payment, merchant)),
        )
      : [];
  const completed: { id: string; entryId: string }[] = [];
  for (const [k, result] of results.entries()) {
    const candidate = toPost[k];
    const { payment } = candidate;
    if (!result.ok) {
      batch.outcomes[candidate.index] = err(result.error);
      batch.failed.push({ id: payment.id, code: result.error.code });
      if (candidate.countedStatic)
        await store.giveBackDailyUsage(tx, payment.user_id, batch.day, 'static_qr', payment.amount);
      continue;
    }
    assert(result.value.type === 'transfer', 'a transfer command answers with a transfer');
    const entryId = result.value.entry.id;
    completed.push({ id: payment.id, entryId });
    batch.outcomes[candidate.index] = ok({
      payment: { ...payment, status: 'completed', entry_id: entryId, completed_at: batch.now },
      merchant: candidate.merchant,
      replayed: false,
    });
    if (candidate.qr) {
      await store.markQrPaid(tx, candidate.qr.id, payment.id);
      batch.paidCodes.push({ qrId: candidate.qr.id, paymentId: payment.id });
    }
  }
  await store.completePayments(tx, completed, batch.now);
  await store.failPayments(tx, batch.failed);
}

/** The same payment twice in one batch: the later ones get the first one's answer. */
function answerRepeats(batch: Batch): void {
  batch.items.forEach((item, index) => {
    const at = batch.first.get(item.paymentId) as number;
    if (index === at) return;
    const outcome = batch.outcomes[at];
    batch.outcomes[index] = 'ok' in outcome && outcome.ok ? ok({ ...outcome.value, replayed: true }) : outcome;
  });
}

async function settleTogether(deps: PaymentsDeps, tx: Tx, items: readonly SettleItem[]): Promise<SettleOutcome[]> {
  const now = deps.clock.now();
  const batch: Batch = {
    items,
    outcomes: new Array(items.length),
    first: new Map(),
    claimedCodes: new Set(),
    paidCodes: [],
    failed: [],
    now,
    day: shanghaiDay(now),
  };
  const locked = await lockBatch(tx, items);
  const checked = checkPayments(batch, locked);
  const toPost = await spendAndCount(deps.identity, tx, batch, checked);
  await postAndRecord(deps.ledger, tx, batch, toPost);
  if (batch.paidCodes.length > 0 && deps.events) await deps.events.codesPaid(tx, batch.paidCodes, now);
  answerRepeats(batch);
  return batch.outcomes;
}

export function createSettler(deps: PaymentsDeps, options: { maxBatchSize?: number } = {}) {
  // One batch in one transaction; a batch that fails unexpectedly is split, so one bad item fails alone.
  const queue = createGroupCommit<SettleItem, SettleOutcome>({
    name: 'payment_settlement',
    run: async (items) => {
      const outcomes = await deps.db.transaction((tx) => settleTogether(deps, tx, items));
      // Dynamic codes paid: what was recorded in the transaction may be delivered now.
      if (deps.events && items.some((_, i) => 'ok' in outcomes[i] && outcomes[i].ok)) deps.events.committed();
      return outcomes;
    },
    maxBatchSize: options.maxBatchSize ?? 64,
    onFailure: 'split',
  });

  return { settle: (item: SettleItem): Promise<SettleOutcome> => queue.submit(item) };
}

export type Settler = ReturnType<typeof createSettler>;
