import type { Queryable } from '../platform/db/types.js';

/** SQL on sessions: tokens are stored only as SHA-256 hashes. */

export interface SessionRow {
  id: string;
  principal_kind: 'user' | 'staff';
  principal_id: string;
  device_id: string | null;
  csrf_token: string;
  ip: string;
  user_agent: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export async function insertSession(
  q: Queryable,
  session: Omit<SessionRow, 'last_seen_at' | 'revoked_at'> & { token_hash: string },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id, token_hash, principal_kind, principal_id, device_id, csrf_token, ip, user_agent,
       created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
    [
      session.id,
      session.token_hash,
      session.principal_kind,
      session.principal_id,
      session.device_id,
      session.csrf_token,
      session.ip,
      session.user_agent,
      session.created_at,
      session.expires_at,
    ],
  );
}

export async function findSessionByTokenHash(q: Queryable, tokenHash: string): Promise<SessionRow | null> {
  const { rows } = await q.query<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
  return rows[0] ?? null;
}

export async function touchSession(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [id, at]);
}

/** The principal's live sessions (not revoked, not expired, used since `seenAfter`), most recent first. */
export async function listLiveSessions(
  q: Queryable,
  kind: 'user' | 'staff',
  principalId: string,
  now: Date,
  seenAfter: Date,
): Promise<SessionRow[]> {
  const { rows } = await q.query<SessionRow>(
    `SELECT * FROM sessions WHERE principal_kind = $1 AND principal_id = $2 AND revoked_at IS NULL AND expires_at > $3
       AND last_seen_at > $4 ORDER BY last_seen_at DESC LIMIT 50`,
    [kind, principalId, now, seenAfter],
  );
  return rows;
}

/** Revokes one of the principal's sessions; false when it is not theirs or already revoked. */
export async function revokeSession(
  q: Queryable,
  kind: 'user' | 'staff',
  principalId: string,
  sessionId: string,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE sessions SET revoked_at = $4
     WHERE id = $1 AND principal_kind = $2 AND principal_id = $3 AND revoked_at IS NULL`,
    [sessionId, kind, principalId, at],
  );
  return rowCount === 1;
}

/** Revokes every live session of the principal but `exceptSessionId`; how many. */
export async function revokeAllSessions(
  q: Queryable,
  kind: 'user' | 'staff',
  principalId: string,
  exceptSessionId: string | null,
  at: Date,
): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE sessions SET revoked_at = $4 WHERE principal_kind = $1 AND principal_id = $2 AND revoked_at IS NULL
       AND ($3::text IS NULL OR id <> $3)`,
    [kind, principalId, exceptSessionId, at],
  );
  return rowCount;
}
