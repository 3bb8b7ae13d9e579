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

export function createSettler(deps: PaymentsDeps, options: { maxBatchSize?: number } = {}) {
  const { db, clock, ledger, identity } = deps;

  async function settleTogether(tx: Tx, items: readonly SettleItem[]): Promise<SettleOutcome[]> {
    const now = clock.now();
    const outcomes: SettleOutcome[] = new Array(items.length);
    const ids = [...new Set(items.map((item) => item.paymentId))].sort();
    const payments = await store.lockPayments(tx, ids);
    const paymentsById = new Map(payments.map((row) => [row.id, row]));
    const merchants = await merchantStore.findMerchants(tx, [...new Set(payments.map((row) => row.merchant_id))]);
    const merchantsById = new Map(merchants.map((row) => [row.id, row]));
    const qrIds = [
      ...new Set(payments.map((row) => row.dynamic_qr_id).filter((id): id is string => id !== null)),
    ].sort();
    const codes = await store.lockQrCodes(tx, qrIds);
    const codesById = new Map(codes.map((row) => [row.id, row]));

    const first = new Map<string, number>();
    const claimedCodes = new Set<string>();
    const checked: Candidate[] = [];
    items.forEach((item, index) => {
      if (first.has(item.paymentId)) return;
      first.set(item.paymentId, index);
      const payment = paymentsById.get(item.paymentId);
      const merchant = payment ? merchantsById.get(payment.merchant_id) : undefined;
      if (!payment || !merchant || payment.user_id !== item.userId)
        outcomes[index] = err({ code: 'PAYMENT_NOT_FOUND' });
      else if (payment.status === 'completed' && payment.confirmation_id === item.confirmationId)
        outcomes[index] = ok({ payment, merchant, replayed: true });
      else if (payment.status !== 'awaiting_confirmation') outcomes[index] = err({ code: 'PAYMENT_NOT_PENDING' });
      else if (payment.expires_at <= now) outcomes[index] = err({ code: 'PAYMENT_EXPIRED' });
      else if (payment.confirmation_id !== item.confirmationId) outcomes[index] = err({ code: 'CONFIRMATION_INVALID' });
      else if (merchant.status !== 'active') outcomes[index] = err({ code: 'MERCHANT_NOT_ACTIVE' });
      else {
        const qr = payment.dynamic_qr_id ? (codesById.get(payment.dynamic_qr_id) ?? null) : null;
        if (payment.dynamic_qr_id && (!qr || qr.status !== 'active' || claimedCodes.has(qr.id)))
          outcomes[index] = err({ code: 'QR_ALREADY_PAID' });
        else if (qr && (qr.expires_at as Date) <= now) outcomes[index] = err({ code: 'QR_EXPIRED' });
        else {
          if (qr) claimedCodes.add(qr.id);
          checked.push({ index, payment, merchant, qr, countedStatic: false });
        }
      }
    });

    const consumed = await identity.consumeConfirmations(
      tx,
      checked.map(({ index, payment, merchant }) => ({
        userId: items[index].userId,
        confirmationId: items[index].confirmationId,
        operation: paymentOperation(payment, merchant),
      })),
    );
    // From here on a refusal ends the payment: its confirmation is spent.
    const failed: { id: string; code: string }[] = [];
    const toPost: Candidate[] = [];
    const day = shanghaiDay(now);
    for (const [k, candidate] of [...checked.entries()].sort((a, b) =>
      a[1].payment.user_id < b[1].payment.user_id ? -1 : 1,
    )) {
      const result = consumed[k];
      if (!result.ok) {
        outcomes[candidate.index] = err(result.error);
        if (candidate.qr) claimedCodes.delete(candidate.qr.id);
        continue;
      }
      if (candidate.payment.source === 'static_qr') {
        if (
          !(await store.addDailyUsage(
            tx,
            candidate.payment.user_id,
            day,
            'static_qr',
            candidate.payment.amount,
            STATIC_QR_DAILY_CAP_FEN,
          ))
        ) {
          outcomes[candidate.index] = err({ code: 'STATIC_QR_DAILY_LIMIT' });
          failed.push({ id: candidate.payment.id, code: 'STATIC_QR_DAILY_LIMIT' });
          continue;
        }
        candidate.countedStatic = true;
      }
      toPost.push(candidate);
    }

    // Last in the transaction: the ledger holds the chain head until commit.
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
      if (!result.ok) {
        outcomes[candidate.index] = err(result.error);
        failed.push({ id: candidate.payment.id, code: result.error.code });
        if (candidate.countedStatic)
          await store.giveBackDailyUsage(tx, candidate.payment.user_id, day, 'static_qr', candidate.payment.amount);
        continue;
      }
      assert(result.value.type === 'transfer', 'a transfer command answers with a transfer');
      completed.push({ id: candidate.payment.id, entryId: result.value.entry.id });
      outcomes[candidate.index] = ok({
        payment: { ...candidate.payment, status: 'completed', entry_id: result.value.entry.id, completed_at: now },
        merchant: candidate.merchant,
        replayed: false,
      });
      if (candidate.qr) await store.markQrPaid(tx, candidate.qr.id, candidate.payment.id);
    }
    await store.completePayments(tx, completed, now);
    await store.failPayments(tx, failed);
    // The same payment twice in one batch: the later ones get the first one's answer.
    items.forEach((item, index) => {
      const at = first.get(item.paymentId) as number;
      if (index === at) return;
      const outcome = outcomes[at];
      outcomes[index] = 'ok' in outcome && outcome.ok ? ok({ ...outcome.value, replayed: true }) : outcome;
    });
    return outcomes;
  }

  // One batch in one transaction; a batch that fails unexpectedly is split, so one bad item fails alone.
  const queue = createGroupCommit<SettleItem, SettleOutcome>({
    name: 'payment_settlement',
    run: (items) => db.transaction((tx) => settleTogether(tx, items)),
    maxBatchSize: options.maxBatchSize ?? 64,
    onFailure: 'split',
  });

  return { settle: (item: SettleItem): Promise<SettleOutcome> => queue.submit(item) };
}

export type Settler = ReturnType<typeof createSettler>;
