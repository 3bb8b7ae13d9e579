import type { Queryable } from '../platform/db/types.js';

/** SQL on sms_codes: one-time codes, kept as keyed hashes, counted per phone and per address. */

/** Codes sent in the window to this phone (by keyed hash) and from this address. */
export async function countRecentCodes(
  q: Queryable,
  phoneHash: string,
  ip: string,
  since: Date,
): Promise<{ byPhone: number; byIp: number }> {
  const { rows } = await q.query<{ by_phone: bigint; by_ip: bigint }>(
    `SELECT (SELECT count(*) FROM sms_codes WHERE phone_hash = $1 AND created_at > $3) AS by_phone,
            (SELECT count(*) FROM sms_codes WHERE ip = $2 AND created_at > $3) AS by_ip`,
    [phoneHash, ip, since],
  );
  return { byPhone: Number(rows[0].by_phone), byIp: Number(rows[0].by_ip) };
}

export async function insertCode(
  q: Queryable,
  code: {
    id: string;
    phoneHash: string;
    purpose: string;
    codeHash: string;
    ip: string;
    expiresAt: Date;
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO sms_codes (id, phone_hash, purpose, code_hash, ip, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [code.id, code.phoneHash, code.purpose, code.codeHash, code.ip, code.expiresAt, code.createdAt],
  );
}

/** The newest unspent, unexpired code for this phone and purpose, locked. */
export async function lockLiveCode(
  q: Queryable,
  phoneHash: string,
  purpose: string,
  now: Date,
): Promise<{ id: string; code_hash: string; attempts: number } | null> {
  const { rows } = await q.query<{ id: string; code_hash: string; attempts: number }>(
    `SELECT id, code_hash, attempts FROM sms_codes
     WHERE phone_hash = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $3
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [phoneHash, purpose, now],
  );
  return rows[0] ?? null;
}

export async function countWrongTry(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1', [id]);
}

export async function consumeCode(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE sms_codes SET consumed_at = $2 WHERE id = $1', [id, at]);
}
