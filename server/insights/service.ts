import { shanghaiDay } from '../platform/clock.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import type { Tx } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import { assetsOf } from './assets.js';
import { daysInMonth, createBudgets } from './budgets.js';
import { type Category, isCategory } from './categories.js';
import { createCategorising } from './categorise.js';
import type { InsightsDeps, Locked } from './deps.js';
import { createFeed } from './feed.js';
import * as store from './store.js';
import { MOVEMENT_KINDS, type Movement } from './types.js';
import { monthView, yearView } from './views.js';

/**
 * Spending insights and budgets (docs/insights.md): the feed that keeps the rollups up to date, the
 * month and year views, categories and rules, budgets with their alerts, and total assets. Every
 * read first counts what the ledger posted since the last one, so the figures are always current.
 */

export const MAX_MOVEMENT_PAGE = 100;
const FIRST_MONTH = '2000-01';

export type MonthError = { code: 'INSIGHTS_MONTH_INVALID' };
export type ListError = MonthError | { code: 'INSIGHTS_CATEGORY_UNKNOWN' } | { code: 'INVALID_CURSOR' };

interface Cursor {
  day: string;
  seq: string;
}

function encodeCursor(movement: Movement): string {
  return Buffer.from(JSON.stringify({ day: movement.day, seq: movement.entrySeq.toString() })).toString('base64url');
}

function decodeCursor(text: string): { day: string; seq: bigint } | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof value?.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.day)) return null;
    if (typeof value.seq !== 'string' || !/^\d{1,19}$/.test(value.seq)) return null;
    return { day: value.day, seq: BigInt(value.seq) };
  } catch {
    return null;
  }
}

export function createInsightsService(deps: InsightsDeps) {
  const { db, clock } = deps;
  const feed = createFeed(deps);

  const locked: Locked = <T, E>(fn: (tx: Tx, rollback: RollbackWith<E>) => Promise<T>) =>
    inTransaction<T, E>(db, async (tx, rollback) => {
      await store.lockWatermark(tx);
      return fn(tx, rollback);
    });

  const budgets = createBudgets(deps, locked);
  const categorising = createCategorising(deps, locked);
  const thisMonth = () => shanghaiDay(clock.now()).slice(0, 7);

  function checkMonth(month: string): Result<string, MonthError> {
    const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month) && month >= FIRST_MONTH && month <= thisMonth();
    return valid ? ok(month) : err({ code: 'INSIGHTS_MONTH_INVALID' });
  }

  return {
    /** Counts what the ledger posted since the watermark (the job, and every read). */
    catchUp: (maxEntries?: number) => feed.catchUp(maxEntries),

    async month(userId: string, month: string) {
      const checked = checkMonth(month);
      if (!checked.ok) return checked;
      await feed.catchUp();
      return ok(await monthView(db, userId, month, clock.now()));
    },

    async year(userId: string, year: number) {
      const current = Number(shanghaiDay(clock.now()).slice(0, 4));
      if (!Number.isInteger(year) || year < 2000 || year > current)
        return err({ code: 'INSIGHTS_YEAR_INVALID' as const });
      await feed.catchUp();
      return ok(await yearView(db, userId, year, clock.now()));
    },

    async movements(
      userId: string,
      input: { month: string; category?: string; kind?: string; cursor?: string; limit?: number },
    ): Promise<Result<{ items: Movement[]; nextCursor: string | null }, ListError>> {
      const checked = checkMonth(input.month);
      if (!checked.ok) return checked;
      if (input.category !== undefined && input.category !== 'none' && !isCategory(input.category))
        return err({ code: 'INSIGHTS_CATEGORY_UNKNOWN' });
      const before = input.cursor ? decodeCursor(input.cursor) : null;
      if (input.cursor && !before) return err({ code: 'INVALID_CURSOR' });
      if (input.kind !== undefined && !(MOVEMENT_KINDS as readonly string[]).includes(input.kind))
        return err({ code: 'INSIGHTS_CATEGORY_UNKNOWN' });
      await feed.catchUp();
      const limit = Math.min(Math.max(input.limit ?? 20, 1), MAX_MOVEMENT_PAGE);
      const items = await store.listMovements(db, {
        userId,
        fromDay: `${input.month}-01`,
        toDay: `${input.month}-${String(daysInMonth(input.month)).padStart(2, '0')}`,
        category: input.category === undefined ? null : input.category === 'none' ? '' : input.category,
        kind: input.kind ?? null,
        before,
        limit: limit + 1,
      });
      const page = items.slice(0, limit);
      return ok({ items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]) : null });
    },

    async movement(
      userId: string,
      entryId: string,
    ): Promise<Result<Movement, { code: 'INSIGHTS_MOVEMENT_NOT_FOUND' }>> {
      await feed.catchUp();
      const found = await store.findMovement(db, userId, entryId);
      return found ? ok(found) : err({ code: 'INSIGHTS_MOVEMENT_NOT_FOUND' });
    },

    async setCategory(userId: string, entryId: string, category: Category | null) {
      await feed.catchUp();
      return categorising.setCategory(userId, entryId, category);
    },

    listRules: (userId: string) => categorising.listRules(userId),
    async createRule(userId: string, input: { match?: string; fromMovementId?: string; category: Category }) {
      await feed.catchUp();
      return categorising.createRule(userId, input);
    },
    deleteRule: (userId: string, id: string) => categorising.deleteRule(userId, id),

    async budgets(userId: string, month?: string) {
      const checked = checkMonth(month ?? thisMonth());
      if (!checked.ok) return checked;
      await feed.catchUp();
      return ok({ month: checked.value, ...(await budgets.views(userId, checked.value)) });
    },
    async setBudget(userId: string, category: Category | null, amountFen: bigint) {
      await feed.catchUp();
      return budgets.set(userId, category, amountFen);
    },
    removeBudget: (userId: string, id: string) => budgets.remove(userId, id),

    async assets(userId: string) {
      await feed.catchUp();
      return assetsOf(deps, userId);
    },
  };
}

export type InsightsService = ReturnType<typeof createInsightsService>;
