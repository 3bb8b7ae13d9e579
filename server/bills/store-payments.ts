import type { Queryable } from '../platform/db/types.js';

/** Bill payments and their claims (at most one payment in flight or paid per bill). */

export type PaymentStatus = 'awaiting_confirmation' | 'processing' | 'succeeded' | 'failed' | 'expired';

export interface PaymentRow {
  id: string;
  user_id: string;
  wallet_account_id: string;
  biller_id: string;
  account_number: string;
  saved_account_id: string | null;
  bill_ref: string | null;
  period: string | null;
  bill_amount: bigint;
  late_fee: bigint;
  amount: bigint;
  currency: string;
  status: PaymentStatus;
  failure_reason: string | null;
  source: 'holder' | 'autopay';
  mandate_id: string | null;
  password_free: boolean;
  confirmation_id: string | null;
  hold_id: string | null;
  entry_id: string | null;
  network_ref: string | null;
  holder_name: string | null;
  late_fee_borne: bigint;
  late_fee_entry_id: string | null;
  receipt_number: string | null;
  next_check_at: Date | null;
  checks: number;
  created_at: Date;
  submitted_at: Date | null;
  completed_at: Date | null;
}

function payment(row: PaymentRow): PaymentRow {
  return {
    ...row,
    bill_amount: BigInt(row.bill_amount),
    late_fee: BigInt(row.late_fee),
    amount: BigInt(row.amount),
    late_fee_borne: BigInt(row.late_fee_borne),
  };
}

export async function insertPayment(q: Queryable, row: PaymentRow): Promise<PaymentRow> {
  const columns = Object.keys(row);
  const { rows } = await q.query<PaymentRow>(
    `INSERT INTO bill_payments (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
      RETURNING *`,
    Object.values(row),
  );
  return payment(rows[0]);
}

export async function findPayment(q: Queryable, id: string, lock = false): Promise<PaymentRow | null> {
  const { rows } = await q.query<PaymentRow>(`SELECT * FROM bill_payments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ? payment(rows[0]) : null;
}

export async function findUserPayment(q: Queryable, userId: string, id: string): Promise<PaymentRow | null> {
  const { rows } = await q.query<PaymentRow>('SELECT * FROM bill_payments WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return rows[0] ? payment(rows[0]) : null;
}

export async function updatePayment(q: Queryable, id: string, changes: Partial<PaymentRow>): Promise<void> {
  const entries = Object.entries(changes);
  if (entries.length === 0) return;
  await q.query(
    `UPDATE bill_payments SET ${entries.map(([key], i) => `${key} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...entries.map(([, value]) => value)],
  );
}

export async function userPayments(
  q: Queryable,
  filter: { userId: string; before?: string | null; status?: string | null },
  limit: number,
): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM bill_payments WHERE user_id = $1 AND ($2::text IS NULL OR id < $2) AND ($3::text IS NULL OR status
      = $3)
     ORDER BY id DESC LIMIT $4`,
    [filter.userId, filter.before ?? null, filter.status ?? null, limit],
  );
  return rows.map(payment);
}

/** The payment holding a bill's claim, if any. */
export async function claimHolder(q: Queryable, billerId: string, billRef: string): Promise<PaymentRow | null> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT p.* FROM bill_claims c JOIN bill_payments p ON p.id = c.payment_id WHERE c.biller_id = $1 AND c.bill_ref
      = $2`,
    [billerId, billRef],
  );
  return rows[0] ? payment(rows[0]) : null;
}

/** Takes the bill's claim for a payment; false when another payment holds it. */
export async function claimBill(q: Queryable, billerId: string, billRef: string, paymentId: string): Promise<boolean> {
  const { rows } = await q.query<{ payment_id: string }>(
    `INSERT INTO bill_claims (biller_id, bill_ref, payment_id) VALUES ($1, $2, $3)
     ON CONFLICT (biller_id, bill_ref) DO UPDATE SET payment_id = bill_claims.payment_id RETURNING payment_id`,
    [billerId, billRef, paymentId],
  );
  return rows[0].payment_id === paymentId;
}

export async function releaseClaim(q: Queryable, paymentId: string): Promise<void> {
  await q.query('DELETE FROM bill_claims WHERE payment_id = $1', [paymentId]);
}

/** Processing payments whose answer is overdue and unconfirmed ones past their time, claimed for checking. */
export async function claimPaymentsToCheck(
  q: Queryable,
  now: Date,
  pushTo: Date,
  limit: number,
): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `UPDATE bill_payments SET next_check_at = $2, checks = checks + 1
     WHERE id IN (SELECT id FROM bill_payments WHERE status IN ('processing', 'awaiting_confirmation') AND
      next_check_at <= $1
                  ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, pushTo, limit],
  );
  return rows.map(payment);
}

export async function expireAwaiting(q: Queryable, id: string, now: Date): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE bill_payments SET status = 'expired', next_check_at = NULL, completed_at = $2 WHERE id = $1 AND status =
      'awaiting_confirmation'`,
    [id, now],
  );
  return rowCount;
}

export async function failAwaiting(q: Queryable, id: string, reason: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE bill_payments SET status = 'failed', failure_reason = $2, completed_at = $3, next_check_at = NULL
     WHERE id = $1 AND status = 'awaiting_confirmation'`,
    [id, reason, now],
  );
}

/** Succeeded payments of a biller completed within [from, to). */
export async function succeededBetween(q: Queryable, billerId: string, from: Date, to: Date): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM bill_payments WHERE biller_id = $1 AND status = 'succeeded' AND completed_at >= $2 AND
      completed_at < $3`,
    [billerId, from, to],
  );
  return rows.map(payment);
}

export async function paymentsToday(q: Queryable, from: Date): Promise<Map<string, number>> {
  const { rows } = await q.query<{ biller_id: string; n: number }>(
    `SELECT biller_id, count(*)::int AS n FROM bill_payments WHERE status = 'succeeded' AND completed_at >= $1 GROUP
      BY biller_id`,
    [from],
  );
  return new Map(rows.map((row) => [row.biller_id, row.n]));
}
