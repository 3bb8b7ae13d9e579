import { newId } from '../platform/ids.js';
import { formatFen, fenToJson } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { CASHIER_REFUND_LIMIT_FEN, may } from './merchant-roles.js';
import { paymentVisibleTo } from './reports.js';
import { createStaffReauth } from './staff-reauth.js';
import * as merchantStore from './store-merchants.js';
import * as store from './store-payments.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantActor, MerchantRow, PaymentError, PaymentRow } from './types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import type { Tx } from '../platform/db/types.js';

/**
 * Refunds by the merchant, in full or in part, back to the payer's wallet; never more in total than
 * was paid. The staff member confirms each refund with their sign-in password; a cashier refunds
 * only today's payments and only up to CASHIER_REFUND_LIMIT_FEN a payment (docs/payments.md).
 */

export interface RefundView {
  id: string;
  paymentId: string;
  amountFen: bigint;
  reason: string | null;
  createdAt: Date;
}

const refundView = (row: store.RefundRow): RefundView => ({
  id: row.id,
  paymentId: row.payment_id,
  amountFen: row.amount,
  reason: row.reason,
  createdAt: row.created_at,
});

/** Why this actor may not refund this amount of this payment now, or null when they may. */
function refusal(actor: MerchantActor, payment: PaymentRow | null, amountFen: bigint, now: Date): PaymentError | null {
  if (!payment || !paymentVisibleTo(actor, payment.created_at, now)) return { code: 'PAYMENT_NOT_FOUND' };
  if (payment.status !== 'completed') return { code: 'PAYMENT_NOT_REFUNDABLE' };
  const refundable = payment.amount - payment.refunded_amount;
  if (amountFen > refundable) return { code: 'REFUND_EXCEEDS_PAYMENT', refundableFen: refundable };
  if (!may(actor.role, 'refund.large') && payment.refunded_amount + amountFen > CASHIER_REFUND_LIMIT_FEN) {
    return {
      code: 'REFUND_ABOVE_ROLE_LIMIT',
      limitFen: CASHIER_REFUND_LIMIT_FEN,
      alreadyRefundedFen: payment.refunded_amount,
    };
  }
  return null;
}

export function createRefunds(deps: PaymentsDeps) {
  const { db, clock, ledger } = deps;
  const reauth = createStaffReauth(deps);

  /**
   * Locks the payment row, checks what is still refundable (`check`, under the lock), and moves the
   * money back in the same transaction: concurrent refunds of one payment queue on the lock and can
   * never exceed it.
   */
  async function move(
    merchantId: string,
    paymentId: string,
    input: { amountFen: bigint; reason?: string },
    actorId: string,
    createdBy: string,
    auditDetails: Record<string, unknown>,
    check: (payment: PaymentRow | null, now: Date) => PaymentError | null,
  ): Promise<Result<RefundView & { refundedFen: bigint }, PaymentError>> {
    const done = await inTransaction(db, async (tx, rollback: RollbackWith<PaymentError>) => {
      const payment = await store.findPayment(tx, paymentId, { merchantId }, true);
      const refused = check(payment, clock.now());
      if (refused || !payment) return rollback(refused ?? { code: 'PAYMENT_NOT_FOUND' });
      const merchant = (await merchantStore.findMerchant(tx, payment.merchant_id)) as MerchantRow;
      const now = clock.now();
      const id = newId('rfd', now.getTime());
      await store.addRefunded(tx, payment.id, input.amountFen);
      const [outcome] = await ledger.execute(tx, [
        {
          type: 'transfer',
          reference: `refund:${id}`,
          currency: 'CNY',
          legs: [
            {
              debitAccountId: merchant.settlement_account_id as string,
              creditAccountId: payment.wallet_account_id,
              amountFen: input.amountFen,
            },
          ],
          metadata: {
            kind: 'refund',
            counterparty: merchant.name,
            ref: id,
            note: input.reason ?? null,
            merchantId: merchant.id,
            paymentId: payment.id,
            refundId: id,
          },
          // A refund returns the payer's own money: tier limits do not apply to it.
          limitExempt: true,
        },
      ]);
      if (!outcome.ok) return rollback(outcome.error);
      if (outcome.value.type !== 'transfer') throw new Error('assertion failed: a transfer answered with another kind');
      const row: store.RefundRow = {
        id,
        payment_id: payment.id,
        merchant_id: merchant.id,
        user_id: payment.user_id,
        amount: input.amountFen,
        reason: input.reason ?? null,
        entry_id: outcome.value.entry.id,
        created_by: createdBy,
        created_at: now,
      };
      await store.insertRefund(tx, row);
      return { row, merchant, refundedFen: payment.refunded_amount + input.amountFen, userId: payment.user_id };
    });
    if (!done.ok) return done;
    const { row, merchant, refundedFen, userId } = done.value;
    deps.live.wake(merchant.id);
    const amount = formatFen(row.amount);
    await deps.notifications.notify(userId, {
      kind: 'payment.refunded',
      titleZh: '退款到账',
      titleEn: 'Refund received',
      bodyZh: `${merchant.name}已退款${amount}至您的钱包。`,
      bodyEn: `${merchant.name} refunded ${amount} to your wallet.`,
      data: { paymentId: row.payment_id, refundId: row.id, amount: fenToJson(row.amount) },
    });
    await deps.audit.record(db, {
      actorKind: 'system',
      actorId,
      action: 'merchant.refund',
      subjectType: 'payment',
      subjectId: row.payment_id,
      details: { refundId: row.id, amountFen: fenToJson(row.amount), ...auditDetails },
    });
    return ok({ ...refundView(row), refundedFen });
  }

  return {
    /**
     * Locks the payment row, checks what is still refundable, and moves the money back in the same
     * transaction: concurrent refunds of one payment queue on the lock and can never exceed it.
     * A refund that would be refused anyway is refused before the password is checked, so it costs
     * no password attempt; the checks are repeated under the lock.
     */
    async refund(
      actor: MerchantActor,
      paymentId: string,
      input: { amountFen: bigint; reason?: string; password: string },
    ): Promise<Result<RefundView & { refundedFen: bigint }, PaymentError>> {
      const early = refusal(
        actor,
        await store.findPayment(db, paymentId, { merchantId: actor.merchantId }),
        input.amountFen,
        clock.now(),
      );
      if (early) return err(early);
      const confirmed = await reauth.verify(actor, input.password);
      if (!confirmed.ok) return confirmed;
      return move(
        actor.merchantId,
        paymentId,
        input,
        `merchant_staff:${actor.staffId}`,
        actor.staffId,
        { role: actor.role },
        (payment, now) => refusal(actor, payment, input.amountFen, now),
      );
    },

    /**
     * A refund asked for through the merchant API (server/merchant-api) with the merchant's key: no
     * staff member and no password, so no role limit; never more than what is left of the payment.
     */
    async refundForApi(
      merchantId: string,
      paymentId: string,
      input: { amountFen: bigint; reason?: string; keyId: string },
    ): Promise<Result<RefundView & { refundedFen: bigint }, PaymentError>> {
      return move(
        merchantId,
        paymentId,
        input,
        `merchant_api_key:${input.keyId}`,
        `api_key:${input.keyId}`,
        {},
        (payment) => {
          if (!payment) return { code: 'PAYMENT_NOT_FOUND' };
          if (payment.status !== 'completed') return { code: 'PAYMENT_NOT_REFUNDABLE' };
          const refundable = payment.amount - payment.refunded_amount;
          return input.amountFen > refundable ? { code: 'REFUND_EXCEEDS_PAYMENT', refundableFen: refundable } : null;
        },
      );
    },

    /**
     * A refund the bank decides on a dispute (docs/support.md): the same movement as a merchant's
     * refund, merchant settlement to the payer's wallet, inside the caller's transaction (which
     * also records the decision), referenced `dispute:<id>` so it can post only once. Call it last
     * in the transaction: the ledger keeps its chain lock until commit.
     */
    async refundForDispute(
      tx: Tx,
      input: { paymentId: string; amountFen: bigint; disputeId: string; decidedBy: string },
    ): Promise<Result<RefundView & { entryId: string }, PaymentError>> {
      const payment = await store.findPayment(tx, input.paymentId, {}, true);
      if (!payment) return err({ code: 'PAYMENT_NOT_FOUND' });
      if (payment.status !== 'completed') return err({ code: 'PAYMENT_NOT_REFUNDABLE' });
      const refundable = payment.amount - payment.refunded_amount;
      if (input.amountFen > refundable) return err({ code: 'REFUND_EXCEEDS_PAYMENT', refundableFen: refundable });
      const merchant = (await merchantStore.findMerchant(tx, payment.merchant_id)) as MerchantRow;
      const now = clock.now();
      const id = newId('rfd', now.getTime());
      await store.addRefunded(tx, payment.id, input.amountFen);
      const [outcome] = await ledger.execute(tx, [
        {
          type: 'transfer',
          reference: `dispute:${input.disputeId}`,
          currency: 'CNY',
          legs: [
            {
              debitAccountId: merchant.settlement_account_id as string,
              creditAccountId: payment.wallet_account_id,
              amountFen: input.amountFen,
            },
          ],
          metadata: {
            kind: 'refund',
            counterparty: merchant.name,
            ref: id,
            note: `dispute:${input.disputeId}`,
            merchantId: merchant.id,
            paymentId: payment.id,
            refundId: id,
            disputeId: input.disputeId,
          },
          limitExempt: true,
        },
      ]);
      if (!outcome.ok) return err(outcome.error);
      if (outcome.value.type !== 'transfer') throw new Error('assertion failed: a transfer answered with another kind');
      const row: store.RefundRow = {
        id,
        payment_id: payment.id,
        merchant_id: merchant.id,
        user_id: payment.user_id,
        amount: input.amountFen,
        reason: `dispute:${input.disputeId}`,
        entry_id: outcome.value.entry.id,
        created_by: input.decidedBy,
        created_at: now,
      };
      await store.insertRefund(tx, row);
      deps.live.wake(merchant.id);
      return ok({ ...refundView(row), entryId: outcome.value.entry.id });
    },

    async list(actor: MerchantActor, paymentId: string): Promise<RefundView[] | null> {
      const payment = await store.findPayment(db, paymentId, { merchantId: actor.merchantId });
      if (!payment || !paymentVisibleTo(actor, payment.created_at, clock.now())) return null;
      return (await store.refundsOf(db, paymentId)).map(refundView);
    },
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
