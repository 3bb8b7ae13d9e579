import { latinNameFor } from './latin.js';
import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { formatFen, fenToJson } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { QrCodes, ResolvedPayee } from './qr.js';
import * as merchantStore from './store-merchants.js';
import * as store from './store-payments.js';
import { createSettler, merchantPayee, paymentOperation } from './settle.js';
import { type PaymentsDeps, type RequestOrigin, assessPayment } from './deps.js';
import {
  type MerchantRow,
  PAYMENT_TTL_MS,
  type PaymentError,
  type PaymentRow,
  STATIC_QR_DAILY_CAP_FEN,
} from './types.js';

/** Paying a merchant from the wallet: by scanning its QR code or typing its merchant number. */

export interface PaymentView {
  id: string;
  merchantId: string;
  merchantName: string | null;
  merchantNumber: string | null;
  amountFen: bigint;
  currency: string;
  source: PaymentRow['source'];
  status: PaymentRow['status'];
  orderReference: string | null;
  note: string | null;
  passwordFree: boolean;
  refundedFen: bigint;
  /** Why a failed payment failed (INSUFFICIENT_FUNDS, RISK_BLOCKED, ...), for "why did this fail?". */
  failureCode: string | null;
  confirmationId: string | null;
  expiresAt: Date;
  completedAt: Date | null;
  createdAt: Date;
  /** The payer's masked name ("*伟"), in the merchant's own views only; absent elsewhere. */
  payerName?: string | null;
}

export const paymentView = (
  row: PaymentRow,
  merchant?: Pick<MerchantRow, 'name' | 'merchant_number'> | null,
): PaymentView => ({
  id: row.id,
  merchantId: row.merchant_id,
  merchantName: merchant?.name ?? null,
  merchantNumber: merchant?.merchant_number ?? null,
  amountFen: row.amount,
  currency: row.currency,
  source: row.source,
  status: row.status,
  orderReference: row.order_reference,
  note: row.note,
  passwordFree: row.password_free,
  refundedFen: row.refunded_amount,
  failureCode: row.failure_code,
  confirmationId: row.confirmation_id,
  expiresAt: row.expires_at,
  completedAt: row.completed_at,
  createdAt: row.created_at,
});

export { merchantPayee };

/** After a payment commits: the payer is told, the merchant's live stream wakes up. */
export async function announcePayment(deps: PaymentsDeps, payment: PaymentRow, merchant: MerchantRow): Promise<void> {
  deps.live.wake(merchant.id);
  const amount = formatFen(payment.amount);
  await deps.notifications.notify(payment.user_id, {
    kind: 'payment.completed',
    titleZh: '付款成功',
    titleEn: 'Payment made',
    bodyZh: `您已向${merchant.name}付款${amount}。`,
    bodyEn: `You paid ${amount} to ${merchant.name}.`,
    data: { paymentId: payment.id, merchantId: merchant.id, amount: fenToJson(payment.amount) },
  });
}

type PaymentInput = { payload?: string; merchantNumber?: string; amountFen?: bigint; note?: string };

export function createPayments(deps: PaymentsDeps & { qr: QrCodes }) {
  const { db, clock, identity, qr } = deps;
  const settler = createSettler(deps);

  async function payee(input: {
    payload?: string;
    merchantNumber?: string;
  }): Promise<Result<ResolvedPayee, PaymentError>> {
    if (input.payload !== undefined) return qr.resolve(input.payload);
    const merchant = await merchantStore.findMerchantByNumber(db, input.merchantNumber ?? '');
    if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
    if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
    return ok({ merchant, qr: null, kind: 'static', amountFen: null, orderReference: null });
  }

  /** Prepares a payment and its confirmation; `create` answers it as views. */
  async function createRow(
    userId: string,
    input: PaymentInput,
    clientKey: string | null,
  ): Promise<
    Result<
      { row: PaymentRow; merchant: MerchantRow; confirmation: { id: string; challenge: string; expiresAt: Date } },
      PaymentError
    >
  > {
    // The payer's profile is read beside the payee's lookup; the payee's refusals still come first.
    const [resolved, profile] = await Promise.all([payee(input), identity.profile(userId)]);
    if (!resolved.ok) return resolved;
    const { merchant, kind, qr: code, orderReference } = resolved.value;
    let amountFen = resolved.value.amountFen;
    if (amountFen !== null && input.amountFen !== undefined && input.amountFen !== amountFen)
      return err({ code: 'AMOUNT_MISMATCH', expectedFen: amountFen });
    amountFen ??= input.amountFen ?? null;
    if (amountFen === null) return err({ code: 'AMOUNT_REQUIRED' });
    if (!profile) return err({ code: 'UNAUTHENTICATED' });
    if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: profile.walletAccountId });
    const source = input.payload === undefined ? 'merchant_number' : kind === 'dynamic' ? 'dynamic_qr' : 'static_qr';
    if (source === 'static_qr') {
      const used = (await store.dailyUsage(db, userId, shanghaiDay(clock.now()))).get('static_qr') ?? 0n;
      if (used + amountFen > STATIC_QR_DAILY_CAP_FEN) return err({ code: 'STATIC_QR_DAILY_LIMIT' });
    }
    const now = clock.now();
    const id = newId('pay', now.getTime());
    const confirmation = await identity.confirmations.create(
      userId,
      paymentOperation({ id, amount: amountFen, currency: 'CNY' }, merchant),
    );
    const row: PaymentRow = {
      id,
      merchant_id: merchant.id,
      user_id: userId,
      wallet_account_id: profile.walletAccountId,
      amount: amountFen,
      currency: 'CNY',
      source,
      qr_code_id: code?.id ?? null,
      dynamic_qr_id: kind === 'dynamic' ? (code?.id ?? null) : null,
      order_reference: orderReference,
      note: input.note ?? null,
      status: 'awaiting_confirmation',
      confirmation_id: confirmation.id,
      password_free: false,
      failure_code: null,
      entry_id: null,
      refunded_amount: 0n,
      created_by: `user:${userId}`,
      expires_at: new Date(Math.min(confirmation.expiresAt.getTime(), now.getTime() + PAYMENT_TTL_MS)),
      completed_at: null,
      created_at: now,
      client_key: clientKey,
    };
    // Taken only when two servers run one key at once (the idempotency lock lapsed): the other one answers.
    if (!(await store.insertPayment(db, row))) return err({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' });
    return ok({
      row,
      merchant,
      confirmation: { id: confirmation.id, challenge: confirmation.challenge, expiresAt: confirmation.expiresAt },
    });
  }

  /**
   * Completes a payment as last read (`found`, with its merchant when it still waits): risk first,
   * then the settler, whose checks under the row lock decide.
   */
  async function completeFound(
    userId: string,
    paymentId: string,
    found: PaymentRow | null,
    merchant: MerchantRow | null,
    confirmationId: string,
    origin: RequestOrigin,
  ): Promise<Result<PaymentView, PaymentError>> {
    if (found?.status === 'awaiting_confirmation') {
      const refused = merchant
        ? await assessPayment(
            deps,
            found,
            merchant,
            found.source === 'payment_code' ? 'payment_code' : 'merchant_qr',
            origin,
          )
        : null;
      if (refused) {
        // A block ends the payment; a step-up or hold leaves it waiting until the risk check is resolved.
        if (refused.code === 'RISK_BLOCKED' || refused.code === 'RISK_RESTRICTED')
          await store.closePayment(db, found.id, 'failed');
        return err(refused);
      }
    }
    const done = await settler.settle({ userId, paymentId, confirmationId });
    if (!done.ok) return done;
    if (!done.value.replayed) await announcePayment(deps, done.value.payment, done.value.merchant);
    return ok(paymentView(done.value.payment, done.value.merchant));
  }

  return {
    /** What the payer sees before paying: the merchant and, for a dynamic code, the amount. */
    async preview(input: { payload?: string; merchantNumber?: string }) {
      const resolved = await payee(input);
      if (!resolved.ok) return resolved;
      const { merchant, kind, amountFen, orderReference } = resolved.value;
      return ok({
        merchantName: merchant.name,
        latinName: latinNameFor(merchant),
        merchantNumber: merchant.merchant_number,
        mcc: merchant.mcc,
        city: merchant.city,
        kind,
        amountFen,
        orderReference,
        currency: 'CNY' as const,
      });
    },

    /**
     * Prepares a payment and the confirmation that will approve it (amount and payee bound).
     * Nothing moves until `complete`.
     */
    async create(
      userId: string,
      input: PaymentInput,
      clientKey: string | null = null,
    ): Promise<
      Result<{ payment: PaymentView; confirmation: { id: string; challenge: string; expiresAt: Date } }, PaymentError>
    > {
      const created = await createRow(userId, input, clientKey);
      if (!created.ok) return created;
      const { row, merchant, confirmation } = created.value;
      return ok({ payment: paymentView(row, merchant), confirmation });
    },

    /**
     * Spends the payer's confirmation and moves the money, all in one transaction shared with the
     * completions arriving at the same time (settle.ts): the payment row and a dynamic code are
     * locked first, so concurrent attempts on one code pay it at most once. A refusal after the
     * confirmation is spent (funds, frozen, limits, the static-code cap) ends the payment as failed.
     */
    async complete(
      userId: string,
      paymentId: string,
      confirmationId: string,
      origin: RequestOrigin = {},
    ): Promise<Result<PaymentView, PaymentError>> {
      const found = await store.findPayment(db, paymentId, { userId });
      const merchant =
        found?.status === 'awaiting_confirmation' ? await merchantStore.findMerchant(db, found.merchant_id) : null;
      return completeFound(userId, paymentId, found, merchant, confirmationId, origin);
    },

    /** Prepare, confirm with the PIN and complete in one call (each step exactly as in the three-step flow). */
    async payWithPin(
      userId: string,
      input: PaymentInput,
      pin: string,
      origin: RequestOrigin = {},
      clientKey: string | null = null,
    ): Promise<Result<PaymentView, PaymentError>> {
      // A retry of a payment this key already made (the server answering it died): finish or replay
      // that payment, never make a second one.
      const earlier = clientKey ? await store.findPaymentByClientKey(db, userId, clientKey) : null;
      if (earlier?.confirmation_id) {
        if (earlier.status === 'awaiting_confirmation') {
          const confirmed = await identity.confirmations.confirmWithPin(userId, earlier.confirmation_id, pin);
          // Already approved before the crash: completing it is what is left.
          if (!confirmed.ok && confirmed.error.code !== 'CONFIRMATION_INVALID') return confirmed;
        }
        return this.complete(userId, earlier.id, earlier.confirmation_id, origin);
      }
      const created = await createRow(userId, input, clientKey);
      if (!created.ok) return created;
      const { row, merchant, confirmation } = created.value;
      const confirmed = await identity.confirmations.confirmWithPin(userId, confirmation.id, pin);
      if (!confirmed.ok) return confirmed;
      // The row just written is the one to judge: confirming changes nothing on it, and the settler
      // checks its status again under the row lock.
      return completeFound(userId, row.id, row, merchant, confirmation.id, origin);
    },

    /** The payer turns down a payment waiting for them (e.g. a charge they did not expect). */
    async decline(userId: string, paymentId: string): Promise<Result<PaymentView, PaymentError>> {
      const payment = await store.findPayment(db, paymentId, { userId });
      if (!payment) return err({ code: 'PAYMENT_NOT_FOUND' });
      if (!(await store.closePayment(db, paymentId, 'declined'))) return err({ code: 'PAYMENT_NOT_PENDING' });
      deps.live.wake(payment.merchant_id);
      return ok(
        paymentView({ ...payment, status: 'declined' }, await merchantStore.findMerchant(db, payment.merchant_id)),
      );
    },

    async get(userId: string, paymentId: string): Promise<PaymentView | null> {
      const payment = await store.findPayment(db, paymentId, { userId });
      return payment ? paymentView(payment, await merchantStore.findMerchant(db, payment.merchant_id)) : null;
    },

    /** Payments waiting for the user's confirmation, e.g. a merchant's charge above the password-free allowance. */
    async pending(userId: string): Promise<PaymentView[]> {
      const rows = await store.pendingForUser(db, userId, clock.now());
      return Promise.all(
        rows.map(async (row) => paymentView(row, await merchantStore.findMerchant(db, row.merchant_id))),
      );
    },

    /** Marks unconfirmed payments past their time as expired; run by a job. */
    expire: (limit = 500) => store.expirePayments(db, clock.now(), limit),
  };
}

export type Payments = ReturnType<typeof createPayments>;
