import type { Queryable } from '../platform/db/types.js';

/** The step-up texts sent (risk_step_up_texts): counted for the per-operation and per-holder caps. */

/** Serialises a holder's step-up texts for the rest of the transaction, so the daily cap holds under concurrency. */
export async function lockStepUpTexts(q: Queryable, userId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`risk-step-up-texts:${userId}`]);
}

/**
 * Step-up texts sent for one assessment since `operationSince` (and the oldest of them), and to
 * its holder since `holderSince`.
 */
export async function countStepUpTexts(
  q: Queryable,
  assessmentId: string,
  operationSince: Date,
  userId: string,
  holderSince: Date,
) {
  const { rows } = await q.query<{ for_operation: number; oldest_for_operation: Date | null; for_holder: number }>(
    `SELECT count(*)::int AS for_operation, min(sent_at) AS oldest_for_operation,
            (SELECT count(*)::int FROM risk_step_up_texts WHERE user_id = $3 AND sent_at >= $4) AS for_holder
     FROM risk_step_up_texts WHERE assessment_id = $1 AND sent_at > $2`,
    [assessmentId, operationSince, userId, holderSince],
  );
  const counted = rows[0];
  return {
    forOperation: counted.for_operation,
    oldestForOperation: counted.oldest_for_operation,
    forHolder: counted.for_holder,
  };
}

export async function insertStepUpText(q: Queryable, assessmentId: string, userId: string, sentAt: Date) {
  await q.query('INSERT INTO risk_step_up_texts (assessment_id, user_id, sent_at) VALUES ($1, $2, $3)', [
    assessmentId,
    userId,
    sentAt,
  ]);
}
