import type { Queryable } from '../platform/db/types.js';

/** SQL on merchant payouts. */

export interface PayoutRow {
  id: string;
  merchant_id: string;
  day: string;
  amount: bigint;
  status: 'pending' | 'sent' | 'failed';
  entry_id: string;
  rail_reference: string | null;
  failure_reason: string | null;
  created_at: Date;
  resolved_at: Date | null;
}

const SELECT = `SELECT id, merchant_id, to_char(day, 'YYYY-MM-DD') AS day, amount, status, entry_id, rail_reference,
  failure_reason, created_at, resolved_at FROM merchant_payouts`;

/** Records a pending payout; false when the merchant already has one for that day. */
export async function insertPayout(
  q: Queryable,
  row: { id: string; merchantId: string; day: string; amountFen: bigint; at: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO merchant_payouts (id, merchant_id, day, amount, status, entry_id, created_at)
     VALUES ($1, $2, $3, $4, 'pending', '', $5) ON CONFLICT (merchant_id, day) DO NOTHING`,
    [row.id, row.merchantId, row.day, row.amountFen, row.at],
  );
  return rowCount > 0;
}

export async function setPayoutEntry(q: Queryable, id: string, entryId: string): Promise<void> {
  await q.query('UPDATE merchant_payouts SET entry_id = $2 WHERE id = $1', [id, entryId]);
}

/** Marks a pending payout sent; false when it was no longer pending. */
export async function markPayoutSent(q: Queryable, id: string, railReference: string, at: Date): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE merchant_payouts SET status = 'sent', rail_reference = $2, resolved_at = $3 WHERE id = $1 AND status =
      'pending' RETURNING id`,
    [id, railReference, at],
  );
  return rows.length === 1;
}

/** Marks a pending payout failed; false when it was no longer pending. */
export async function markPayoutFailed(q: Queryable, id: string, reason: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE merchant_payouts SET status = 'failed', failure_reason = $2, resolved_at = $3
     WHERE id = $1 AND status = 'pending'`,
    [id, reason, at],
  );
  return rowCount > 0;
}

/** Pending payouts whose entry was posted before `before` (left by a crash or an unavailable rail). */
export async function stalePendingPayouts(q: Queryable, before: Date, limit: number): Promise<PayoutRow[]> {
  const { rows } = await q.query<PayoutRow>(
    `${SELECT} WHERE status = 'pending' AND entry_id <> '' AND created_at < $1 ORDER BY created_at LIMIT $2`,
    [before, limit],
  );
  return rows;
}

export async function listPayouts(q: Queryable, merchantId: string, limit: number): Promise<PayoutRow[]> {
  const { rows } = await q.query<PayoutRow>(`${SELECT} WHERE merchant_id = $1 ORDER BY day DESC LIMIT $2`, [
    merchantId,
    limit,
  ]);
  return rows;
}
