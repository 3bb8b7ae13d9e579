import { shanghaiDay } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { daysInMonth } from './budgets.js';
import * as store from './store.js';
import type { Movement } from './types.js';

/**
 * The month and year views, read from the rollups only. Spending is the net of categorised movements
 * (payments, bills, what the holder categorised, minus their refunds); income is transfers in and
 * other income. Every figure is a sum of the same rollup rows, so they agree with each other and
 * with the movements they were counted from.
 */

export const TOP_MERCHANTS = 10;

export interface CategoryTotal {
  category: string;
  amountFen: bigint;
  count: number;
  shareBp: number;
}

export interface Flows {
  incomeFen: bigint;
  spendingFen: bigint;
  transfersInFen: bigint;
  transfersOutFen: bigint;
  topupsFen: bigint;
  withdrawalsFen: bigint;
  savingsInFen: bigint;
  savingsOutFen: bigint;
  refundsFen: bigint;
}

export interface MonthView {
  month: string;
  complete: boolean;
  spentFen: bigint;
  spendingCount: number;
  incomeFen: bigint;
  byCategory: CategoryTotal[];
  byDay: { day: string; amountFen: bigint }[];
  topMerchants: store.MerchantTotal[];
  previousMonth: { month: string; spentFen: bigint };
  sixMonthAverage: { spentFen: bigint; months: number };
  flows: Flows;
}

export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const lastDay = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

function categories(rows: readonly store.DailyRow[]): { totals: CategoryTotal[]; spentFen: bigint; count: number } {
  const by = new Map<string, { amountFen: bigint; count: number }>();
  let spentFen = 0n;
  let count = 0;
  for (const row of rows) {
    if (row.category === '') continue;
    const total = by.get(row.category) ?? { amountFen: 0n, count: 0 };
    total.amountFen += row.outFen - row.inFen;
    total.count += row.outCount;
    by.set(row.category, total);
    spentFen += row.outFen - row.inFen;
    count += row.outCount;
  }
  const totals = [...by.entries()]
    .map(([category, t]) => ({
      category,
      amountFen: t.amountFen,
      count: t.count,
      shareBp: spentFen > 0n ? Number((t.amountFen * 10_000n) / spentFen) : 0,
    }))
    .sort((a, b) =>
      a.amountFen === b.amountFen ? a.category.localeCompare(b.category) : a.amountFen > b.amountFen ? -1 : 1,
    );
  return { totals, spentFen, count };
}

function flows(rows: readonly store.DailyRow[], spendingFen: bigint): Flows {
  const sum = (kind: string, side: 'outFen' | 'inFen') =>
    rows.filter((r) => r.kind === kind).reduce((total, r) => total + r[side], 0n);
  const transfersInFen = sum('transfer_in', 'inFen');
  return {
    incomeFen: transfersInFen + sum('income', 'inFen'),
    spendingFen,
    transfersInFen,
    transfersOutFen: rows
      .filter((r) => r.kind === 'transfer_out' && r.category === '')
      .reduce((t, r) => t + r.outFen, 0n),
    topupsFen: sum('topup', 'inFen'),
    withdrawalsFen: sum('withdraw', 'outFen'),
    savingsInFen: sum('savings_in', 'inFen'),
    savingsOutFen: sum('savings_out', 'outFen'),
    refundsFen: sum('refund', 'inFen'),
  };
}

export async function monthView(db: Queryable, userId: string, month: string, now: Date): Promise<MonthView> {
  const today = shanghaiDay(now);
  const rows = await store.dailyRows(db, userId, `${month}-01`, lastDay(month));
  const { totals, spentFen, count } = categories(rows);
  const perDay = new Map<string, bigint>();
  for (const row of rows)
    if (row.category !== '') perDay.set(row.day, (perDay.get(row.day) ?? 0n) + row.outFen - row.inFen);
  const byDay: { day: string; amountFen: bigint }[] = [];
  for (let d = 1; d <= daysInMonth(month); d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    if (day > today) break;
    byDay.push({ day, amountFen: perDay.get(day) ?? 0n });
  }
  const counted = await store.monthSpending(db, userId, addMonths(month, -6), addMonths(month, -1));
  const previous = counted.find((m) => m.month === addMonths(month, -1));
  const flowTotals = flows(rows, spentFen);
  return {
    month,
    complete: today > lastDay(month),
    spentFen,
    spendingCount: count,
    incomeFen: flowTotals.incomeFen,
    byCategory: totals,
    byDay,
    topMerchants: await store.topMerchants(db, userId, month, month, TOP_MERCHANTS),
    previousMonth: { month: addMonths(month, -1), spentFen: previous?.spentFen ?? 0n },
    sixMonthAverage: {
      spentFen: counted.length > 0 ? counted.reduce((t, m) => t + m.spentFen, 0n) / BigInt(counted.length) : 0n,
      months: counted.length,
    },
    flows: flowTotals,
  };
}

export interface YearView {
  year: number;
  complete: boolean;
  spentFen: bigint;
  incomeFen: bigint;
  spendingCount: number;
  byMonth: { month: string; spentFen: bigint; incomeFen: bigint }[];
  byCategory: CategoryTotal[];
  topMerchants: store.MerchantTotal[];
  busiestDay: { day: string; amountFen: bigint; count: number } | null;
  biggestPayment: Movement | null;
  facts: {
    activeDays: number;
    merchantCount: number;
    favouriteMerchant: { name: string; count: number } | null;
    topCategory: string | null;
    averagePerMonthFen: bigint;
    previousYearSpentFen: bigint;
  };
}

export async function yearView(db: Queryable, userId: string, year: number, now: Date): Promise<YearView> {
  const today = shanghaiDay(now);
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // Aggregated in the database: the merchant-month rollup for spending, the daily one for income and days.
  const months = await store.monthSpending(db, userId, `${year}-01`, `${year}-12`);
  const income = await store.monthIncome(db, userId, from, to);
  const perCategory = await store.categorySpending(db, userId, `${year}-01`, `${year}-12`);
  const perDay = await store.daySpending(db, userId, from, to);
  const spentFen = months.reduce((t, m) => t + m.spentFen, 0n);
  const byCategory = perCategory
    .map((c) => ({
      category: c.category,
      amountFen: c.amountFen,
      count: c.count,
      shareBp: spentFen > 0n ? Number((c.amountFen * 10_000n) / spentFen) : 0,
    }))
    .sort((a, b) =>
      a.amountFen === b.amountFen ? a.category.localeCompare(b.category) : a.amountFen > b.amountFen ? -1 : 1,
    );
  const byMonth = Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    return {
      month,
      spentFen: months.find((m) => m.month === month)?.spentFen ?? 0n,
      incomeFen: income.get(month) ?? 0n,
    };
  });
  let busiestDay: YearView['busiestDay'] = null;
  for (const d of perDay.sort((a, b) => a.day.localeCompare(b.day)))
    if (d.amountFen > 0n && (!busiestDay || d.amountFen > busiestDay.amountFen)) busiestDay = d;
  const [favourite] = await store.topMerchants(db, userId, `${year}-01`, `${year}-12`, 1, 'count');
  const elapsedMonths = today.slice(0, 4) > String(year) ? 12 : Math.max(1, Number(today.slice(5, 7)));
  const previous = await store.monthSpending(db, userId, `${year - 1}-01`, `${year - 1}-12`);
  return {
    year,
    complete: today > to,
    spentFen,
    incomeFen: byMonth.reduce((t, m) => t + m.incomeFen, 0n),
    spendingCount: perCategory.reduce((t, c) => t + c.count, 0),
    byMonth,
    byCategory,
    topMerchants: await store.topMerchants(db, userId, `${year}-01`, `${year}-12`, TOP_MERCHANTS),
    busiestDay,
    biggestPayment: await store.biggestPayment(db, userId, from, to),
    facts: {
      activeDays: perDay.filter((d) => d.count > 0).length,
      merchantCount: await store.countMerchants(db, userId, `${year}-01`, `${year}-12`),
      favouriteMerchant: favourite && favourite.count > 0 ? { name: favourite.name, count: favourite.count } : null,
      topCategory: byCategory[0]?.category ?? null,
      averagePerMonthFen: spentFen / BigInt(elapsedMonths),
      previousYearSpentFen: previous.reduce((t, m) => t + m.spentFen, 0n),
    },
  };
}
