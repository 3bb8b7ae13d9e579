import type { Queryable } from '../platform/db/types.js';

/** Evidence the holder adds to a security case, and claw-backs of stolen money: every statement. */

export interface EvidenceRow {
  id: string;
  case_id: string;
  user_id: string;
  kind: 'police_report' | 'note' | 'file';
  body: string | null;
  attachment_id: string | null;
  created_at: Date;
  content_type?: string | null;
  size_bytes?: number | null;
  file_name?: string | null;
}

export type ClawbackStatus = 'held' | 'return_pending' | 'returned' | 'released';

export interface ClawbackRow {
  id: string;
  case_id: string;
  transfer_id: string;
  from_user_id: string;
  to_user_id: string;
  victim_wallet_id: string;
  receiver_wallet_id: string;
  amount: bigint;
  hold_id: string;
  status: ClawbackStatus;
  return_requested_by: string | null;
  return_reason: string | null;
  return_approved_by: string | null;
  reason: string;
  created_by: string;
  created_at: Date;
  returned_at: Date | null;
  entry_id: string | null;
}

export async function insertEvidence(q: Queryable, row: EvidenceRow): Promise<void> {
  await q.query(
    `INSERT INTO support_case_evidence (id, case_id, user_id, kind, body, attachment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.case_id, row.user_id, row.kind, row.body, row.attachment_id, row.created_at],
  );
}

export async function listEvidence(q: Queryable, caseId: string): Promise<EvidenceRow[]> {
  const { rows } = await q.query<EvidenceRow>(
    `SELECT e.*, a.content_type, a.size_bytes, a.file_name
       FROM support_case_evidence e LEFT JOIN support_attachments a ON a.id = e.attachment_id
      WHERE e.case_id = $1 ORDER BY e.id LIMIT 200`,
    [caseId],
  );
  return rows;
}

export async function findEvidence(q: Queryable, id: string): Promise<EvidenceRow | null> {
  const { rows } = await q.query<EvidenceRow>(`SELECT * FROM support_case_evidence WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function insertClawback(q: Queryable, row: ClawbackRow): Promise<void> {
  await q.query(
    `INSERT INTO support_clawbacks (id, case_id, transfer_id, from_user_id, to_user_id, victim_wallet_id,
       receiver_wallet_id, amount, hold_id, status, reason, created_by, created_at, returned_at, entry_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      row.id,
      row.case_id,
      row.transfer_id,
      row.from_user_id,
      row.to_user_id,
      row.victim_wallet_id,
      row.receiver_wallet_id,
      row.amount,
      row.hold_id,
      row.status,
      row.reason,
      row.created_by,
      row.created_at,
      row.returned_at,
      row.entry_id,
    ],
  );
}

export async function findClawback(q: Queryable, id: string, forUpdate = false): Promise<ClawbackRow | null> {
  const { rows } = await q.query<ClawbackRow>(
    `SELECT * FROM support_clawbacks WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

const PATCHABLE = [
  'status',
  'returned_at',
  'entry_id',
  'hold_id',
  'return_requested_by',
  'return_reason',
  'return_approved_by',
] as const;

export async function updateClawback(
  q: Queryable,
  id: string,
  patch: Partial<Pick<ClawbackRow, (typeof PATCHABLE)[number]>>,
): Promise<void> {
  const columns = Object.keys(patch).filter((c) => (PATCHABLE as readonly string[]).includes(c));
  if (columns.length === 0) return;
  await q.query(
    `UPDATE support_clawbacks SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...columns.map((column) => (patch as Record<string, unknown>)[column])],
  );
}

export async function listClawbacks(q: Queryable, filter: { caseId: string | null; limit: number }) {
  const { rows } = await q.query<ClawbackRow>(
    `SELECT * FROM support_clawbacks WHERE ($1::text IS NULL OR case_id = $1::text) ORDER BY id DESC LIMIT $2`,
    [filter.caseId, filter.limit],
  );
  return rows;
}
