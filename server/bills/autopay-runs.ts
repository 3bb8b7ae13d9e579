import { shanghaiDay } from '../platform/clock.js';
import { systemAccounts } from '../ledger/system-accounts.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import type { Billers } from './billers.js';
import { addDays, dayStart, monthStart } from './days.js';
import type { BillsDeps } from './deps.js';
import type { Inquiry } from './inquiry.js';
import type { Paying } from './paying.js';
import { isQuietHour } from './reminders.js';
import * as store from './store.js';
import type { StatementRow } from './store.js';
import * as autopayStore from './store-autopay.js';
import type { MandateRow, RunRow } from './store-autopay.js';
import * as paymentStore from './store-payments.js';
import type { PaymentRow } from './store-payments.js';

/**
 * Autopay runs (the mandates themselves: autopay.ts). A run never pays above a cap — the bill is
 * left for the holder, with a notice; without enough money it tells the holder and tries again
 * each day until the due date. A run that fails because of Tongbao itself (a `bills` maintenance
 * window, an outage) is tried again as soon as the fault ends; if the bill went overdue meanwhile,
 * Tongbao bears the late fee from its own expense account and says so. Every run is audited and
 * notified. Runs happen in the daytime (08:00–22:00 Asia/Shanghai).
 */

const FAULT_RETRY_MS = 5 * 60_000;
const BILLER_RETRY_MS = 3600_000;
const LATE_FEE_EXPENSE = 'late_fee_expense';

/** Tells the holder what autopay did, in-app (`bills.autopay_<kind>`), in Chinese and English. */
export function autopayNotifier(deps: BillsDeps) {
  const { identity } = deps;
  return async function notify(userId: string, kind: string, zh: [string, string], en: [string, string], data = {}) {
    await identity.notifyHolder(userId, {
      kind: `bills.autopay_${kind}`,
      titleZh: zh[0],
      titleEn: en[0],
      bodyZh: zh[1],
      bodyEn: en[1],
      data,
    });
  };
}

export function createAutopayRuns(deps: BillsDeps, billers: Billers, inquiry: Inquiry, paying: Paying) {
  const { db, clock, ledger, audit } = deps;
  const notify = autopayNotifier(deps);

  /** The late-fee expense account is created once per database; processes racing agree on one. */
  const systemAccount = systemAccounts<typeof LATE_FEE_EXPENSE>(
    db,
    ledger,
    { find: store.systemAccount, insert: store.insertSystemAccount },
    () => ({ kind: 'expense', ownerRef: 'system:bills-late-fees' }),
  );
  const expenseAccountId = () => systemAccount(LATE_FEE_EXPENSE);

  async function record(
    mandate: MandateRow,
    bill: StatementRow,
    amountFen: bigint,
    outcome: string,
    extra: { paymentId?: string | null; detail?: string | null; nextAttemptAt?: Date | null } = {},
  ): Promise<RunRow> {
    const now = clock.now();
    const row: RunRow = {
      id: newId('bar', now.getTime()),
      mandate_id: mandate.id,
      user_id: mandate.user_id,
      biller_id: bill.biller_id,
      account_number: bill.account_number,
      bill_ref: bill.bill_ref,
      period: bill.period,
      amount: amountFen,
      outcome,
      payment_id: extra.paymentId ?? null,
      detail: extra.detail ?? null,
      next_attempt_at: extra.nextAttemptAt ?? null,
      created_at: now,
    };
    await autopayStore.insertRun(db, row);
    await audit.record(db, {
      actorKind: 'system',
      actorId: 'bills-autopay',
      action: `bills.autopay_${outcome}`,
      subjectType: 'bill_autopay_mandate',
      subjectId: mandate.id,
      details: { billRef: bill.bill_ref, amountFen: amountFen.toString(), paymentId: row.payment_id },
    });
    return row;
  }

  async function setItem(
    mandate: MandateRow,
    billRef: string,
    state: autopayStore.ItemRow['state'],
    outcome: string,
    extra: { tongbaoFault?: boolean; nextAttemptAt?: Date | null; paymentId?: string | null } = {},
  ) {
    const current = await autopayStore.findItem(db, mandate.id, billRef);
    await autopayStore.saveItem(db, {
      mandate_id: mandate.id,
      bill_ref: billRef,
      state,
      last_outcome: outcome,
      tongbao_fault: extra.tongbaoFault ?? current?.tongbao_fault ?? false,
      next_attempt_at: extra.nextAttemptAt ?? null,
      payment_id: extra.paymentId ?? current?.payment_id ?? null,
      updated_at: clock.now(),
    });
  }

  /** After an autopay payment settles: the item's state, the run, the notice, and a late fee Tongbao owes. */
  paying.onSettled(async (payment: PaymentRow) => {
    if (payment.source !== 'autopay' || !payment.mandate_id || !payment.bill_ref) return;
    const mandate = await autopayStore.findMandateById(db, payment.mandate_id);
    const bill = await store.findStatement(db, payment.biller_id, payment.bill_ref);
    if (!mandate || !bill) return;
    const item = await autopayStore.findItem(db, mandate.id, payment.bill_ref);
    const biller = await billers.find(payment.biller_id);
    const name = biller?.name ?? payment.biller_id;
    const nameEn = biller?.name_en ?? payment.biller_id;
    if (payment.status !== 'succeeded') {
      await setItem(
        mandate,
        payment.bill_ref,
        payment.failure_reason === 'PAID_ELSEWHERE' ? 'left' : 'retrying',
        'failed',
        {
          nextAttemptAt: new Date(clock.now().getTime() + BILLER_RETRY_MS),
        },
      );
      await record(mandate, bill, payment.amount, 'failed', { paymentId: payment.id, detail: payment.failure_reason });
      return;
    }
    let borne = 0n;
    if (item?.tongbao_fault && payment.late_fee > 0n) {
      const moved = await ledger.transfer({
        reference: `bill-late-fee:${payment.id}`,
        currency: 'CNY',
        legs: [
          {
            debitAccountId: await expenseAccountId(),
            creditAccountId: payment.wallet_account_id,
            amountFen: payment.late_fee,
          },
        ],
        metadata: { kind: 'bill_late_fee_refund', counterparty: '通宝', ref: payment.id, note: payment.period },
        limitExempt: true,
      });
      if (moved.ok) {
        borne = payment.late_fee;
        await paymentStore.updatePayment(db, payment.id, {
          late_fee_borne: borne,
          late_fee_entry_id: moved.value.entry.id,
        });
      } else deps.logger?.error({ billPaymentId: payment.id }, 'late fee Tongbao bears could not be credited');
    }
    await setItem(mandate, payment.bill_ref, 'paid', 'paid', { paymentId: payment.id });
    await record(mandate, bill, payment.amount, 'paid', { paymentId: payment.id });
    const amount = formatFen(payment.amount);
    const bornZh =
      borne > 0n ? `因通宝系统原因延误缴费，产生的滞纳金${formatFen(borne)}由通宝承担，已退回您的钱包。` : '';
    const bornEn =
      borne > 0n
        ? ` The payment was late because of Tongbao, so Tongbao bears the late fee of ${formatFen(borne)}: ` +
          `it is back ` +
          `in your wallet.`
        : '';
    await notify(
      payment.user_id,
      'paid',
      ['自动缴费成功', `已为${name}（户号${payment.account_number}）${payment.period}账单自动缴费${amount}。${bornZh}`],
      [
        'Autopay paid a bill',
        `Autopay paid ${amount} for the ${payment.period} bill of ${nameEn} (account ` +
          `${payment.account_number}).${bornEn}`,
      ],
      { billPaymentId: payment.id, lateFeeBorne: Number(borne) },
    );
  });

  /** Whether Tongbao itself is in the way now: a maintenance window on bills. */
  async function tongbaoFault(): Promise<string | null> {
    if (await deps.maintenance.activeFor('bills')) return 'maintenance';
    return null;
  }

  async function attempt(mandate: MandateRow, bill: StatementRow): Promise<void> {
    const now = clock.now();
    const today = shanghaiDay(now);
    const item = await autopayStore.findItem(db, mandate.id, bill.bill_ref);
    if (item && (item.state === 'paid' || item.state === 'left')) return;
    if (item?.next_attempt_at && item.next_attempt_at > now) return;
    if (mandate.timing === 'before_due' && today < addDays(bill.due_date, -(mandate.days_before_due ?? 1))) return;
    if (await paymentStore.claimHolder(db, bill.biller_id, bill.bill_ref)) return;
    const account = await store.findSavedAccountById(db, mandate.saved_account_id);
    const biller = account ? await billers.find(account.biller_id) : null;
    if (!account || !biller) return;
    const fault = await tongbaoFault();
    if (fault) {
      const next = new Date(now.getTime() + FAULT_RETRY_MS);
      if (item?.last_outcome !== 'tongbao_fault') {
        await record(mandate, bill, bill.amount + bill.late_fee, 'tongbao_fault', {
          detail: fault,
          nextAttemptAt: next,
        });
        await notify(
          mandate.user_id,
          'delayed',
          [
            '自动缴费延后',
            `通宝系统维护中，${biller.name}（户号${bill.account_number}）账单将在维护结束后自动缴纳；如因此产生滞纳金，由通宝承担。`,
          ],
          [
            'Autopay delayed',
            `Tongbao is under maintenance; the bill of ${biller.name_en} (account ${bill.account_number}) will be ` +
              `paid as soon as it ends. Any late fee this causes is borne by Tongbao.`,
          ],
        );
      }
      await setItem(mandate, bill.bill_ref, 'retrying', 'tongbao_fault', { tongbaoFault: true, nextAttemptAt: next });
      return;
    }
    // The bill as the biller has it now (its late fee grows daily).
    const found = await inquiry.lookup(biller, bill.account_number);
    if (found.status === 'refused') {
      await setItem(mandate, bill.bill_ref, 'retrying', 'biller_unavailable', {
        nextAttemptAt: new Date(now.getTime() + BILLER_RETRY_MS),
      });
      await record(mandate, bill, bill.amount, 'biller_unavailable', { detail: found.error.code });
      return;
    }
    const current = found.bills.find((b) => b.billRef === bill.bill_ref);
    if (!current) {
      await setItem(mandate, bill.bill_ref, 'left', 'already_paid');
      return;
    }
    const total = current.amountFen + current.lateFeeFen;
    const holderCost = item?.tongbao_fault ? current.amountFen : total;
    const amountText = formatFen(total);
    if (holderCost > mandate.cap_per_bill) {
      await setItem(mandate, bill.bill_ref, 'left', 'over_cap');
      await record(mandate, bill, total, 'over_cap');
      await notify(
        mandate.user_id,
        'over_cap',
        [
          '自动缴费未执行',
          `${biller.name}（户号${bill.account_number}）${bill.period}账单${amountText}` +
            `超过自动缴费单笔上限${formatFen(mandate.cap_per_bill)}，请手动缴纳。`,
        ],
        [
          'Autopay did not pay',
          `The ${bill.period} bill of ${biller.name_en} (account ${bill.account_number}), ${amountText}, is above ` +
            `your autopay cap per bill of ${formatFen(mandate.cap_per_bill)}. Please pay it yourself.`,
        ],
        { billRef: bill.bill_ref },
      );
      return;
    }
    const used = await autopayStore.mandatePaidSince(db, mandate.id, monthStart(now));
    if (used + holderCost > mandate.cap_per_month) {
      await setItem(mandate, bill.bill_ref, 'left', 'over_month_cap');
      await record(mandate, bill, total, 'over_month_cap');
      await notify(
        mandate.user_id,
        'over_cap',
        [
          '自动缴费未执行',
          `${biller.name}（户号${bill.account_number}）${bill.period}账单${amountText}` +
            `将超过本月自动缴费上限${formatFen(mandate.cap_per_month)}，请手动缴纳。`,
        ],
        [
          'Autopay did not pay',
          `The ${bill.period} bill of ${biller.name_en} (account ${bill.account_number}), ${amountText}, would take ` +
            `autopay past its monthly cap of ${formatFen(mandate.cap_per_month)}. Please pay it yourself.`,
        ],
        { billRef: bill.bill_ref },
      );
      return;
    }
    const prepared = await paying.prepare(
      mandate.user_id,
      {
        billerId: biller.id,
        accountNumber: bill.account_number,
        billRef: bill.bill_ref,
        amountFen: total,
        savedAccountId: account.id,
      },
      { source: 'autopay', mandateId: mandate.id, allowPasswordFree: false },
    );
    const submitted = prepared.ok ? await paying.submit(mandate.user_id, prepared.value.row.id, {}) : prepared;
    if (submitted.ok) {
      if (submitted.value.status === 'processing') {
        await setItem(mandate, bill.bill_ref, 'retrying', 'processing', {
          paymentId: submitted.value.id,
          nextAttemptAt: new Date(now.getTime() + BILLER_RETRY_MS),
        });
      }
      return; // succeeded or failed: the settle listener above kept the books
    }
    const code = submitted.error.code;
    if (code === 'INSUFFICIENT_FUNDS') {
      const overdueNow = today > bill.due_date;
      const next = overdueNow ? null : new Date(dayStart(addDays(today, 1)).getTime() + 10 * 3600_000);
      await setItem(mandate, bill.bill_ref, overdueNow ? 'left' : 'retrying', 'insufficient_funds', {
        nextAttemptAt: next,
      });
      await record(mandate, bill, total, 'insufficient_funds', { nextAttemptAt: next });
      await notify(
        mandate.user_id,
        'insufficient_funds',
        [
          '自动缴费余额不足',
          `钱包余额不足，${biller.name}（户号${bill.account_number}）账单${amountText}未能自动缴纳。` +
            (overdueNow ? '账单已逾期，请尽快手动缴纳。' : `请充值，我们将在${bill.due_date}前每天重试。`),
        ],
        [
          'Autopay: not enough money',
          `Your wallet did not have enough for the bill of ${biller.name_en} (account ${bill.account_number}), ` +
            (`${amountText}. ` +
              (overdueNow
                ? 'The bill is overdue; please pay it now.'
                : `Top up; we will try again each day until ${bill.due_date}.`)),
        ],
        { billRef: bill.bill_ref },
      );
      return;
    }
    const settled = code === 'BILL_ALREADY_PAID' || code === 'BILL_PAYMENT_IN_PROGRESS';
    await setItem(mandate, bill.bill_ref, settled ? 'left' : 'retrying', 'failed', {
      nextAttemptAt: settled ? null : new Date(now.getTime() + BILLER_RETRY_MS),
    });
    await record(mandate, bill, total, 'failed', { detail: code });
  }

  return {
    expenseAccountId,

    /** One pass over every active mandate (run by a job, in the daytime only). Returns how many bills it looked at. */
    async run(limit = 200): Promise<number> {
      if (isQuietHour(clock.now())) return 0;
      let after = '';
      let looked = 0;
      for (;;) {
        const mandates = await autopayStore.activeMandates(db, after, limit);
        if (mandates.length === 0) break;
        for (const mandate of mandates) {
          after = mandate.id;
          const account = await store.findSavedAccountById(db, mandate.saved_account_id);
          if (!account) continue;
          const bills = await store.unpaidStatements(db, [
            { billerId: account.biller_id, accountNumber: account.account_number },
          ]);
          for (const bill of bills) {
            if (
              bill.first_seen_at < mandate.created_at &&
              shanghaiDay(bill.first_seen_at) < shanghaiDay(mandate.created_at)
            )
              continue; // bills from before the mandate stay with the holder
            looked++;
            try {
              await attempt(mandate, bill);
            } catch (error) {
              // An outage on our side: the run is retried soon, and a late fee it causes is ours.
              deps.logger?.warn({ err: error, mandateId: mandate.id }, 'autopay run failed');
              await setItem(mandate, bill.bill_ref, 'retrying', 'tongbao_fault', {
                tongbaoFault: true,
                nextAttemptAt: new Date(clock.now().getTime() + FAULT_RETRY_MS),
              }).catch(() => undefined);
            }
          }
        }
      }
      return looked;
    },
  };
}
