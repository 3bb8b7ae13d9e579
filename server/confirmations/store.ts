import type { Queryable } from '../platform/db/types.js';

/** SQL on payment_confirmations: one row per operation to confirm, spent once. */

export interface ConfirmationRow {
  id: string;
  user_id: string;
  reference: string;
  amount: bigint;
  currency: string;
  payee: string;
  nonce: string;
  challenge: string;
  status: 'pending' | 'confirmed' | 'used' | 'failed' | 'expired';
  failures: number;
  expires_at: Date;
}

export async function insertConfirmation(
  q: Queryable,
  row: Omit<ConfirmationRow, 'status' | 'failures'> & { created_at: Date },
): Promise<ConfirmationRow> {
  const { rows } = await q.query<ConfirmationRow>(
    `INSERT INTO payment_confirmations
       (id, user_id, reference, amount, currency, payee, nonce, challenge, status, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING *`,
    [
      row.id,
      row.user_id,
      row.reference,
      row.amount,
      row.currency,
      row.payee,
      row.nonce,
      row.challenge,
      row.expires_at,
      row.created_at,
    ],
  );
  return rows[0];
}

/** The holder's confirmation; with `forUpdate`, locked for the rest of the transaction. */
export async function findConfirmation(
  q: Queryable,
  userId: string,
  id: string,
  forUpdate = false,
): Promise<ConfirmationRow | null> {
  const { rows } = await q.query<ConfirmationRow>(
    `SELECT * FROM payment_confirmations WHERE id = $1 AND user_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, userId],
  );
  return rows[0] ?? null;
}

/**
 * Spends, in one statement, each confirmation that would pass the full check as it stands: the
 * holder's, confirmed, not expired, and its challenge equal to SHA-256 (base64url) of the operation's
 * challenge text followed by the row's nonce, which is `confirmationChallenge` of the service
 * computed by PostgreSQL. Answers the ids spent; the others are untouched, for the full check.
 */
export async function spendMatching(
  q: Queryable,
  items: readonly { id: string; userId: string; challengeText: string }[],
  now: Date,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `UPDATE payment_confirmations c SET status = 'used', used_at = $4
     FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, user_id, challenge_text)
     WHERE c.id = v.id AND c.user_id = v.user_id AND c.status = 'confirmed' AND c.expires_at > $4
       AND c.challenge = translate(rtrim(encode(sha256(convert_to(v.challenge_text || c.nonce, 'UTF8')), 'base64'),
         '='), '+/', '-_')
     RETURNING c.id`,
    [items.map((item) => item.id), items.map((item) => item.userId), items.map((item) => item.challengeText), now],
  );
  return rows.map((row) => row.id);
}

/** Many confirmations locked in id order (a group-committed batch). */
export async function lockConfirmations(q: Queryable, ids: readonly string[]): Promise<ConfirmationRow[]> {
  const { rows } = await q.query<ConfirmationRow>(
    'SELECT * FROM payment_confirmations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return rows;
}

/** One more failure on a pending confirmation; the `maxFailures`-th spends it. */
export async function recordFailure(q: Queryable, id: string, maxFailures: number): Promise<void> {
  await q.query(
    `UPDATE payment_confirmations
       SET failures = failures + 1, status = CASE WHEN failures + 1 >= $2 THEN 'failed' ELSE status END
     WHERE id = $1 AND status = 'pending'`,
    [id, maxFailures],
  );
}

/** Marks a pending, unexpired confirmation approved; null when it is not (any more). */
/**
 * The common case of a PIN confirmation in one statement: the holder's row is locked (as the PIN
 * check's transaction locks it) and the confirmation approved only when the stored PIN hash is the
 * one given (the right PIN under the current key), no wrong PIN is counted and the PIN is not locked.
 * Null when any of that fails: the caller then runs the full check, which says why and counts it.
 * It reads identity's PIN columns of `users`, as the PIN check does.
 */
export async function confirmIfPinMatches(
  q: Queryable,
  userId: string,
  id: string,
  pinHash: string,
  now: Date,
): Promise<ConfirmationRow | null> {
  const { rows } = await q.query<ConfirmationRow>(
    `WITH holder AS (
       SELECT id FROM users
       WHERE id = $2 AND pin_hash = $3 AND pin_failures = 0 AND (pin_locked_until IS NULL OR pin_locked_until <= $4)
       FOR UPDATE)
     UPDATE payment_confirmations c SET status = 'confirmed', method = 'pin', confirmed_at = $4
     FROM holder WHERE c.id = $1 AND c.user_id = holder.id AND c.status = 'pending' AND c.expires_at > $4
     RETURNING c.*`,
    [id, userId, pinHash, now],
  );
  return rows[0] ?? null;
}

export async function markConfirmed(
  q: Queryable,
  userId: string,
  id: string,
  method: 'pin' | 'passkey',
  now: Date,
): Promise<ConfirmationRow | null> {
  const { rows } = await q.query<ConfirmationRow>(
    `UPDATE payment_confirmations SET status = 'confirmed', method = $3, confirmed_at = $4
     WHERE id = $1 AND user_id = $2 AND status = 'pending' AND expires_at > $4 RETURNING *`,
    [id, userId, method, now],
  );
  return rows[0] ?? null;
}

export async function markUsed(q: Queryable, ids: readonly string[], now: Date): Promise<void> {
  await q.query(`UPDATE payment_confirmations SET status = 'used', used_at = $2 WHERE id = ANY($1::text[])`, [
    ids,
    now,
  ]);
}
