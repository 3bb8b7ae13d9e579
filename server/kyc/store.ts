import type { Queryable } from '../platform/db/types.js';
import type { DocumentSide, DocumentType } from './adapter.js';
import type { DocumentContentType } from './documents.js';
import type { CheckFindings, Outcome } from './rules.js';

/** SQL on submissions, their encrypted documents and tier changes. */

export type SubmissionStatus = 'checking' | 'approved' | 'rejected' | 'manual_review' | 'override_pending';
export const OPEN_STATUSES: readonly SubmissionStatus[] = ['checking', 'manual_review', 'override_pending'];

export interface SubmissionRow {
  id: string;
  user_id: string;
  document_type: DocumentType;
  status: SubmissionStatus;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  auto_outcome: Outcome | null;
  auto_reason: string | null;
  check_report: CheckFindings | null;
  check_attempts: number;
  check_started_at: Date | null;
  claimed_by: string | null;
  claimed_until: Date | null;
  override_by: string | null;
  override_note: string | null;
  override_at: Date | null;
  review_note: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DocumentRow {
  side: DocumentSide;
  content_type: DocumentContentType;
  size_bytes: number;
  content_enc: Uint8Array;
}

export async function insertSubmission(
  q: Queryable,
  row: { id: string; userId: string; documentType: DocumentType; now: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO kyc_submissions (id, user_id, document_type, status, check_attempts, check_started_at, created_at,
      updated_at)
     VALUES ($1, $2, $3, 'checking', 1, $4, $4, $4)`,
    [row.id, row.userId, row.documentType, row.now],
  );
}

export async function insertDocument(
  q: Queryable,
  doc: {
    submissionId: string;
    side: DocumentSide;
    contentType: DocumentContentType;
    sizeBytes: number;
    sealed: Buffer;
    now: Date;
  },
): Promise<void> {
  await q.query(
    'INSERT INTO kyc_documents (submission_id, side, content_type, size_bytes, content_enc, created_at) VALUES ($1, ' +
      '$2, $3, $4, $5, $6)',
    [doc.submissionId, doc.side, doc.contentType, doc.sizeBytes, doc.sealed, doc.now],
  );
}

export async function findSubmission(q: Queryable, id: string, forUpdate = false): Promise<SubmissionRow | null> {
  const { rows } = await q.query<SubmissionRow>(
    `SELECT * FROM kyc_submissions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function latestSubmission(q: Queryable, userId: string): Promise<SubmissionRow | null> {
  const { rows } = await q.query<SubmissionRow>(
    'SELECT * FROM kyc_submissions WHERE user_id = $1 ORDER BY id DESC LIMIT 1',
    [userId],
  );
  return rows[0] ?? null;
}

export async function countSubmissionsSince(q: Queryable, userId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: bigint | number }>(
    'SELECT count(*) AS n FROM kyc_submissions WHERE user_id = $1 AND created_at >= $2',
    [userId, since],
  );
  return Number(rows[0].n);
}

export async function listSubmissionsOfUser(
  q: Queryable,
  userId: string,
  before: string | null,
  limit: number,
): Promise<SubmissionRow[]> {
  const { rows } = await q.query<SubmissionRow>(
    'SELECT * FROM kyc_submissions WHERE user_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3',
    [userId, before, limit],
  );
  return rows;
}

/** The review queue, oldest first, by cursor (ids are time-ordered). */
export async function listByStatus(
  q: Queryable,
  statuses: readonly SubmissionStatus[],
  after: string | null,
  limit: number,
): Promise<SubmissionRow[]> {
  const { rows } = await q.query<SubmissionRow>(
    'SELECT * FROM kyc_submissions WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR id > $2) ORDER BY id ' +
      'LIMIT $3',
    [statuses, after, limit],
  );
  return rows;
}

export async function findDocuments(q: Queryable, submissionId: string): Promise<DocumentRow[]> {
  const { rows } = await q.query<DocumentRow>(
    'SELECT side, content_type, size_bytes, content_enc FROM kyc_documents WHERE submission_id = $1 ORDER BY side',
    [submissionId],
  );
  return rows;
}

export async function documentSides(
  q: Queryable,
  submissionId: string,
): Promise<{ side: DocumentSide; content_type: DocumentContentType; size_bytes: number }[]> {
  const { rows } = await q.query<{ side: DocumentSide; content_type: DocumentContentType; size_bytes: number }>(
    'SELECT side, content_type, size_bytes FROM kyc_documents WHERE submission_id = $1 ORDER BY side',
    [submissionId],
  );
  return rows;
}

export async function findDocument(q: Queryable, submissionId: string, side: string): Promise<DocumentRow | null> {
  const { rows } = await q.query<DocumentRow>(
    'SELECT side, content_type, size_bytes, content_enc FROM kyc_documents WHERE submission_id = $1 AND side = $2',
    [submissionId, side],
  );
  return rows[0] ?? null;
}

/**
 * Claims submissions left in 'checking' since before `staleBefore` (a crash, or a check that
 * timed out) for another attempt. SKIP LOCKED lets several workers share the work.
 */
export async function claimStuckChecks(
  q: Queryable,
  staleBefore: Date,
  now: Date,
  limit: number,
): Promise<SubmissionRow[]> {
  const { rows } = await q.query<SubmissionRow>(
    `UPDATE kyc_submissions SET check_attempts = check_attempts + 1, check_started_at = $2, updated_at = $2
     WHERE id IN (SELECT id FROM kyc_submissions WHERE status = 'checking' AND check_started_at < $1 ORDER BY id
      LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [staleBefore, now, limit],
  );
  return rows;
}

/** Records the automated decision, only if this attempt is still the latest one. */
export async function recordAutoDecision(
  q: Queryable,
  change: {
    id: string;
    attempt: number;
    status: SubmissionStatus;
    reason: string | null;
    findings: CheckFindings | null;
    now: Date;
  },
): Promise<SubmissionRow | null> {
  const decided = change.status === 'approved' || change.status === 'rejected';
  const { rows } = await q.query<SubmissionRow>(
    `UPDATE kyc_submissions SET status = $3, reason = $4, auto_outcome = $3, auto_reason = $4, check_report = $5,
       decided_by = CASE WHEN $6 THEN 'auto' END, decided_at = CASE WHEN $6 THEN $7::timestamptz END, updated_at = $7
     WHERE id = $1 AND status = 'checking' AND check_attempts = $2 RETURNING *`,
    [change.id, change.attempt, change.status, change.reason, change.findings, decided, change.now],
  );
  return rows[0] ?? null;
}

/**
 * Holders whose documents were approved since `since` but whose tier was never raised for that
 * submission: the verified tier waits for a same-name bank card.
 */
export async function approvedAwaitingCard(q: Queryable, since: Date, limit: number): Promise<{ user_id: string }[]> {
  const { rows } = await q.query<{ user_id: string }>(
    `SELECT s.user_id FROM kyc_submissions s
     WHERE s.status = 'approved' AND s.decided_at >= $1
       AND NOT EXISTS (SELECT 1 FROM kyc_tier_changes c WHERE c.submission_id = s.id)
     ORDER BY s.decided_at DESC LIMIT $2`,
    [since, limit],
  );
  return rows;
}

export async function setClaim(
  q: Queryable,
  id: string,
  staffId: string | null,
  until: Date | null,
  now: Date,
): Promise<void> {
  await q.query('UPDATE kyc_submissions SET claimed_by = $2, claimed_until = $3, updated_at = $4 WHERE id = $1', [
    id,
    staffId,
    until,
    now,
  ]);
}

export async function recordStaffDecision(
  q: Queryable,
  change: { id: string; status: SubmissionStatus; reason: string | null; staffId: string; note: string; now: Date },
): Promise<void> {
  await q.query(
    `UPDATE kyc_submissions SET status = $2, reason = $3, decided_by = $4, decided_at = $6, review_note = $5,
       claimed_by = NULL, claimed_until = NULL, updated_at = $6 WHERE id = $1`,
    [change.id, change.status, change.reason, change.staffId, change.note, change.now],
  );
}

export async function recordOverrideProposal(
  q: Queryable,
  change: { id: string; staffId: string; note: string; now: Date },
): Promise<void> {
  await q.query(
    `UPDATE kyc_submissions SET status = 'override_pending', override_by = $2, override_note = $3, override_at = $4,
       claimed_by = NULL, claimed_until = NULL, updated_at = $4 WHERE id = $1`,
    [change.id, change.staffId, change.note, change.now],
  );
}

export async function insertTierChange(
  q: Queryable,
  change: {
    id: string;
    userId: string;
    fromTier: string;
    toTier: string;
    source: 'verification' | 'staff' | 'card';
    actorId: string;
    reason: string | null;
    submissionId: string | null;
    now: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO kyc_tier_changes (id, user_id, from_tier, to_tier, source, actor_id, reason, submission_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      change.id,
      change.userId,
      change.fromTier,
      change.toTier,
      change.source,
      change.actorId,
      change.reason,
      change.submissionId,
      change.now,
    ],
  );
}
