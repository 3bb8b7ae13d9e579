import { addDays, daysBetween } from './calendar.js';
import { type Method, buildSchedule } from './schedule.js';
import type { InstallmentRow } from './store-loans.js';

/**
 * A loan's book, as pure functions over its installments: interest accrued to a day, what is due,
 * how a payment is applied (penalty → interest → principal, oldest installment first) and how a
 * part prepayment recalculates the rest of the schedule. The daily job and every repayment use
 * these, so the receivable in the ledger and the schedule the holder sees always agree.
 */

/** Days after the due date before anything is reported or penalty interest runs (domain-rules-2 §9). */
export const GRACE_DAYS = 3;
/** Penalty interest is the contract rate plus 50 % (人民币利率管理规定: plus 30-50 %). */
export const PENALTY_MARKUP_PCT = 50;

export const penaltyRateBp = (annualRateBp: number) => Math.round((annualRateBp * (100 + PENALTY_MARKUP_PCT)) / 100);

/** Interest of one installment accrued by the end of `day`: linear from its start to its due day. */
export function accruedInterest(row: InstallmentRow, day: string): bigint {
  if (day >= row.due_day) return row.interest;
  if (day <= row.start_day) return row.interest_base;
  const total = BigInt(daysBetween(row.start_day, row.due_day));
  const elapsed = BigInt(daysBetween(row.start_day, day));
  return row.interest_base + ((row.interest - row.interest_base) * elapsed) / total;
}

export const accruedTotal = (rows: readonly InstallmentRow[], day: string) =>
  rows.reduce((sum, row) => sum + accruedInterest(row, day), 0n);

export const isPaid = (row: InstallmentRow) => row.paid_on !== null;

export function owedOn(row: InstallmentRow): { penalty: bigint; interest: bigint; principal: bigint; total: bigint } {
  const penalty = row.penalty - row.paid_penalty;
  const interest = row.interest - row.paid_interest;
  const principal = row.principal - row.paid_principal;
  return { penalty, interest, principal, total: penalty + interest + principal };
}

export type InstallmentState = 'upcoming' | 'due' | 'paid' | 'late_in_grace' | 'overdue';

export function stateOf(row: InstallmentRow, day: string): InstallmentState {
  if (isPaid(row)) return 'paid';
  if (day < row.due_day) return 'upcoming';
  if (day === row.due_day) return 'due';
  return daysBetween(row.due_day, day) <= GRACE_DAYS ? 'late_in_grace' : 'overdue';
}

export const graceEndsOn = (row: InstallmentRow) => addDays(row.due_day, GRACE_DAYS);
export const reportOn = (row: InstallmentRow) => addDays(row.due_day, GRACE_DAYS + 1);

/** What is due now (installments whose due day has come), and the whole payoff (interest only to today). */
export function position(rows: readonly InstallmentRow[], day: string) {
  let dueFen = 0n;
  let principal = 0n;
  let interest = 0n;
  let penalty = 0n;
  for (const row of rows) {
    if (isPaid(row)) continue;
    const owed = owedOn(row);
    if (row.due_day <= day) dueFen += owed.total;
    principal += owed.principal;
    penalty += owed.penalty;
    interest += accruedInterest(row, day) - row.paid_interest;
  }
  return { dueFen, principal, interest, penalty, payoffFen: principal + interest + penalty };
}

export interface Allocation {
  penalty: bigint;
  interest: bigint;
  principal: bigint;
}

/**
 * Applies `amountFen` on `day`: first every installment already due, oldest first, penalty →
 * interest → principal; then, with what is left, interest accrued in the current period and
 * principal ahead of time, after which the rest of the schedule is recalculated (same number of
 * installments left, same method, smaller installments). Returns the new rows and the allocation.
 */
export function applyPayment(
  input: { rows: readonly InstallmentRow[]; method: Method; annualRateBp: number },
  day: string,
  amountFen: bigint,
): { rows: InstallmentRow[]; allocation: Allocation; leftFen: bigint } {
  const rows = input.rows.map((row) => ({ ...row }));
  const allocation: Allocation = { penalty: 0n, interest: 0n, principal: 0n };
  let left = amountFen;
  const take = (wanted: bigint) => {
    const part = wanted < left ? wanted : left;
    left -= part;
    return part > 0n ? part : 0n;
  };
  for (const row of rows) {
    if (isPaid(row) || row.due_day > day || left === 0n) continue;
    const owed = owedOn(row);
    const penalty = take(owed.penalty);
    const interest = take(owed.interest);
    const principal = take(owed.principal);
    row.paid_penalty += penalty;
    row.paid_interest += interest;
    row.paid_principal += principal;
    allocation.penalty += penalty;
    allocation.interest += interest;
    allocation.principal += principal;
    if (owedOn(row).total === 0n) row.paid_on = day;
  }
  const ahead = rows.filter((row) => !isPaid(row) && row.due_day > day);
  if (left === 0n || ahead.length === 0) return { rows, allocation, leftFen: left };

  // Interest accrued so far in the current period, then principal ahead of time.
  const current = ahead[0];
  const accrued = accruedInterest(current, day) - current.paid_interest;
  const interest = take(accrued > 0n ? accrued : 0n);
  current.paid_interest += interest;
  allocation.interest += interest;
  const outstanding = ahead.reduce((sum, row) => sum + row.principal - row.paid_principal, 0n);
  const prepaid = take(outstanding);
  allocation.principal += prepaid;
  if (prepaid === 0n) return { rows, allocation, leftFen: left };

  const remaining = outstanding - prepaid;
  const base = accruedInterest(current, day);
  if (remaining === 0n) {
    // Paid off: interest stops today; nothing more falls due.
    for (const row of ahead) {
      row.principal = row.paid_principal;
      row.interest = row === current ? base : 0n;
      row.interest_base = row.interest;
      row.start_day = row === current ? day : row.start_day;
      row.paid_interest = row.interest;
      row.paid_on = day;
    }
    return { rows, allocation, leftFen: left };
  }
  const fresh = buildSchedule({
    principalFen: remaining,
    termMonths: ahead.length,
    method: input.method,
    annualRateBp: input.annualRateBp,
    startDay: current.start_day,
  });
  ahead.forEach((row, index) => {
    row.principal = fresh[index].principalFen + row.paid_principal;
    if (index > 0) {
      row.interest = fresh[index].interestFen;
      return;
    }
    // The current period: what accrued stays; the rest of the period on the smaller principal.
    const periodDays = BigInt(daysBetween(row.start_day, row.due_day));
    const restDays = BigInt(daysBetween(day, row.due_day));
    row.interest = base + (fresh[0].interestFen * restDays) / (periodDays > 0n ? periodDays : 1n);
    row.interest_base = base;
    row.start_day = day;
  });
  return { rows, allocation, leftFen: left };
}

/**
 * Penalty interest for one day on an installment's unpaid principal, once its grace has passed.
 * None while the automatic repayment has never been tried: the daily job did not run since the due
 * date (our fault), and its next run moves the due date first. Accrual catching up missed days
 * (or a repayment made before that run) would otherwise charge penalty against the old due date.
 */
export function dayPenalty(row: InstallmentRow, day: string, penaltyBp: number): bigint {
  if (isPaid(row) || row.autopay_tried_on === null || daysBetween(row.due_day, day) <= GRACE_DAYS) return 0n;
  const principal = row.principal - row.paid_principal;
  return (principal * BigInt(penaltyBp)) / 3_600_000n;
}
