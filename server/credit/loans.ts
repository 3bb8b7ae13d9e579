import type { Operation } from '../confirmations/service.js';
import type { LedgerCommand } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import {
  GRACE_DAYS,
  accruedTotal,
  applyPayment,
  dayPenalty,
  isPaid,
  penaltyRateBp,
  position,
  stateOf,
} from './book.js';
import { addDays } from './calendar.js';
import { INTEREST_INCOME, type CreditContext } from './context.js';
import { loanContract } from './contract.js';
import type { CreditError } from './deps.js';
import { buildSchedule, scheduleApr, totals } from './schedule.js';
import type { ApplicationRow } from './store.js';
import * as store from './store-loans.js';
import type { InstallmentRow, LoanRow, RepaymentMode, RepaymentRow } from './store-loans.js';

/**
 * Loans: opened when the holder signs (the receivable account is debited, the wallet credited),
 * interest accrued daily into the receivable, repaid from the wallet (manual with the PIN, or
 * automatic on the due date), early repayment recalculating the schedule. Every change to the
 * schedule and its money commit in one transaction, the ledger commands last.
 */

export const loanReference = {
  disburse: (loanId: string) => `credit:disburse:${loanId}`,
  accrue: (loanId: string, day: string) => `credit:accrue:${loanId}:${day}`,
  repay: (repaymentId: string) => `credit:repay:${repaymentId}`,
};

/** The operation a manual repayment's confirmation is bound to. */
export function repaymentOperation(
  row: Pick<RepaymentRow, 'id' | 'amount' | 'currency' | 'target' | 'target_id'>,
): Operation {
  return {
    reference: loanReference.repay(row.id),
    amountFen: row.amount,
    currency: row.currency,
    payee: `credit:${row.target}:${row.target_id}`,
  };
}

export interface Settled {
  repayment: RepaymentRow;
  loan: LoanRow;
}

export function createLoans(ctx: CreditContext) {
  const { db, clock, identity } = ctx;
  const today = () => shanghaiDay(clock.now());

  /** The schedule, loan and disbursement of a signed loan offer, in the signing transaction. */
  async function open(
    tx: Tx,
    application: ApplicationRow,
    walletAccountId: string,
  ): Promise<{ loanId: string; commands: LedgerCommand[] }> {
    const offer = application.offer;
    assert(offer && offer.termMonths && offer.method, 'a loan offer has a term and a method');
    const now = clock.now();
    const day = shanghaiDay(now);
    const principal = BigInt(offer.limitFen);
    const rows = buildSchedule({
      principalFen: principal,
      termMonths: offer.termMonths,
      method: offer.method,
      annualRateBp: offer.annualRateBp,
      startDay: day,
    });
    const apr = scheduleApr(principal, rows);
    const penalty = penaltyRateBp(offer.annualRateBp);
    const account = await ctx.ledger.createAccountInTx(tx, {
      kind: 'credit_receivable',
      currency: 'CNY',
      ownerRef: `credit:loan:${application.user_id}`,
    });
    const loanId = newId('crl', now.getTime());
    await store.insertLoan(tx, {
      id: loanId,
      user_id: application.user_id,
      application_id: application.id,
      account_id: account.id,
      wallet_account_id: walletAccountId,
      principal,
      currency: 'CNY',
      term_months: offer.termMonths,
      method: offer.method,
      purpose: application.purpose ?? 'other',
      annual_rate_bp: offer.annualRateBp,
      apr_bp: apr,
      penalty_rate_bp: penalty,
      status: 'active',
      disbursed_on: day,
      disbursed_at: now,
      contract: loanContract({
        amountFen: principal,
        termMonths: offer.termMonths,
        method: offer.method,
        annualRateBp: offer.annualRateBp,
        aprBp: apr,
        penaltyRateBp: penalty,
        totalInterestFen: totals(rows).interestFen,
        graceDays: GRACE_DAYS,
      }),
      created_at: now,
    });
    await store.insertInstallments(
      tx,
      rows.map((row) => ({
        loan_id: loanId,
        number: row.number,
        start_day: row.startDay,
        due_day: row.dueDay,
        original_due_day: row.dueDay,
        principal: row.principalFen,
        interest: row.interestFen,
        interest_base: 0n,
        penalty: 0n,
        paid_principal: 0n,
        paid_interest: 0n,
        paid_penalty: 0n,
        paid_on: null,
        autopay_tried_on: null,
        reported: false,
      })),
    );
    const commands: LedgerCommand[] = [
      {
        type: 'transfer',
        reference: loanReference.disburse(loanId),
        currency: 'CNY',
        legs: [{ debitAccountId: account.id, creditAccountId: walletAccountId, amountFen: principal }],
        metadata: { kind: 'credit_disbursement', ref: loanId, counterparty: '通宝借钱' },
        limitExempt: true,
      },
    ];
    return { loanId, commands };
  }

  /**
   * Brings interest and penalty up to `day` on locked rows: penalty for each day since the last
   * accrual, interest to its linear target. Returns the ledger command (null if nothing to post).
   */
  async function accrue(tx: Tx, loan: LoanRow, rows: InstallmentRow[], day: string): Promise<LedgerCommand | null> {
    if (loan.accrued_through !== null && loan.accrued_through >= day) return null;
    let penalty = 0n;
    let from = addDays(loan.accrued_through ?? loan.disbursed_on, 1);
    for (let steps = 0; from <= day && steps < 400; steps++, from = addDays(from, 1)) {
      for (const row of rows) {
        const part = dayPenalty(row, from, loan.penalty_rate_bp);
        row.penalty += part;
        penalty += part;
      }
    }
    const interest = accruedTotal(rows, day) - loan.interest_accrued;
    for (const row of rows) if (row.penalty > 0n) await store.upsertInstallment(tx, row);
    await store.updateLoan(tx, loan.id, {
      interest_accrued: loan.interest_accrued + (interest > 0n ? interest : 0n),
      penalty_accrued: loan.penalty_accrued + penalty,
      accrued_through: day,
    });
    loan.interest_accrued += interest > 0n ? interest : 0n;
    loan.penalty_accrued += penalty;
    loan.accrued_through = day;
    if (interest + penalty <= 0n) return null;
    const income = await ctx.systemAccount(INTEREST_INCOME);
    return {
      type: 'transfer',
      reference: loanReference.accrue(loan.id, day),
      currency: 'CNY',
      legs: [{ debitAccountId: loan.account_id, creditAccountId: income, amountFen: interest + penalty }],
      metadata: { kind: 'credit_accrual', ref: loan.id, interest: Number(interest), penalty: Number(penalty) },
    };
  }

  function statusAfter(rows: readonly InstallmentRow[], day: string): LoanRow['status'] {
    if (rows.every(isPaid)) return 'paid_off';
    return rows.some((row) => stateOf(row, day) === 'overdue') ? 'overdue' : 'active';
  }

  /** What a mode asks to pay now, before any money moves. */
  function amountFor(
    rows: readonly InstallmentRow[],
    day: string,
    mode: RepaymentMode,
    amountFen: bigint | null,
  ): Result<bigint, CreditError> {
    const now = position(rows, day);
    if (mode === 'due') return now.dueFen > 0n ? ok(now.dueFen) : err({ code: 'CREDIT_NOTHING_DUE' });
    if (mode === 'payoff') return ok(now.payoffFen);
    if (amountFen === null) return err({ code: 'CREDIT_AMOUNT_REQUIRED' });
    if (amountFen > now.payoffFen) return err({ code: 'CREDIT_REPAYMENT_ABOVE_OWED', owed: Number(now.payoffFen) });
    return ok(amountFen);
  }

  /**
   * Applies a repayment inside the caller's transaction (loan and rows locked there): accrual to
   * today, the allocation, the new schedule, and the two ledger commands, posted last.
   */
  async function settle(tx: Tx, loan: LoanRow, repayment: RepaymentRow): Promise<Result<Settled, CreditError>> {
    const day = today();
    const rows = await store.listInstallments(tx, loan.id, true);
    if (loan.status === 'paid_off' || loan.status === 'written_off') return err({ code: 'CREDIT_LOAN_CLOSED' });
    const accrual = await accrue(tx, loan, rows, day);
    const payoff = position(rows, day).payoffFen;
    if (repayment.amount > payoff) return err({ code: 'CREDIT_REPAYMENT_ABOVE_OWED', owed: Number(payoff) });
    const applied = applyPayment(
      { rows, method: loan.method, annualRateBp: loan.annual_rate_bp },
      day,
      repayment.amount,
    );
    assert(applied.leftFen === 0n, 'a repayment within the payoff is fully applied');
    for (const row of applied.rows) await store.upsertInstallment(tx, row);
    const status = statusAfter(applied.rows, day);
    await store.updateLoan(tx, loan.id, {
      status,
      closed_at: status === 'paid_off' ? clock.now() : null,
    });
    const commands: LedgerCommand[] = accrual ? [accrual] : [];
    commands.push({
      type: 'transfer',
      reference: loanReference.repay(repayment.id),
      currency: 'CNY',
      legs: [{ debitAccountId: loan.wallet_account_id, creditAccountId: loan.account_id, amountFen: repayment.amount }],
      metadata: { kind: 'credit_repayment', ref: loan.id, counterparty: '通宝借钱' },
      limitExempt: true,
    });
    const entries = await ctx.post(tx, commands);
    const done = await store.completeRepayment(tx, repayment.id, {
      alloc_penalty: applied.allocation.penalty,
      alloc_interest: applied.allocation.interest,
      alloc_principal: applied.allocation.principal,
      entry_id: entries.at(-1) ?? null,
      completed_at: clock.now(),
    });
    return ok({ repayment: done, loan: { ...loan, status } });
  }

  async function ownLoan(userId: string, loanId: string) {
    const loan = await store.findLoan(db, loanId);
    return loan && loan.user_id === userId ? loan : null;
  }

  /** A manual repayment waiting for the holder's confirmation. Bad input writes nothing. */
  async function prepareRepayment(
    userId: string,
    loanId: string,
    input: { mode: 'due' | 'payoff' | 'custom'; amountFen: bigint | null; clientKey: string | null },
  ): Promise<Result<{ repayment: RepaymentRow; confirmationId: string }, CreditError>> {
    if (input.clientKey) {
      const existing = await store.findRepaymentByKey(db, userId, input.clientKey);
      if (existing) return ok({ repayment: existing, confirmationId: existing.confirmation_id ?? '' });
    }
    const loan = await ownLoan(userId, loanId);
    if (!loan) return err({ code: 'CREDIT_LOAN_NOT_FOUND' });
    if (loan.status === 'paid_off' || loan.status === 'written_off') return err({ code: 'CREDIT_LOAN_CLOSED' });
    const rows = await store.listInstallments(db, loan.id);
    const amount = amountFor(rows, today(), input.mode, input.amountFen);
    if (!amount.ok) return amount;
    const now = clock.now();
    const id = newId('crp', now.getTime());
    const draft = { id, amount: amount.value, currency: 'CNY', target: 'loan' as const, target_id: loan.id };
    const confirmation = await identity.confirmations.create(userId, repaymentOperation(draft));
    const row = await store.insertRepayment(db, {
      ...draft,
      user_id: userId,
      mode: input.mode,
      source: 'manual',
      status: 'awaiting_confirmation',
      alloc_penalty: 0n,
      alloc_interest: 0n,
      alloc_principal: 0n,
      confirmation_id: confirmation.id,
      client_key: input.clientKey,
      entry_id: null,
      failure_code: null,
      created_at: now,
      completed_at: null,
    });
    const repayment = row ?? (await store.findRepaymentByKey(db, userId, input.clientKey as string));
    if (!repayment) return err({ code: 'CREDIT_REPAYMENT_NOT_FOUND' });
    return ok({ repayment, confirmationId: repayment.confirmation_id ?? confirmation.id });
  }

  /** Completes a confirmed manual repayment of a loan: the money moves. */
  async function completeRepayment(
    userId: string,
    repaymentId: string,
    confirmationId: string,
  ): Promise<Result<RepaymentRow, CreditError>> {
    const found = await store.findRepayment(db, repaymentId);
    if (!found || found.user_id !== userId || found.target !== 'loan')
      return err({ code: 'CREDIT_REPAYMENT_NOT_FOUND' });
    if (found.status === 'completed' && found.confirmation_id === confirmationId) return ok(found);
    if (found.status !== 'awaiting_confirmation')
      return err({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: found.status });
    await ctx.systemAccount(INTEREST_INCOME);
    return inTransaction<RepaymentRow, CreditError>(db, async (tx, rollback) => {
      const repayment = await store.findRepayment(tx, repaymentId, true);
      if (repayment?.status !== 'awaiting_confirmation')
        return rollback({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: repayment?.status ?? 'unknown' });
      if (repayment.confirmation_id !== confirmationId) return rollback({ code: 'CONFIRMATION_INVALID' });
      const consumed = await identity.confirmations.consume(tx, userId, confirmationId, repaymentOperation(repayment));
      if (!consumed.ok) return rollback(consumed.error as CreditError);
      const loan = await store.findLoan(tx, repayment.target_id, true);
      if (!loan) return rollback({ code: 'CREDIT_LOAN_NOT_FOUND' });
      const settled = await settle(tx, loan, repayment);
      if (!settled.ok) return rollback(settled.error);
      return settled.value.repayment;
    });
  }

  /** An automatic repayment (the contract's mandate, no PIN): what the wallet has, up to what is due. */
  async function autoRepay(
    loanId: string,
    amountFen: bigint,
    source: 'auto_wallet' | 'auto_card',
    day: string,
    number: number,
  ): Promise<Result<RepaymentRow, CreditError>> {
    await ctx.systemAccount(INTEREST_INCOME);
    const loan0 = await store.findLoan(db, loanId);
    if (!loan0) return err({ code: 'CREDIT_LOAN_NOT_FOUND' });
    const now = clock.now();
    return inTransaction<RepaymentRow, CreditError>(db, async (tx, rollback) => {
      const loan = await store.findLoan(tx, loanId, true);
      if (!loan) return rollback({ code: 'CREDIT_LOAN_NOT_FOUND' });
      const inserted = await store.insertRepayment(tx, {
        id: newId('crp', now.getTime()),
        user_id: loan.user_id,
        target: 'loan',
        target_id: loan.id,
        mode: 'due',
        source,
        status: 'awaiting_confirmation',
        amount: amountFen,
        currency: 'CNY',
        alloc_penalty: 0n,
        alloc_interest: 0n,
        alloc_principal: 0n,
        confirmation_id: null,
        // One automatic repayment per loan, installment, day and source: a rerun finds it.
        client_key: `auto:${loan.id}:${number}:${day}:${source}`,
        entry_id: null,
        failure_code: null,
        created_at: now,
        completed_at: null,
      });
      if (!inserted) return rollback({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: 'completed' });
      const settled = await settle(tx, loan, inserted);
      if (!settled.ok) return rollback(settled.error);
      return settled.value.repayment;
    });
  }

  /** The daily accrual of one loan, in its own transaction (reference unique per loan and day). */
  async function accrueLoan(loanId: string, day: string): Promise<boolean> {
    await ctx.systemAccount(INTEREST_INCOME);
    return db.transaction(async (tx) => {
      const loan = await store.findLoan(tx, loanId, true);
      if (!loan || (loan.status !== 'active' && loan.status !== 'overdue')) return false;
      const rows = await store.listInstallments(tx, loan.id, true);
      const command = await accrue(tx, loan, rows, day);
      const status = statusAfter(rows, day);
      if (status !== loan.status) await store.updateLoan(tx, loan.id, { status });
      if (command) await ctx.post(tx, [command]);
      return command !== null;
    });
  }

  return {
    listFor: (userId: string) => store.listUserLoans(db, userId, 50),
    open,
    accrue,
    accrueLoan,
    settle,
    amountFor,
    ownLoan,
    prepareRepayment,
    completeRepayment,
    autoRepay,
    statusAfter,
    today,
  };
}

export type Loans = ReturnType<typeof createLoans>;
