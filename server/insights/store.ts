import type { Queryable, Tx } from '../platform/db/types.js';
import type { Category } from './categories.js';
import type { AssetDelta } from './classify.js';
import type { CategorySource, Movement, MovementKind } from './types.js';

/** The watermark, the movements and the rollups (migration 021). Every write runs under the watermark lock. */

export async function readWatermark(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ seq: string }>('SELECT seq::text AS seq FROM insights_watermark WHERE id = 1');
  return BigInt(rows[0]?.seq ?? '0');
}

export async function lockWatermark(tx: Tx): Promise<bigint> {
  const { rows } = await tx.query<{ seq: string }>(
    'SELECT seq::text AS seq FROM insights_watermark WHERE id = 1 FOR UPDATE',
  );
  return BigInt(rows[0]?.seq ?? '0');
}

export async function setWatermark(tx: Tx, seq: bigint, at: Date): Promise<void> {
  await tx.query('UPDATE insights_watermark SET seq = $1, updated_at = $2 WHERE id = 1', [seq.toString(), at]);
}

interface MovementRow {
  user_id: string;
  entry_id: string;
  entry_seq: string;
  occurred_at: Date;
  day: string;
  kind: MovementKind;
  amount: string;
  counterparty: string | null;
  note: string | null;
  mcc: string | null;
  business_ref: string | null;
  refund_of: string | null;
  auto_category: Category | null;
  auto_source: CategorySource;
  manual_category: Category | null;
  rule_id: string | null;
  category: Category | null;
  category_source: CategorySource;
  categorisable: boolean;
}

const MOVEMENT_COLUMNS = `user_id, entry_id, entry_seq::text AS entry_seq, occurred_at, day, kind,
  amount::text AS amount,
  counterparty, note, mcc, business_ref, refund_of, auto_category, auto_source, manual_category, rule_id, category,
  category_source, categorisable`;

function movementFromRow(row: MovementRow): Movement {
  return {
    userId: row.user_id,
    entryId: row.entry_id,
    entrySeq: BigInt(row.entry_seq),
    occurredAt: row.occurred_at,
    day: row.day,
    kind: row.kind,
    amountFen: BigInt(row.amount),
    counterparty: row.counterparty,
    note: row.note,
    mcc: row.mcc,
    businessRef: row.business_ref,
    refundOf: row.refund_of,
    autoCategory: row.auto_category,
    autoSource: row.auto_source,
    manualCategory: row.manual_category,
    ruleId: row.rule_id,
    category: row.category,
    categorySource: row.category_source,
    categorisable: row.categorisable,
  };
}

export async function insertMovements(tx: Tx, movements: readonly Movement[]): Promise<void> {
  if (movements.length === 0) return;
  const col = <T>(pick: (m: Movement) => T) => movements.map(pick);
  await tx.query(
    `INSERT INTO insights_movements (user_id, entry_id, entry_seq, occurred_at, day, kind, amount, counterparty, note,
       mcc, business_ref, refund_of, auto_category, auto_source, manual_category, rule_id, category, category_source,
       categorisable)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[],
       $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
       $15::text[], $16::text[], $17::text[], $18::text[], $19::boolean[])`,
    [
      col((m) => m.userId),
      col((m) => m.entryId),
      col((m) => m.entrySeq.toString()),
      col((m) => m.occurredAt),
      col((m) => m.day),
      col((m) => m.kind),
      col((m) => m.amountFen.toString()),
      col((m) => m.counterparty),
      col((m) => m.note),
      col((m) => m.mcc),
      col((m) => m.businessRef),
      col((m) => m.refundOf),
      col((m) => m.autoCategory),
      col((m) => m.autoSource),
      col((m) => m.manualCategory),
      col((m) => m.ruleId),
      col((m) => m.category),
      col((m) => m.categorySource),
      col((m) => m.categorisable),
    ],
  );
}

/** Payments and bills by their business reference, for the refunds that name them. */
export async function findByBusinessRefs(
  q: Queryable,
  keys: readonly { userId: string; businessRef: string }[],
): Promise<Movement[]> {
  if (keys.length === 0) return [];
  const { rows } = await q.query<MovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM insights_movements
     WHERE (user_id, business_ref) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND kind IN ('payment', 'bill')`,
    [keys.map((k) => k.userId), keys.map((k) => k.businessRef)],
  );
  return rows.map(movementFromRow);
}

export async function findByEntryIds(q: Queryable, keys: readonly { userId: string; entryId: string }[]) {
  if (keys.length === 0) return [];
  const { rows } = await q.query<MovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM insights_movements
     WHERE (user_id, entry_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.userId), keys.map((k) => k.entryId)],
  );
  return rows.map(movementFromRow);
}

export async function findMovement(q: Queryable, userId: string, entryId: string): Promise<Movement | null> {
  const [found] = await findByEntryIds(q, [{ userId, entryId }]);
  return found ?? null;
}

/** A month's movements, newest first, optionally of one category ('' = none) or kind, after a cursor. */
export async function listMovements(
  q: Queryable,
  input: {
    userId: string;
    fromDay: string;
    toDay: string;
    category: string | null;
    kind: string | null;
    before: { day: string; seq: bigint } | null;
    limit: number;
  },
): Promise<Movement[]> {
  const { rows } = await q.query<MovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM insights_movements m
     WHERE user_id = $1 AND m.day >= $2 AND m.day <= $3
       AND ($4::text IS NULL OR COALESCE(category, '') = $4)
       AND ($5::text IS NULL OR kind = $5)
       AND ($6::text IS NULL OR (m.day, m.entry_seq) < ($6, $7::bigint))
     ORDER BY m.day DESC, m.entry_seq DESC LIMIT $8`,
    [
      input.userId,
      input.fromDay,
      input.toDay,
      input.category,
      input.kind,
      input.before?.day ?? null,
      input.before?.seq.toString() ?? null,
      input.limit,
    ],
  );
  return rows.map(movementFromRow);
}

/** The categorisable movements a rule could reach: counterparties with the days they count on. */
export async function categorisableCounterparties(q: Queryable, userId: string): Promise<string[]> {
  const { rows } = await q.query<{ counterparty: string }>(
    `SELECT DISTINCT counterparty FROM insights_movements
     WHERE user_id = $1 AND categorisable AND counterparty IS NOT NULL`,
    [userId],
  );
  return rows.map((row) => row.counterparty);
}

/**
 * Sets the category of the categorisable movements of each counterparty (not the hand-set ones) and then
 * of the refunds of every movement that changed; answers the months whose figures changed.
 */
export async function applyCounterpartyCategories(
  tx: Tx,
  userId: string,
  updates: readonly {
    counterparty: string;
    category: Category | null;
    source: CategorySource;
    ruleId: string | null;
  }[],
): Promise<string[]> {
  if (updates.length === 0) return [];
  const { rows } = await tx.query<{ entry_id: string; day: string }>(
    `WITH target AS (
       SELECT m.entry_id, m.day, v.rule_id,
              CASE WHEN v.rule_id IS NULL THEN m.auto_category ELSE v.category END AS category,
              CASE WHEN v.rule_id IS NULL THEN m.auto_source ELSE 'rule' END AS source
       FROM insights_movements m
       JOIN unnest($2::text[], $3::text[], $4::text[]) AS v(counterparty, category, rule_id)
         ON m.counterparty = v.counterparty
       WHERE m.user_id = $1 AND m.categorisable AND m.manual_category IS NULL)
     UPDATE insights_movements m SET category = t.category, category_source = t.source, rule_id = t.rule_id
     FROM target t
     WHERE m.user_id = $1 AND m.entry_id = t.entry_id
       AND (m.category IS DISTINCT FROM t.category OR m.rule_id IS DISTINCT FROM t.rule_id)
     RETURNING m.entry_id, m.day`,
    [userId, updates.map((u) => u.counterparty), updates.map((u) => u.category), updates.map((u) => u.ruleId)],
  );
  const months = new Set(rows.map((row) => row.day.slice(0, 7)));
  for (const month of await followRefunds(
    tx,
    userId,
    rows.map((row) => row.entry_id),
  ))
    months.add(month);
  return [...months];
}

/** Sets one movement's category by hand (null: back to automatic, given by `resolved`). */
export async function setMovementCategory(
  tx: Tx,
  userId: string,
  entryId: string,
  values: { manualCategory: Category | null; category: Category | null; source: CategorySource; ruleId: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE insights_movements SET manual_category = $3, category = $4, category_source = $5, rule_id = $6
     WHERE user_id = $1 AND entry_id = $2`,
    [userId, entryId, values.manualCategory, values.category, values.source, values.ruleId],
  );
}

/** Refunds take their payment's category again; answers the months that changed. */
export async function followRefunds(tx: Tx, userId: string, paymentEntryIds: readonly string[]): Promise<string[]> {
  if (paymentEntryIds.length === 0) return [];
  const { rows } = await tx.query<{ day: string }>(
    `UPDATE insights_movements r SET category = p.category
     FROM insights_movements p
     WHERE r.user_id = $1 AND r.refund_of = ANY($2::text[]) AND p.user_id = $1 AND p.entry_id = r.refund_of
       AND r.category IS DISTINCT FROM p.category
     RETURNING r.day`,
    [userId, [...paymentEntryIds]],
  );
  return [...new Set(rows.map((row) => row.day.slice(0, 7)))];
}

export interface DailyAdd {
  userId: string;
  day: string;
  kind: MovementKind;
  category: string;
  outFen: bigint;
  inFen: bigint;
  outCount: number;
}

export async function addDaily(tx: Tx, rows: readonly DailyAdd[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO insights_daily (user_id, day, kind, category, out_amount, in_amount, out_count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[])
     ON CONFLICT (user_id, day, kind, category) DO UPDATE SET
       out_amount = insights_daily.out_amount + EXCLUDED.out_amount,
       in_amount = insights_daily.in_amount + EXCLUDED.in_amount,
       out_count = insights_daily.out_count + EXCLUDED.out_count`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.day),
      rows.map((r) => r.kind),
      rows.map((r) => r.category),
      rows.map((r) => r.outFen.toString()),
      rows.map((r) => r.inFen.toString()),
      rows.map((r) => r.outCount),
    ],
  );
}

export interface MerchantAdd {
  userId: string;
  month: string;
  counterparty: string;
  category: string;
  amountFen: bigint;
  count: number;
}

export async function addMerchantMonths(tx: Tx, rows: readonly MerchantAdd[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO insights_merchant_months (user_id, month, counterparty, category, amount, count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[])
     ON CONFLICT (user_id, month, counterparty, category) DO UPDATE SET
       amount = insights_merchant_months.amount + EXCLUDED.amount,
       count = insights_merchant_months.count + EXCLUDED.count`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.month),
      rows.map((r) => r.counterparty),
      rows.map((r) => r.category),
      rows.map((r) => r.amountFen.toString()),
      rows.map((r) => r.count),
    ],
  );
}

export async function addAssetDays(tx: Tx, rows: readonly AssetDelta[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO insights_asset_days (user_id, day, asset, net_amount)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (user_id, asset, day) DO UPDATE SET net_amount = insights_asset_days.net_amount + EXCLUDED.net_amount`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.day),
      rows.map((r) => r.asset),
      rows.map((r) => r.amountFen.toString()),
    ],
  );
}

/** Recounts a holder's daily and merchant rollups of whole months from their movements. */
export async function rebuildMonths(tx: Tx, userId: string, months: readonly string[]): Promise<void> {
  if (months.length === 0) return;
  const list = [...months];
  await tx.query('DELETE FROM insights_daily WHERE user_id = $1 AND substr(day, 1, 7) = ANY($2::text[])', [
    userId,
    list,
  ]);
  await tx.query('DELETE FROM insights_merchant_months WHERE user_id = $1 AND month = ANY($2::text[])', [userId, list]);
  await tx.query(
    `INSERT INTO insights_daily (user_id, day, kind, category, out_amount, in_amount, out_count)
     SELECT user_id, day, kind, COALESCE(category, ''),
            COALESCE(sum(-amount) FILTER (WHERE amount < 0), 0), COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
            count(*) FILTER (WHERE amount < 0)
     FROM insights_movements WHERE user_id = $1 AND substr(day, 1, 7) = ANY($2::text[])
     GROUP BY user_id, day, kind, COALESCE(category, '')`,
    [userId, list],
  );
  await tx.query(
    `INSERT INTO insights_merchant_months (user_id, month, counterparty, category, amount, count)
     SELECT user_id, substr(day, 1, 7), COALESCE(counterparty, ''), category, sum(-amount),
            count(*) FILTER (WHERE amount < 0)
     FROM insights_movements
     WHERE user_id = $1 AND substr(day, 1, 7) = ANY($2::text[]) AND category IS NOT NULL
     GROUP BY user_id, substr(day, 1, 7), COALESCE(counterparty, ''), category`,
    [userId, list],
  );
}

export interface DailyRow {
  day: string;
  kind: MovementKind;
  category: string;
  outFen: bigint;
  inFen: bigint;
  outCount: number;
}

/** The daily rollup rows of a holder between two days, both included. */
export async function dailyRows(q: Queryable, userId: string, fromDay: string, toDay: string): Promise<DailyRow[]> {
  const { rows } = await q.query<{
    day: string;
    kind: MovementKind;
    category: string;
    out_amount: string;
    in_amount: string;
    out_count: number;
  }>(
    `SELECT day, kind, category, out_amount::text AS out_amount, in_amount::text AS in_amount, out_count
     FROM insights_daily WHERE user_id = $1 AND day >= $2 AND day <= $3`,
    [userId, fromDay, toDay],
  );
  return rows.map((r) => ({
    day: r.day,
    kind: r.kind,
    category: r.category,
    outFen: BigInt(r.out_amount),
    inFen: BigInt(r.in_amount),
    outCount: Number(r.out_count),
  }));
}

/**
 * Spending per month between two months, both included, from the merchant-month rollup (a few dozen
 * rows a month, where the daily rollup has hundreds): months with any spending only.
 */
export async function monthSpending(
  q: Queryable,
  userId: string,
  fromMonth: string,
  toMonth: string,
): Promise<{ month: string; spentFen: bigint }[]> {
  const { rows } = await q.query<{ month: string; spent: string }>(
    `SELECT month, sum(amount)::text AS spent FROM insights_merchant_months
     WHERE user_id = $1 AND month >= $2 AND month <= $3 GROUP BY month ORDER BY month`,
    [userId, fromMonth, toMonth],
  );
  return rows.map((r) => ({ month: r.month, spentFen: BigInt(r.spent) }));
}

/** Spending per category between two months, both included (payments counted, refunds netted). */
export async function categorySpending(
  q: Queryable,
  userId: string,
  fromMonth: string,
  toMonth: string,
): Promise<{ category: string; amountFen: bigint; count: number }[]> {
  const { rows } = await q.query<{ category: string; amount: string; count: string }>(
    `SELECT category, sum(amount)::text AS amount, sum(count)::text AS count FROM insights_merchant_months
     WHERE user_id = $1 AND month >= $2 AND month <= $3 GROUP BY category`,
    [userId, fromMonth, toMonth],
  );
  return rows.map((r) => ({ category: r.category, amountFen: BigInt(r.amount), count: Number(r.count) }));
}

/** Income (transfers in and other income) per month between two days, both included. */
export async function monthIncome(q: Queryable, userId: string, fromDay: string, toDay: string) {
  const { rows } = await q.query<{ month: string; income: string }>(
    `SELECT substr(day, 1, 7) AS month, sum(in_amount)::text AS income FROM insights_daily
     WHERE user_id = $1 AND day >= $2 AND day <= $3 AND kind IN ('transfer_in', 'income') GROUP BY 1`,
    [userId, fromDay, toDay],
  );
  return new Map(rows.map((r) => [r.month, BigInt(r.income)]));
}

/** Spending per day between two days (days with spending only), for the busiest day and active days. */
export async function daySpending(q: Queryable, userId: string, fromDay: string, toDay: string) {
  const { rows } = await q.query<{ day: string; spent: string; count: string }>(
    `SELECT day, sum(out_amount - in_amount)::text AS spent, sum(out_count)::text AS count FROM insights_daily
     WHERE user_id = $1 AND day >= $2 AND day <= $3 AND category <> '' GROUP BY day`,
    [userId, fromDay, toDay],
  );
  return rows.map((r) => ({ day: r.day, amountFen: BigInt(r.spent), count: Number(r.count) }));
}

export interface MerchantTotal {
  name: string;
  category: string;
  amountFen: bigint;
  count: number;
}

/** Counterparties paid in a range of months, most spent first. */
export async function topMerchants(
  q: Queryable,
  userId: string,
  fromMonth: string,
  toMonth: string,
  limit: number,
  order: 'amount' | 'count' = 'amount',
): Promise<MerchantTotal[]> {
  const { rows } = await q.query<{ counterparty: string; category: string; amount: string; count: string }>(
    `SELECT counterparty, category, sum(amount)::text AS amount, sum(count)::text AS count
     FROM insights_merchant_months
     WHERE user_id = $1 AND month >= $2 AND month <= $3 AND counterparty <> ''
     GROUP BY counterparty, category
     ORDER BY ${order === 'amount' ? 'sum(amount) DESC, sum(count) DESC' : 'sum(count) DESC, sum(amount) DESC'},
              counterparty
     LIMIT $4`,
    [userId, fromMonth, toMonth, limit],
  );
  return rows.map((r) => ({
    name: r.counterparty,
    category: r.category,
    amountFen: BigInt(r.amount),
    count: Number(r.count),
  }));
}

export async function countMerchants(q: Queryable, userId: string, fromMonth: string, toMonth: string) {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(DISTINCT counterparty)::text AS n FROM insights_merchant_months
     WHERE user_id = $1 AND month >= $2 AND month <= $3 AND counterparty <> '' AND count > 0`,
    [userId, fromMonth, toMonth],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The biggest single spending movement between two days. */
export async function biggestPayment(q: Queryable, userId: string, fromDay: string, toDay: string) {
  const { rows } = await q.query<MovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM insights_movements m
     WHERE user_id = $1 AND day >= $2 AND day <= $3 AND category IS NOT NULL AND m.amount < 0
     ORDER BY m.amount ASC, m.entry_seq LIMIT 1`,
    [userId, fromDay, toDay],
  );
  return rows[0] ? movementFromRow(rows[0]) : null;
}

/** Net change of wallet and savings per month after a day (exclusive), for the balance history. */
export async function assetChangesAfter(
  q: Queryable,
  userId: string,
  afterDay: string,
): Promise<{ month: string; asset: AssetDelta['asset']; netFen: bigint }[]> {
  const { rows } = await q.query<{ month: string; asset: AssetDelta['asset']; net: string }>(
    `SELECT substr(day, 1, 7) AS month, asset, sum(net_amount)::text AS net FROM insights_asset_days
     WHERE user_id = $1 AND day > $2 GROUP BY 1, 2`,
    [userId, afterDay],
  );
  return rows.map((r) => ({ month: r.month, asset: r.asset, netFen: BigInt(r.net) }));
}

/** The holder's debt as the feed has counted it from the ledger: the sum of every debt day. */
export async function debtCounted(q: Queryable, userId: string): Promise<bigint> {
  const { rows } = await q.query<{ net: string | null }>(
    `SELECT sum(net_amount)::text AS net FROM insights_asset_days WHERE user_id = $1 AND asset = 'debt'`,
    [userId],
  );
  return BigInt(rows[0]?.net ?? '0');
}
