import type { Queryable } from '../platform/db/types.js';
import type { ApiKeyRow } from './types.js';

/** SQL on the merchant's API keys. */

export async function insertKey(q: Queryable, row: ApiKeyRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_api_keys (id, merchant_id, name, mode, prefix, secret_hash, rate_limit_per_minute, status,
      expires_at, last_used_at, created_by, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      row.id,
      row.merchant_id,
      row.name,
      row.mode,
      row.prefix,
      row.secret_hash,
      row.rate_limit_per_minute,
      row.status,
      row.expires_at,
      row.last_used_at,
      row.created_by,
      row.created_at,
      row.revoked_at,
    ],
  );
}

export async function findKeyByHash(q: Queryable, secretHash: string): Promise<ApiKeyRow | null> {
  const { rows } = await q.query<ApiKeyRow>('SELECT * FROM merchant_api_keys WHERE secret_hash = $1', [secretHash]);
  return rows[0] ?? null;
}

export async function findKey(
  q: Queryable,
  merchantId: string,
  id: string,
  forUpdate = false,
): Promise<ApiKeyRow | null> {
  const { rows } = await q.query<ApiKeyRow>(
    `SELECT * FROM merchant_api_keys WHERE id = $1 AND merchant_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, merchantId],
  );
  return rows[0] ?? null;
}

export async function listKeys(q: Queryable, merchantId: string): Promise<ApiKeyRow[]> {
  const { rows } = await q.query<ApiKeyRow>(
    'SELECT * FROM merchant_api_keys WHERE merchant_id = $1 ORDER BY id DESC LIMIT 100',
    [merchantId],
  );
  return rows;
}

export async function countActiveKeys(q: Queryable, merchantId: string, now: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM merchant_api_keys
     WHERE merchant_id = $1 AND status = 'active' AND (expires_at IS NULL OR expires_at > $2)`,
    [merchantId, now],
  );
  return Number(rows[0].n);
}

export async function revokeKey(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE merchant_api_keys SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [id, now]);
}

/** A rolled key keeps working until `at` (never later than it already would). */
export async function expireKey(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE merchant_api_keys SET expires_at = LEAST(COALESCE(expires_at, $2), $2) WHERE id = $1', [
    id,
    at,
  ]);
}

/** Records use at most once a minute a key, so a busy key does not write on every request. */
export async function touchKey(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE merchant_api_keys SET last_used_at = $2
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, now],
  );
}
