import type { Queryable } from '../platform/db/types.js';

/** The interbank sandbox's own state (migrations 029 and 035): development and tests only. */

export interface SandboxPaymentRow {
  network_ref: string;
  request_id: string;
  bank_code: string;
  amount: string;
  currency: string;
  return_url: string;
  status: 'created' | 'paid' | 'cancelled';
  notify: 'once' | 'twice' | 'never';
  created_at: Date;
  decided_at: Date | null;
}

export interface SandboxTransferRow {
  network_ref: string;
  account_number: string;
  payer_name: string;
  payer_bank: string;
  payer_account: string;
  amount: string;
  currency: string;
  status: 'sent' | 'returned';
  return_reason: string | null;
  created_at: Date;
  deliver_at: Date | null;
  deliveries_left: number;
}

export async function insertPayment(q: Queryable, row: Omit<SandboxPaymentRow, 'notify' | 'decided_at'>) {
  const { rows } = await q.query<SandboxPaymentRow>(
    `INSERT INTO interbank_sandbox_payments (network_ref, request_id, bank_code, amount, currency, return_url, status,
       created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (request_id) DO UPDATE SET request_id = EXCLUDED.request_id RETURNING *`,
    [
      row.network_ref,
      row.request_id,
      row.bank_code,
      row.amount,
      row.currency,
      row.return_url,
      row.status,
      row.created_at,
    ],
  );
  return rows[0];
}

export async function paymentByRef(q: Queryable, networkRef: string): Promise<SandboxPaymentRow | null> {
  const { rows } = await q.query<SandboxPaymentRow>('SELECT * FROM interbank_sandbox_payments WHERE network_ref = $1', [
    networkRef,
  ]);
  return rows[0] ?? null;
}

export async function paymentByRequest(q: Queryable, requestId: string): Promise<SandboxPaymentRow | null> {
  const { rows } = await q.query<SandboxPaymentRow>('SELECT * FROM interbank_sandbox_payments WHERE request_id = $1', [
    requestId,
  ]);
  return rows[0] ?? null;
}

/** Decides a payment still 'created'; null when it was decided before. */
export async function decidePayment(
  q: Queryable,
  networkRef: string,
  status: 'paid' | 'cancelled',
  notify: SandboxPaymentRow['notify'],
  at: Date,
): Promise<SandboxPaymentRow | null> {
  const { rows } = await q.query<SandboxPaymentRow>(
    `UPDATE interbank_sandbox_payments SET status = $2, notify = $3, decided_at = $4
     WHERE network_ref = $1 AND status = 'created' RETURNING *`,
    [networkRef, status, notify, at],
  );
  return rows[0] ?? null;
}

export async function insertTransfer(q: Queryable, row: SandboxTransferRow): Promise<void> {
  await q.query(
    `INSERT INTO interbank_sandbox_transfers (network_ref, account_number, payer_name, payer_bank, payer_account,
       amount, currency, status, return_reason, created_at, deliver_at, deliveries_left)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      row.network_ref,
      row.account_number,
      row.payer_name,
      row.payer_bank,
      row.payer_account,
      row.amount,
      row.currency,
      row.status,
      row.return_reason,
      row.created_at,
      row.deliver_at,
      row.deliveries_left,
    ],
  );
}

/** Takes the due deliveries (each one once, whatever the processes racing for them), with how many copies to send. */
export async function takeDueDeliveries(
  q: Queryable,
  now: Date,
  limit: number,
  networkRef?: string,
): Promise<(SandboxTransferRow & { copies: number })[]> {
  const { rows } = await q.query<SandboxTransferRow & { copies: number }>(
    `WITH due AS (
       SELECT network_ref, deliveries_left AS copies FROM interbank_sandbox_transfers
       WHERE deliveries_left > 0 AND deliver_at <= $1 AND ($3::text IS NULL OR network_ref = $3)
       ORDER BY deliver_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE interbank_sandbox_transfers AS t SET deliveries_left = 0 FROM due
     WHERE t.network_ref = due.network_ref RETURNING t.*, due.copies`,
    [now, limit, networkRef ?? null],
  );
  return rows;
}

export async function markReturned(q: Queryable, networkRef: string, reason: string): Promise<boolean> {
  const { rows } = await q.query<{ network_ref: string }>(
    `UPDATE interbank_sandbox_transfers SET status = 'returned', return_reason = $2
     WHERE network_ref = $1 RETURNING network_ref`,
    [networkRef, reason],
  );
  return rows.length === 1;
}

export async function transfersTo(q: Queryable, limit: number): Promise<SandboxTransferRow[]> {
  const { rows } = await q.query<SandboxTransferRow>(
    'SELECT * FROM interbank_sandbox_transfers ORDER BY created_at DESC LIMIT $1',
    [limit],
  );
  return rows;
}
