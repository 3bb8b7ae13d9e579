import type { Queryable } from '../platform/db/types.js';

/** SQL on passkeys and WebAuthn challenges. */

export interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: bigint;
  transports: string[];
  name: string;
  aaguid: string;
  device_type: string;
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
  removed_at: Date | null;
}

export interface ChallengeRow {
  id: string;
  user_id: string | null;
  purpose: string;
  challenge: string;
  expires_at: Date;
  consumed_at: Date | null;
}

export async function insertChallenge(
  q: Queryable,
  challenge: {
    id: string;
    userId: string | null;
    purpose: string;
    challenge: string;
    ip: string;
    expiresAt: Date;
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    'INSERT INTO webauthn_challenges (id, user_id, purpose, challenge, ip, expires_at, created_at) VALUES ($1, $2, ' +
      '$3, $4, $5, $6, $7)',
    [
      challenge.id,
      challenge.userId,
      challenge.purpose,
      challenge.challenge,
      challenge.ip,
      challenge.expiresAt,
      challenge.createdAt,
    ],
  );
}

/** Spends a live challenge of this purpose: the first caller gets the row, every later one nothing. */
export async function consumeChallenge(
  q: Queryable,
  challenge: string,
  purpose: string,
  now: Date,
): Promise<ChallengeRow | null> {
  const { rows } = await q.query<ChallengeRow>(
    `UPDATE webauthn_challenges SET consumed_at = $3 WHERE challenge = $1 AND purpose = $2 AND consumed_at IS NULL
      AND expires_at > $3 RETURNING *`,
    [challenge, purpose, now],
  );
  return rows[0] ?? null;
}

export async function countChallengesFromIp(q: Queryable, ip: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM webauthn_challenges WHERE ip = $1 AND created_at > $2',
    [ip, since],
  );
  return Number(rows[0].n);
}

export async function deleteExpiredChallenges(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    'DELETE FROM webauthn_challenges WHERE id IN (SELECT id FROM webauthn_challenges WHERE expires_at < $1 LIMIT $2)',
    [before, limit],
  );
  return rowCount;
}

export async function insertPasskey(
  q: Queryable,
  passkey: Omit<PasskeyRow, 'last_used_at' | 'removed_at'>,
): Promise<void> {
  await q.query(
    `INSERT INTO passkeys (id, user_id, credential_id, public_key, counter, transports, name, aaguid, device_type,
      backed_up, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      passkey.id,
      passkey.user_id,
      passkey.credential_id,
      passkey.public_key,
      passkey.counter,
      passkey.transports,
      passkey.name,
      passkey.aaguid,
      passkey.device_type,
      passkey.backed_up,
      passkey.created_at,
    ],
  );
}

export async function livePasskeys(q: Queryable, userId: string): Promise<PasskeyRow[]> {
  const { rows } = await q.query<PasskeyRow>(
    'SELECT * FROM passkeys WHERE user_id = $1 AND removed_at IS NULL ORDER BY created_at, id LIMIT 50',
    [userId],
  );
  return rows;
}

export async function findLivePasskeyByCredential(q: Queryable, credentialId: string): Promise<PasskeyRow | null> {
  const { rows } = await q.query<PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = $1 AND removed_at IS NULL', [
    credentialId,
  ]);
  return rows[0] ?? null;
}

export async function renamePasskey(
  q: Queryable,
  userId: string,
  id: string,
  name: string,
): Promise<PasskeyRow | null> {
  const { rows } = await q.query<PasskeyRow>(
    'UPDATE passkeys SET name = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL RETURNING *',
    [id, userId, name],
  );
  return rows[0] ?? null;
}

export async function removePasskey(q: Queryable, userId: string, id: string, now: Date): Promise<PasskeyRow | null> {
  const { rows } = await q.query<PasskeyRow>(
    'UPDATE passkeys SET removed_at = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL RETURNING *',
    [id, userId, now],
  );
  return rows[0] ?? null;
}

export async function removeAllPasskeys(q: Queryable, userId: string, now: Date): Promise<number> {
  const { rowCount } = await q.query('UPDATE passkeys SET removed_at = $2 WHERE user_id = $1 AND removed_at IS NULL', [
    userId,
    now,
  ]);
  return rowCount;
}

/**
 * Records a use with its signature counter. The counter must grow (an authenticator that always
 * says 0 does not count); a concurrent use with the same counter loses. False means refused.
 */
export async function advanceCounter(q: Queryable, id: string, counter: number, now: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE passkeys SET counter = $2, last_used_at = $3 WHERE id = $1 AND removed_at IS NULL AND (counter < $2 OR
      ($2 = 0 AND counter = 0))`,
    [id, BigInt(counter), now],
  );
  return rowCount === 1;
}
