import type { Queryable } from '../platform/db/types.js';

/** SQL on user_emails (the recovery address, sealed, with a keyed hash) and email_codes (keyed hashes). */

export interface UserEmailRow {
  user_id: string;
  email_enc: string | null;
  email_hash: string | null;
  verified_at: Date | null;
  pending_email_enc: string | null;
  pending_email_hash: string | null;
}

export async function findUserEmail(q: Queryable, userId: string, forUpdate = false): Promise<UserEmailRow | null> {
  const { rows } = await q.query<UserEmailRow>(
    `SELECT user_id, email_enc, email_hash, verified_at, pending_email_enc, pending_email_hash
     FROM user_emails WHERE user_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function setPendingEmail(
  q: Queryable,
  userId: string,
  pending: { enc: string; hash: string },
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO user_emails (user_id, pending_email_enc, pending_email_hash, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE
       SET pending_email_enc = EXCLUDED.pending_email_enc, pending_email_hash = EXCLUDED.pending_email_hash,
           updated_at = EXCLUDED.updated_at`,
    [userId, pending.enc, pending.hash, at],
  );
}

/** The pending address becomes the verified one. */
export async function promotePendingEmail(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE user_emails SET email_enc = pending_email_enc, email_hash = pending_email_hash, verified_at = $2,
       pending_email_enc = NULL, pending_email_hash = NULL, updated_at = $2
     WHERE user_id = $1`,
    [userId, at],
  );
}

export async function clearEmail(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE user_emails SET email_enc = NULL, email_hash = NULL, verified_at = NULL, pending_email_enc = NULL,
       pending_email_hash = NULL, updated_at = $2
     WHERE user_id = $1`,
    [userId, at],
  );
}

export async function insertEmailCode(
  q: Queryable,
  code: {
    id: string;
    userId: string;
    purpose: 'verify' | 'recover';
    emailHash: string;
    codeHash: string;
    expiresAt: Date;
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO email_codes (id, user_id, purpose, email_hash, code_hash, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [code.id, code.userId, code.purpose, code.emailHash, code.codeHash, code.expiresAt, code.createdAt],
  );
}

/** The newest unused, unexpired code of this holder, purpose and address, locked. */
export async function lockLiveEmailCode(
  q: Queryable,
  userId: string,
  purpose: 'verify' | 'recover',
  emailHash: string,
  now: Date,
): Promise<{ id: string; code_hash: string; attempts: number } | null> {
  const { rows } = await q.query<{ id: string; code_hash: string; attempts: number }>(
    `SELECT id, code_hash, attempts FROM email_codes
     WHERE user_id = $1 AND purpose = $2 AND email_hash = $3 AND used_at IS NULL AND expires_at > $4
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [userId, purpose, emailHash, now],
  );
  return rows[0] ?? null;
}

export async function countWrongEmailTry(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1', [id]);
}

export async function useEmailCode(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE email_codes SET used_at = $2 WHERE id = $1', [id, at]);
}
