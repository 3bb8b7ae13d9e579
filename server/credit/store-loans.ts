import type { Queryable } from '../platform/db/types.js';
import type { Method } from './schedule.js';

/** Loans, their installments, repayments (loans and cards), collection contacts and disputes. */

export type LoanStatus = 'active' | 'overdue' | 'paid_off' | 'written_off';

export interface LoanRow {
  id: string;
  user_id: string;
  application_id: string;
  account_id: string;
  wallet_account_id: string;
  principal: bigint;
  currency: string;
  term_months: number;
  method: Method;
  purpose: string;
  annual_rate_bp: number;
  apr_bp: number;
  penalty_rate_bp: number;
  status: LoanStatus;
  disbursed_on: string;
  disbursed_at: Date;
  contract: { version: string; title: { zh: string; en: string }; text: { zh: string; en: string } };
  interest_accrued: bigint;
  penalty_accrued: bigint;
  accrued_through: string | null;
  closed_at: Date | null;
  created_at: Date;
}

export interface InstallmentRow {
  loan_id: string;
  number: number;
  start_day: string;
  due_day: string;
  original_due_day: string;
  principal: bigint;
  interest: bigint;
  interest_base: bigint;
  penalty: bigint;
  paid_principal: bigint;
  paid_interest: bigint;
  paid_penalty: bigint;
  paid_on: string | null;
  autopay_tried_on: string | null;
  reported: boolean;
}

export async function insertLoan(
  q: Queryable,
  row: Omit<LoanRow, 'interest_accrued' | 'penalty_accrued' | 'accrued_through' | 'closed_at'>,
) {
  await q.query(
    `INSERT INTO credit_loans (id, user_id, application_id, account_id, wallet_account_id, principal, currency,
       term_months, method, purpose, annual_rate_bp, apr_bp, penalty_rate_bp, status, disbursed_on, disbursed_at,
       contract, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      row.id,
      row.user_id,
      row.application_id,
      row.account_id,
      row.wallet_account_id,
      row.principal,
      row.currency,
      row.term_months,
      row.method,
      row.purpose,
      row.annual_rate_bp,
      row.apr_bp,
      row.penalty_rate_bp,
      row.status,
      row.disbursed_on,
      row.disbursed_at,
      JSON.stringify(row.contract),
      row.created_at,
    ],
  );
}

export async function insertInstallments(q: Queryable, rows: readonly InstallmentRow[]): Promise<void> {
  for (const row of rows) await upsertInstallment(q, row);
}

/** Writes an installment as given (schedules are small: at most 24 rows). */
export async function upsertInstallment(q: Queryable, row: InstallmentRow): Promise<void> {
  await q.query(
    `INSERT INTO credit_installments (loan_id, number, start_day, due_day, original_due_day, principal, interest,
       interest_base, penalty, paid_principal, paid_interest, paid_penalty, paid_on, autopay_tried_on, reported)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (loan_id, number) DO UPDATE SET start_day = $3, due_day = $4, original_due_day = $5,
       principal = $6, interest = $7, interest_base = $8, penalty = $9, paid_principal = $10, paid_interest = $11,
       paid_penalty = $12, paid_on = $13, autopay_tried_on = $14, reported = $15`,
    [
      row.loan_id,
      row.number,
      row.start_day,
      row.due_day,
      row.original_due_day,
      row.principal,
      row.interest,
      row.interest_base,
      row.penalty,
      row.paid_principal,
      row.paid_interest,
      row.paid_penalty,
      row.paid_on,
      row.autopay_tried_on,
      row.reported,
    ],
  );
}

/**
 * Sets an installment's bookkeeping columns only (due day, autopay tried, reported). The daily job
 * reads installments without a lock: writing the whole row back would undo a repayment committed in
 * between (its paid amounts), so it changes only what it decided.
 */
export async function markInstallment(
  q: Queryable,
  loanId: string,
  number: number,
  changes: Partial<Pick<InstallmentRow, 'due_day' | 'autopay_tried_on' | 'reported'>>,
): Promise<void> {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  if (keys.length === 0) return;
  await q.query(
    `UPDATE credit_installments SET ${keys.map((key, i) => `${key} = $${i + 3}`).join(', ')}
      WHERE loan_id = $1 AND number = $2`,
    [loanId, number, ...keys.map((key) => changes[key])],
  );
}

export async function findLoan(q: Queryable, id: string, lock = false): Promise<LoanRow | null> {
  const { rows } = await q.query<LoanRow>(`SELECT * FROM credit_loans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

export async function updateLoan(
  q: Queryable,
  id: string,
  changes: Partial<Pick<LoanRow, 'status' | 'interest_accrued' | 'penalty_accrued' | 'accrued_through' | 'closed_at'>>,
): Promise<void> {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  if (keys.length === 0) return;
  await q.query(`UPDATE credit_loans SET ${keys.map((key, i) => `${key} = $${i + 2}`).join(', ')} WHERE id = $1`, [
    id,
    ...keys.map((key) => changes[key]),
  ]);
}

export async function listUserLoans(q: Queryable, userId: string, limit: number): Promise<LoanRow[]> {
  const { rows } = await q.query<LoanRow>('SELECT * FROM credit_loans WHERE user_id = $1 ORDER BY id DESC LIMIT $2', [
    userId,
    limit,
  ]);
  return rows;
}

export async function listLoans(
  q: Queryable,
  status: LoanStatus | null,
  before: string | null,
  limit: number,
): Promise<LoanRow[]> {
  const { rows } = await q.query<LoanRow>(
    `SELECT * FROM credit_loans WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [status, before, limit],
  );
  return rows;
}

/** Open loans after a cursor, for the daily jobs (bounded batches). */
export async function openLoansAfter(q: Queryable, after: string, limit: number): Promise<LoanRow[]> {
  const { rows } = await q.query<LoanRow>(
    `SELECT * FROM credit_loans WHERE status IN ('active', 'overdue') AND id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows;
}

export async function listInstallments(q: Queryable, loanId: string, lock = false): Promise<InstallmentRow[]> {
  const { rows } = await q.query<InstallmentRow>(
    `SELECT * FROM credit_installments WHERE loan_id = $1 ORDER BY number${lock ? ' FOR UPDATE' : ''}`,
    [loanId],
  );
  return rows;
}

export async function countUserInstallments(q: Queryable, userId: string): Promise<{ on_time: bigint; late: bigint }> {
  const { rows } = await q.query<{ on_time: bigint; late: bigint }>(
    `SELECT count(*) FILTER (WHERE i.paid_on <= i.due_day) AS on_time,
            count(*) FILTER (WHERE i.paid_on > i.due_day OR (i.paid_on IS NULL AND i.reported)) AS late
       FROM credit_installments i JOIN credit_loans l ON l.id = i.loan_id WHERE l.user_id = $1`,
    [userId],
  );
  return rows[0];
}

export type RepaymentMode = 'due' | 'payoff' | 'custom' | 'full' | 'minimum';

export interface RepaymentRow {
  id: string;
  user_id: string;
  target: 'loan' | 'card';
  target_id: string;
  mode: RepaymentMode;
  source: 'manual' | 'auto_wallet' | 'auto_card';
  status: 'awaiting_confirmation' | 'completed' | 'failed' | 'expired';
  amount: bigint;
  currency: string;
  alloc_penalty: bigint;
  alloc_interest: bigint;
  alloc_principal: bigint;
  confirmation_id: string | null;
  client_key: string | null;
  entry_id: string | null;
  failure_code: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** Inserts a repayment; null when the holder's client key was already used (the caller finds that one). */
export async function insertRepayment(q: Queryable, row: RepaymentRow): Promise<RepaymentRow | null> {
  const { rows } = await q.query<RepaymentRow>(
    `INSERT INTO credit_repayments (id, user_id, target, target_id, mode, source, status, amount, currency,
       alloc_penalty, alloc_interest, alloc_principal, confirmation_id, client_key, entry_id, failure_code,
       created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (user_id, client_key) WHERE client_key IS NOT NULL DO NOTHING RETURNING *`,
    [
      row.id,
      row.user_id,
      row.target,
      row.target_id,
      row.mode,
      row.source,
      row.status,
      row.amount,
      row.currency,
      row.alloc_penalty,
      row.alloc_interest,
      row.alloc_principal,
      row.confirmation_id,
      row.client_key,
      row.entry_id,
      row.failure_code,
      row.created_at,
      row.completed_at,
    ],
  );
  return rows[0] ?? null;
}

export async function findRepaymentByKey(q: Queryable, userId: string, clientKey: string) {
  const { rows } = await q.query<RepaymentRow>(
    'SELECT * FROM credit_repayments WHERE user_id = $1 AND client_key = $2',
    [userId, clientKey],
  );
  return rows[0] ?? null;
}

export async function findRepayment(q: Queryable, id: string, lock = false): Promise<RepaymentRow | null> {
  const { rows } = await q.query<RepaymentRow>(
    `SELECT * FROM credit_repayments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function completeRepayment(
  q: Queryable,
  id: string,
  done: Pick<RepaymentRow, 'alloc_penalty' | 'alloc_interest' | 'alloc_principal' | 'entry_id' | 'completed_at'>,
): Promise<RepaymentRow> {
  const { rows } = await q.query<RepaymentRow>(
    `UPDATE credit_repayments SET status = 'completed', alloc_penalty = $2, alloc_interest = $3,
       alloc_principal = $4, entry_id = $5, completed_at = $6 WHERE id = $1 RETURNING *`,
    [id, done.alloc_penalty, done.alloc_interest, done.alloc_principal, done.entry_id, done.completed_at],
  );
  return rows[0];
}

export async function listRepayments(q: Queryable, targetId: string, limit: number): Promise<RepaymentRow[]> {
  const { rows } = await q.query<RepaymentRow>(
    `SELECT * FROM credit_repayments WHERE target_id = $1 AND status = 'completed' ORDER BY id DESC LIMIT $2`,
    [targetId, limit],
  );
  return rows;
}

export interface ContactRow {
  id: string;
  target: 'loan' | 'card';
  target_id: string;
  channel: 'phone' | 'sms' | 'in_app';
  note: string;
  contacted_by: string;
  created_at: Date;
}

export async function insertContact(q: Queryable, row: ContactRow): Promise<void> {
  await q.query(
    `INSERT INTO credit_contacts (id, target, target_id, channel, note, contacted_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.target, row.target_id, row.channel, row.note, row.contacted_by, row.created_at],
  );
}

export async function listContacts(q: Queryable, targetIds: readonly string[]): Promise<ContactRow[]> {
  if (targetIds.length === 0) return [];
  const { rows } = await q.query<ContactRow>(
    'SELECT * FROM credit_contacts WHERE target_id = ANY($1::text[]) ORDER BY id DESC LIMIT 500',
    [targetIds],
  );
  return rows;
}

export interface DisputeRow {
  id: string;
  user_id: string;
  record_id: string;
  reason: string;
  status: 'open' | 'upheld' | 'rejected';
  resolution: string | null;
  resolved_by: string | null;
  created_at: Date;
  resolved_at: Date | null;
}

/** False when the record already has an open dispute. */
export async function insertDispute(q: Queryable, row: DisputeRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_disputes (id, user_id, record_id, reason, status, created_at)
     VALUES ($1, $2, $3, $4, 'open', $5) ON CONFLICT (record_id) WHERE status = 'open' DO NOTHING RETURNING id`,
    [row.id, row.user_id, row.record_id, row.reason, row.created_at],
  );
  return rows.length > 0;
}

export async function findDispute(q: Queryable, id: string, lock = false): Promise<DisputeRow | null> {
  const { rows } = await q.query<DisputeRow>(
    `SELECT * FROM credit_disputes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function resolveDispute(
  q: Queryable,
  id: string,
  outcome: 'upheld' | 'rejected',
  note: string,
  by: string,
  at: Date,
): Promise<DisputeRow> {
  const { rows } = await q.query<DisputeRow>(
    `UPDATE credit_disputes SET status = $2, resolution = $3, resolved_by = $4, resolved_at = $5 WHERE id = $1
     RETURNING *`,
    [id, outcome, note, by, at],
  );
  return rows[0];
}

export async function listDisputes(
  q: Queryable,
  filter: { userId?: string; status?: 'open' },
  limit: number,
): Promise<DisputeRow[]> {
  const { rows } = await q.query<DisputeRow>(
    `SELECT * FROM credit_disputes WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY id DESC LIMIT $3`,
    [filter.userId ?? null, filter.status ?? null, limit],
  );
  return rows;
}
