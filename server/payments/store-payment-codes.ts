import type { Queryable } from '../platform/db/types.js';

/** Payment-code seeds and their uses: the SQL of server/payments/payment-code*.ts. */

export interface SeedRow {
  id: string;
  user_id: string;
  seed_number: string;
  secret_enc: string;
  failures: number;
}

export interface SeedDeviceRow {
  id: string;
  device_hash: string;
  device_name: string;
  created_at: Date;
  last_used_at: Date | null;
}

/** Why a seed stopped working (`reissue`: minted without a PIN before migration 010). */
export type SeedRevocation =
  | 'reissue'
  | 'replaced'
  | 'device_cap'
  | 'removed'
  | 'theft'
  | 'recovery'
  | 'password_change'
  | 'sign_out_others'
  | 'pin_reset';

const SEED_COLUMNS = 'id, user_id, seed_number, secret_enc, failures';

export async function findLiveSeedByNumber(q: Queryable, seedNumber: string): Promise<SeedRow | null> {
  const { rows } = await q.query<SeedRow>(
    `SELECT ${SEED_COLUMNS} FROM payment_code_seeds WHERE seed_number = $1 AND revoked_at IS NULL`,
    [seedNumber],
  );
  return rows[0] ?? null;
}

/** The most recently revoked seeds that carried this number (numbers are reused only after revocation). */
export async function recentlyRevokedSeeds(q: Queryable, seedNumber: string, limit: number): Promise<SeedRow[]> {
  const { rows } = await q.query<SeedRow>(
    `SELECT ${SEED_COLUMNS} FROM payment_code_seeds
     WHERE seed_number = $1 AND revoked_at IS NOT NULL ORDER BY revoked_at DESC LIMIT $2`,
    [seedNumber, limit],
  );
  return rows;
}

export async function resetSeedFailures(q: Queryable, seedId: string): Promise<void> {
  await q.query('UPDATE payment_code_seeds SET failures = 0 WHERE id = $1', [seedId]);
}

export async function countSeedFailure(q: Queryable, seedId: string): Promise<void> {
  await q.query('UPDATE payment_code_seeds SET failures = failures + 1 WHERE id = $1', [seedId]);
}

/** Stamps a charge on a seed still in use; false when it was revoked meanwhile. */
export async function markSeedUsed(q: Queryable, seedId: string, at: Date): Promise<boolean> {
  const { rows } = await q.query(
    'UPDATE payment_code_seeds SET last_used_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [seedId, at],
  );
  return rows.length > 0;
}

/** Serializes minting for one holder (the device cap counts what is live), on both engines. */
export async function lockHolderSeeds(q: Queryable, userId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`payment-code-seeds:${userId}`]);
}

export interface NewSeedRow {
  id: string;
  userId: string;
  deviceHash: string;
  deviceName: string;
  seedNumber: string;
  secretEnc: string;
  createdAt: Date;
}

export async function insertSeed(q: Queryable, row: NewSeedRow): Promise<void> {
  await q.query(
    `INSERT INTO payment_code_seeds (id, user_id, device_hash, device_name, seed_number, secret_enc, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.userId, row.deviceHash, row.deviceName, row.seedNumber, row.secretEnc, row.createdAt],
  );
}

export async function revokeDeviceSeed(q: Queryable, userId: string, deviceHash: string, at: Date): Promise<number> {
  const { rows } = await q.query(
    `UPDATE payment_code_seeds SET revoked_at = $3, revoked_reason = 'replaced'
     WHERE user_id = $1 AND device_hash = $2 AND revoked_at IS NULL RETURNING id`,
    [userId, deviceHash, at],
  );
  return rows.length;
}

/** Revokes the holder's live seeds beyond the newest `keep`, oldest first. */
export async function revokeSeedsBeyond(q: Queryable, userId: string, keep: number, at: Date): Promise<number> {
  const { rows } = await q.query(
    `UPDATE payment_code_seeds SET revoked_at = $3, revoked_reason = 'device_cap'
     WHERE id IN (SELECT id FROM payment_code_seeds WHERE user_id = $1 AND revoked_at IS NULL
                  ORDER BY created_at DESC, id DESC OFFSET $2)
     RETURNING id`,
    [userId, keep, at],
  );
  return rows.length;
}

export async function revokeAllSeeds(q: Queryable, userId: string, reason: SeedRevocation, at: Date): Promise<number> {
  const { rows } = await q.query(
    `UPDATE payment_code_seeds SET revoked_at = $3, revoked_reason = $2
     WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
    [userId, reason, at],
  );
  return rows.length;
}

/** Revokes one of the holder's own seeds; null when it is not theirs or not in use. */
export async function revokeOwnSeed(
  q: Queryable,
  userId: string,
  seedId: string,
  at: Date,
): Promise<{ device_name: string } | null> {
  const { rows } = await q.query<{ device_name: string }>(
    `UPDATE payment_code_seeds SET revoked_at = $3, revoked_reason = 'removed'
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING device_name`,
    [seedId, userId, at],
  );
  return rows[0] ?? null;
}

export async function liveSeedDevices(q: Queryable, userId: string, limit: number): Promise<SeedDeviceRow[]> {
  const { rows } = await q.query<SeedDeviceRow>(
    `SELECT id, device_hash, device_name, created_at, last_used_at FROM payment_code_seeds
     WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

export interface CodeUse {
  userId: string;
  step: number;
  seedId: string;
  merchantId: string;
  paymentId: string;
  usedAt: Date;
}

export async function insertCodeUse(q: Queryable, use: CodeUse): Promise<void> {
  await q.query(
    `INSERT INTO payment_code_uses (user_id, step, seed_id, merchant_id, payment_id, used_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [use.userId, use.step, use.seedId, use.merchantId, use.paymentId, use.usedAt],
  );
}
