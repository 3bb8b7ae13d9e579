import type { Queryable } from '../platform/db/types.js';
import type { RiskAction, RiskOutcome, RuleConfig, RuleName } from './rules.js';

/** SQL on the risk tables only. */

export interface RuleRow {
  rule: RuleName;
  version: number;
  enabled: boolean;
  action: RiskAction;
  thresholds: Record<string, unknown>;
  updated_by: string;
  updated_at: Date;
}

export async function loadRules(q: Queryable): Promise<RuleRow[]> {
  const { rows } = await q.query<RuleRow>('SELECT * FROM risk_rules ORDER BY rule');
  return rows;
}

export async function lockRule(q: Queryable, rule: string): Promise<RuleRow | null> {
  const { rows } = await q.query<RuleRow>('SELECT * FROM risk_rules WHERE rule = $1 FOR UPDATE', [rule]);
  return rows[0] ?? null;
}

export async function saveRuleVersion(
  q: Queryable,
  rule: RuleConfig,
  by: string,
  reason: string,
  at: Date,
): Promise<void> {
  await q.query(
    'UPDATE risk_rules SET version = $2, enabled = $3, action = $4, thresholds = $5, updated_by = $6, updated_at = ' +
      '$7 WHERE rule = $1',
    [rule.rule, rule.version, rule.enabled, rule.action, rule.thresholds, by, at],
  );
  await q.query(
    'INSERT INTO risk_rule_versions (rule, version, enabled, action, thresholds, changed_by, reason, created_at) ' +
      'VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [rule.rule, rule.version, rule.enabled, rule.action, rule.thresholds, by, reason, at],
  );
}

export interface StoredReason {
  rule: string;
  code: string;
  action: RiskAction;
  version?: number;
  details: Record<string, unknown>;
}

export interface AssessmentRow {
  id: string;
  user_id: string;
  wallet_account_id: string;
  reference: string;
  channel: string;
  amount: bigint;
  currency: string;
  payee_key: string;
  payee_display: string;
  device_id: string | null;
  ip: string | null;
  network: string | null;
  outcome: RiskOutcome;
  reasons: StoredReason[];
  proceeded: boolean;
  step_up_verified_at: Date | null;
  step_up_code_hash: string | null;
  step_up_code_expires_at: Date | null;
  step_up_code_attempts: number;
  created_at: Date;
}

export async function findAssessmentByReference(q: Queryable, reference: string): Promise<AssessmentRow | null> {
  const { rows } = await q.query<AssessmentRow>('SELECT * FROM risk_assessments WHERE reference = $1', [reference]);
  return rows[0] ?? null;
}

export async function findAssessment(q: Queryable, id: string, forUpdate = false): Promise<AssessmentRow | null> {
  const { rows } = await q.query<AssessmentRow>(
    `SELECT * FROM risk_assessments WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Returns false when the reference was already assessed (a concurrent retry won). `withoutFlush`: when
 * the row is inserted, the rest of the transaction commits without waiting for the WAL flush
 * (`synchronous_commit` off for the transaction, set in the same statement): for a write whose loss
 * in a crash is harmless.
 */
export async function insertAssessment(
  q: Queryable,
  row: Omit<
    AssessmentRow,
    'step_up_verified_at' | 'step_up_code_hash' | 'step_up_code_expires_at' | 'step_up_code_attempts'
  >,
  options: { withoutFlush?: boolean } = {},
): Promise<boolean> {
  const { rows } = await q.query<{ inserted: number }>(
    `WITH ins AS (
       INSERT INTO risk_assessments (id, user_id, wallet_account_id, reference, channel, amount, currency, payee_key,
         payee_display, device_id, ip, network, outcome, reasons, proceeded, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (reference) DO NOTHING
       RETURNING 1)
     SELECT (SELECT count(*) FROM ins)::int AS inserted,
            CASE WHEN $17::boolean AND EXISTS (SELECT 1 FROM ins)
                 THEN set_config('synchronous_commit', 'off', true) END AS relaxed`,
    [
      row.id,
      row.user_id,
      row.wallet_account_id,
      row.reference,
      row.channel,
      row.amount,
      row.currency,
      row.payee_key,
      row.payee_display,
      row.device_id,
      row.ip,
      row.network,
      row.outcome,
      JSON.stringify(row.reasons),
      row.proceeded,
      row.created_at,
      options.withoutFlush ?? false,
    ],
  );
  return rows[0].inserted === 1;
}

export async function updateAssessment(
  q: Queryable,
  id: string,
  changes: Partial<
    Pick<
      AssessmentRow,
      'proceeded' | 'step_up_verified_at' | 'step_up_code_hash' | 'step_up_code_expires_at' | 'step_up_code_attempts'
    >
  >,
): Promise<void> {
  const entries = Object.entries(changes);
  if (entries.length === 0) return;
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`).join(', ');
  await q.query(`UPDATE risk_assessments SET ${sets} WHERE id = $1`, [id, ...entries.map(([, value]) => value)]);
}

export interface HistoryFeatures {
  window_count: bigint;
  window_amount: string;
  history_count: bigint;
  history_mean: string | null;
  history_stddev: string | null;
  payee_first_seen: Date | null;
  network_count: bigint;
  network_seen: boolean | null;
  restriction: { id: string; reason_code: string; lift_by: 'reverify' | 'support'; created_at: string } | null;
}

/**
 * Everything the rules need from the holder's own history, and any active restriction, in one
 * statement. Velocity counts every attempt not blocked; history, payees and networks count only
 * movements that went ahead.
 */
export async function historyFeatures(
  q: Queryable,
  input: {
    userId: string;
    payeeKey: string;
    network: string | null;
    velocitySince: Date;
    historySince: Date;
    networkSince: Date;
    oldest: Date;
  },
): Promise<HistoryFeatures> {
  const { rows } = await q.query<HistoryFeatures>(
    `SELECT
       count(*) FILTER (WHERE created_at > $2 AND outcome <> 'block') AS window_count,
       coalesce(sum(amount) FILTER (WHERE created_at > $2 AND outcome <> 'block'), 0)::text AS window_amount,
       count(*) FILTER (WHERE created_at > $3 AND proceeded) AS history_count,
       (avg(amount) FILTER (WHERE created_at > $3 AND proceeded))::text AS history_mean,
       (stddev_pop(amount) FILTER (WHERE created_at > $3 AND proceeded))::text AS history_stddev,
       count(*) FILTER (WHERE created_at > $4 AND proceeded AND network IS NOT NULL) AS network_count,
       bool_or(network = $5) FILTER (WHERE created_at > $4 AND proceeded) AS network_seen,
       (SELECT min(p.created_at) FROM risk_assessments p WHERE p.user_id = $1 AND p.payee_key = $6 AND p.proceeded)
      AS payee_first_seen,
       (SELECT json_build_object('id', r.id, 'reason_code', r.reason_code, 'lift_by', r.lift_by, 'created_at',
      r.created_at)
          FROM risk_restrictions r WHERE r.user_id = $1 AND r.lifted_at IS NULL) AS restriction
     FROM risk_assessments WHERE user_id = $1 AND created_at > $7`,
    [
      input.userId,
      input.velocitySince,
      input.historySince,
      input.networkSince,
      input.network,
      input.payeeKey,
      input.oldest,
    ],
  );
  return rows[0];
}

export interface HoldRow {
  id: string;
  assessment_id: string;
  user_id: string;
  channel: string;
  reference: string;
  hold_id: string;
  hold_reference: string;
  amount: bigint;
  currency: string;
  payee_key: string;
  payee_display: string;
  status: 'pending' | 'confirmed' | 'denied' | 'expired' | 'released' | 'voided';
  auth_confirmation_id: string | null;
  auth_reference: string | null;
  expires_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  entry_id: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export async function insertHold(
  q: Queryable,
  row: Pick<
    HoldRow,
    | 'id'
    | 'assessment_id'
    | 'user_id'
    | 'channel'
    | 'reference'
    | 'hold_id'
    | 'hold_reference'
    | 'amount'
    | 'currency'
    | 'payee_key'
    | 'payee_display'
    | 'expires_at'
    | 'created_at'
  >,
): Promise<void> {
  await q.query(
    `INSERT INTO risk_holds (id, assessment_id, user_id, channel, reference, hold_id, hold_reference, amount,
      currency, payee_key, payee_display, status, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13)`,
    [
      row.id,
      row.assessment_id,
      row.user_id,
      row.channel,
      row.reference,
      row.hold_id,
      row.hold_reference,
      row.amount,
      row.currency,
      row.payee_key,
      row.payee_display,
      row.expires_at,
      row.created_at,
    ],
  );
}

export async function findHold(q: Queryable, id: string, forUpdate = false): Promise<HoldRow | null> {
  const { rows } = await q.query<HoldRow>(`SELECT * FROM risk_holds WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ?? null;
}

export async function findHoldByAssessment(
  q: Queryable,
  assessmentId: string,
  forUpdate = false,
): Promise<HoldRow | null> {
  const { rows } = await q.query<HoldRow>(
    `SELECT * FROM risk_holds WHERE assessment_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [assessmentId],
  );
  return rows[0] ?? null;
}

export async function findHoldByReference(q: Queryable, reference: string): Promise<HoldRow | null> {
  const { rows } = await q.query<HoldRow>('SELECT * FROM risk_holds WHERE reference = $1', [reference]);
  return rows[0] ?? null;
}

export async function listPendingHolds(
  q: Queryable,
  userId: string,
  after: string | null,
  limit: number,
): Promise<(HoldRow & { reasons: StoredReason[] })[]> {
  const { rows } = await q.query<HoldRow & { reasons: StoredReason[] }>(
    `SELECT h.*, a.reasons FROM risk_holds h JOIN risk_assessments a ON a.id = h.assessment_id
     WHERE h.user_id = $1 AND h.status = 'pending' AND ($2::text IS NULL OR h.id > $2) ORDER BY h.id LIMIT $3`,
    [userId, after, limit],
  );
  return rows;
}

/** One of the holder's held movements, whatever its status, with the reasons it was held. */
export async function findHoldOfUser(
  q: Queryable,
  userId: string,
  id: string,
): Promise<(HoldRow & { reasons: StoredReason[] }) | null> {
  const { rows } = await q.query<HoldRow & { reasons: StoredReason[] }>(
    `SELECT h.*, a.reasons FROM risk_holds h JOIN risk_assessments a ON a.id = h.assessment_id
     WHERE h.user_id = $1 AND h.id = $2`,
    [userId, id],
  );
  return rows[0] ?? null;
}

export async function resolveHold(
  q: Queryable,
  id: string,
  changes: { status: HoldRow['status']; resolvedBy: string; at: Date; entryId?: string | null },
): Promise<void> {
  await q.query('UPDATE risk_holds SET status = $2, resolved_by = $3, resolved_at = $4, entry_id = $5 WHERE id = $1', [
    id,
    changes.status,
    changes.resolvedBy,
    changes.at,
    changes.entryId ?? null,
  ]);
}

/** The channel's own hold replaces the engine's reservation for the same movement. */
export async function replaceHoldOfRow(q: Queryable, id: string, holdId: string, holdReference: string): Promise<void> {
  await q.query('UPDATE risk_holds SET hold_id = $2, hold_reference = $3 WHERE id = $1', [id, holdId, holdReference]);
}

export async function setHoldAuth(
  q: Queryable,
  id: string,
  confirmationId: string,
  authReference: string,
): Promise<void> {
  await q.query('UPDATE risk_holds SET auth_confirmation_id = $2, auth_reference = $3 WHERE id = $1', [
    id,
    confirmationId,
    authReference,
  ]);
}

export async function markDelivered(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE risk_holds SET delivered_at = $2 WHERE id = $1', [id, at]);
}

export async function expiredHoldIds(q: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM risk_holds WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((row) => row.id);
}

export async function undeliveredHolds(q: Queryable, limit: number): Promise<HoldRow[]> {
  const { rows } = await q.query<HoldRow>(
    `SELECT * FROM risk_holds WHERE status <> 'pending' AND delivered_at IS NULL ORDER BY resolved_at LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function countDenials(q: Queryable, userId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM risk_holds WHERE user_id = $1 AND status = 'denied' AND resolved_at > $2`,
    [userId, since],
  );
  return Number(rows[0].n);
}
