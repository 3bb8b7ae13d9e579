import type { Queryable } from '../platform/db/types.js';

/** The funding domain's tables (migrations 029 and 035): receiving accounts, transfers in, online-banking orders. */

export interface ReceivingAccountRow {
  user_id: string;
  account_number: string;
  wallet_account_id: string;
  created_at: Date;
}

export type IncomingStatus = 'credited' | 'returning' | 'returned';

export interface IncomingRow {
  id: string;
  network_ref: string;
  account_number: string;
  user_id: string | null;
  payer_name_enc: string;
  payer_bank: string;
  payer_account_last4: string;
  amount: string;
  currency: string;
  status: IncomingStatus;
  return_reason: string | null;
  entry_id: string | null;
  received_at: Date;
  returned_at: Date | null;
  next_attempt_at: Date | null;
  attempts: number;
}

export type OrderStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

export interface OrderRow {
  id: string;
  user_id: string;
  wallet_account_id: string;
  bank_code: string;
  amount: string;
  currency: string;
  status: OrderStatus;
  network_ref: string | null;
  redirect_url: string | null;
  failure_reason: string | null;
  entry_id: string | null;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
  next_check_at: Date | null;
}

export async function systemAccount(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ account_id: string }>(
    'SELECT account_id FROM funding_system_accounts WHERE name = $1',
    [name],
  );
  return rows[0]?.account_id ?? null;
}

export async function insertSystemAccount(q: Queryable, name: string, accountId: string): Promise<void> {
  await q.query('INSERT INTO funding_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
}

export async function receivingAccountOf(q: Queryable, userId: string): Promise<ReceivingAccountRow | null> {
  const { rows } = await q.query<ReceivingAccountRow>('SELECT * FROM wallet_receiving_accounts WHERE user_id = $1', [
    userId,
  ]);
  return rows[0] ?? null;
}

export async function receivingAccountByNumber(q: Queryable, number: string): Promise<ReceivingAccountRow | null> {
  const { rows } = await q.query<ReceivingAccountRow>(
    'SELECT * FROM wallet_receiving_accounts WHERE account_number = $1',
    [number],
  );
  return rows[0] ?? null;
}

/** False when the holder already has one (a racing request made it first). */
export async function insertReceivingAccount(q: Queryable, row: ReceivingAccountRow): Promise<boolean> {
  const { rows } = await q.query<{ user_id: string }>(
    `INSERT INTO wallet_receiving_accounts (user_id, account_number, wallet_account_id, created_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO NOTHING RETURNING user_id`,
    [row.user_id, row.account_number, row.wallet_account_id, row.created_at],
  );
  return rows.length === 1;
}

/** Null when a row with this network reference exists already (a duplicate delivery). */
export async function insertIncoming(q: Queryable, row: Omit<IncomingRow, 'attempts'>): Promise<IncomingRow | null> {
  const { rows } = await q.query<IncomingRow>(
    `INSERT INTO wallet_incoming_transfers (id, network_ref, account_number, user_id, payer_name_enc,
       payer_bank, payer_account_last4, amount, currency, status, return_reason, entry_id, received_at,
       returned_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (network_ref) DO NOTHING RETURNING *`,
    [
      row.id,
      row.network_ref,
      row.account_number,
      row.user_id,
      row.payer_name_enc,
      row.payer_bank,
      row.payer_account_last4,
      row.amount,
      row.currency,
      row.status,
      row.return_reason,
      row.entry_id,
      row.received_at,
      row.returned_at,
      row.next_attempt_at,
    ],
  );
  return rows[0] ?? null;
}

export async function findIncomingByRef(q: Queryable, networkRef: string): Promise<IncomingRow | null> {
  const { rows } = await q.query<IncomingRow>('SELECT * FROM wallet_incoming_transfers WHERE network_ref = $1', [
    networkRef,
  ]);
  return rows[0] ?? null;
}

export async function updateIncoming(q: Queryable, id: string, changes: Partial<IncomingRow>): Promise<void> {
  const keys = Object.keys(changes) as (keyof IncomingRow)[];
  if (keys.length === 0) return;
  const sets = keys.map((key, i) => `${key} = $${i + 2}`).join(', ');
  await q.query(`UPDATE wallet_incoming_transfers SET ${sets} WHERE id = $1`, [id, ...keys.map((k) => changes[k])]);
}

export async function dueReturns(q: Queryable, now: Date, limit: number): Promise<IncomingRow[]> {
  const { rows } = await q.query<IncomingRow>(
    `SELECT * FROM wallet_incoming_transfers WHERE status = 'returning' AND next_attempt_at <= $1
     ORDER BY next_attempt_at LIMIT $2`,
    [now, limit],
  );
  return rows;
}

/** What transfers in credited to the holder since `from` (the tier's yearly figure counts them). */
export async function creditedSince(q: Queryable, userId: string, from: Date): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    `SELECT sum(amount) AS total FROM wallet_incoming_transfers
     WHERE user_id = $1 AND status = 'credited' AND received_at >= $2`,
    [userId, from],
  );
  return BigInt(rows[0]?.total ?? 0);
}

export async function incomingOf(q: Queryable, userId: string, limit: number): Promise<IncomingRow[]> {
  const { rows } = await q.query<IncomingRow>(
    'SELECT * FROM wallet_incoming_transfers WHERE user_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2',
    [userId, limit],
  );
  return rows;
}

export async function notificationSeen(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM wallet_interbank_notifications WHERE id = $1', [id]);
  return rows.length > 0;
}

/** Records a handled notification by its id (a racing copy recorded it already: nothing happens). */
export async function recordNotification(
  q: Queryable,
  row: { id: string; kind: string; reference: string; received_at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO wallet_interbank_notifications (id, kind, reference, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING`,
    [row.id, row.kind, row.reference, row.received_at],
  );
}

export async function insertOrder(q: Queryable, row: OrderRow): Promise<OrderRow> {
  const { rows } = await q.query<OrderRow>(
    `INSERT INTO wallet_online_banking_orders (id, user_id, wallet_account_id, bank_code, amount, currency, status,
       network_ref, redirect_url, failure_reason, entry_id, created_at, expires_at, completed_at, next_check_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
    [
      row.id,
      row.user_id,
      row.wallet_account_id,
      row.bank_code,
      row.amount,
      row.currency,
      row.status,
      row.network_ref,
      row.redirect_url,
      row.failure_reason,
      row.entry_id,
      row.created_at,
      row.expires_at,
      row.completed_at,
      row.next_check_at,
    ],
  );
  return rows[0];
}

export async function findOrder(q: Queryable, id: string, lock = false): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM wallet_online_banking_orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function updateOrder(q: Queryable, id: string, changes: Partial<OrderRow>): Promise<void> {
  const keys = Object.keys(changes) as (keyof OrderRow)[];
  if (keys.length === 0) return;
  const sets = keys.map((key, i) => `${key} = $${i + 2}`).join(', ');
  await q.query(`UPDATE wallet_online_banking_orders SET ${sets} WHERE id = $1`, [id, ...keys.map((k) => changes[k])]);
}

export async function dueOrders(q: Queryable, now: Date, limit: number): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM wallet_online_banking_orders WHERE status = 'pending' AND next_check_at <= $1
     ORDER BY next_check_at LIMIT $2`,
    [now, limit],
  );
  return rows;
}

/** Pending online-banking top-ups of a wallet: they count against its balance cap. */
export async function pendingOrdersTotal(q: Queryable, walletAccountId: string): Promise<bigint> {
  const { rows } = await q.query<{ total: string | null }>(
    `SELECT sum(amount) AS total FROM wallet_online_banking_orders WHERE wallet_account_id = $1 AND status = 'pending'`,
    [walletAccountId],
  );
  return BigInt(rows[0]?.total ?? 0);
}

/** Orders of one wallet take turns (inside the caller's transaction), so pending ones count against the cap. */
export async function lockWalletOrders(q: Queryable, walletId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`online-banking:${walletId}`]);
}
