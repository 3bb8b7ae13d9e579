import type { Queryable } from '../platform/db/types.js';

/** Fund share movements (mirroring the ledger on each holder's fund account), income days, the fast cap. */

export interface ShareMoveRow {
  id: string;
  user_id: string;
  product_id: string;
  kind: 'subscribe' | 'income' | 'redeem';
  amount: bigint;
  day: string;
  earns_from: string | null;
  income_day: string | null;
  eligible: bigint | null;
  per10k_e4: bigint | null;
  order_id: string | null;
  entry_id: string;
  created_at: Date;
}

/** Inserts a movement; an income credit already recorded for that holder and day gives false. */
export async function insertShareMove(q: Queryable, row: ShareMoveRow): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO savings_share_moves (id, user_id, product_id, kind, amount, day, earns_from, income_day, eligible,
       per10k_e4, order_id, entry_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    [
      row.id,
      row.user_id,
      row.product_id,
      row.kind,
      row.amount,
      row.day,
      row.earns_from,
      row.income_day,
      row.eligible,
      row.per10k_e4,
      row.order_id,
      row.entry_id,
      row.created_at,
    ],
  );
  return rowCount > 0;
}

export interface HolderDayRow {
  user_id: string;
  added_earning: bigint;
  balance: bigint;
  paid: boolean;
}

/**
 * Per holder of a fund, for one day: shares added that earn by that day, the balance at its end,
 * and whether its income is already credited. Holders with nothing yet are left out.
 */
export async function holdersOnDay(q: Queryable, productId: string, day: string): Promise<HolderDayRow[]> {
  const { rows } = await q.query<HolderDayRow>(
    `SELECT user_id,
            coalesce(sum(amount) FILTER (WHERE amount > 0 AND earns_from <= $2 AND day <= $2), 0)::bigint AS
      added_earning,
            coalesce(sum(amount) FILTER (WHERE day <= $2), 0)::bigint AS balance,
            bool_or(kind = 'income' AND income_day = $2) AS paid
     FROM savings_share_moves WHERE product_id = $1 AND day <= $3
     GROUP BY user_id ORDER BY user_id`,
    [productId, day, nextDayText(day)],
  );
  return rows;
}

function nextDayText(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** One holder's figures for one fund on a day (holdings page). */
export async function holderOnDay(
  q: Queryable,
  userId: string,
  productId: string,
  day: string,
): Promise<{ added_earning: bigint; balance: bigint; total_income: bigint }> {
  const { rows } = await q.query<{ added_earning: bigint; balance: bigint; total_income: bigint }>(
    `SELECT coalesce(sum(amount) FILTER (WHERE amount > 0 AND earns_from <= $3 AND day <= $3), 0)::bigint AS
      added_earning,
            coalesce(sum(amount), 0)::bigint AS balance,
            coalesce(sum(amount) FILTER (WHERE kind = 'income'), 0)::bigint AS total_income
     FROM savings_share_moves WHERE user_id = $1 AND product_id = $2`,
    [userId, productId, day],
  );
  return rows[0];
}

export async function incomeMoves(
  q: Queryable,
  filter: { userId: string; productId?: string; beforeDay?: string; incomeDay?: string; limit: number },
): Promise<ShareMoveRow[]> {
  const { rows } = await q.query<ShareMoveRow>(
    `SELECT * FROM savings_share_moves WHERE kind = 'income' AND user_id = $1
       AND ($2::text IS NULL OR product_id = $2) AND ($3::text IS NULL OR income_day < $3)
       AND ($4::text IS NULL OR income_day = $4)
     ORDER BY income_day DESC, product_id LIMIT $5`,
    [filter.userId, filter.productId ?? null, filter.beforeDay ?? null, filter.incomeDay ?? null, filter.limit],
  );
  return rows;
}

/** Sum of share movements per holder and fund, to compare with the ledger accounts. */
export async function shareBalances(q: Queryable): Promise<{ user_id: string; product_id: string; balance: bigint }[]> {
  const { rows } = await q.query<{ user_id: string; product_id: string; balance: bigint }>(
    `SELECT user_id, product_id, sum(amount)::bigint AS balance FROM savings_share_moves
     GROUP BY user_id, product_id ORDER BY user_id, product_id`,
  );
  return rows;
}

export async function firstMoveDay(q: Queryable, productId: string): Promise<string | null> {
  const { rows } = await q.query<{ day: string | null }>(
    'SELECT min(day) AS day FROM savings_share_moves WHERE product_id = $1',
    [productId],
  );
  return rows[0]?.day ?? null;
}

export async function lastIncomeDay(q: Queryable, productId: string): Promise<string | null> {
  const { rows } = await q.query<{ day: string | null }>(
    'SELECT max(day) AS day FROM savings_income_days WHERE product_id = $1',
    [productId],
  );
  return rows[0]?.day ?? null;
}

export async function insertIncomeDay(
  q: Queryable,
  row: { productId: string; day: string; holders: number; total: bigint; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO savings_income_days (product_id, day, holders, total, completed_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [row.productId, row.day, row.holders, row.total, row.at],
  );
}

/**
 * Adds a fast redemption to the holder's day, unless it would pass the cap: one statement, so two
 * redemptions at the same moment cannot both slip under it (the row is locked by the upsert).
 */
export async function addFastRedemption(
  q: Queryable,
  row: { userId: string; productId: string; day: string; amount: bigint; cap: bigint },
): Promise<boolean> {
  if (row.amount > row.cap) return false;
  const { rowCount } = await q.query(
    `INSERT INTO savings_fast_redemptions AS f (user_id, product_id, day, total) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, product_id, day) DO UPDATE SET total = f.total + excluded.total
     WHERE f.total + excluded.total <= $5`,
    [row.userId, row.productId, row.day, row.amount, row.cap],
  );
  return rowCount > 0;
}

export async function fastRedeemedOn(q: Queryable, userId: string, productId: string, day: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint }>(
    'SELECT total FROM savings_fast_redemptions WHERE user_id = $1 AND product_id = $2 AND day = $3',
    [userId, productId, day],
  );
  return rows[0]?.total ?? 0n;
}
