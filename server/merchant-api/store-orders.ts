import type { Queryable } from '../platform/db/types.js';
import type { ApiMode, OrderRow, OrderStatus, RefundRow } from './types.js';

/** SQL on checkout orders and their refunds. */

/** Inserts an order; false when the shop's order number is already taken (merchant and mode). */
export async function insertOrder(q: Queryable, row: OrderRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO merchant_api_orders (id, merchant_id, mode, shop_order_number, amount, currency, description,
      return_url, notify_url, metadata, status, qr_code_id, payment_id, refunded_amount, expires_at, paid_at,
      closed_at, created_by_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (merchant_id, mode, shop_order_number) DO NOTHING RETURNING id`,
    [
      row.id,
      row.merchant_id,
      row.mode,
      row.shop_order_number,
      row.amount,
      row.currency,
      row.description,
      row.return_url,
      row.notify_url,
      JSON.stringify(row.metadata),
      row.status,
      row.qr_code_id,
      row.payment_id,
      row.refunded_amount,
      row.expires_at,
      row.paid_at,
      row.closed_at,
      row.created_by_key,
      row.created_at,
    ],
  );
  return rows.length === 1;
}

export async function findOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM merchant_api_orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findOrderByNumber(
  q: Queryable,
  merchantId: string,
  mode: ApiMode,
  number: string,
): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    'SELECT * FROM merchant_api_orders WHERE merchant_id = $1 AND mode = $2 AND shop_order_number = $3',
    [merchantId, mode, number],
  );
  return rows[0] ?? null;
}

/** Newest first, after the cursor (an order id of an earlier page). */
export async function listOrders(
  q: Queryable,
  f: { merchantId: string; mode: ApiMode; before: string | null; limit: number; status?: OrderStatus },
): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM merchant_api_orders WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR id < $3)
       AND ($5::text IS NULL OR status = $5)
     ORDER BY id DESC LIMIT $4`,
    [f.merchantId, f.mode, f.before, f.limit, f.status ?? null],
  );
  return rows;
}

/** Marks an open order paid; null when it was no longer open. */
export async function markOrderPaid(
  q: Queryable,
  id: string,
  paymentId: string | null,
  at: Date,
): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `UPDATE merchant_api_orders SET status = 'paid', payment_id = $2, paid_at = $3
     WHERE id = $1 AND status = 'open' RETURNING *`,
    [id, paymentId, at],
  );
  return rows[0] ?? null;
}

/** Marks paid the open orders whose dynamic codes were just paid (in the payment's transaction). */
export async function markOrdersPaidByCodes(
  q: Queryable,
  codes: readonly { qrId: string; paymentId: string }[],
  at: Date,
): Promise<OrderRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await q.query<OrderRow>(
    `UPDATE merchant_api_orders o SET status = 'paid', payment_id = c.payment_id, paid_at = $3
     FROM unnest($1::text[], $2::text[]) AS c(qr_id, payment_id)
     WHERE o.qr_code_id = c.qr_id AND o.status = 'open' RETURNING o.*`,
    [codes.map((c) => c.qrId), codes.map((c) => c.paymentId), at],
  );
  return rows;
}

export async function markOrderClosed(q: Queryable, id: string, at: Date): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `UPDATE merchant_api_orders SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open' RETURNING *`,
    [id, at],
  );
  return rows[0] ?? null;
}

export async function addOrderRefunded(q: Queryable, id: string, amount: bigint): Promise<void> {
  await q.query('UPDATE merchant_api_orders SET refunded_amount = refunded_amount + $2 WHERE id = $1', [id, amount]);
}

export async function insertRefund(q: Queryable, row: RefundRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_api_refunds (id, order_id, merchant_id, mode, amount, reason, status, payment_refund_id,
      created_by_key, created_at, failure_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.id,
      row.order_id,
      row.merchant_id,
      row.mode,
      row.amount,
      row.reason,
      row.status,
      row.payment_refund_id,
      row.created_by_key,
      row.created_at,
      row.failure_code,
    ],
  );
}

export async function findRefund(q: Queryable, id: string): Promise<RefundRow | null> {
  const { rows } = await q.query<RefundRow>('SELECT * FROM merchant_api_refunds WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Newest first, after the cursor; of one order when `orderId` is given. */
export async function listRefunds(
  q: Queryable,
  f: { merchantId: string; mode: ApiMode; orderId: string | null; before: string | null; limit: number },
): Promise<RefundRow[]> {
  const { rows } = await q.query<RefundRow>(
    `SELECT * FROM merchant_api_refunds WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR order_id = $3)
       AND ($4::text IS NULL OR id < $4)
     ORDER BY id DESC LIMIT $5`,
    [f.merchantId, f.mode, f.orderId, f.before, f.limit],
  );
  return rows;
}
