import type { Queryable } from '../platform/db/types.js';

/** The bill network sandbox's own tables (it stands for the billers' systems, not for Tongbao). */

export interface SandboxAccountRow {
  biller_id: string;
  account_number: string;
  holder_name: string;
  address: string;
  prepaid_balance: bigint;
  created_at: Date;
}

export interface SandboxBillRow {
  bill_ref: string;
  biller_id: string;
  account_number: string;
  period: string;
  amount: bigint;
  issued_at: Date;
  due_date: string;
  status: 'unpaid' | 'paid';
  paid_by: string | null;
  paid_at: Date | null;
}

export interface SandboxTxnRow {
  request_id: string;
  biller_id: string;
  account_number: string;
  bill_ref: string | null;
  amount: bigint;
  status: 'processing' | 'succeeded' | 'failed';
  final_status: 'succeeded' | 'failed';
  reason: string | null;
  network_ref: string;
  completes_at: Date;
  completed_at: Date | null;
  created_at: Date;
}

const bill = (row: SandboxBillRow): SandboxBillRow => ({ ...row, amount: BigInt(row.amount) });
const txn = (row: SandboxTxnRow): SandboxTxnRow => ({ ...row, amount: BigInt(row.amount) });

export async function findAccount(q: Queryable, billerId: string, accountNumber: string) {
  const { rows } = await q.query<SandboxAccountRow>(
    'SELECT * FROM bill_sandbox_accounts WHERE biller_id = $1 AND account_number = $2',
    [billerId, accountNumber],
  );
  return rows[0] ? { ...rows[0], prepaid_balance: BigInt(rows[0].prepaid_balance) } : null;
}

/** Creates the account unless it exists; true when this call created it. */
export async function insertAccount(q: Queryable, row: SandboxAccountRow): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO bill_sandbox_accounts (biller_id, account_number, holder_name, address, prepaid_balance, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [row.biller_id, row.account_number, row.holder_name, row.address, row.prepaid_balance, row.created_at],
  );
  return rowCount > 0;
}

export async function addPrepaid(q: Queryable, billerId: string, accountNumber: string, amountFen: bigint) {
  await q.query(
    'UPDATE bill_sandbox_accounts SET prepaid_balance = prepaid_balance + $3 WHERE biller_id = $1 AND account_number ' +
      '= $2',
    [billerId, accountNumber, amountFen],
  );
}

export async function insertBill(q: Queryable, row: Omit<SandboxBillRow, 'status' | 'paid_by' | 'paid_at'>) {
  await q.query(
    `INSERT INTO bill_sandbox_bills (bill_ref, biller_id, account_number, period, amount, issued_at, due_date, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'unpaid') ON CONFLICT DO NOTHING`,
    [row.bill_ref, row.biller_id, row.account_number, row.period, row.amount, row.issued_at, row.due_date],
  );
}

export async function unpaidBills(q: Queryable, billerId: string, accountNumber: string): Promise<SandboxBillRow[]> {
  const { rows } = await q.query<SandboxBillRow>(
    `SELECT * FROM bill_sandbox_bills WHERE biller_id = $1 AND account_number = $2 AND status = 'unpaid' ORDER BY
      period`,
    [billerId, accountNumber],
  );
  return rows.map(bill);
}

export async function findBill(q: Queryable, billRef: string, lock = false): Promise<SandboxBillRow | null> {
  const { rows } = await q.query<SandboxBillRow>(
    `SELECT * FROM bill_sandbox_bills WHERE bill_ref = $1${lock ? ' FOR UPDATE' : ''}`,
    [billRef],
  );
  return rows[0] ? bill(rows[0]) : null;
}

export async function markBillPaid(q: Queryable, billRef: string, by: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE bill_sandbox_bills SET status = 'paid', paid_by = $2, paid_at = $3 WHERE bill_ref = $1 AND status =
      'unpaid'`,
    [billRef, by, at],
  );
  return rowCount > 0;
}

/** Accounts without a bill for `period`, for the monthly issue (a page at a time). */
export async function accountsWithoutBill(
  q: Queryable,
  period: string,
  after: { billerId: string; accountNumber: string },
  limit: number,
): Promise<SandboxAccountRow[]> {
  const { rows } = await q.query<SandboxAccountRow>(
    `SELECT a.* FROM bill_sandbox_accounts a
     WHERE (a.biller_id, a.account_number) > ($1, $2)
       AND NOT EXISTS (SELECT 1 FROM bill_sandbox_bills b WHERE b.biller_id = a.biller_id AND b.account_number =
      a.account_number AND b.period = $3)
     ORDER BY a.biller_id, a.account_number LIMIT $4`,
    [after.billerId, after.accountNumber, period, limit],
  );
  return rows;
}

export async function insertTxn(q: Queryable, row: SandboxTxnRow): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO bill_sandbox_txns (request_id, biller_id, account_number, bill_ref, amount, status, final_status,
      reason,
       network_ref, completes_at, completed_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    [
      row.request_id,
      row.biller_id,
      row.account_number,
      row.bill_ref,
      row.amount,
      row.status,
      row.final_status,
      row.reason,
      row.network_ref,
      row.completes_at,
      row.completed_at,
      row.created_at,
    ],
  );
  return rowCount > 0;
}

export async function findTxn(q: Queryable, requestId: string): Promise<SandboxTxnRow | null> {
  const { rows } = await q.query<SandboxTxnRow>('SELECT * FROM bill_sandbox_txns WHERE request_id = $1', [requestId]);
  return rows[0] ? txn(rows[0]) : null;
}

/** Completes processing requests whose time has come; answers those that became succeeded. */
export async function advance(q: Queryable, requestId: string | null, until: Date): Promise<SandboxTxnRow[]> {
  const { rows } = await q.query<SandboxTxnRow>(
    `UPDATE bill_sandbox_txns SET status = final_status, completed_at = completes_at
     WHERE status = 'processing' AND completes_at <= $2 AND ($1::text IS NULL OR request_id = $1) RETURNING *`,
    [requestId, until],
  );
  return rows.map(txn);
}

export async function succeededOn(q: Queryable, billerId: string, from: Date, to: Date): Promise<SandboxTxnRow[]> {
  const { rows } = await q.query<SandboxTxnRow>(
    `SELECT * FROM bill_sandbox_txns WHERE biller_id = $1 AND status = 'succeeded' AND completed_at >= $2 AND
      completed_at < $3
     ORDER BY completed_at, request_id`,
    [billerId, from, to],
  );
  return rows.map(txn);
}

export async function scheduleConfirmation(q: Queryable, id: string, requestId: string, at: Date) {
  await q.query('INSERT INTO bill_sandbox_confirmations (id, request_id, deliver_at) VALUES ($1, $2, $3)', [
    id,
    requestId,
    at,
  ]);
}

export async function claimDueConfirmations(
  q: Queryable,
  now: Date,
  limit: number,
): Promise<{ id: string; request_id: string }[]> {
  const { rows } = await q.query<{ id: string; request_id: string }>(
    `UPDATE bill_sandbox_confirmations SET delivered_at = $1
     WHERE id IN (SELECT id FROM bill_sandbox_confirmations WHERE delivered_at IS NULL AND deliver_at <= $1
                  ORDER BY deliver_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, request_id`,
    [now, limit],
  );
  return rows;
}

export async function failTxn(q: Queryable, requestId: string, reason: string): Promise<void> {
  await q.query(`UPDATE bill_sandbox_txns SET status = 'failed', reason = $2 WHERE request_id = $1`, [
    requestId,
    reason,
  ]);
}
