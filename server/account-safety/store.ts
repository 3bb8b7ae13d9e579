import type { Queryable } from '../platform/db/types.js';

/** SQL on security_cases: theft reports opened for staff. */

export interface SecurityCaseRow {
  id: string;
  user_id: string;
  kind: string;
  status: string;
  details: Record<string, unknown>;
  created_at: Date;
}

export async function insertCase(
  q: Queryable,
  securityCase: { id: string; userId: string; kind: string; details: Record<string, unknown>; createdAt: Date },
): Promise<void> {
  await q.query('INSERT INTO security_cases (id, user_id, kind, details, created_at) VALUES ($1, $2, $3, $4, $5)', [
    securityCase.id,
    securityCase.userId,
    securityCase.kind,
    securityCase.details,
    securityCase.createdAt,
  ]);
}

export async function listCases(
  q: Queryable,
  filter: { userId?: string; status?: string; kind?: string; before?: string; limit: number },
): Promise<SecurityCaseRow[]> {
  const { rows } = await q.query<SecurityCaseRow>(
    `SELECT * FROM security_cases WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
    [filter.userId ?? null, filter.status ?? null, filter.kind ?? null, filter.before ?? null, filter.limit],
  );
  return rows;
}

export async function findCase(q: Queryable, caseId: string, forUpdate = false): Promise<SecurityCaseRow | null> {
  const { rows } = await q.query<SecurityCaseRow>(
    `SELECT * FROM security_cases WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [caseId],
  );
  return rows[0] ?? null;
}

export async function closeCase(q: Queryable, caseId: string): Promise<void> {
  await q.query(`UPDATE security_cases SET status = 'closed' WHERE id = $1`, [caseId]);
}
