import type { Queryable, Tx } from '../platform/db/types.js';
import type { Category } from './categories.js';
import type { Budget, BudgetAlert } from './types.js';

/** Budgets and the alerts sent for them (once per budget, month and level: the primary key). */

interface BudgetRow {
  id: string;
  user_id: string;
  category: string;
  amount: string;
  previous_amount: string | null;
  changed_month: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, user_id, category, amount::text AS amount, previous_amount::text AS previous_amount, changed_month,
  created_at, updated_at`;

const fromRow = (row: BudgetRow): Budget => ({
  id: row.id,
  userId: row.user_id,
  category: row.category === '' ? null : (row.category as Category),
  amountFen: BigInt(row.amount),
  previousAmountFen: row.previous_amount === null ? null : BigInt(row.previous_amount),
  changedMonth: row.changed_month,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function listBudgets(q: Queryable, userIds: readonly string[]): Promise<Budget[]> {
  if (userIds.length === 0) return [];
  const { rows } = await q.query<BudgetRow>(
    `SELECT ${COLUMNS} FROM insights_budgets WHERE user_id = ANY($1::text[]) ORDER BY category = '' DESC, category`,
    [[...userIds]],
  );
  return rows.map(fromRow);
}

export async function findBudget(q: Queryable, userId: string, category: Category | null): Promise<Budget | null> {
  const { rows } = await q.query<BudgetRow>(
    `SELECT ${COLUMNS} FROM insights_budgets WHERE user_id = $1 AND category = $2`,
    [userId, category ?? ''],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function upsertBudget(tx: Tx, budget: Budget): Promise<Budget> {
  const { rows } = await tx.query<BudgetRow>(
    `INSERT INTO insights_budgets (id, user_id, category, amount, previous_amount, changed_month, created_at,
       updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (user_id, category) DO UPDATE SET amount = EXCLUDED.amount, previous_amount = EXCLUDED.previous_amount,
       changed_month = EXCLUDED.changed_month, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}`,
    [
      budget.id,
      budget.userId,
      budget.category ?? '',
      budget.amountFen.toString(),
      budget.previousAmountFen?.toString() ?? null,
      budget.changedMonth,
      budget.createdAt,
      budget.updatedAt,
    ],
  );
  return fromRow(rows[0]);
}

export async function deleteBudget(tx: Tx, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM insights_budgets WHERE id = $1 AND user_id = $2', [id, userId]);
  return rowCount === 1;
}

interface AlertRow {
  budget_id: string;
  month: string;
  level: number;
  user_id: string;
  category: string;
  spent: string;
  amount: string;
  at: Date;
}

const alertFromRow = (row: AlertRow): BudgetAlert => ({
  budgetId: row.budget_id,
  month: row.month,
  level: row.level === 100 ? 100 : 80,
  userId: row.user_id,
  category: row.category === '' ? null : (row.category as Category),
  spentFen: BigInt(row.spent),
  amountFen: BigInt(row.amount),
  at: row.at,
});

/** Records alerts; answers only those not sent before (the others already went out this month). */
export async function insertAlerts(tx: Tx, alerts: readonly BudgetAlert[]): Promise<BudgetAlert[]> {
  if (alerts.length === 0) return [];
  const { rows } = await tx.query<AlertRow>(
    `INSERT INTO insights_budget_alerts (budget_id, month, level, user_id, category, spent, amount, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
       $8::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING budget_id, month, level, user_id, category, spent::text AS spent, amount::text AS amount, at`,
    [
      alerts.map((a) => a.budgetId),
      alerts.map((a) => a.month),
      alerts.map((a) => a.level),
      alerts.map((a) => a.userId),
      alerts.map((a) => a.category ?? ''),
      alerts.map((a) => a.spentFen.toString()),
      alerts.map((a) => a.amountFen.toString()),
      alerts.map((a) => a.at),
    ],
  );
  return rows.map(alertFromRow);
}

export async function alertsOf(q: Queryable, userId: string, month: string): Promise<BudgetAlert[]> {
  const { rows } = await q.query<AlertRow>(
    `SELECT budget_id, month, level, user_id, category, spent::text AS spent, amount::text AS amount, at
     FROM insights_budget_alerts WHERE user_id = $1 AND month = $2 ORDER BY at, level`,
    [userId, month],
  );
  return rows.map(alertFromRow);
}

/** Spending per category ('' for the overall figure) of holders in one month, from the daily rollup. */
export async function monthSpending(
  q: Queryable,
  userIds: readonly string[],
  month: string,
): Promise<Map<string, Map<string, bigint>>> {
  const spent = new Map<string, Map<string, bigint>>();
  if (userIds.length === 0) return spent;
  const { rows } = await q.query<{ user_id: string; category: string; spent: string }>(
    `SELECT user_id, category, sum(out_amount - in_amount)::text AS spent FROM insights_daily
     WHERE user_id = ANY($1::text[]) AND day >= $2 AND day <= $3 AND category <> ''
     GROUP BY user_id, category`,
    [[...userIds], `${month}-01`, `${month}-31`],
  );
  for (const row of rows) {
    const of = spent.get(row.user_id) ?? new Map<string, bigint>();
    of.set(row.category, BigInt(row.spent));
    of.set('', (of.get('') ?? 0n) + BigInt(row.spent));
    spent.set(row.user_id, of);
  }
  return spent;
}
