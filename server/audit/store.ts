import type { Queryable } from '../platform/db/types.js';

/** SQL on the audit log (append-only: the database refuses UPDATE and DELETE on it). */

export interface AuditRow {
  seq: bigint;
  id: string;
  actor_kind: 'user' | 'staff' | 'system' | 'operator';
  actor_id: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
}

export async function insertAuditRow(q: Queryable, row: Omit<AuditRow, 'seq'>): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (id, actor_kind, actor_id, action, subject_type, subject_id, details, ip, request_id,
      created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.id,
      row.actor_kind,
      row.actor_id,
      row.action,
      row.subject_type,
      row.subject_id,
      row.details,
      row.ip,
      row.request_id,
      row.created_at,
    ],
  );
}

export interface AuditRowFilter {
  actorId: string | null;
  subjectId: string | null;
  action: string | null;
  actionPrefix: string | null;
  actorKind: string | null;
  subjectType: string | null;
  from: Date | null;
  to: Date | null;
  beforeSeq: number | null;
  limit: number;
}

/** Newest first; a null filter field matches everything. */
export async function findAuditRows(q: Queryable, f: AuditRowFilter): Promise<AuditRow[]> {
  const { rows } = await q.query<AuditRow>(
    `SELECT * FROM audit_log WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR subject_id = $2)
       AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR starts_with(action, $4))
       AND ($5::text IS NULL OR actor_kind = $5) AND ($6::text IS NULL OR subject_type = $6)
       AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8)
       AND ($9::bigint IS NULL OR seq < $9) ORDER BY seq DESC LIMIT $10`,
    [f.actorId, f.subjectId, f.action, f.actionPrefix, f.actorKind, f.subjectType, f.from, f.to, f.beforeSeq, f.limit],
  );
  return rows;
}
