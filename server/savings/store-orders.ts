import type { Queryable } from '../platform/db/types.js';

/** Savings orders: every holder action (buy, redeem, open or withdraw a deposit) is one. */

export type OrderType = 'subscribe' | 'redeem_fast' | 'redeem_ordinary' | 'deposit_open' | 'deposit_early_withdrawal';
export type OrderStatus =
  'awaiting_confirmation' | 'pending_review' | 'processing' | 'completed' | 'rejected' | 'failed' | 'expired';

export interface OrderRow {
  id: string;
  user_id: string;
  product_id: string;
  product_version: number;
  type: OrderType;
  status: OrderStatus;
  amount: bigint;
  currency: string;
  interest: bigint | null;
  deposit_id: string | null;
  maturity_choice: 'rollover' | 'to_wallet' | null;
  earns_from: string | null;
  arrives_on: string | null;
  risk_ack_id: string | null;
  confirmation_id: string | null;
  client_key: string | null;
  hold_id: string | null;
  target_account_id: string | null;
  entry_id: string | null;
  failure_code: string | null;
  review_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
}

export type NewOrder = Pick<
  OrderRow,
  | 'id'
  | 'user_id'
  | 'product_id'
  | 'product_version'
  | 'type'
  | 'status'
  | 'amount'
  | 'currency'
  | 'deposit_id'
  | 'maturity_choice'
  | 'risk_ack_id'
  | 'confirmation_id'
  | 'client_key'
  | 'created_at'
  | 'expires_at'
>;

/** Inserts an order; a retried request with the same client key gets null (the first one stands). */
export async function insertOrder(q: Queryable, row: NewOrder): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `INSERT INTO savings_orders (id, user_id, product_id, product_version, type, status, amount, currency, deposit_id,
       maturity_choice, risk_ack_id, confirmation_id, client_key, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (user_id, client_key) WHERE client_key IS NOT NULL DO NOTHING RETURNING *`,
    [
      row.id,
      row.user_id,
      row.product_id,
      row.product_version,
      row.type,
      row.status,
      row.amount,
      row.currency,
      row.deposit_id,
      row.maturity_choice,
      row.risk_ack_id,
      row.confirmation_id,
      row.client_key,
      row.created_at,
      row.expires_at,
    ],
  );
  return rows[0] ?? null;
}

export async function findOrderByClientKey(q: Queryable, userId: string, clientKey: string): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>('SELECT * FROM savings_orders WHERE user_id = $1 AND client_key = $2', [
    userId,
    clientKey,
  ]);
  return rows[0] ?? null;
}

export async function findOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM savings_orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

type OrderChanges = Partial<
  Pick<
    OrderRow,
    | 'status'
    | 'interest'
    | 'deposit_id'
    | 'earns_from'
    | 'arrives_on'
    | 'hold_id'
    | 'target_account_id'
    | 'entry_id'
    | 'failure_code'
    | 'review_note'
    | 'decided_by'
    | 'decided_at'
    | 'completed_at'
    | 'confirmation_id'
    | 'expires_at'
  >
>;

export async function updateOrder(q: Queryable, id: string, changes: OrderChanges): Promise<OrderRow> {
  const keys = Object.keys(changes) as (keyof OrderChanges)[];
  const sets = keys.map((key, i) => `${key} = $${i + 2}`).join(', ');
  const { rows } = await q.query<OrderRow>(`UPDATE savings_orders SET ${sets} WHERE id = $1 RETURNING *`, [
    id,
    ...keys.map((key) => changes[key]),
  ]);
  return rows[0];
}

export async function listOrders(
  q: Queryable,
  filter: { userId?: string; status?: string; before?: string; after?: string; limit: number },
): Promise<OrderRow[]> {
  const ascending = filter.after !== undefined;
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM savings_orders
     WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR id < $3) AND ($4::text IS NULL OR id > $4)
     ORDER BY id ${ascending ? 'ASC' : 'DESC'} LIMIT $5`,
    [filter.userId ?? null, filter.status ?? null, filter.before ?? null, filter.after ?? null, filter.limit],
  );
  return rows;
}

/** Orders in a status whose deadline passed (unconfirmed, or waiting for staff too long). */
export async function lapsedOrders(q: Queryable, status: string, now: Date, limit: number): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    'SELECT * FROM savings_orders WHERE status = $1 AND expires_at <= $2 ORDER BY id LIMIT $3',
    [status, now, limit],
  );
  return rows;
}

/** Ordinary redemptions whose money is due in the wallet by `day`. */
export async function dueRedemptions(q: Queryable, day: string, limit: number): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM savings_orders WHERE status = 'processing' AND type = 'redeem_ordinary' AND arrives_on <= $1
     ORDER BY arrives_on, id LIMIT $2`,
    [day, limit],
  );
  return rows;
}
