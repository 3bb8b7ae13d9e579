import { newId } from '../platform/ids.js';
import { formatFen, fenToJson } from '../platform/money.js';
import { type Result, ok } from '../platform/result.js';
import * as merchantStore from './store-merchants.js';
import * as store from './store-payments.js';
import { type MerchantActor, type MerchantRow, type PaymentError, type PaymentsDeps, Rollback, inTransaction } from './types.js';

/** Refunds by the merchant, in full or in part, back to the payer's wallet; never more in total than was paid. */

export interface RefundView {
  id: string;
  paymentId: string;
  amountFen: bigint;
  reason: string | null;
  createdAt: Date;
}

const refundView = (row: store.RefundRow): RefundView => ({ id: row.id, paymentId: row.payment_id, amountFen: row.amount, reason: row.reason, createdAt: row.created_at });

export function createRefunds(deps: PaymentsDeps) {
  const { db, clock, ledger } = deps;
  return {
    /**
     * Locks the payment row, checks what is still refundable, and moves the money back in the same
     * transaction: concurrent refunds of one payment queue on the lock and can never exceed it.
     */
    async refund(actor: MerchantActor, paymentId: string, input: { amountFen: bigint; reason?: string }): Promise<Result<RefundView & { refundedFen: bigint }, PaymentError>> {
      const done = await inTransaction(db, async (tx) => {
        const payment = await store.findPayment(tx, paymentId, { merchantId: actor.merchantId }, true);
        if (!payment) throw new Rollback({ code: 'PAYMENT_NOT_FOUND' });
        if (payment.status !== 'completed') throw new Rollback({ code: 'PAYMENT_NOT_REFUNDABLE' });
        const refundable = payment.amount - payment.refunded_amount;
        if (input.amountFen > refundable) throw new Rollback({ code: 'REFUND_EXCEEDS_PAYMENT', refundableFen: refundable });
        const merchant = (await merchantStore.findMerchant(tx, payment.merchant_id)) as MerchantRow;
        const now = clock.now();
        const id = newId('rfd', now.getTime());
        await store.addRefunded(tx, payment.id, input.amountFen);
        const [outcome] = await ledger.execute(tx, [
          {
            type: 'transfer',
            reference: `refund:${id}`,
            currency: 'CNY',
            legs: [{ debitAccountId: merchant.settlement_account_id as string, creditAccountId: payment.wallet_account_id, amountFen: input.amountFen }],
            metadata: { kind: 'refund', counterparty: merchant.name, ref: id, note: input.reason ?? null, merchantId: merchant.id, paymentId: payment.id, refundId: id },
            // A refund returns the payer's own money: tier limits do not apply to it.
            limitExempt: true,
          },
        ]);
        if (!outcome.ok) throw new Rollback(outcome.error);
        if (outcome.value.type !== 'transfer') throw new Error('assertion failed: a transfer answered with another kind');
        const row: store.RefundRow = { id, payment_id: payment.id, merchant_id: merchant.id, user_id: payment.user_id, amount: input.amountFen, reason: input.reason ?? null, entry_id: outcome.value.entry.id, created_by: actor.staffId, created_at: now };
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
      await deps.audit.record(db, { actorKind: 'system', actorId: `merchant_staff:${actor.staffId}`, action: 'merchant.refund', subjectType: 'payment', subjectId: row.payment_id, details: { refundId: row.id, amountFen: fenToJson(row.amount) } });
      return ok({ ...refundView(row), refundedFen });
    },

    async list(merchantId: string, paymentId: string): Promise<RefundView[] | null> {
      const payment = await store.findPayment(db, paymentId, { merchantId });
      if (!payment) return null;
      return (await store.refundsOf(db, paymentId)).map(refundView);
    },
  };
}

export type Refunds = ReturnType<typeof createRefunds>;

