import type { Metadata } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import { randomDigits } from '../platform/crypto.js';
import type { Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen, fenToJson } from '../platform/money.js';
import { assert } from '../platform/result.js';
import type { Billers } from './billers.js';
import type { BillsDeps } from './deps.js';
import { type BillConfirmation, type BillNetwork, BillNetworkTimeout, type PayOutcome } from './network.js';
import * as store from './store.js';
import type { BillerRow } from './store.js';
import * as paymentStore from './store-payments.js';
import type { PaymentRow } from './store-payments.js';
import * as reconStore from './store-reconciliation.js';

/**
 * Settling a bill payment from the first final answer — the network's reply, the biller's
 * confirmation or the status query — once: post the hold to the biller's settlement account on
 * success, void it and release the bill's claim on failure; a later contradicting answer is a
 * mismatch for staff. The job that asks about payments left halfway is here too.
 */

/** How long after submitting the network may still say it never saw a payment. */
export const NOT_FOUND_GRACE_MS = 2 * 60_000;
/** When a submitted payment is first asked about; later asks back off up to an hour. */
export const FIRST_CHECK_MS = 30_000;
const MAX_CHECK_INTERVAL_MS = 3600_000;

export type SettleOutcome =
  { status: 'succeeded'; networkRef?: string } | { status: 'failed'; reason: string; networkRef?: string };

/** Told after a payment settles (autopay keeps its books from it). */
export type SettledListener = (payment: PaymentRow) => Promise<void>;

/** The ledger metadata of a bill payment (its hold and the posting of it). */
export function paymentMetadata(row: PaymentRow, biller: BillerRow): Metadata {
  return {
    kind: 'bill_payment',
    counterparty: biller.name,
    ref: row.id,
    note: row.period ? `${row.account_number} ${row.period}` : row.account_number,
    billerId: biller.id,
  };
}

export function createSettling(deps: BillsDeps, billers: Billers, network: BillNetwork) {
  const { db, clock, ledger } = deps;
  const listeners: SettledListener[] = [];

  async function recordMismatch(
    q: Tx | typeof db,
    input: {
      billerId: string;
      kind: string;
      paymentId: string | null;
      networkRef: string | null;
      fileFen: bigint | null;
      walletFen: bigint | null;
      day: string | null;
    },
  ) {
    await reconStore.insertMismatch(q, { id: newId('bmm', clock.now().getTime()), ...input, at: clock.now() });
  }

  async function notifySettled(row: PaymentRow): Promise<void> {
    const biller = await billers.find(row.biller_id);
    const name = biller?.name ?? row.biller_id;
    const nameEn = biller?.name_en ?? row.biller_id;
    const amount = formatFen(row.amount);
    const succeeded = row.status === 'succeeded';
    const elsewhere = row.failure_reason === 'PAID_ELSEWHERE';
    await deps.notifications.notify(row.user_id, {
      kind: succeeded ? 'bills.paid' : 'bills.payment_failed',
      titleZh: succeeded ? '缴费成功' : '缴费未成功',
      titleEn: succeeded ? 'Bill paid' : 'Bill payment failed',
      bodyZh: succeeded
        ? `您已向${name}（户号${row.account_number}）缴费${amount}，可在缴费记录中查看电子缴费凭证。`
        : elsewhere
          ? `${name}（户号${row.account_number}）的账单已在其他渠道缴清，本次未扣款。`
          : `向${name}（户号${row.account_number}）缴费${amount}未成功，资金已退回钱包。`,
      bodyEn: succeeded
        ? `You paid ${amount} to ${nameEn} (account ${row.account_number}). The receipt is in your bill payments.`
        : elsewhere
          ? `The bill of ${nameEn} (account ${row.account_number}) was already paid elsewhere; nothing was taken.`
          : `Your payment of ${amount} to ${nameEn} (account ${row.account_number}) failed; ` +
            `the money is back in your ` +
            `wallet.`,
      data: { billPaymentId: row.id, amount: fenToJson(row.amount), status: row.status },
    });
  }

  /** Applies the network's final answer once; a later contradicting answer is a mismatch for staff. */
  async function settle(paymentId: string, outcome: SettleOutcome): Promise<PaymentRow> {
    const now = clock.now();
    const settled = await db.transaction(async (tx) => {
      const row = await paymentStore.findPayment(tx, paymentId, true);
      assert(row, `bill payment ${paymentId} exists`);
      if (row.status !== 'processing') {
        if ((row.status === 'succeeded') !== (outcome.status === 'succeeded') && row.status !== 'awaiting_confirmation')
          await recordMismatch(tx, {
            billerId: row.biller_id,
            kind: 'late_result',
            paymentId: row.id,
            networkRef: outcome.networkRef ?? row.network_ref,
            fileFen: outcome.status === 'succeeded' ? row.amount : null,
            walletFen: row.status === 'succeeded' ? row.amount : null,
            day: null,
          });
        return { row, changed: false };
      }
      const biller = (await store.findBiller(tx, row.biller_id)) as BillerRow;
      assert(row.hold_id, `bill payment ${row.id} has a hold`);
      if (outcome.status === 'succeeded') {
        const [posted] = await ledger.execute(tx, [
          {
            type: 'post_hold',
            reference: `bill-post:${row.id}`,
            holdId: row.hold_id,
            metadata: paymentMetadata(row, biller),
          },
        ]);
        if (!posted.ok) throw new Error(`bill payment ${row.id} could not be posted: ${posted.error.code}`);
        assert(posted.value.type === 'post_hold', 'a post result');
        await paymentStore.updatePayment(tx, row.id, {
          status: 'succeeded',
          entry_id: posted.value.entry.id,
          network_ref: outcome.networkRef ?? row.network_ref,
          receipt_number: `TBJF${shanghaiDay(now).replace(/-/g, '')}${randomDigits(10)}`,
          completed_at: now,
          next_check_at: null,
        });
        if (row.bill_ref) await store.setStatementStatus(tx, row.biller_id, row.bill_ref, 'paid');
      } else {
        const [voided] = await ledger.execute(tx, [
          { type: 'void_hold', reference: `bill-void:${row.id}`, holdId: row.hold_id },
        ]);
        if (!voided.ok && voided.error.code !== 'HOLD_ALREADY_RESOLVED')
          throw new Error(`bill payment ${row.id} hold could not be voided: ${voided.error.code}`);
        await paymentStore.releaseClaim(tx, row.id);
        await paymentStore.updatePayment(tx, row.id, {
          status: 'failed',
          failure_reason: outcome.reason,
          network_ref: outcome.networkRef ?? row.network_ref,
          completed_at: now,
          next_check_at: null,
        });
        if (row.bill_ref && outcome.reason === 'PAID_ELSEWHERE')
          await store.setStatementStatus(tx, row.biller_id, row.bill_ref, 'paid_elsewhere');
      }
      return { row: (await paymentStore.findPayment(tx, row.id)) as PaymentRow, changed: true };
    });
    if (settled.changed) {
      await notifySettled(settled.row);
      for (const listener of listeners) await listener(settled.row);
    }
    return settled.row;
  }

  /** Sends a held payment to the biller and settles it if the answer is final. */
  async function callNetwork(row: PaymentRow): Promise<PaymentRow> {
    let outcome: PayOutcome;
    try {
      outcome = await network.pay({
        requestId: row.id,
        billerId: row.biller_id,
        accountNumber: row.account_number,
        billRef: row.bill_ref,
        amountFen: row.amount,
      });
    } catch (error) {
      // Unknown outcome: the payment stays processing; a confirmation or the status query settles it.
      if (!(error instanceof BillNetworkTimeout))
        deps.logger?.warn({ err: error, billPaymentId: row.id }, 'bill network call failed');
      return (await paymentStore.findPayment(db, row.id)) as PaymentRow;
    }
    if (outcome.status === 'processing') {
      if (outcome.networkRef) await paymentStore.updatePayment(db, row.id, { network_ref: outcome.networkRef });
      return (await paymentStore.findPayment(db, row.id)) as PaymentRow;
    }
    return settle(row.id, outcome);
  }

  return {
    settle,
    callNetwork,
    onSettled(listener: SettledListener) {
      listeners.push(listener);
    },

    /** The biller's own confirmation (sandbox receiver or a real network's push): the same settle. */
    async handleConfirmation(confirmation: BillConfirmation): Promise<void> {
      const row = await paymentStore.findPayment(db, confirmation.requestId);
      if (!row) return;
      if (confirmation.amountFen !== row.amount) {
        await recordMismatch(db, {
          billerId: row.biller_id,
          kind: 'amount_mismatch',
          paymentId: row.id,
          networkRef: confirmation.networkRef,
          fileFen: confirmation.amountFen,
          walletFen: row.amount,
          day: null,
        });
        return;
      }
      if (row.status === 'awaiting_confirmation') return;
      await settle(
        row.id,
        confirmation.status === 'succeeded'
          ? { status: 'succeeded', networkRef: confirmation.networkRef }
          : { status: 'failed', reason: confirmation.reason ?? 'BILLER_DECLINED', networkRef: confirmation.networkRef },
      );
    },

    /**
     * Finishes what was left halfway (run by a job): asks the network about processing payments whose
     * answer never came, and expires payments nobody confirmed. Returns how many it settled.
     */
    async checkPending(limit = 100): Promise<number> {
      const now = clock.now();
      const due = await paymentStore.claimPaymentsToCheck(db, now, new Date(now.getTime() + FIRST_CHECK_MS), limit);
      let count = 0;
      for (const row of due) {
        if (row.status === 'awaiting_confirmation') {
          count += await paymentStore.expireAwaiting(db, row.id, now);
          continue;
        }
        const answer = await network.query(row.id).catch(() => ({ status: 'processing' as const }));
        if (answer.status === 'succeeded' || answer.status === 'failed') {
          await settle(row.id, answer);
          count++;
        } else if (
          answer.status === 'not_found' &&
          (row.submitted_at?.getTime() ?? 0) + NOT_FOUND_GRACE_MS <= now.getTime()
        ) {
          await settle(row.id, { status: 'failed', reason: 'NOT_RECEIVED' });
          count++;
        } else {
          const backoffMs = Math.min(FIRST_CHECK_MS * 2 ** Math.min(row.checks, 10), MAX_CHECK_INTERVAL_MS);
          await paymentStore.updatePayment(db, row.id, { next_check_at: new Date(now.getTime() + backoffMs) });
        }
      }
      return count;
    },
  };
}
