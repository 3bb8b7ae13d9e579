import { shanghaiDay } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantRow } from './types.js';
import * as merchantStore from './store-merchants.js';
import * as payoutStore from './store-payouts.js';
import type { PayoutRow } from './store-payouts.js';

/**
 * The daily payout of each merchant's settlement balance to its bank account. Intent first: one
 * transaction records the payout and moves the money settlement → payout clearing under the
 * reference `payout:<merchant>:<day>` (one per merchant per Asia/Shanghai day). Then, outside
 * any transaction, the rail is called; a decline reverses the entry. A payout left `pending` by a
 * crash is sent again by the next run (the rail is idempotent by payout id).
 */

export const PAYOUT_CLEARING_ACCOUNT_ID = 'acc_payments_payout_clearing';

export interface PayoutView {
  id: string;
  day: string;
  amountFen: bigint;
  status: PayoutRow['status'];
  railReference: string | null;
  failureReason: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

const payoutView = (row: PayoutRow): PayoutView => ({
  id: row.id,
  day: row.day,
  amountFen: row.amount,
  status: row.status,
  railReference: row.rail_reference,
  failureReason: row.failure_reason,
  createdAt: row.created_at,
  resolvedAt: row.resolved_at,
});

export function createPayouts(deps: PaymentsDeps) {
  const { db, clock, ledger, cipher, rail } = deps;

  async function clearingAccount(): Promise<string> {
    if (await ledger.getAccount(PAYOUT_CLEARING_ACCOUNT_ID)) return PAYOUT_CLEARING_ACCOUNT_ID;
    try {
      await ledger.createAccount({
        id: PAYOUT_CLEARING_ACCOUNT_ID,
        kind: 'bank_clearing',
        currency: 'CNY',
        ownerRef: 'payments:payouts',
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    return PAYOUT_CLEARING_ACCOUNT_ID;
  }

  /** Records today's payout of the merchant's whole available balance; null when there is nothing to pay or it was
   * done. */
  async function start(merchant: MerchantRow, clearingId: string): Promise<PayoutRow | null> {
    const account = await ledger.getAccount(merchant.settlement_account_id as string);
    if (!account || account.availableFen <= 0n) return null;
    const now = clock.now();
    const day = shanghaiDay(now);
    const id = newId('pyo', now.getTime());
    const started = await inTransaction(db, async (tx, rollback) => {
      const inserted = await payoutStore.insertPayout(tx, {
        id,
        merchantId: merchant.id,
        day,
        amountFen: account.availableFen,
        at: now,
      });
      if (!inserted) return null;
      const [outcome] = await ledger.execute(tx, [
        {
          type: 'transfer',
          reference: `payout:${merchant.id}:${day}`,
          currency: 'CNY',
          legs: [
            {
              debitAccountId: merchant.settlement_account_id as string,
              creditAccountId: clearingId,
              amountFen: account.availableFen,
            },
          ],
          metadata: { kind: 'merchant_payout', merchantId: merchant.id, payoutId: id },
        },
      ]);
      // Money that arrived or left since the balance was read: skip today, try tomorrow.
      if (!outcome.ok) return rollback(outcome.error);
      if (outcome.value.type !== 'transfer') throw new Error('assertion failed: a transfer answered with another kind');
      await payoutStore.setPayoutEntry(tx, id, outcome.value.entry.id);
      return {
        id,
        merchant_id: merchant.id,
        day,
        amount: account.availableFen,
        status: 'pending' as const,
        entry_id: outcome.value.entry.id,
        rail_reference: null,
        failure_reason: null,
        created_at: now,
        resolved_at: null,
      };
    });
    return started.ok ? started.value : null;
  }

  async function send(payout: PayoutRow, merchant: MerchantRow): Promise<'sent' | 'failed' | 'pending'> {
    const answer = await rail.send({
      payoutId: payout.id,
      merchantId: merchant.id,
      amountFen: payout.amount,
      bankName: merchant.payout_bank_name,
      accountNumber: cipher.decrypt(merchant.payout_account_enc),
    });
    const now = clock.now();
    if (answer.ok) {
      const { railReference } = answer.value;
      // The payout and what other domains record of it (online checkout's payout.paid webhook) commit together.
      const sent = await db.transaction(async (tx) => {
        if (!(await payoutStore.markPayoutSent(tx, payout.id, railReference, now))) return false;
        await deps.events?.payoutPaid(
          tx,
          { id: payout.id, merchantId: merchant.id, day: payout.day, amountFen: payout.amount, railReference },
          now,
        );
        return true;
      });
      if (sent) deps.events?.committed();
      return 'sent';
    }
    if (answer.error.code === 'UNAVAILABLE') return 'pending';
    // Declined: the money goes back to the merchant's settlement account, with the payout marked failed.
    await db.transaction(async (tx) => {
      const failed = await payoutStore.markPayoutFailed(tx, payout.id, answer.error.message, now);
      if (!failed) return;
      const [outcome] = await ledger.execute(tx, [
        {
          type: 'reverse',
          reference: `payout-declined:${payout.id}`,
          entryId: payout.entry_id,
          metadata: { kind: 'merchant_payout_returned', merchantId: merchant.id, payoutId: payout.id },
        },
      ]);
      if (!outcome.ok) throw new Error(`could not return declined payout ${payout.id}: ${outcome.error.code}`);
    });
    return 'failed';
  }

  return {
    /** Pays out every merchant with money; then re-sends payouts left pending. Returns counts. */
    async run(batchSize = 200): Promise<{ sent: number; failed: number; pending: number }> {
      const counts = { sent: 0, failed: 0, pending: 0 };
      const clearingId = await clearingAccount();
      let after: string | null = null;
      for (let round = 0; round < 10_000; round++) {
        const merchants = await merchantStore.activeMerchantsWithSettlement(db, after, batchSize);
        for (const merchant of merchants) {
          const payout = await start(merchant, clearingId);
          if (payout) counts[await send(payout, merchant)]++;
        }
        if (merchants.length < batchSize) break;
        after = merchants[merchants.length - 1].id;
      }
      const rows = await payoutStore.stalePendingPayouts(db, new Date(clock.now().getTime() - 60_000), 500);
      for (const payout of rows) {
        const merchant = await merchantStore.findMerchant(db, payout.merchant_id);
        if (merchant) counts[await send(payout, merchant)]++;
      }
      return counts;
    },

    async list(merchantId: string, limit = 30): Promise<PayoutView[]> {
      const rows = await payoutStore.listPayouts(db, merchantId, Math.min(Math.max(limit, 1), 100));
      return rows.map(payoutView);
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;
