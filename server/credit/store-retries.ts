import type { Queryable } from '../platform/db/types.js';

/** Bureau corrections waiting to be tried again (migration 036, bureau-retries.ts). */

export type RetryKind = 'correct_record' | 'fault_correction';

export interface RetryRow {
  id: string;
  user_id: string;
  kind: RetryKind;
  reference: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'done';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  done_at: Date | null;
}

/** A new piece of work; one per reference (a second failure of the same work keeps the first row). */
export async function insertRetry(q: Queryable, row: RetryRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_bureau_retries (id, user_id, kind, reference, payload, status, attempts, next_attempt_at,
       last_error, created_at, done_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (reference) DO NOTHING RETURNING id`,
    [
      row.id,
      row.user_id,
      row.kind,
      row.reference,
      JSON.stringify(row.payload),
      row.status,
      row.attempts,
      row.next_attempt_at,
      row.last_error,
      row.created_at,
      row.done_at,
    ],
  );
  return rows.length > 0;
}

/** Pending work whose next attempt is due, oldest first. */
export async function dueRetries(q: Queryable, now: Date, limit: number): Promise<RetryRow[]> {
  const { rows } = await q.query<RetryRow>(
    `SELECT * FROM credit_bureau_retries WHERE status = 'pending' AND next_attempt_at <= $1
      ORDER BY next_attempt_at, id LIMIT $2`,
    [now, limit],
  );
  return rows;
}

/** Claims one attempt: the row moves its next attempt forward first, so a second runner skips it. */
export async function claimRetry(q: Queryable, id: string, seenAttempts: number, next: Date): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE credit_bureau_retries SET attempts = attempts + 1, next_attempt_at = $3
      WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING id`,
    [id, seenAttempts, next],
  );
  return rows.length > 0;
}

export async function finishRetry(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE credit_bureau_retries SET status = 'done', done_at = $2, last_error = NULL WHERE id = $1`, [
    id,
    at,
  ]);
}

export async function failRetry(q: Queryable, id: string, error: string): Promise<void> {
  await q.query('UPDATE credit_bureau_retries SET last_error = $2 WHERE id = $1', [id, error]);
}

/** What staff see: every piece of work still pending, the longest-failing first. */
export async function pendingRetries(q: Queryable, limit: number): Promise<RetryRow[]> {
  const { rows } = await q.query<RetryRow>(
    `SELECT * FROM credit_bureau_retries WHERE status = 'pending' ORDER BY attempts DESC, created_at LIMIT $1`,
    [limit],
  );
  return rows;
}
