import type { Queryable } from '../platform/db/types.js';

/** SQL on approval requests (maker-checker). */

export type ApprovalKind =
  | 'kyc.tier_change'
  | 'risk.rule_change'
  | 'ledger.operator_movement'
  | 'savings.product_change'
  | 'credit.referral_decision'
  | 'credit.write_off';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'failed';
export type PartyKind = 'staff' | 'operator';

export interface ApprovalRow {
  id: string;
  kind: ApprovalKind;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  reason: string;
  requested_by_kind: PartyKind;
  requested_by: string;
  status: ApprovalStatus;
  decided_by_kind: PartyKind | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  outcome: Record<string, unknown> | null;
  created_at: Date;
}

export async function insertApproval(
  q: Queryable,
  row: Pick<
    ApprovalRow,
    | 'id'
    | 'kind'
    | 'subject_type'
    | 'subject_id'
    | 'payload'
    | 'reason'
    | 'requested_by_kind'
    | 'requested_by'
    | 'created_at'
  >,
): Promise<ApprovalRow> {
  const { rows } = await q.query<ApprovalRow>(
    `INSERT INTO approval_requests (id, kind, subject_type, subject_id, payload, reason,
       requested_by_kind, requested_by, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) RETURNING *`,
    [
      row.id,
      row.kind,
      row.subject_type,
      row.subject_id,
      row.payload,
      row.reason,
      row.requested_by_kind,
      row.requested_by,
      row.created_at,
    ],
  );
  return rows[0];
}

export async function findApproval(q: Queryable, id: string, forUpdate = false): Promise<ApprovalRow | null> {
  const lock = forUpdate ? ' FOR UPDATE' : '';
  const { rows } = await q.query<ApprovalRow>(`SELECT * FROM approval_requests WHERE id = $1${lock}`, [id]);
  return rows[0] ?? null;
}

export async function findPending(q: Queryable, kind: ApprovalKind, subjectId: string): Promise<ApprovalRow | null> {
  const { rows } = await q.query<ApprovalRow>(
    `SELECT * FROM approval_requests WHERE kind = $1 AND subject_id = $2 AND status = 'pending'`,
    [kind, subjectId],
  );
  return rows[0] ?? null;
}

/** Newest first, by cursor (ids are time-ordered). */
export async function listApprovals(
  q: Queryable,
  filter: { kinds: readonly ApprovalKind[]; status: ApprovalStatus | null; before: string | null; limit: number },
): Promise<ApprovalRow[]> {
  const { rows } = await q.query<ApprovalRow>(
    `SELECT * FROM approval_requests WHERE kind = ANY($1::text[]) AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
    [filter.kinds, filter.status, filter.before, filter.limit],
  );
  return rows;
}

export async function recordDecision(
  q: Queryable,
  decision: {
    id: string;
    status: Exclude<ApprovalStatus, 'pending'>;
    byKind: PartyKind;
    by: string;
    note: string | null;
    outcome: Record<string, unknown> | null;
    at: Date;
  },
): Promise<ApprovalRow> {
  const { rows } = await q.query<ApprovalRow>(
    `UPDATE approval_requests
        SET status = $2, decided_by_kind = $3, decided_by = $4, decision_note = $5, outcome = $6, decided_at = $7
      WHERE id = $1 AND status = 'pending' RETURNING *`,
    [decision.id, decision.status, decision.byKind, decision.by, decision.note, decision.outcome, decision.at],
  );
  if (!rows[0]) throw new Error(`approval ${decision.id} was not pending when decided`);
  return rows[0];
}
