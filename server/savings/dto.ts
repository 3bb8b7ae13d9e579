import { Type } from 'typebox';
import type { ConfirmationView } from '../confirmations/service.js';
import { fenToJson } from '../platform/money.js';
import { expectedInterest } from './deposits.js';
import type { FundHolding, HoldingsView } from './holdings.js';
import { LEVEL_NAMES, type InvestorLevel } from './questionnaire.js';
import { formatE4 } from './rules.js';
import type { DepositRow } from './store-deposits.js';
import type { OrderRow } from './store-orders.js';
import type { ShareMoveRow } from './store-shares.js';
import type { AssessmentRow, FundDayRow, ProductRow } from './store.js';

/** The JSON shapes of savings answers (/tmp/tasks/savings-api.md, docs/savings.md) and their schemas. */

const Time = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
export const TextSchema = Type.Object({ zh: Type.String(), en: Type.String() });

export const YieldPointSchema = Type.Object({ day: Day, yield7dPct: Type.String(), per10k: Type.String() });
export const ProductSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'fund | term_deposit' }),
  code: Type.String(),
  name: TextSchema,
  riskLevel: Type.String(),
  status: Type.String({ description: 'on_sale | closed' }),
  minimumAmount: Type.Integer(),
  currency: Type.String(),
  fastRedeem: Type.Boolean(),
  termMonths: NullableInt,
  annualRatePct: Nullable(Type.String()),
  demandRatePct: Nullable(Type.String()),
  latestYield: Type.Union([YieldPointSchema, Type.Null()]),
  fees: TextSchema,
  riskWarning: TextSchema,
  manual: TextSchema,
  reviewThreshold: Type.Integer(),
  minTier: Type.String(),
  version: Type.Integer(),
  effectiveAt: Time,
});

export const yieldDto = (row: FundDayRow) => ({
  day: row.day,
  yield7dPct: formatE4(row.yield7d_e4),
  per10k: formatE4(row.per10k_e4),
});

export function productDto(row: ProductRow, latest: FundDayRow | null) {
  const t = row.terms;
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    name: t.name,
    riskLevel: t.riskLevel,
    status: t.status,
    minimumAmount: Number(t.minimumFen),
    currency: 'CNY',
    fastRedeem: t.fastRedeem,
    termMonths: t.termMonths,
    annualRatePct: t.rateE4 === null ? null : formatE4(BigInt(t.rateE4)),
    demandRatePct: t.demandRateE4 === null ? null : formatE4(BigInt(t.demandRateE4)),
    latestYield: latest ? yieldDto(latest) : null,
    fees: t.fees,
    riskWarning: t.riskWarning,
    manual: t.manual,
    reviewThreshold: Number(t.reviewThresholdFen),
    minTier: t.minTier,
    version: row.version,
    effectiveAt: row.effective_at.toISOString(),
  };
}

export const AssessmentSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  score: Type.Integer(),
  level: Type.String(),
  levelName: TextSchema,
  takenAt: Time,
  expiresAt: Time,
  expired: Type.Boolean(),
});

export const assessmentDto = (row: AssessmentRow, now: Date) => ({
  id: row.id,
  version: row.version,
  score: row.score,
  level: row.level,
  levelName: LEVEL_NAMES[row.level as InvestorLevel],
  takenAt: row.taken_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  expired: row.expires_at <= now,
});

export const ConfirmationSchema = Type.Object({
  id: Type.String(),
  challenge: Type.String(),
  payee: Type.String(),
  status: Type.String(),
  expiresAt: Time,
});

export const OrderSchema = Type.Object({
  id: Type.String(),
  type: Type.String({
    description: 'subscribe | redeem_fast | redeem_ordinary | deposit_open | deposit_early_withdrawal',
  }),
  status: Type.String({
    description: 'awaiting_confirmation | pending_review | processing | completed | rejected | failed | expired',
  }),
  productId: Type.String(),
  productName: TextSchema,
  amount: Type.Integer(),
  currency: Type.String(),
  interest: NullableInt,
  depositId: Nullable(Type.String()),
  maturityChoice: Nullable(Type.String()),
  earnsFrom: Nullable(Day),
  arrivesOn: Nullable(Day),
  riskAcknowledged: Type.Boolean(),
  failureCode: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
  confirmation: Type.Union([ConfirmationSchema, Type.Null()]),
  createdAt: Time,
  completedAt: Nullable(Time),
});

export function orderDto(
  row: OrderRow,
  productName: { zh: string; en: string },
  confirmation: ConfirmationView | null,
) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    productId: row.product_id,
    productName,
    amount: fenToJson(row.amount),
    currency: row.currency,
    interest: row.interest === null ? null : fenToJson(row.interest),
    depositId: row.deposit_id,
    maturityChoice: row.maturity_choice,
    earnsFrom: row.earns_from,
    arrivesOn: row.arrives_on,
    riskAcknowledged: row.risk_ack_id !== null,
    failureCode: row.failure_code,
    reviewNote: row.review_note,
    confirmation:
      confirmation && row.status === 'awaiting_confirmation'
        ? {
            id: confirmation.id,
            challenge: confirmation.challenge,
            payee: confirmation.payee,
            status: confirmation.status,
            expiresAt: confirmation.expiresAt.toISOString(),
          }
        : null,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export const DepositSchema = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  productName: TextSchema,
  termMonths: Type.Integer(),
  principal: Type.Integer(),
  currency: Type.String(),
  annualRatePct: Type.String(),
  demandRatePct: Type.String(),
  openedOn: Day,
  maturesOn: Day,
  days: Type.Integer(),
  expectedInterest: Type.Integer(),
  maturityChoice: Type.String(),
  status: Type.String({ description: 'open | matured | withdrawn_early | rolled_over' }),
  interestPaid: NullableInt,
  closedOn: Nullable(Day),
  rolledInto: Nullable(Type.String()),
  rolledFrom: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
});

export function depositDto(row: DepositRow, productName: { zh: string; en: string }) {
  const days = Math.round((Date.parse(row.matures_on) - Date.parse(row.opened_on)) / 86_400_000);
  return {
    id: row.id,
    productId: row.product_id,
    productName,
    termMonths: row.term_months,
    principal: fenToJson(row.principal),
    currency: row.currency,
    annualRatePct: formatE4(row.rate_e4),
    demandRatePct: formatE4(row.demand_rate_e4),
    openedOn: row.opened_on,
    maturesOn: row.matures_on,
    days,
    expectedInterest: fenToJson(expectedInterest(row)),
    maturityChoice: row.maturity_choice,
    status: row.status,
    interestPaid: row.interest_paid === null ? null : fenToJson(row.interest_paid),
    closedOn: row.closed_on,
    rolledInto: row.rolled_into,
    rolledFrom: row.rolled_from,
    orderId: row.order_id,
  };
}

const LastIncome = Type.Union([Type.Object({ day: Day, amount: Type.Integer() }), Type.Null()]);
export const HoldingsSchema = Type.Object({
  today: Day,
  totalAssets: Type.Integer(),
  funds: Type.Array(
    Type.Object({
      productId: Type.String(),
      code: Type.String(),
      name: TextSchema,
      shares: Type.Integer(),
      earningShares: Type.Integer(),
      pendingShares: Type.Integer(),
      yesterdayIncome: Type.Integer(),
      lastIncome: LastIncome,
      totalIncome: Type.Integer(),
      fastRedeemRemainingToday: Type.Integer(),
      latestYield: Type.Union([YieldPointSchema, Type.Null()]),
    }),
  ),
  deposits: Type.Array(DepositSchema),
});

function fundDto(fund: FundHolding) {
  return {
    productId: fund.product.id,
    code: fund.product.code,
    name: fund.product.terms.name,
    shares: fenToJson(fund.shares),
    earningShares: fenToJson(fund.earningShares),
    pendingShares: fenToJson(fund.pendingShares),
    yesterdayIncome: fenToJson(fund.yesterdayIncome),
    lastIncome: fund.lastIncome
      ? { day: fund.lastIncome.income_day as string, amount: fenToJson(fund.lastIncome.amount) }
      : null,
    totalIncome: fenToJson(fund.totalIncome),
    fastRedeemRemainingToday: fenToJson(fund.fastRedeemRemainingToday),
    latestYield: fund.latestYield ? yieldDto(fund.latestYield) : null,
  };
}

export function holdingsDto(view: HoldingsView, nameOf: (productId: string) => { zh: string; en: string }) {
  return {
    today: view.today,
    totalAssets: fenToJson(view.totalAssets),
    funds: view.funds.map(fundDto),
    deposits: view.deposits.map((deposit) => depositDto(deposit, nameOf(deposit.product_id))),
  };
}

export const IncomeSchema = Type.Object({
  day: Day,
  productId: Type.String(),
  amount: Type.Integer(),
  eligibleShares: Type.Integer(),
  per10k: Type.String(),
  creditedAt: Time,
  entryId: Type.String(),
});

export const incomeDto = (row: ShareMoveRow) => ({
  day: row.income_day as string,
  productId: row.product_id,
  amount: fenToJson(row.amount),
  eligibleShares: fenToJson(row.eligible ?? 0n),
  per10k: formatE4(row.per10k_e4 ?? 0n),
  creditedAt: row.created_at.toISOString(),
  entryId: row.entry_id,
});
