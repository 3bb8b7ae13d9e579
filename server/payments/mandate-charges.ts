import type { Tx } from '../platform/db/types.js';
import { inTransaction, type RollbackWith } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { fenToJson, formatFen } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { paymentCommand } from './settle.js';
import * as merchantStore from './store-merchants.js';
import * as store from './store-payments.js';
import { type PaymentsDeps, assessPayment } from './deps.js';
import type { PaymentError, PaymentRow } from './types.js';

/**
 * Charges under an agreement-payment mandate (签约代扣, docs/merchant-api.md): the shop charges the
 * holder who signed the mandate, without the holder each time. The charge is a payment of its own
 * source (`mandate`): the risk engine assesses it (channel `mandate`), the ledger applies the
 * holder's tier limits and balance, and the caller's `within` step (the mandate's caps, kept by the
 * merchant API) runs in the same transaction before the money moves, so a refusal anywhere writes
 * nothing. The holder is told of every charge.
 *
 * Lock order: the caller's rows (the mandate's month), then the ledger's accounts and chain head;
 * the payment is written last.
 */

export interface MandateChargeInput {
  merchantId: string;
  userId: string;
  amountFen: bigint;
  /** What the shop charges for; the payment's note. */
  description: string;
  /** The merchant API's charge id: the payment's order reference. */
  chargeId: string;
  /** Who asked: `merchant_api_key:<key id>`. */
  createdBy: string;
}

export function createMandateCharges(deps: PaymentsDeps) {
  const { db, clock, identity, ledger } = deps;

  return {
    async charge<E>(
      input: MandateChargeInput,
      within: (tx: Tx, paymentId: string) => Promise<E | null>,
    ): Promise<Result<{ paymentId: string; completedAt: Date }, PaymentError | E>> {
      const merchant = await merchantStore.findMerchant(db, input.merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      const profile = await identity.profile(input.userId);
      if (!profile) return err({ code: 'PAYMENT_NOT_FOUND' });
      if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: profile.walletAccountId });
      const now = clock.now();
      const payment: PaymentRow = {
        id: newId('pay', now.getTime()),
        merchant_id: merchant.id,
        user_id: input.userId,
        wallet_account_id: profile.walletAccountId,
        amount: input.amountFen,
        currency: 'CNY',
        source: 'mandate',
        qr_code_id: null,
        dynamic_qr_id: null,
        order_reference: input.chargeId,
        note: input.description,
        status: 'completed',
        confirmation_id: null,
        password_free: false,
        failure_code: null,
        entry_id: null,
        refunded_amount: 0n,
        created_by: input.createdBy,
        expires_at: now,
        completed_at: now,
        created_at: now,
      };
      const refused = await assessPayment(deps, payment, merchant, 'mandate');
      if (refused) return err(refused);
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<PaymentError | E>) => {
        const outside = await within(tx, payment.id);
        if (outside) return rollback(outside);
        const [moved] = await ledger.execute(tx, [paymentCommand(payment, merchant)]);
        if (!moved.ok) return rollback(moved.error);
        assert(moved.value.type === 'transfer', 'a transfer command answers with a transfer');
        await store.insertPayment(tx, { ...payment, entry_id: moved.value.entry.id });
        return payment;
      });
      if (!done.ok) return done;
      deps.live.wake(merchant.id);
      const amount = formatFen(payment.amount);
      await deps.notifications.notify(payment.user_id, {
        kind: 'payment.mandate_charged',
        titleZh: '代扣扣款',
        titleEn: 'Agreement payment charged',
        bodyZh: `${merchant.name}按您签约的代扣协议扣款${amount}：${input.description}。`,
        bodyEn: `${merchant.name} charged you ${amount} under the agreement you signed: ${input.description}.`,
        data: { paymentId: payment.id, merchantId: merchant.id, amount: fenToJson(payment.amount) },
      });
      return ok({ paymentId: payment.id, completedAt: now });
    },
  };
}

export type MandateCharges = ReturnType<typeof createMandateCharges>;
