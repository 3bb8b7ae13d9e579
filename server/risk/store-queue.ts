import type { Queryable } from '../platform/db/types.js';

/** SQL on the analysts' alerts and on restrictions. */

export type AlertKind = 'hold' | 'block' | 'denial' | 'restriction';

export interface AlertRow {
  id: string;
  user_id: string;
  kind: AlertKind;
  assessment_id: string | null;
  risk_hold_id: string | null;
  status: 'open' | 'claimed' | 'resolved';
  claimed_by: string | null;
  claimed_at: Date | null;
  resolution: string | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_at: Date;
}

export async function insertAlert(
  q: Queryable,
  alert: {
    id: string;
    userId: string;
    kind: AlertKind;
    assessmentId?: string | null;
    riskHoldId?: string | null;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO risk_alerts (id, user_id, kind, assessment_id, risk_hold_id, status, created_at) VALUES ($1, $2, $3,
      $4, $5, 'open', $6)`,
    [alert.id, alert.userId, alert.kind, alert.assessmentId ?? null, alert.riskHoldId ?? null, alert.at],
  );
}

export async function findAlert(q: Queryable, id: string, forUpdate = false): Promise<AlertRow | null> {
  const { rows } = await q.query<AlertRow>(`SELECT * FROM risk_alerts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ?? null;
}

export async function listAlerts(
  q: Queryable,
  filter: { status: AlertRow['status'] | null; before: string | null; limit: number },
): Promise<AlertRow[]> {
  const { rows } = await q.query<AlertRow>(
    `SELECT * FROM risk_alerts WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id < $2) ORDER BY id
      DESC LIMIT $3`,
    [filter.status, filter.before, filter.limit],
  );
  return rows;
}

export async function claimAlert(q: Queryable, id: string, staffId: string, at: Date): Promise<void> {
  await q.query(`UPDATE risk_alerts SET status = 'claimed', claimed_by = $2, claimed_at = $3 WHERE id = $1`, [
    id,
    staffId,
    at,
  ]);
}

export async function resolveAlert(
  q: Queryable,
  id: string,
  resolution: { resolution: string; note: string | null; by: string; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE risk_alerts SET status = 'resolved', resolution = $2, resolution_note = $3, resolved_by = $4, resolved_at
      = $5 WHERE id = $1`,
    [id, resolution.resolution, resolution.note, resolution.by, resolution.at],
  );
}

/** Closes the open alerts about a hold once the holder settled it themselves. */
export async function resolveAlertsForHold(
  q: Queryable,
  riskHoldId: string,
  resolution: string,
  by: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE risk_alerts SET status = 'resolved', resolution = $2, resolved_by = $3, resolved_at = $4 WHERE
      risk_hold_id = $1 AND kind = 'hold' AND status <> 'resolved'`,
    [riskHoldId, resolution, by, at],
  );
}

export interface RestrictionRow {
  id: string;
  user_id: string;
  reason_code: string;
  details: Record<string, unknown>;
  lift_by: 'reverify' | 'support';
  source: 'auto' | 'staff';
  created_by: string;
  created_at: Date;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
  /** Lifted by staff as a false positive: what it got in the way of was Tongbao's own fault. */
  false_positive: boolean;
}

/** Returns false when the holder already has an active restriction. */
export async function insertRestriction(
  q: Queryable,
  row: Omit<RestrictionRow, 'lifted_at' | 'lifted_by' | 'lift_reason' | 'false_positive'>,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO risk_restrictions (id, user_id, reason_code, details, lift_by, source, created_by, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (user_id) WHERE lifted_at IS NULL DO NOTHING`,
    [row.id, row.user_id, row.reason_code, row.details, row.lift_by, row.source, row.created_by, row.created_at],
  );
  return rowCount === 1;
}

export async function activeRestriction(
  q: Queryable,
  userId: string,
  forUpdate = false,
): Promise<RestrictionRow | null> {
  const { rows } = await q.query<RestrictionRow>(
    `SELECT * FROM risk_restrictions WHERE user_id = $1 AND lifted_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function restrictionsOf(q: Queryable, userId: string, limit: number): Promise<RestrictionRow[]> {
  const { rows } = await q.query<RestrictionRow>(
    'SELECT * FROM risk_restrictions WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    [userId, limit],
  );
  return rows;
}

export async function liftRestriction(
  q: Queryable,
  id: string,
  by: string,
  reason: string,
  at: Date,
  falsePositive = false,
): Promise<void> {
  await q.query(
    `UPDATE risk_restrictions SET lifted_at = $2, lifted_by = $3, lift_reason = $4, false_positive = $5
      WHERE id = $1`,
    [id, at, by, reason, falsePositive],
  );
}

export async function recentAssessments(q: Queryable, userId: string, limit: number) {
  const { rows } = await q.query<{
    id: string;
    reference: string;
    channel: string;
    amount: bigint;
    currency: string;
    payee_display: string;
    payee_key: string;
    outcome: string;
    proceeded: boolean;
    ip: string | null;
    device_id: string | null;
    created_at: Date;
  }>(
    `SELECT id, reference, channel, amount, currency, payee_display, payee_key, outcome, proceeded, ip, device_id,
      created_at FROM risk_assessments WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}
