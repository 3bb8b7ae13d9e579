import type { Queryable } from '../platform/db/types.js';

/** The credit bureau sandbox's own tables (bureau-sandbox.ts). */

export interface PersonRow {
  person: string;
  marker: 'clean' | 'thin' | 'heavy_debt' | 'past_default';
  score: number | null;
}

export interface DebtRow {
  id: string;
  person: string;
  lender: string;
  kind: 'loan' | 'card';
  balance: bigint;
  monthly_payment: bigint;
  opened_on: string;
  overdue_months_24: number;
  defaulted: boolean;
}

export interface AccountRow {
  account_ref: string;
  person: string;
  lender: string;
  kind: 'loan' | 'card';
  opened_on: string;
  balance: bigint;
  status: 'current' | 'overdue' | 'closed' | 'written_off';
}

export interface RecordRow {
  id: string;
  person: string;
  account_ref: string;
  event_ref: string;
  month: string;
  kind: 'overdue' | 'write_off';
  amount: bigint;
  removed: boolean;
}

export async function findPerson(q: Queryable, person: string): Promise<PersonRow | null> {
  const { rows } = await q.query<PersonRow>(
    'SELECT person, marker, score FROM credit_bureau_people WHERE person = $1',
    [person],
  );
  return rows[0] ?? null;
}

/** Creates the person's file once; a racing creator's insert is ignored and the caller re-reads. */
export async function insertPerson(q: Queryable, row: PersonRow, at: Date): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_bureau_people (person, marker, score, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (person) DO NOTHING RETURNING person`,
    [row.person, row.marker, row.score, at],
  );
  return rows.length > 0;
}

export async function insertDebt(q: Queryable, row: DebtRow): Promise<void> {
  await q.query(
    `INSERT INTO credit_bureau_debts (id, person, lender, kind, balance, monthly_payment, opened_on,
       overdue_months_24, defaulted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.person,
      row.lender,
      row.kind,
      row.balance,
      row.monthly_payment,
      row.opened_on,
      row.overdue_months_24,
      row.defaulted,
    ],
  );
}

export async function listDebts(q: Queryable, person: string): Promise<DebtRow[]> {
  const { rows } = await q.query<DebtRow>('SELECT * FROM credit_bureau_debts WHERE person = $1 ORDER BY id', [person]);
  return rows;
}

export async function insertInquiry(
  q: Queryable,
  row: { id: string; person: string; day: string; inquirer: string; reason: string; created_at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO credit_bureau_inquiries (id, person, day, inquirer, reason, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.id, row.person, row.day, row.inquirer, row.reason, row.created_at],
  );
}

export async function listInquiries(
  q: Queryable,
  person: string,
): Promise<{ day: string; inquirer: string; reason: string }[]> {
  const { rows } = await q.query<{ day: string; inquirer: string; reason: string }>(
    'SELECT day, inquirer, reason FROM credit_bureau_inquiries WHERE person = $1 ORDER BY id DESC LIMIT 50',
    [person],
  );
  return rows;
}

export async function upsertAccount(q: Queryable, row: AccountRow, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO credit_bureau_accounts (account_ref, person, lender, kind, opened_on, balance, status, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (account_ref) DO UPDATE SET balance = $6, status = $7, updated_at = $8`,
    [row.account_ref, row.person, row.lender, row.kind, row.opened_on, row.balance, row.status, at],
  );
}

export async function upsertStatus(q: Queryable, accountRef: string, month: string, status: string, at: Date) {
  await q.query(
    `INSERT INTO credit_bureau_statuses (account_ref, month, status, reported_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_ref, month) DO UPDATE SET status = $3, reported_at = $4`,
    [accountRef, month, status, at],
  );
}

export async function listAccounts(q: Queryable, person: string): Promise<AccountRow[]> {
  const { rows } = await q.query<AccountRow>(
    'SELECT * FROM credit_bureau_accounts WHERE person = $1 ORDER BY opened_on, account_ref',
    [person],
  );
  return rows;
}

export async function listStatuses(
  q: Queryable,
  accountRefs: readonly string[],
): Promise<{ account_ref: string; month: string; status: string }[]> {
  if (accountRefs.length === 0) return [];
  const { rows } = await q.query<{ account_ref: string; month: string; status: string }>(
    `SELECT account_ref, month, status FROM credit_bureau_statuses WHERE account_ref = ANY($1::text[])
     ORDER BY month DESC LIMIT 500`,
    [accountRefs],
  );
  return rows;
}

export async function insertRecord(q: Queryable, row: Omit<RecordRow, 'removed'>, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO credit_bureau_records (id, person, account_ref, event_ref, month, kind, amount, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_ref) DO NOTHING`,
    [row.id, row.person, row.account_ref, row.event_ref, row.month, row.kind, row.amount, at],
  );
}

export async function listRecords(q: Queryable, person: string): Promise<RecordRow[]> {
  const { rows } = await q.query<RecordRow>('SELECT * FROM credit_bureau_records WHERE person = $1 ORDER BY id', [
    person,
  ]);
  return rows;
}

export async function removeRecord(q: Queryable, recordId: string): Promise<boolean> {
  const { rows } = await q.query(
    'UPDATE credit_bureau_records SET removed = true WHERE id = $1 AND NOT removed RETURNING id',
    [recordId],
  );
  return rows.length > 0;
}

export async function readSetting(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ value: string }>('SELECT value FROM credit_bureau_settings WHERE name = $1', [name]);
  return rows[0]?.value ?? null;
}

export async function writeSetting(q: Queryable, name: string, value: string): Promise<void> {
  await q.query(
    `INSERT INTO credit_bureau_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2`,
    [name, value],
  );
}
