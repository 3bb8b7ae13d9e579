import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { CATEGORY_NAMES, type Category } from './categories.js';
import type { InsightsDeps, Locked } from './deps.js';
import * as budgetStore from './store-budgets.js';
import type { Budget, BudgetAlert } from './types.js';

/**
 * Monthly budgets, overall and per category. Spent is the month's net spending from the rollups (the
 * same figure as the month view). An alert goes out once per budget and month at 80 % and once at
 * 100 %: the alert's key is (budget, month, level), inserted in the transaction that counted the
 * movement that crossed the line. A change mid-month keeps counting what was already spent; if the new
 * limit is already crossed, the alert goes out at once (unless it went out this month already).
 */

export type BudgetStatus = 'ok' | 'warning' | 'exceeded';

export interface BudgetView {
  budget: Budget;
  month: string;
  amountFen: bigint;
  spentFen: bigint;
  remainingFen: bigint;
  percent: number;
  status: BudgetStatus;
  forecastFen: bigint;
  changedThisMonth: boolean;
  previousAmountFen: bigint | null;
  alerted: { at80: Date | null; at100: Date | null };
}

const monthOf = (at: Date) => shanghaiDay(at).slice(0, 7);

/** The limit in force in a month: the previous amount before the month of the last change. */
export function amountIn(budget: Budget, month: string): bigint {
  return month < budget.changedMonth && budget.previousAmountFen !== null ? budget.previousAmountFen : budget.amountFen;
}

/** In force in a month: created in it or before. */
export const inForce = (budget: Budget, month: string) => monthOf(budget.createdAt) <= month;

export function levelsReached(spentFen: bigint, amountFen: bigint): (80 | 100)[] {
  const levels: (80 | 100)[] = [];
  if (spentFen * 100n >= amountFen * 80n) levels.push(80);
  if (spentFen >= amountFen) levels.push(100);
  return levels;
}

export function daysInMonth(month: string): number {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

/**
 * The month-end figure at the pace so far (whole days elapsed, today included); the figure itself once
 * the month is over.
 */
export function forecast(spentFen: bigint, month: string, today: string): bigint {
  if (today.slice(0, 7) > month) return spentFen;
  const elapsed = Number(today.slice(8, 10));
  return (spentFen * BigInt(daysInMonth(month))) / BigInt(Math.max(1, elapsed));
}

/** Alerts the month's spending now calls for and that were not sent yet (inserted, so sent once). */
export async function evaluateAlerts(
  tx: Tx,
  userIds: readonly string[],
  month: string,
  now: Date,
): Promise<BudgetAlert[]> {
  if (userIds.length === 0) return [];
  const budgets = (await budgetStore.listBudgets(tx, userIds)).filter((b) => inForce(b, month));
  if (budgets.length === 0) return [];
  const spending = await budgetStore.monthSpending(tx, [...new Set(budgets.map((b) => b.userId))], month);
  const candidates: BudgetAlert[] = [];
  for (const budget of budgets) {
    const amountFen = amountIn(budget, month);
    const spentFen = spending.get(budget.userId)?.get(budget.category ?? '') ?? 0n;
    for (const level of levelsReached(spentFen, amountFen))
      candidates.push({
        budgetId: budget.id,
        month,
        level,
        userId: budget.userId,
        category: budget.category,
        spentFen,
        amountFen,
        at: now,
      });
  }
  return budgetStore.insertAlerts(tx, candidates);
}

/** The in-app notice of each new alert, after its transaction committed. A failed notice is logged. */
export async function notifyAlerts(deps: InsightsDeps, alerts: readonly BudgetAlert[]): Promise<void> {
  for (const alert of alerts) {
    const name = alert.category ? CATEGORY_NAMES[alert.category] : { zh: '本月总', en: 'monthly' };
    const reached = alert.level === 100;
    try {
      await deps.notify(alert.userId, {
        kind: 'budget_alert',
        titleZh: reached ? `${name.zh}预算已超支` : `${name.zh}预算已用 80%`,
        titleEn: reached ? `Your ${name.en} budget is used up` : `80% of your ${name.en} budget is used`,
        bodyZh: `${alert.month} 已支出 ${formatFen(alert.spentFen)}，预算 ${formatFen(alert.amountFen)}。`,
        bodyEn: `Spent ${formatFen(alert.spentFen)} of ${formatFen(alert.amountFen)} in ${alert.month}.`,
        data: { budgetId: alert.budgetId, category: alert.category, level: alert.level, month: alert.month },
      });
    } catch (error) {
      deps.logger?.warn({ err: error, budgetId: alert.budgetId }, 'budget alert notice not delivered');
    }
  }
}

export function createBudgets(deps: InsightsDeps, locked: Locked) {
  const { db, clock } = deps;

  async function views(userId: string, month: string): Promise<{ items: BudgetView[]; alerts: BudgetAlert[] }> {
    const budgets = (await budgetStore.listBudgets(db, [userId])).filter((b) => inForce(b, month));
    const spending = (await budgetStore.monthSpending(db, [userId], month)).get(userId) ?? new Map<string, bigint>();
    const alerts = await budgetStore.alertsOf(db, userId, month);
    const today = shanghaiDay(clock.now());
    const items = budgets.map((budget): BudgetView => {
      const amountFen = amountIn(budget, month);
      const spentFen = spending.get(budget.category ?? '') ?? 0n;
      const percent = Number((spentFen * 100n) / amountFen);
      const sent = (level: number) => alerts.find((a) => a.budgetId === budget.id && a.level === level)?.at ?? null;
      const changedThisMonth = budget.changedMonth === month && budget.previousAmountFen !== null;
      return {
        budget,
        month,
        amountFen,
        spentFen,
        remainingFen: amountFen - spentFen,
        percent,
        status: spentFen >= amountFen ? 'exceeded' : spentFen * 100n >= amountFen * 80n ? 'warning' : 'ok',
        forecastFen: forecast(spentFen, month, today),
        changedThisMonth,
        previousAmountFen: changedThisMonth ? budget.previousAmountFen : null,
        alerted: { at80: sent(80), at100: sent(100) },
      };
    });
    return { items, alerts };
  }

  return {
    views,

    async set(userId: string, category: Category | null, amountFen: bigint): Promise<BudgetView> {
      const now = clock.now();
      const month = monthOf(now);
      const evaluated = await locked<BudgetAlert[], never>(async (tx) => {
        const existing = await budgetStore.findBudget(tx, userId, category);
        const changed = existing && existing.amountFen !== amountFen;
        await budgetStore.upsertBudget(tx, {
          id: existing?.id ?? newId('bgt', now.getTime()),
          userId,
          category,
          amountFen,
          // The amount in force before this month stays what it was if the budget changes twice in a month.
          previousAmountFen: !existing
            ? null
            : !changed
              ? existing.previousAmountFen
              : existing.changedMonth === month
                ? (existing.previousAmountFen ?? existing.amountFen)
                : existing.amountFen,
          changedMonth: !existing || changed ? month : existing.changedMonth,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        });
        return evaluateAlerts(tx, [userId], month, now);
      });
      if (!evaluated.ok) throw new Error('assertion failed: setting a budget has no expected failure');
      await notifyAlerts(deps, evaluated.value);
      const { items } = await views(userId, month);
      const view = items.find((item) => item.budget.category === category);
      if (!view) throw new Error('assertion failed: the budget just set is in force this month');
      return view;
    },

    async remove(userId: string, id: string): Promise<Result<true, { code: 'INSIGHTS_BUDGET_NOT_FOUND' }>> {
      const removed = await db.transaction((tx) => budgetStore.deleteBudget(tx, userId, id));
      return removed ? ok(true) : err({ code: 'INSIGHTS_BUDGET_NOT_FOUND' });
    },
  };
}
