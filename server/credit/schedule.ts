import { assert } from '../platform/result.js';
import { addMonths } from './calendar.js';

/**
 * Loan schedules (domain-rules-2 §9): equal installments (等额本息), equal principal (等额本金) and
 * interest first (先息后本), monthly, at the contract rate r = annual rate / 12. Each month's
 * interest is the remaining principal × r rounded to the fen (half up, in integers); each
 * installment is rounded to the fen and the last one absorbs the rounding, so the principal parts
 * sum exactly to the loan. The annualised rate shown to the holder is the IRR of the actual cash
 * flows (monthly IRR × 12), never the nominal rate.
 */

export const METHODS = ['equal_installment', 'equal_principal', 'interest_first'] as const;
export type Method = (typeof METHODS)[number];
export const TERMS = [3, 6, 12, 24] as const;

export interface ScheduleRow {
  number: number;
  startDay: string;
  dueDay: string;
  principalFen: bigint;
  interestFen: bigint;
}

export interface ScheduleInput {
  principalFen: bigint;
  termMonths: number;
  method: Method;
  /** The contract's annual rate in basis points (720 = 7.20 %). */
  annualRateBp: number;
  /** The disbursement day; installment k falls due k months later. */
  startDay: string;
}

/** Interest for one month on `balanceFen` at `annualRateBp`, rounded half up to the fen. */
export function monthlyInterest(balanceFen: bigint, annualRateBp: number): bigint {
  const denominator = 120_000n; // 10,000 bp × 12 months
  return (balanceFen * BigInt(annualRateBp) * 2n + denominator) / (2n * denominator);
}

/** The equal-installment payment M = P·r·(1+r)^n / ((1+r)^n − 1), rounded to the fen. */
export function equalInstallment(principalFen: bigint, termMonths: number, annualRateBp: number): bigint {
  if (annualRateBp === 0) return (principalFen + BigInt(termMonths) - 1n) / BigInt(termMonths);
  const r = annualRateBp / 120_000;
  const growth = (1 + r) ** termMonths;
  return BigInt(Math.round((Number(principalFen) * r * growth) / (growth - 1)));
}

/** The principal parts of each month, before interest: they sum exactly to the principal. */
function principalParts(input: Omit<ScheduleInput, 'startDay'>): bigint[] {
  const { principalFen, termMonths: n, method, annualRateBp } = input;
  const parts: bigint[] = [];
  let balance = principalFen;
  for (let k = 1; k <= n; k++) {
    const last = k === n;
    let part: bigint;
    if (last) part = balance;
    else if (method === 'interest_first') part = 0n;
    else if (method === 'equal_principal') part = principalFen / BigInt(n);
    else part = equalInstallment(principalFen, n, annualRateBp) - monthlyInterest(balance, annualRateBp);
    if (part < 0n) part = 0n;
    if (part > balance) part = balance;
    parts.push(part);
    balance -= part;
  }
  return parts;
}

export function buildSchedule(input: ScheduleInput): ScheduleRow[] {
  assert(input.principalFen > 0n, 'a loan has a positive principal');
  assert(Number.isInteger(input.termMonths) && input.termMonths > 0, 'a term is whole months');
  const parts = principalParts(input);
  const rows: ScheduleRow[] = [];
  let balance = input.principalFen;
  for (let k = 1; k <= input.termMonths; k++) {
    rows.push({
      number: k,
      startDay: addMonths(input.startDay, k - 1),
      dueDay: addMonths(input.startDay, k),
      principalFen: parts[k - 1],
      interestFen: monthlyInterest(balance, input.annualRateBp),
    });
    balance -= parts[k - 1];
  }
  assert(balance === 0n, 'principal parts sum to the loan');
  return rows;
}

/**
 * The monthly internal rate of return of cash flows at whole months (flows[0] at month 0), by
 * bisection: the rate at which their present value is zero. Flows must change sign once.
 */
export function monthlyIrr(flows: readonly number[]): number {
  const npv = (rate: number) => flows.reduce((sum, flow, month) => sum + flow / (1 + rate) ** month, 0);
  let low = -0.99;
  let high = 1;
  for (let step = 0; step < 200; step++) {
    const mid = (low + high) / 2;
    if (npv(mid) > 0) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The annualised rate (年化利率) of a loan: monthly IRR × 12, in basis points rounded to 0.01 %. */
export function aprBp(netDisbursedFen: bigint, paymentsFen: readonly bigint[]): number {
  const flows = [-Number(netDisbursedFen), ...paymentsFen.map(Number)];
  return Math.round(monthlyIrr(flows) * 12 * 10_000);
}

export function scheduleApr(principalFen: bigint, rows: readonly ScheduleRow[]): number {
  return aprBp(
    principalFen,
    rows.map((row) => row.principalFen + row.interestFen),
  );
}

/**
 * The same loan sold with a monthly fee on the original principal (the "flat rate" of the rule's
 * worked example): equal payments of (P / n + P × fee) each month.
 */
export function flatFeePayments(principalFen: bigint, termMonths: number, monthlyFeeBp: number): bigint[] {
  const fee = (principalFen * BigInt(monthlyFeeBp) + 5_000n) / 10_000n;
  const base = principalFen / BigInt(termMonths);
  return Array.from({ length: termMonths }, (_, index) =>
    index === termMonths - 1 ? principalFen - base * BigInt(termMonths - 1) + fee : base + fee,
  );
}

export const totals = (rows: readonly ScheduleRow[]) => ({
  principalFen: rows.reduce((sum, row) => sum + row.principalFen, 0n),
  interestFen: rows.reduce((sum, row) => sum + row.interestFen, 0n),
});
