import { Type } from 'typebox';
import type { ConfirmationView } from '../confirmations/service.js';
import { fenToJson } from '../platform/money.js';
import { graceEndsOn, owedOn, position, reportOn, stateOf } from './book.js';
import type { BureauReport } from './bureau.js';
import { cardContract, loanContract } from './contract.js';
import { GRACE_DAYS, penaltyRateBp } from './book.js';
import { type Method, type ScheduleRow, buildSchedule, scheduleApr, totals } from './schedule.js';
import type { ApplicationRow } from './store.js';
import type { CardRow, CardTransactionRow, StatementRow } from './store-cards.js';
import type { DisputeRow, InstallmentRow, LoanRow, RepaymentRow } from './store-loans.js';
import { CARD_BRAND, MINIMUM_PCT, maskPan } from './cards.js';
import { assert } from '../platform/result.js';

/** The JSON shapes of credit answers (/tmp/tasks/credit-api.md, docs/credit.md) and their schemas. */

const Time = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const Int = Type.Integer();
export const TextSchema = Type.Object({ zh: Type.String(), en: Type.String() });
const ReasonSchema = Type.Object({ code: Type.String(), text: TextSchema });
const ContractSchema = Type.Object({ version: Type.String(), title: TextSchema, text: TextSchema });
const n = fenToJson;
const iso = (at: Date | null) => (at ? at.toISOString() : null);

export const InstallmentSchema = Type.Object({
  number: Int,
  dueDate: Day,
  movedFrom: Type.Union([Day, Type.Null()]),
  principal: Int,
  interest: Int,
  penalty: Int,
  total: Int,
  paid: Int,
  status: Type.String({ description: 'upcoming | due | paid | late_in_grace | overdue' }),
});

export const ScheduleSchema = Type.Object({
  amount: Int,
  currency: Type.String(),
  termMonths: Int,
  method: Type.String(),
  annualRateBp: Int,
  aprBp: Type.Integer({ description: 'IRR-based annualised rate in basis points: show it prominently' }),
  totalInterest: Int,
  totalRepayment: Int,
  installments: Type.Array(InstallmentSchema),
});

export function quoteDto(input: {
  amountFen: bigint;
  termMonths: number;
  method: Method;
  annualRateBp: number;
  rows: ScheduleRow[];
}) {
  const sums = totals(input.rows);
  return {
    amount: n(input.amountFen),
    currency: 'CNY',
    termMonths: input.termMonths,
    method: input.method,
    annualRateBp: input.annualRateBp,
    aprBp: scheduleApr(input.amountFen, input.rows),
    totalInterest: n(sums.interestFen),
    totalRepayment: n(sums.interestFen + sums.principalFen),
    installments: input.rows.map((row) => ({
      number: row.number,
      dueDate: row.dueDay,
      movedFrom: null,
      principal: n(row.principalFen),
      interest: n(row.interestFen),
      penalty: 0,
      total: n(row.principalFen + row.interestFen),
      paid: 0,
      status: 'upcoming',
    })),
  };
}

function loanScheduleDto(loan: LoanRow, rows: readonly InstallmentRow[], day: string) {
  const interest = rows.reduce((sum, row) => sum + row.interest, 0n);
  const principal = rows.reduce((sum, row) => sum + row.principal, 0n);
  const penalty = rows.reduce((sum, row) => sum + row.penalty, 0n);
  return {
    amount: n(loan.principal),
    currency: loan.currency,
    termMonths: loan.term_months,
    method: loan.method,
    annualRateBp: loan.annual_rate_bp,
    aprBp: loan.apr_bp,
    totalInterest: n(interest),
    totalRepayment: n(principal + interest + penalty),
    installments: rows.map((row) => ({
      number: row.number,
      dueDate: row.due_day,
      movedFrom: row.due_day !== row.original_due_day ? row.original_due_day : null,
      principal: n(row.principal),
      interest: n(row.interest),
      penalty: n(row.penalty),
      total: n(row.principal + row.interest + row.penalty),
      paid: n(row.paid_principal + row.paid_interest + row.paid_penalty),
      status: stateOf(row, day),
    })),
  };
}

export const ConfirmationSchema = Type.Object({
  id: Type.String(),
  challenge: Type.String(),
  payee: Type.String(),
  status: Type.String(),
  expiresAt: Time,
});
const confirmationDto = (confirmation: ConfirmationView | null) =>
  confirmation
    ? {
        id: confirmation.id,
        challenge: confirmation.challenge,
        payee: confirmation.payee,
        status: confirmation.status,
        expiresAt: confirmation.expiresAt.toISOString(),
      }
    : null;

const OfferSchema = Type.Object({
  expiresAt: Time,
  limit: Int,
  annualRateBp: Int,
  schedule: Type.Union([ScheduleSchema, Type.Null()]),
  card: Type.Union([Type.Object({ statementDay: Int, dueDay: Int, interestFreeDaysMax: Int }), Type.Null()]),
  contract: ContractSchema,
});

export const ApplicationSchema = Type.Object({
  id: Type.String(),
  product: Type.String({ description: 'loan | card' }),
  status: Type.String({ description: 'approved | declined | referred | awaiting_signature | signed | expired' }),
  requested: Type.Object({
    amount: NullableInt,
    termMonths: NullableInt,
    method: NullableString,
    purpose: NullableString,
    monthlyIncome: Int,
  }),
  decision: Type.Object({
    outcome: NullableString,
    by: Type.String({ description: 'scorecard | staff' }),
    reasons: Type.Array(ReasonSchema),
    decidedAt: Type.Union([Time, Type.Null()]),
  }),
  offer: Type.Union([OfferSchema, Type.Null()]),
  signing: Type.Union([ConfirmationSchema, Type.Null()]),
  loanId: NullableString,
  cardId: NullableString,
  createdAt: Time,
});

export function applicationDto(row: ApplicationRow, day: string, confirmation: ConfirmationView | null) {
  const offer = row.offer;
  let offerView = null;
  if (offer && row.offer_expires_at) {
    const limit = BigInt(offer.limitFen);
    let schedule = null;
    let contract;
    if (row.product === 'loan' && offer.termMonths && offer.method) {
      const rows = buildSchedule({
        principalFen: limit,
        termMonths: offer.termMonths,
        method: offer.method,
        annualRateBp: offer.annualRateBp,
        startDay: day,
      });
      schedule = quoteDto({
        amountFen: limit,
        termMonths: offer.termMonths,
        method: offer.method,
        annualRateBp: offer.annualRateBp,
        rows,
      });
      contract = loanContract({
        amountFen: limit,
        termMonths: offer.termMonths,
        method: offer.method,
        annualRateBp: offer.annualRateBp,
        aprBp: schedule.aprBp,
        penaltyRateBp: penaltyRateBp(offer.annualRateBp),
        totalInterestFen: totals(rows).interestFen,
        graceDays: GRACE_DAYS,
      });
    } else {
      assert(offer.card, 'a card offer has its days');
      contract = cardContract({
        limitFen: limit,
        annualRateBp: offer.annualRateBp,
        ...offer.card,
        minimumPct: Number(MINIMUM_PCT),
      });
    }
    offerView = {
      expiresAt: row.offer_expires_at.toISOString(),
      limit: n(limit),
      annualRateBp: offer.annualRateBp,
      schedule,
      card: offer.card,
      contract,
    };
  }
  return {
    id: row.id,
    product: row.product,
    status: row.status,
    requested: {
      amount: row.amount === null ? null : n(row.amount),
      termMonths: row.term_months,
      method: row.method,
      purpose: row.purpose,
      monthlyIncome: n(row.monthly_income),
    },
    decision: {
      outcome: row.outcome,
      by: row.decided_by?.startsWith('staff') ? 'staff' : 'scorecard',
      reasons: row.reasons,
      decidedAt: iso(row.decided_at),
    },
    offer: offerView,
    signing: row.status === 'awaiting_signature' ? confirmationDto(confirmation) : null,
    loanId: row.loan_id,
    cardId: row.card_id,
    createdAt: row.created_at.toISOString(),
  };
}

export const RepaymentSchema = Type.Object({
  id: Type.String(),
  target: Type.String(),
  targetId: Type.String(),
  status: Type.String({ description: 'awaiting_confirmation | completed | failed | expired' }),
  source: Type.String({ description: 'manual | auto_wallet | auto_card' }),
  mode: Type.String(),
  amount: Int,
  currency: Type.String(),
  allocation: Type.Object({ penalty: Int, interest: Int, principal: Int }),
  confirmation: Type.Union([ConfirmationSchema, Type.Null()]),
  createdAt: Time,
  completedAt: Type.Union([Time, Type.Null()]),
});

export function repaymentDto(row: RepaymentRow, confirmation: ConfirmationView | null = null) {
  return {
    id: row.id,
    target: row.target,
    targetId: row.target_id,
    status: row.status,
    source: row.source,
    mode: row.mode,
    amount: n(row.amount),
    currency: row.currency,
    allocation: { penalty: n(row.alloc_penalty), interest: n(row.alloc_interest), principal: n(row.alloc_principal) },
    confirmation: row.status === 'awaiting_confirmation' ? confirmationDto(confirmation) : null,
    createdAt: row.created_at.toISOString(),
    completedAt: iso(row.completed_at),
  };
}

export const LoanSchema = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  status: Type.String({ description: 'active | overdue | paid_off | written_off' }),
  amount: Int,
  currency: Type.String(),
  termMonths: Int,
  method: Type.String(),
  purpose: Type.String(),
  annualRateBp: Int,
  aprBp: Int,
  penaltyRateBp: Int,
  disbursedAt: Time,
  outstanding: Type.Object({ principal: Int, interest: Int, penalty: Int, total: Int }),
  payoffToday: Int,
  nextDue: Type.Union([Type.Object({ dueDate: Day, amount: Int, number: Int }), Type.Null()]),
  schedule: ScheduleSchema,
  repayments: Type.Array(RepaymentSchema),
  contract: Type.Object({ version: Type.String(), title: TextSchema, text: TextSchema, signedAt: Time }),
});

export function loanDto(
  loan: LoanRow,
  rows: readonly InstallmentRow[],
  repayments: readonly RepaymentRow[],
  day: string,
) {
  const now = position(rows, day);
  const next = rows.find((row) => row.paid_on === null);
  const closed = loan.status === 'paid_off' || loan.status === 'written_off';
  return {
    id: loan.id,
    applicationId: loan.application_id,
    status: loan.status,
    amount: n(loan.principal),
    currency: loan.currency,
    termMonths: loan.term_months,
    method: loan.method,
    purpose: loan.purpose,
    annualRateBp: loan.annual_rate_bp,
    aprBp: loan.apr_bp,
    penaltyRateBp: loan.penalty_rate_bp,
    disbursedAt: loan.disbursed_at.toISOString(),
    outstanding: closed
      ? { principal: 0, interest: 0, penalty: 0, total: 0 }
      : {
          principal: n(now.principal),
          interest: n(now.interest),
          penalty: n(now.penalty),
          total: n(now.payoffFen),
        },
    payoffToday: closed ? 0 : n(now.payoffFen),
    nextDue: next && !closed ? { dueDate: next.due_day, amount: n(owedOn(next).total), number: next.number } : null,
    schedule: loanScheduleDto(loan, rows, day),
    repayments: repayments.map((row) => repaymentDto(row)),
    contract: { ...loan.contract, signedAt: loan.disbursed_at.toISOString() },
  };
}

/** What is due on a loan, for the credit health page. */
export function loanDueItems(loan: LoanRow, rows: readonly InstallmentRow[], day: string) {
  if (loan.status === 'paid_off' || loan.status === 'written_off') return [];
  return rows
    .filter((row) => row.paid_on === null && row.due_day <= addDaysLite(day, 31))
    .slice(0, 3)
    .map((row) => {
      const state = stateOf(row, day);
      return {
        target: 'loan',
        id: loan.id,
        dueDate: row.due_day,
        amount: n(owedOn(row).total),
        state,
        graceEndsOn: state === 'upcoming' ? null : graceEndsOn(row),
        reportOn: state === 'upcoming' || row.reported ? null : reportOn(row),
      };
    });
}

function addDaysLite(day: string, days: number) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const DueSchema = Type.Object({
  target: Type.String(),
  id: Type.String(),
  dueDate: Day,
  amount: Int,
  state: Type.String({ description: 'upcoming | due | late_in_grace | overdue' }),
  graceEndsOn: Type.Union([Day, Type.Null()]),
  reportOn: Type.Union([Day, Type.Null()]),
});

export const CardTransactionSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'purchase | repayment | interest | penalty | refund | interest_reversal' }),
  amount: Int,
  merchantName: NullableString,
  postedAt: Time,
  statementId: NullableString,
});
export const cardTransactionDto = (row: CardTransactionRow) => ({
  id: row.id,
  kind: row.kind,
  amount: n(row.amount),
  merchantName: row.merchant_name,
  postedAt: row.posted_at.toISOString(),
  statementId: row.statement_id,
});

export const StatementSchema = Type.Object({
  id: Type.String(),
  cardId: Type.String(),
  periodFrom: Day,
  periodTo: Day,
  statementDate: Day,
  dueDate: Day,
  balance: Int,
  minimumPayment: Int,
  paid: Int,
  interest: Int,
  status: Type.String({ description: 'open | paid | minimum_paid | overdue' }),
  transactions: Type.Optional(Type.Array(CardTransactionSchema)),
});
export const statementDto = (row: StatementRow, transactions?: readonly CardTransactionRow[]) => ({
  id: row.id,
  cardId: row.card_id,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  statementDate: row.statement_day,
  dueDate: row.due_day,
  balance: n(row.balance),
  minimumPayment: n(row.minimum_payment),
  paid: n(row.paid),
  interest: n(row.interest),
  status: row.status,
  ...(transactions ? { transactions: transactions.map(cardTransactionDto) } : {}),
});

export const CardSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  brand: Type.String(),
  maskedNumber: Type.String(),
  last4: Type.String(),
  expiry: Type.String(),
  limit: Int,
  available: Int,
  balance: Int,
  currency: Type.String(),
  annualRateBp: Int,
  statementDay: Int,
  dueDay: Int,
  unbilled: Int,
  currentStatement: Type.Union([StatementSchema, Type.Null()]),
  contract: ContractSchema,
});
export function cardDto(
  card: CardRow,
  owedFen: bigint,
  unbilledFen: bigint,
  current: StatementRow | null,
  contract: { version: string; title: { zh: string; en: string }; text: { zh: string; en: string } },
) {
  const owed = owedFen > 0n ? owedFen : 0n;
  return {
    id: card.id,
    status: card.status,
    brand: CARD_BRAND,
    maskedNumber: maskPan(card.last4),
    last4: card.last4,
    expiry: card.expiry,
    limit: n(card.credit_limit),
    available: n(card.credit_limit - owed > 0n ? card.credit_limit - owed : 0n),
    balance: n(owed),
    currency: 'CNY',
    annualRateBp: card.annual_rate_bp,
    statementDay: card.statement_day,
    dueDay: card.due_day,
    unbilled: n(unbilledFen > 0n ? unbilledFen : 0n),
    currentStatement: current ? statementDto(current) : null,
    contract,
  };
}

export const ReportSchema = Type.Object({
  asOf: Time,
  score: NullableInt,
  accounts: Type.Array(
    Type.Object({
      id: Type.String(),
      lender: Type.String(),
      kind: Type.String(),
      openedOn: Day,
      balance: Int,
      status: Type.String(),
      months: Type.Array(Type.Object({ month: Type.String(), status: Type.String() })),
    }),
  ),
  records: Type.Array(
    Type.Object({
      id: Type.String(),
      accountId: Type.String(),
      month: Type.String(),
      kind: Type.String(),
      amount: Int,
      disputed: Type.Boolean(),
      removed: Type.Boolean(),
    }),
  ),
  inquiries: Type.Array(Type.Object({ on: Day, by: Type.String(), reason: Type.String() })),
});
export function reportDto(report: BureauReport, disputedRecordIds: ReadonlySet<string>) {
  return {
    asOf: report.asOf.toISOString(),
    score: report.score,
    accounts: [
      ...report.debts.map((debt, index) => ({
        id: `other-${index + 1}`,
        lender: debt.lender,
        kind: debt.kind,
        openedOn: debt.openedOn,
        balance: n(debt.balanceFen),
        status: debt.defaulted ? 'written_off' : 'current',
        months: [],
      })),
      ...report.accounts.map((account) => ({
        id: account.accountRef,
        lender: account.lender,
        kind: account.kind,
        openedOn: account.openedOn,
        balance: n(account.balanceFen),
        status: account.status,
        months: account.months,
      })),
    ],
    records: report.records.map((record) => ({
      id: record.id,
      accountId: record.accountRef,
      month: record.month,
      kind: record.kind,
      amount: n(record.amountFen),
      disputed: disputedRecordIds.has(record.id),
      removed: record.removed,
    })),
    inquiries: report.inquiries.map((inquiry) => ({ on: inquiry.day, by: inquiry.inquirer, reason: inquiry.reason })),
  };
}

export const DisputeSchema = Type.Object({
  id: Type.String(),
  recordId: Type.String(),
  status: Type.String({ description: 'open | upheld | rejected' }),
  reason: Type.String(),
  resolution: NullableString,
  createdAt: Time,
  resolvedAt: Type.Union([Time, Type.Null()]),
});
export const disputeDto = (row: DisputeRow) => ({
  id: row.id,
  recordId: row.record_id,
  status: row.status,
  reason: row.reason,
  resolution: row.resolution,
  createdAt: row.created_at.toISOString(),
  resolvedAt: iso(row.resolved_at),
});
