import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { BureauUnavailable } from './bureau.js';
import { GRACE_DAYS, graceEndsOn, isPaid, owedOn, reportOn, stateOf } from './book.js';
import { addDays, inQuietHours, monthOf } from './calendar.js';
import type { CreditContext } from './context.js';
import type { Loans } from './loans.js';
import * as settingsStore from './store.js';
import * as store from './store-loans.js';
import type { InstallmentRow, LoanRow } from './store-loans.js';
import { createRestrictionFault } from './restriction-fault.js';
import type { BureauRetries } from './bureau-retries.js';

/**
 * The daily credit work for loans, safe to run any number of times a day: accrual, our-own-fault
 * due-date moves, automatic repayment (wallet, then the default card if allowed), reminders (never
 * 22:00-08:00), the notice before a negative report, the report itself and each month's status.
 */

const BATCH = 100;

export interface DayCounts {
  accrued: number;
  autoRepaid: number;
  moved: number;
  reminded: number;
  reported: number;
}

export function createDaily(ctx: CreditContext, loans: Loans, retries: BureauRetries) {
  const { db, clock, identity } = ctx;

  /** A notice once per subject and kind, in the app and by SMS; false when already given. */
  async function notice(
    userId: string,
    subject: string,
    kind: string,
    text: { titleZh: string; titleEn: string; zh: string; en: string },
    data: Record<string, unknown>,
  ): Promise<boolean> {
    const given = await settingsStore.insertNotice(db, {
      id: newId('crn', clock.now().getTime()),
      user_id: userId,
      subject,
      kind,
      text: { zh: text.zh, en: text.en },
      created_at: clock.now(),
    });
    if (given)
      await identity.notifyHolder(userId, {
        kind: `credit_${kind}`,
        titleZh: text.titleZh,
        titleEn: text.titleEn,
        bodyZh: text.zh,
        bodyEn: text.en,
        data,
      });
    return given;
  }

  const subjectOf = (loan: LoanRow, row: InstallmentRow) => `loan:${loan.id}:${row.number}:${row.original_due_day}`;

  /**
   * Our own fault never hurts the holder: a due date the automatic repayment could not be tried on
   * (a maintenance window now, or a day the job never ran) moves past the fault, and they are told.
   */
  async function moveForFault(loan: LoanRow, row: InstallmentRow, day: string): Promise<boolean> {
    if (row.autopay_tried_on !== null || isPaid(row) || row.due_day > day) return false;
    const window = await ctx.maintenance.activeFor('credit');
    let newDue: string | null = null;
    if (window) {
      const after = addDays(shanghaiDay(window.endsAt), 1);
      newDue = after > day ? after : addDays(day, 1);
    } else if (row.due_day < day) newDue = day;
    if (!newDue) return false;
    await store.markInstallment(db, loan.id, row.number, { due_day: newDue });
    row.due_day = newDue;
    await notice(
      loan.user_id,
      `${subjectOf(loan, row)}:${newDue}`,
      'fault_moved',
      {
        titleZh: '还款日已顺延',
        titleEn: 'Your due date has moved',
        zh: `因通宝系统原因未能自动还款，第 ${row.number} 期还款日顺延至 ${newDue}，不计罚息，不影响征信。`,
        en:
          `Tongbao could not collect installment ${row.number} because of our own systems; its due date moves to ` +
          `${newDue}, with no penalty and nothing reported.`,
      },
      { loanId: loan.id, number: row.number, dueDay: newDue },
    );
    return true;
  }

  async function autopay(loan: LoanRow, row: InstallmentRow, day: string): Promise<boolean> {
    if (isPaid(row) || row.due_day > day || row.autopay_tried_on === day) return false;
    await store.markInstallment(db, loan.id, row.number, { autopay_tried_on: day });
    row.autopay_tried_on = day;
    const due = await loans.amountFor(await store.listInstallments(db, loan.id), day, 'due', null);
    if (!due.ok) return false;
    const wallet = await ctx.ledger.getAccount(loan.wallet_account_id);
    const available = wallet && !wallet.frozen ? wallet.availableFen : 0n;
    let paid = false;
    if (available > 0n) {
      const amount = available < due.value ? available : due.value;
      paid = (await loans.autoRepay(loan.id, amount, 'auto_wallet', day, row.number)).ok;
    }
    const shortfall = due.value - (available < due.value ? available : due.value);
    if (shortfall > 0n && ctx.walletCards) {
      const allowed = (await settingsStore.findSettings(db, loan.user_id))?.card_fallback ?? false;
      const card = allowed ? await ctx.walletCards.defaultCard(loan.user_id) : null;
      if (card && (await ctx.walletCards.topUp(loan.user_id, card.id, shortfall, 'CNY')))
        paid = (await loans.autoRepay(loan.id, shortfall, 'auto_card', day, row.number)).ok || paid;
    }
    return paid;
  }

  async function remind(loan: LoanRow, row: InstallmentRow, day: string): Promise<boolean> {
    if (isPaid(row) || inQuietHours(clock.now())) return false;
    const owed = formatFen(owedOn(row).total);
    const subject = subjectOf(loan, row);
    const data = { loanId: loan.id, number: row.number, dueDay: row.due_day };
    if (day >= addDays(row.due_day, -3) && day < row.due_day)
      return notice(
        loan.user_id,
        subject,
        'reminder_before',
        {
          titleZh: '还款提醒',
          titleEn: 'Repayment reminder',
          zh: `您的借款第 ${row.number} 期 ${owed} 将于 ${row.due_day} 到期，请保持钱包余额充足。`,
          en: `Installment ${row.number} of your loan, ${owed}, is due on ${row.due_day}. Keep enough in your wallet.`,
        },
        data,
      );
    if (day === row.due_day)
      return notice(
        loan.user_id,
        subject,
        'reminder_due',
        {
          titleZh: '今日到期',
          titleEn: 'Due today',
          zh: `您的借款第 ${row.number} 期 ${owed} 今日到期，自动还款未能全额扣款，请尽快还款。`,
          en: `Installment ${row.number}, ${owed}, is due today and could not be collected in full. Please repay.`,
        },
        data,
      );
    if (day > row.due_day)
      return notice(
        loan.user_id,
        subject,
        'pre_report',
        {
          titleZh: '逾期提醒：报送征信前通知',
          titleEn: 'Overdue: notice before credit reporting',
          zh:
            `您的借款第 ${row.number} 期 ${owed} 已逾期。请在 ${graceEndsOn(row)} 前还款，不计罚息、不影响征信；` +
            `否则将于 ${reportOn(row)} 向征信机构报送逾期信息，并按合同计收罚息。`,
          en:
            `Installment ${row.number}, ${owed}, is overdue. Repay by ${graceEndsOn(row)} and nothing more happens; ` +
            `otherwise it will be reported to the credit bureau on ${reportOn(row)} and penalty interest applies.`,
        },
        data,
      );
    return false;
  }

  /** The account's status as the bureau is told it, for `month`, as things stand on `day`. */
  function statusReport(loan: LoanRow, rows: InstallmentRow[], day: string, month: string, idNumber: string) {
    const overdue = rows.filter((row) => stateOf(row, day) === 'overdue').length;
    const open = loan.status === 'active' || loan.status === 'overdue';
    return {
      accountRef: `tongbao:loan:${loan.id}`,
      idNumber,
      kind: 'loan' as const,
      openedOn: loan.disbursed_on,
      balanceFen: rows.reduce((sum, row) => sum + row.principal - row.paid_principal, 0n),
      status: (loan.status === 'written_off' ? 'written_off' : !open ? 'closed' : overdue ? 'overdue' : 'current') as
        'written_off' | 'closed' | 'overdue' | 'current',
      month,
      monthStatus: (loan.status === 'written_off' ? 'W' : !open ? 'C' : String(Math.min(3, overdue) || 'N')) as 'N',
    };
  }

  /** Reports to the bureau; one it could not take waits for the next run (each report is idempotent). */
  async function report(loan: LoanRow, rows: InstallmentRow[], day: string): Promise<number> {
    try {
      return await reportOnce(loan, rows, day);
    } catch (error) {
      if (!(error instanceof BureauUnavailable)) throw error;
      ctx.logger?.warn({ loanId: loan.id, err: error }, 'credit: the bureau did not take the report; next run');
      return 0;
    }
  }

  async function reportOnce(loan: LoanRow, rows: InstallmentRow[], day: string): Promise<number> {
    const accountRef = `tongbao:loan:${loan.id}`;
    const overdueRows = rows.filter((row) => stateOf(row, day) === 'overdue');
    // Each account's status goes to the bureau on the first of the month, when it is overdue, and when
    // it closes; a day with nothing to say costs nothing.
    const closing = loan.status === 'paid_off' || loan.status === 'written_off';
    if (overdueRows.length === 0 && !closing && !day.endsWith('-01') && day !== loan.disbursed_on) return 0;
    const person = await identity.verifiedIdentity(loan.user_id);
    if (!person) return 0;
    await ctx.bureau.reportStatus(statusReport(loan, rows, day, monthOf(day), person.idNumber));
    let reported = 0;
    const told = new Set(
      (
        await settingsStore.listNoticesFor(
          db,
          rows.map((row) => subjectOf(loan, row)),
        )
      )
        .filter((n) => n.kind === 'pre_report')
        .map((n) => n.subject),
    );
    for (const row of overdueRows) {
      // Never report before the holder was told, with the date and how to avoid it.
      if (row.reported || day < reportOn(row) || !told.has(subjectOf(loan, row))) continue;
      await ctx.bureau.reportNegative({
        idNumber: person.idNumber,
        accountRef,
        eventRef: `${accountRef}:${row.number}:${row.original_due_day}`,
        month: monthOf(row.due_day),
        kind: 'overdue',
        amountFen: owedOn(row).total,
      });
      await store.markInstallment(db, loan.id, row.number, { reported: true });
      row.reported = true;
      await notice(
        loan.user_id,
        subjectOf(loan, row),
        'reported',
        {
          titleZh: '逾期信息已报送征信',
          titleEn: 'Overdue payment reported',
          zh: `您的借款第 ${row.number} 期已逾期超过 ${GRACE_DAYS} 天，已报送征信机构。如有异议，可在“信用健康”中提出。`,
          en:
            `Installment ${row.number} is more than ${GRACE_DAYS} days overdue and was reported to the credit ` +
            `bureau. If you think it is wrong, dispute it on the Credit health page.`,
        },
        { loanId: loan.id, number: row.number },
      );
      reported++;
    }
    return reported;
  }

  async function runLoan(loan: LoanRow, day: string, counts: DayCounts) {
    if (await loans.accrueLoan(loan.id, day)) counts.accrued++;
    let rows = await store.listInstallments(db, loan.id);
    for (const row of rows) {
      if (await moveForFault(loan, row, day)) counts.moved++;
      if (await autopay(loan, row, day)) counts.autoRepaid++;
    }
    rows = await store.listInstallments(db, loan.id);
    const fresh = (await store.findLoan(db, loan.id)) ?? loan;
    for (const row of rows) if (await remind(fresh, row, day)) counts.reminded++;
    counts.reported += await report(fresh, rows, day);
  }

  /** Every open loan, in bounded batches. */
  async function run(): Promise<DayCounts> {
    const day = shanghaiDay(clock.now());
    const counts: DayCounts = { accrued: 0, autoRepaid: 0, moved: 0, reminded: 0, reported: 0 };
    let after = '';
    for (;;) {
      const batch = await store.openLoansAfter(db, after, BATCH);
      for (const loan of batch) await runLoan(loan, day, counts);
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].id;
    }
    return counts;
  }

  /** A loan that just closed reports its final status (C) once. */
  async function reportClosed(loan: LoanRow) {
    await report(loan, await store.listInstallments(db, loan.id), shanghaiDay(clock.now()));
  }

  const restrictionFault = createRestrictionFault(ctx, loans, { notice, subjectOf, statusReport }, retries);

  return { run, runLoan, reportClosed, restrictionFault };
}
