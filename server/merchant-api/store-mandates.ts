import type { Queryable } from '../platform/db/types.js';
import type { ApiMode } from './types.js';
import type { MandateChargeRow, MandateRow } from './mandate-types.js';

/** SQL on agreement-payment mandates, their monthly use and their charges. */

/** Inserts a mandate; false when the shop's mandate number is already taken (merchant and mode). */
export async function insertMandate(q: Queryable, row: MandateRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO merchant_api_mandates (id, merchant_id, mode, shop_mandate_number, description, cap_per_charge,
      cap_per_month, currency, return_url, status, user_id, wallet_account_id, signed_with, request_expires_at,
      signed_at, ended_at, created_by_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (merchant_id, mode, shop_mandate_number) DO NOTHING RETURNING id`,
    [
      row.id,
      row.merchant_id,
      row.mode,
      row.shop_mandate_number,
      row.description,
      row.cap_per_charge,
      row.cap_per_month,
      row.currency,
      row.return_url,
      row.status,
      row.user_id,
      row.wallet_account_id,
      row.signed_with,
      row.request_expires_at,
      row.signed_at,
      row.ended_at,
      row.created_by_key,
      row.created_at,
    ],
  );
  return rows.length === 1;
}

/** A mandate; `lock`: `update` to change it, `share` to charge it while a revocation waits. */
export async function findMandate(
  q: Queryable,
  id: string,
  lock: 'update' | 'share' | null = null,
): Promise<MandateRow | null> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'share' ? ' FOR SHARE' : '';
  const { rows } = await q.query<MandateRow>(`SELECT * FROM merchant_api_mandates WHERE id = $1${suffix}`, [id]);
  return rows[0] ?? null;
}

export async function findMandateByNumber(
  q: Queryable,
  merchantId: string,
  mode: ApiMode,
  number: string,
): Promise<MandateRow | null> {
  const { rows } = await q.query<MandateRow>(
    'SELECT * FROM merchant_api_mandates WHERE merchant_id = $1 AND mode = $2 AND shop_mandate_number = $3',
    [merchantId, mode, number],
  );
  return rows[0] ?? null;
}

/** Newest first, after the cursor (a mandate id of an earlier page). */
export async function listMandates(
  q: Queryable,
  f: { merchantId: string; mode: ApiMode; before: string | null; limit: number },
): Promise<MandateRow[]> {
  const { rows } = await q.query<MandateRow>(
    `SELECT * FROM merchant_api_mandates WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [f.merchantId, f.mode, f.before, f.limit],
  );
  return rows;
}

/** The mandates a holder signed (live only: test mandates have no holder), newest first. */
export async function holderMandates(q: Queryable, userId: string, limit: number): Promise<MandateRow[]> {
  const { rows } = await q.query<MandateRow>(
    `SELECT * FROM merchant_api_mandates WHERE user_id = $1 AND mode = 'live' ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

/** Signs a pending mandate; false when it was no longer pending. */
export async function markSigned(
  q: Queryable,
  id: string,
  s: { userId: string | null; walletAccountId: string | null; signedWith: 'confirmation' | 'test'; at: Date },
): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE merchant_api_mandates SET status = 'active', user_id = $2, wallet_account_id = $3, signed_with = $4,
       signed_at = $5
     WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, s.userId, s.walletAccountId, s.signedWith, s.at],
  );
  return rows.length === 1;
}

/** Ends a pending or active mandate (`revoked` by the holder, `cancelled` by the shop); false when already ended. */
export async function endMandate(
  q: Queryable,
  id: string,
  status: 'revoked' | 'cancelled',
  at: Date,
  userId: string | null,
): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE merchant_api_mandates SET status = $2, ended_at = $3
     WHERE id = $1 AND status IN ('pending', 'active') AND ($4::text IS NULL OR user_id = $4) RETURNING id`,
    [id, status, at, userId],
  );
  return rows.length === 1;
}

/**
 * Adds `amount` to the mandate's use in `month` in one statement that refuses to pass `cap`: the row
 * lock taken by the upsert serializes parallel charges, so none can take the month past its cap.
 * The caller checks `amount <= cap` first (the insert path). False (nothing changed) when over.
 */
export async function addMonthUse(
  q: Queryable,
  mandateId: string,
  month: string,
  amount: bigint,
  cap: bigint,
): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO merchant_api_mandate_months (mandate_id, month, used) VALUES ($1, $2, $3)
     ON CONFLICT (mandate_id, month) DO UPDATE SET used = merchant_api_mandate_months.used + EXCLUDED.used
       WHERE merchant_api_mandate_months.used + EXCLUDED.used <= $4
     RETURNING used`,
    [mandateId, month, amount, cap],
  );
  return rows.length === 1;
}

export async function monthUse(q: Queryable, mandateId: string, month: string): Promise<bigint> {
  const { rows } = await q.query<{ used: bigint }>(
    'SELECT used FROM merchant_api_mandate_months WHERE mandate_id = $1 AND month = $2',
    [mandateId, month],
  );
  return rows[0] ? BigInt(rows[0].used) : 0n;
}

export async function insertCharge(q: Queryable, row: MandateChargeRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_api_mandate_charges (id, mandate_id, merchant_id, mode, user_id, amount, currency,
      description, month, payment_id, created_by_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      row.id,
      row.mandate_id,
      row.merchant_id,
      row.mode,
      row.user_id,
      row.amount,
      row.currency,
      row.description,
      row.month,
      row.payment_id,
      row.created_by_key,
      row.created_at,
    ],
  );
}

export async function findCharge(q: Queryable, id: string): Promise<MandateChargeRow | null> {
  const { rows } = await q.query<MandateChargeRow>('SELECT * FROM merchant_api_mandate_charges WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** A mandate's charges, newest first, after the cursor. */
export async function listCharges(
  q: Queryable,
  f: { mandateId: string; before: string | null; limit: number },
): Promise<MandateChargeRow[]> {
  const { rows } = await q.query<MandateChargeRow>(
    `SELECT * FROM merchant_api_mandate_charges WHERE mandate_id = $1 AND ($2::text IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [f.mandateId, f.before, f.limit],
  );
  return rows;
}

/** Test-mode movements of a merchant in [from, to): paid orders, refunds and mandate charges (no money moved). */
export async function testMovements(
  q: Queryable,
  merchantId: string,
  from: Date,
  to: Date,
): Promise<
  {
    kind: 'payment' | 'refund';
    id: string;
    paymentId: string;
    source: string;
    reference: string;
    amount: bigint;
    at: Date;
  }[]
> {
  const { rows } = await q.query<{
    kind: 'payment' | 'refund';
    id: string;
    payment_id: string;
    source: string;
    reference: string;
    amount: bigint;
    at: Date;
  }>(
    `SELECT 'payment' AS kind, id, id AS payment_id, 'checkout' AS source, shop_order_number AS reference, amount,
        paid_at AS at
       FROM merchant_api_orders WHERE merchant_id = $1 AND mode = 'test' AND status = 'paid' AND paid_at >= $2
        AND paid_at < $3
     UNION ALL
     SELECT 'refund', r.id, r.order_id, 'checkout', o.shop_order_number, r.amount, r.created_at
       FROM merchant_api_refunds r JOIN merchant_api_orders o ON o.id = r.order_id
      WHERE r.merchant_id = $1 AND r.mode = 'test' AND r.status = 'succeeded' AND r.created_at >= $2
        AND r.created_at < $3
     UNION ALL
     SELECT 'payment', id, id, 'mandate', mandate_id, amount, created_at
       FROM merchant_api_mandate_charges WHERE merchant_id = $1 AND mode = 'test' AND created_at >= $2
        AND created_at < $3
     ORDER BY at, id`,
    [merchantId, from, to],
  );
  return rows.map((row) => ({
    kind: row.kind,
    id: row.id,
    paymentId: row.payment_id,
    source: row.source,
    reference: row.reference,
    amount: BigInt(row.amount),
    at: row.at,
  }));
}
