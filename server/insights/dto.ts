import { type TSchema, Type } from 'typebox';
import { fenToJson } from '../platform/money.js';
import type { AssetsView } from './assets.js';
import type { BudgetView } from './budgets.js';
import { CATEGORIES, type Category } from './categories.js';
import type { RuleView } from './categorise.js';
import type { MerchantTotal } from './store.js';
import { MOVEMENT_KINDS, type BudgetAlert, type Movement } from './types.js';
import type { CategoryTotal, Flows, MonthView, YearView } from './views.js';

/** The JSON shapes of insights answers (/tmp/tasks/insights-api.md, docs/insights.md) and their schemas. */

const Time = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$' });
const Fen = Type.Integer({ description: 'fen; may be negative where money came back' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const CategoryCode = Type.Union(CATEGORIES.map((c) => Type.Literal(c)));
export const KindCode = Type.Union(MOVEMENT_KINDS.map((k) => Type.Literal(k)));
const fen = (value: bigint) => fenToJson(value);

export const MovementSchema = Type.Object({
  id: Type.String(),
  time: Time,
  day: Day,
  kind: Type.String(),
  category: Nullable(Type.String()),
  categorySource: Type.String({ description: 'mcc | bill | rule | manual | refund | none' }),
  ruleId: Nullable(Type.String()),
  amount: Fen,
  currency: Type.String(),
  counterparty: Nullable(Type.String()),
  note: Nullable(Type.String()),
  mcc: Nullable(Type.String()),
  refundOf: Nullable(Type.String()),
  categorisable: Type.Boolean(),
});

export const movementDto = (m: Movement) => ({
  id: m.entryId,
  time: m.occurredAt.toISOString(),
  day: m.day,
  kind: m.kind,
  category: m.category,
  categorySource: m.categorySource,
  ruleId: m.ruleId,
  amount: fen(m.amountFen),
  currency: 'CNY',
  counterparty: m.counterparty,
  note: m.note,
  mcc: m.mcc,
  refundOf: m.refundOf,
  categorisable: m.categorisable,
});

const CategoryTotalSchema = Type.Object({
  category: Type.String(),
  amount: Fen,
  count: Type.Integer(),
  shareBp: Type.Integer(),
});
const categoryDto = (c: CategoryTotal) => ({
  category: c.category,
  amount: fen(c.amountFen),
  count: c.count,
  shareBp: c.shareBp,
});
const MerchantSchema = Type.Object({
  name: Type.String(),
  category: Type.String(),
  amount: Fen,
  count: Type.Integer(),
});
const merchantDto = (m: MerchantTotal) => ({
  name: m.name,
  category: m.category,
  amount: fen(m.amountFen),
  count: m.count,
});

const FlowsSchema = Type.Object({
  income: Fen,
  spending: Fen,
  transfersIn: Fen,
  transfersOut: Fen,
  topups: Fen,
  withdrawals: Fen,
  savingsIn: Fen,
  savingsOut: Fen,
  refunds: Fen,
});
const flowsDto = (f: Flows) => ({
  income: fen(f.incomeFen),
  spending: fen(f.spendingFen),
  transfersIn: fen(f.transfersInFen),
  transfersOut: fen(f.transfersOutFen),
  topups: fen(f.topupsFen),
  withdrawals: fen(f.withdrawalsFen),
  savingsIn: fen(f.savingsInFen),
  savingsOut: fen(f.savingsOutFen),
  refunds: fen(f.refundsFen),
});

export const MonthSchema = Type.Object({
  month: Month,
  currency: Type.String(),
  complete: Type.Boolean(),
  spent: Fen,
  spendingCount: Type.Integer(),
  income: Fen,
  byCategory: Type.Array(CategoryTotalSchema),
  byDay: Type.Array(Type.Object({ day: Day, amount: Fen })),
  topMerchants: Type.Array(MerchantSchema),
  previousMonth: Type.Object({ month: Month, spent: Fen }),
  sixMonthAverage: Type.Object({ spent: Fen, months: Type.Integer() }),
  flows: FlowsSchema,
});

export const monthDto = (v: MonthView) => ({
  month: v.month,
  currency: 'CNY',
  complete: v.complete,
  spent: fen(v.spentFen),
  spendingCount: v.spendingCount,
  income: fen(v.incomeFen),
  byCategory: v.byCategory.map(categoryDto),
  byDay: v.byDay.map((d) => ({ day: d.day, amount: fen(d.amountFen) })),
  topMerchants: v.topMerchants.map(merchantDto),
  previousMonth: { month: v.previousMonth.month, spent: fen(v.previousMonth.spentFen) },
  sixMonthAverage: { spent: fen(v.sixMonthAverage.spentFen), months: v.sixMonthAverage.months },
  flows: flowsDto(v.flows),
});

export const YearSchema = Type.Object({
  year: Type.Integer(),
  currency: Type.String(),
  complete: Type.Boolean(),
  spent: Fen,
  income: Fen,
  spendingCount: Type.Integer(),
  byMonth: Type.Array(Type.Object({ month: Month, spent: Fen, income: Fen })),
  byCategory: Type.Array(CategoryTotalSchema),
  topMerchants: Type.Array(MerchantSchema),
  busiestDay: Nullable(Type.Object({ day: Day, amount: Fen, count: Type.Integer() })),
  biggestPayment: Nullable(
    Type.Object({
      id: Type.String(),
      day: Day,
      amount: Fen,
      counterparty: Nullable(Type.String()),
      category: Nullable(Type.String()),
    }),
  ),
  facts: Type.Object({
    activeDays: Type.Integer(),
    merchantCount: Type.Integer(),
    favouriteMerchant: Nullable(Type.Object({ name: Type.String(), count: Type.Integer() })),
    topCategory: Nullable(Type.String()),
    averagePerMonth: Fen,
    previousYearSpent: Fen,
  }),
});

export const yearDto = (v: YearView) => ({
  year: v.year,
  currency: 'CNY',
  complete: v.complete,
  spent: fen(v.spentFen),
  income: fen(v.incomeFen),
  spendingCount: v.spendingCount,
  byMonth: v.byMonth.map((m) => ({ month: m.month, spent: fen(m.spentFen), income: fen(m.incomeFen) })),
  byCategory: v.byCategory.map(categoryDto),
  topMerchants: v.topMerchants.map(merchantDto),
  busiestDay: v.busiestDay
    ? { day: v.busiestDay.day, amount: fen(v.busiestDay.amountFen), count: v.busiestDay.count }
    : null,
  biggestPayment: v.biggestPayment
    ? {
        id: v.biggestPayment.entryId,
        day: v.biggestPayment.day,
        amount: fen(-v.biggestPayment.amountFen),
        counterparty: v.biggestPayment.counterparty,
        category: v.biggestPayment.category,
      }
    : null,
  facts: {
    activeDays: v.facts.activeDays,
    merchantCount: v.facts.merchantCount,
    favouriteMerchant: v.facts.favouriteMerchant,
    topCategory: v.facts.topCategory,
    averagePerMonth: fen(v.facts.averagePerMonthFen),
    previousYearSpent: fen(v.facts.previousYearSpentFen),
  },
});

export const RuleSchema = Type.Object({
  id: Type.String(),
  match: Type.String(),
  category: Type.String(),
  matched: Type.Integer(),
  createdAt: Time,
});
export const ruleDto = (r: RuleView) => ({
  id: r.id,
  match: r.pattern,
  category: r.category,
  matched: r.matched,
  createdAt: r.createdAt.toISOString(),
});

export const BudgetSchema = Type.Object({
  id: Type.String(),
  category: Nullable(Type.String()),
  amount: Fen,
  spent: Fen,
  remaining: Fen,
  percent: Type.Integer(),
  status: Type.String({ description: 'ok | warning | exceeded' }),
  forecast: Fen,
  changedThisMonth: Type.Boolean(),
  previousAmount: Nullable(Fen),
  alerted: Type.Object({ at80: Nullable(Time), at100: Nullable(Time) }),
});
export const budgetDto = (b: BudgetView) => ({
  id: b.budget.id,
  category: b.budget.category,
  amount: fen(b.amountFen),
  spent: fen(b.spentFen),
  remaining: fen(b.remainingFen),
  percent: b.percent,
  status: b.status,
  forecast: fen(b.forecastFen),
  changedThisMonth: b.changedThisMonth,
  previousAmount: b.previousAmountFen === null ? null : fen(b.previousAmountFen),
  alerted: { at80: b.alerted.at80?.toISOString() ?? null, at100: b.alerted.at100?.toISOString() ?? null },
});

export const AlertSchema = Type.Object({
  budgetId: Type.String(),
  category: Nullable(Type.String()),
  level: Type.Integer(),
  at: Time,
  spent: Fen,
  amount: Fen,
});
export const alertDto = (a: BudgetAlert) => ({
  budgetId: a.budgetId,
  category: a.category,
  level: a.level,
  at: a.at.toISOString(),
  spent: fen(a.spentFen),
  amount: fen(a.amountFen),
});

export const AssetsSchema = Type.Object({
  currency: Type.String(),
  asOf: Time,
  total: Fen,
  owed: Fen,
  netWorth: Fen,
  lines: Type.Array(
    Type.Object({
      key: Type.String({ description: 'wallet, savings, loans (what is owed on loans) or credit (on credit cards)' }),
      amount: Fen,
      path: Nullable(Type.String({ description: 'The wallet page the line opens' })),
    }),
  ),
  cards: Type.Array(
    Type.Object({
      id: Type.String(),
      bankName: Type.String(),
      bankNameEn: Type.String(),
      last4: Type.String(),
      path: Type.String(),
    }),
  ),
  history: Type.Array(Type.Object({ month: Month, wallet: Fen, savings: Fen, owed: Fen, netWorth: Fen })),
});
export const assetsDto = (v: AssetsView) => {
  const loansFen = v.loans.reduce((t, l) => t + l.owedFen, 0n);
  const cardsFen = v.cards.reduce((t, l) => t + l.owedFen, 0n);
  // One loan opens its own page; several, or none, the credit home that lists them.
  const loanPath = v.loans.length === 1 ? `/credit/loans/${v.loans[0].id}` : '/credit';
  return {
    currency: 'CNY',
    asOf: v.asOf.toISOString(),
    total: fen(v.walletFen + v.savingsFen),
    owed: fen(v.owedFen),
    netWorth: fen(v.walletFen + v.savingsFen - v.owedFen),
    lines: [
      { key: 'wallet', amount: fen(v.walletFen), path: '/' },
      { key: 'savings', amount: fen(v.savingsFen), path: '/savings' },
      { key: 'loans', amount: fen(loansFen), path: loanPath },
      { key: 'credit', amount: fen(cardsFen), path: '/credit/card' },
    ],
    cards: v.linkedCards.map((c) => ({ ...c, path: '/cards' })),
    history: v.history.map((h) => ({
      month: h.month,
      wallet: fen(h.walletFen),
      savings: fen(h.savingsFen),
      owed: fen(h.debtFen),
      netWorth: fen(h.walletFen + h.savingsFen - h.debtFen),
    })),
  };
};
export type { Category };
