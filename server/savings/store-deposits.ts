import type { Queryable } from '../platform/db/types.js';

/** Term deposits: one row per deposit (a rolled-over deposit is a new row pointing at the old). */

export interface DepositRow {
  id: string;
  user_id: string;
  product_id: string;
  account_id: string;
  principal: bigint;
  currency: string;
  term_months: number;
  rate_e4: bigint;
  demand_rate_e4: bigint;
  opened_on: string;
  matures_on: string;
  maturity_choice: 'rollover' | 'to_wallet';
  status: 'open' | 'matured' | 'withdrawn_early' | 'rolled_over';
  interest_paid: bigint | null;
  closed_on: string | null;
  close_entry_id: string | null;
  rolled_from: string | null;
  rolled_into: string | null;
  order_id: string | null;
  open_entry_id: string | null;
  created_at: Date;
}

export type NewDeposit = Omit<DepositRow, 'interest_paid' | 'closed_on' | 'close_entry_id' | 'rolled_into' | 'status'>;

export async function insertDeposit(q: Queryable, row: NewDeposit): Promise<DepositRow> {
  const { rows } = await q.query<DepositRow>(
    `INSERT INTO savings_deposits (id, user_id, product_id, account_id, principal, currency, term_months, rate_e4,
       demand_rate_e4, opened_on, matures_on, maturity_choice, status, rolled_from, order_id, open_entry_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14, $15, $16) RETURNING *`,
    [
      row.id,
      row.user_id,
      row.product_id,
      row.account_id,
      row.principal,
      row.currency,
      row.term_months,
      row.rate_e4,
      row.demand_rate_e4,
      row.opened_on,
      row.matures_on,
      row.maturity_choice,
      row.rolled_from,
      row.order_id,
      row.open_entry_id,
      row.created_at,
    ],
  );
  return rows[0];
}

export async function findDeposit(q: Queryable, id: string, forUpdate = false): Promise<DepositRow | null> {
  const { rows } = await q.query<DepositRow>(
    `SELECT * FROM savings_deposits WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function listDeposits(
  q: Queryable,
  userId: string,
  status: 'open' | 'closed' | 'all',
): Promise<DepositRow[]> {
  const { rows } = await q.query<DepositRow>(
    `SELECT * FROM savings_deposits WHERE user_id = $1
       AND ($2 = 'all' OR ($2 = 'open' AND status = 'open') OR ($2 = 'closed' AND status <> 'open'))
     ORDER BY id DESC LIMIT 200`,
    [userId, status],
  );
  return rows;
}

/** Open deposits due by `day`, earliest maturity first. */
export async function dueDeposits(q: Queryable, day: string, limit: number): Promise<DepositRow[]> {
  const { rows } = await q.query<DepositRow>(
    `SELECT * FROM savings_deposits WHERE status = 'open' AND matures_on <= $1 ORDER BY matures_on, id LIMIT $2`,
    [day, limit],
  );
  return rows;
}

export async function closeDeposit(
  q: Queryable,
  id: string,
  changes: Pick<DepositRow, 'status' | 'interest_paid' | 'closed_on' | 'close_entry_id' | 'rolled_into'>,
): Promise<DepositRow> {
  const { rows } = await q.query<DepositRow>(
    `UPDATE savings_deposits SET status = $2, interest_paid = $3, closed_on = $4, close_entry_id = $5, rolled_into = $6
     WHERE id = $1 RETURNING *`,
    [id, changes.status, changes.interest_paid, changes.closed_on, changes.close_entry_id, changes.rolled_into],
  );
  return rows[0];
}

/** Every deposit with its account, to compare with the ledger. */
export async function allDeposits(q: Queryable): Promise<DepositRow[]> {
  const { rows } = await q.query<DepositRow>('SELECT * FROM savings_deposits ORDER BY id');
  return rows;
}
