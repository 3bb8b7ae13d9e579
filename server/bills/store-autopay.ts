import type { Queryable } from '../platform/db/types.js';

/** Autopay mandates, what each does about each bill, and every run; reminders. */

export interface MandateRow {
  id: string;
  user_id: string;
  saved_account_id: string;
  cap_per_bill: bigint;
  cap_per_month: bigint;
  timing: 'on_arrival' | 'before_due';
  days_before_due: number | null;
  status: 'active' | 'paused' | 'cancelled';
  confirmed_with: string;
  created_at: Date;
  updated_at: Date;
}

export interface ItemRow {
  mandate_id: string;
  bill_ref: string;
  state: 'waiting' | 'retrying' | 'paid' | 'left';
  last_outcome: string | null;
  tongbao_fault: boolean;
  next_attempt_at: Date | null;
  payment_id: string | null;
  updated_at: Date;
}

export interface RunRow {
  id: string;
  mandate_id: string;
  user_id: string;
  biller_id: string;
  account_number: string;
  bill_ref: string;
  period: string;
  amount: bigint;
  outcome: string;
  payment_id: string | null;
  detail: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
}

const mandate = (row: MandateRow): MandateRow => ({
  ...row,
  cap_per_bill: BigInt(row.cap_per_bill),
  cap_per_month: BigInt(row.cap_per_month),
});
const run = (row: RunRow): RunRow => ({ ...row, amount: BigInt(row.amount) });

/** Inserts a mandate; false when the account already has one not cancelled. */
export async function insertMandate(q: Queryable, row: MandateRow): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO bill_autopay_mandates (id, user_id, saved_account_id, cap_per_bill, cap_per_month, timing,
      days_before_due,
       status, confirmed_with, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
    [
      row.id,
      row.user_id,
      row.saved_account_id,
      row.cap_per_bill,
      row.cap_per_month,
      row.timing,
      row.days_before_due,
      row.status,
      row.confirmed_with,
      row.created_at,
      row.updated_at,
    ],
  );
  return rowCount > 0;
}

export async function findMandate(q: Queryable, userId: string, id: string): Promise<MandateRow | null> {
  const { rows } = await q.query<MandateRow>('SELECT * FROM bill_autopay_mandates WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return rows[0] ? mandate(rows[0]) : null;
}

export async function findMandateById(q: Queryable, id: string): Promise<MandateRow | null> {
  const { rows } = await q.query<MandateRow>('SELECT * FROM bill_autopay_mandates WHERE id = $1', [id]);
  return rows[0] ? mandate(rows[0]) : null;
}

export async function userMandates(q: Queryable, userId: string): Promise<MandateRow[]> {
  const { rows } = await q.query<MandateRow>(
    'SELECT * FROM bill_autopay_mandates WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
    [userId],
  );
  return rows.map(mandate);
}

export async function activeMandates(q: Queryable, after: string, limit: number): Promise<MandateRow[]> {
  const { rows } = await q.query<MandateRow>(
    `SELECT * FROM bill_autopay_mandates WHERE status = 'active' AND id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows.map(mandate);
}

/** The mandates not cancelled on saved accounts. */
export async function openMandatesFor(
  q: Queryable,
  savedAccountIds: readonly string[],
): Promise<{ id: string; saved_account_id: string; status: string }[]> {
  const { rows } = await q.query<{ id: string; saved_account_id: string; status: string }>(
    `SELECT id, saved_account_id, status FROM bill_autopay_mandates WHERE saved_account_id = ANY($1::text[]) AND
      status <> 'cancelled'`,
    [savedAccountIds],
  );
  return rows;
}

/** Moves a mandate from one of `from` to `to`; null when it is not in one of them. */
export async function setMandateStatus(
  q: Queryable,
  userId: string,
  id: string,
  from: readonly string[],
  to: string,
  at: Date,
): Promise<MandateRow | null> {
  const { rows } = await q.query<MandateRow>(
    `UPDATE bill_autopay_mandates SET status = $4, updated_at = $5 WHERE id = $1 AND user_id = $2 AND status =
      ANY($3::text[])
     RETURNING *`,
    [id, userId, from, to, at],
  );
  return rows[0] ? mandate(rows[0]) : null;
}

export async function findItem(q: Queryable, mandateId: string, billRef: string): Promise<ItemRow | null> {
  const { rows } = await q.query<ItemRow>('SELECT * FROM bill_autopay_items WHERE mandate_id = $1 AND bill_ref = $2', [
    mandateId,
    billRef,
  ]);
  return rows[0] ?? null;
}

export async function saveItem(q: Queryable, item: ItemRow): Promise<void> {
  await q.query(
    `INSERT INTO bill_autopay_items (mandate_id, bill_ref, state, last_outcome, tongbao_fault, next_attempt_at,
      payment_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (mandate_id, bill_ref) DO UPDATE SET state = EXCLUDED.state, last_outcome = EXCLUDED.last_outcome,
       tongbao_fault = EXCLUDED.tongbao_fault, next_attempt_at = EXCLUDED.next_attempt_at, payment_id =
      EXCLUDED.payment_id,
       updated_at = EXCLUDED.updated_at`,
    [
      item.mandate_id,
      item.bill_ref,
      item.state,
      item.last_outcome,
      item.tongbao_fault,
      item.next_attempt_at,
      item.payment_id,
      item.updated_at,
    ],
  );
}

export async function insertRun(q: Queryable, row: RunRow): Promise<void> {
  await q.query(
    `INSERT INTO bill_autopay_runs (id, mandate_id, user_id, biller_id, account_number, bill_ref, period, amount,
      outcome,
       payment_id, detail, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      row.id,
      row.mandate_id,
      row.user_id,
      row.biller_id,
      row.account_number,
      row.bill_ref,
      row.period,
      row.amount,
      row.outcome,
      row.payment_id,
      row.detail,
      row.next_attempt_at,
      row.created_at,
    ],
  );
}

export async function runs(
  q: Queryable,
  filter: { mandateId?: string | null; userId?: string | null; outcome?: string | null; before?: string | null },
  limit: number,
): Promise<RunRow[]> {
  const { rows } = await q.query<RunRow>(
    `SELECT * FROM bill_autopay_runs WHERE ($1::text IS NULL OR mandate_id = $1) AND ($2::text IS NULL OR user_id = $2)
       AND ($3::text IS NULL OR outcome = $3) AND ($4::text IS NULL OR id < $4)
     ORDER BY id DESC LIMIT $5`,
    [filter.mandateId ?? null, filter.userId ?? null, filter.outcome ?? null, filter.before ?? null, limit],
  );
  return rows.map(run);
}

/** What a mandate paid from the holder's own money since `from` (late fees Tongbao bore left out). */
export async function mandatePaidSince(q: Queryable, mandateId: string, from: Date): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    `SELECT sum(amount - late_fee_borne) AS total FROM bill_payments
     WHERE mandate_id = $1 AND status IN ('succeeded', 'processing') AND created_at >= $2`,
    [mandateId, from],
  );
  return BigInt(rows[0].total ?? 0);
}

// Reminders

export interface ReminderRow {
  id: string;
  user_id: string;
  saved_account_id: string;
  biller_id: string;
  bill_ref: string;
  kind: 'new_bill' | 'before_due' | 'due_today' | 'overdue';
  send_at: Date;
  sent_at: Date | null;
  cancelled: boolean;
}

export async function planReminder(q: Queryable, row: Omit<ReminderRow, 'sent_at' | 'cancelled'>): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO bill_reminders (id, user_id, saved_account_id, biller_id, bill_ref, kind, send_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (saved_account_id, bill_ref, kind) DO NOTHING`,
    [row.id, row.user_id, row.saved_account_id, row.biller_id, row.bill_ref, row.kind, row.send_at],
  );
  return rowCount > 0;
}

export async function claimDueReminders(q: Queryable, now: Date, limit: number): Promise<ReminderRow[]> {
  const { rows } = await q.query<ReminderRow>(
    `UPDATE bill_reminders SET sent_at = $1
     WHERE id IN (SELECT id FROM bill_reminders WHERE sent_at IS NULL AND NOT cancelled AND send_at <= $1
                  ORDER BY send_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, limit],
  );
  return rows;
}

export async function cancelReminder(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE bill_reminders SET cancelled = true WHERE id = $1', [id]);
}

export async function remindersOf(q: Queryable, userId: string): Promise<ReminderRow[]> {
  const { rows } = await q.query<ReminderRow>('SELECT * FROM bill_reminders WHERE user_id = $1 ORDER BY send_at, id', [
    userId,
  ]);
  return rows;
}
