import type { Queryable } from '../platform/db/types.js';
import type { BillerSeed, BillerType } from './catalogue.js';

/**
 * The bills domain's SQL: billers, saved accounts and our copy of bills (payments and claims:
 * store-payments.ts; reconciliation: store-reconciliation.ts; autopay and reminders: store-autopay.ts).
 */

export interface BillerRow {
  id: string;
  name: string;
  name_en: string;
  type: BillerType;
  city: string;
  city_name: string;
  city_name_en: string;
  mode: 'postpaid' | 'prepaid';
  prepaid_minimum: bigint | null;
  prepaid_maximum: bigint | null;
  account_length: number;
  account_prefix: string;
  check_digit: 'luhn' | null;
  example: string;
  hint_zh: string;
  hint_en: string;
  late_fee_per_mille: string;
  enabled: boolean;
  disabled_reason: string | null;
  maintenance_starts_at: Date | null;
  maintenance_ends_at: Date | null;
  maintenance_zh: string | null;
  maintenance_en: string | null;
  settlement_account_id: string;
  created_at: Date;
}

export interface SavedAccountRow {
  id: string;
  user_id: string;
  biller_id: string;
  account_number: string;
  label: string;
  reminder_days_before: number;
  holder_name: string | null;
  created_at: Date;
}

export interface StatementRow {
  biller_id: string;
  bill_ref: string;
  account_number: string;
  period: string;
  amount: bigint;
  late_fee: bigint;
  issued_at: Date;
  due_date: string;
  status: 'unpaid' | 'paid' | 'paid_elsewhere';
  first_seen_at: Date;
  last_seen_at: Date;
}

const num = (value: unknown): bigint | null => (value === null || value === undefined ? null : BigInt(value as string));

function biller(row: BillerRow): BillerRow {
  return { ...row, prepaid_minimum: num(row.prepaid_minimum), prepaid_maximum: num(row.prepaid_maximum) };
}

function statement(row: StatementRow): StatementRow {
  return { ...row, amount: BigInt(row.amount), late_fee: BigInt(row.late_fee) };
}

// Billers

export async function billerCount(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM bill_billers');
  return rows[0].n;
}

export async function insertBiller(q: Queryable, seed: BillerSeed, settlementAccountId: string, now: Date) {
  await q.query(
    `INSERT INTO bill_billers (id, name, name_en, type, city, city_name, city_name_en, mode, prepaid_minimum,
       prepaid_maximum, account_length, account_prefix, check_digit, example, hint_zh, hint_en, late_fee_per_mille,
       settlement_account_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      seed.id,
      seed.name,
      seed.nameEn,
      seed.type,
      seed.city,
      seed.cityName,
      seed.cityNameEn,
      seed.mode,
      seed.prepaidMinimumFen,
      seed.prepaidMaximumFen,
      seed.accountLength,
      seed.accountPrefix,
      seed.checkDigit,
      seed.example,
      seed.hintZh,
      seed.hintEn,
      seed.lateFeePerMille,
      settlementAccountId,
      now,
    ],
  );
}

export async function billers(q: Queryable): Promise<BillerRow[]> {
  const { rows } = await q.query<BillerRow>('SELECT * FROM bill_billers ORDER BY type, city, id');
  return rows.map(biller);
}

export async function findBiller(q: Queryable, id: string): Promise<BillerRow | null> {
  const { rows } = await q.query<BillerRow>('SELECT * FROM bill_billers WHERE id = $1', [id]);
  return rows[0] ? biller(rows[0]) : null;
}

export async function setBillerEnabled(q: Queryable, id: string, enabled: boolean, reason: string | null) {
  const { rows } = await q.query<BillerRow>(
    'UPDATE bill_billers SET enabled = $2, disabled_reason = $3 WHERE id = $1 RETURNING *',
    [id, enabled, enabled ? null : reason],
  );
  return rows[0] ? biller(rows[0]) : null;
}

export async function setBillerMaintenance(
  q: Queryable,
  id: string,
  window: { startsAt: Date; endsAt: Date; messageZh: string; messageEn: string } | null,
) {
  const { rows } = await q.query<BillerRow>(
    `UPDATE bill_billers SET maintenance_starts_at = $2, maintenance_ends_at = $3, maintenance_zh = $4,
      maintenance_en = $5
     WHERE id = $1 RETURNING *`,
    [id, window?.startsAt ?? null, window?.endsAt ?? null, window?.messageZh ?? null, window?.messageEn ?? null],
  );
  return rows[0] ? biller(rows[0]) : null;
}

export async function systemAccount(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ account_id: string }>(
    'SELECT account_id FROM bill_system_accounts WHERE name = $1',
    [name],
  );
  return rows[0]?.account_id ?? null;
}

export async function insertSystemAccount(q: Queryable, name: string, accountId: string) {
  await q.query('INSERT INTO bill_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
}

// Saved accounts

export async function savedAccounts(q: Queryable, userId: string): Promise<SavedAccountRow[]> {
  const { rows } = await q.query<SavedAccountRow>(
    'SELECT * FROM bill_saved_accounts WHERE user_id = $1 ORDER BY created_at, id',
    [userId],
  );
  return rows;
}

export async function findSavedAccount(q: Queryable, userId: string, id: string): Promise<SavedAccountRow | null> {
  const { rows } = await q.query<SavedAccountRow>('SELECT * FROM bill_saved_accounts WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return rows[0] ?? null;
}

export async function findSavedAccountById(q: Queryable, id: string): Promise<SavedAccountRow | null> {
  const { rows } = await q.query<SavedAccountRow>('SELECT * FROM bill_saved_accounts WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function findSavedAccountFor(
  q: Queryable,
  userId: string,
  billerId: string,
  accountNumber: string,
): Promise<SavedAccountRow | null> {
  const { rows } = await q.query<SavedAccountRow>(
    'SELECT * FROM bill_saved_accounts WHERE user_id = $1 AND biller_id = $2 AND account_number = $3',
    [userId, billerId, accountNumber],
  );
  return rows[0] ?? null;
}

/** Inserts unless the holder already saved it or has 20; answers which. */
export async function insertSavedAccount(
  q: Queryable,
  row: SavedAccountRow,
  max: number,
): Promise<'inserted' | 'duplicate' | 'limit'> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO bill_saved_accounts (id, user_id, biller_id, account_number, label, reminder_days_before,
      holder_name, created_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8
     WHERE (SELECT count(*) FROM bill_saved_accounts WHERE user_id = $2) < $9
     ON CONFLICT (user_id, biller_id, account_number) DO NOTHING RETURNING id`,
    [
      row.id,
      row.user_id,
      row.biller_id,
      row.account_number,
      row.label,
      row.reminder_days_before,
      row.holder_name,
      row.created_at,
      max,
    ],
  );
  if (rows[0]) return 'inserted';
  return (await findSavedAccountFor(q, row.user_id, row.biller_id, row.account_number)) ? 'duplicate' : 'limit';
}

export async function updateSavedAccount(
  q: Queryable,
  userId: string,
  id: string,
  changes: { label?: string; reminderDaysBefore?: number },
): Promise<SavedAccountRow | null> {
  const { rows } = await q.query<SavedAccountRow>(
    `UPDATE bill_saved_accounts SET label = COALESCE($3, label), reminder_days_before = COALESCE($4,
      reminder_days_before)
     WHERE id = $1 AND user_id = $2 RETURNING *`,
    [id, userId, changes.label ?? null, changes.reminderDaysBefore ?? null],
  );
  return rows[0] ?? null;
}

export async function deleteSavedAccount(q: Queryable, userId: string, id: string): Promise<boolean> {
  await q.query(
    `UPDATE bill_autopay_mandates SET status = 'cancelled', updated_at = now() WHERE saved_account_id = $1 AND
      user_id = $2 AND status <> 'cancelled'`,
    [id, userId],
  );
  await q.query('UPDATE bill_reminders SET cancelled = true WHERE saved_account_id = $1 AND sent_at IS NULL', [id]);
  const { rowCount } = await q.query('DELETE FROM bill_saved_accounts WHERE id = $1 AND user_id = $2', [id, userId]);
  return rowCount > 0;
}

/** Every saved account, for the refresh job (a page at a time, by id). */
export async function savedAccountsPage(q: Queryable, after: string, limit: number): Promise<SavedAccountRow[]> {
  const { rows } = await q.query<SavedAccountRow>(
    'SELECT * FROM bill_saved_accounts WHERE id > $1 ORDER BY id LIMIT $2',
    [after, limit],
  );
  return rows;
}

// Our copy of bills

/**
 * Records what an inquiry saw: new bills inserted, known ones refreshed; outstanding ones no longer
 * listed are paid.
 */
export async function recordStatements(
  q: Queryable,
  billerId: string,
  accountNumber: string,
  bills: readonly {
    billRef: string;
    period: string;
    amountFen: bigint;
    lateFeeFen: bigint;
    issuedAt: Date;
    dueDate: string;
  }[],
  now: Date,
): Promise<StatementRow[]> {
  const inserted: StatementRow[] = [];
  for (const bill of bills) {
    const { rows } = await q.query<StatementRow & { inserted: boolean }>(
      `INSERT INTO bill_statements (biller_id, bill_ref, account_number, period, amount, late_fee, issued_at,
        due_date, status, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'unpaid', $9, $9)
       ON CONFLICT (biller_id, bill_ref) DO UPDATE SET late_fee = EXCLUDED.late_fee, last_seen_at =
        EXCLUDED.last_seen_at,
         status = CASE WHEN bill_statements.status = 'paid_elsewhere' THEN 'unpaid' ELSE bill_statements.status END
       RETURNING *, (xmax = 0) AS inserted`,
      [
        billerId,
        bill.billRef,
        accountNumber,
        bill.period,
        bill.amountFen,
        bill.lateFeeFen,
        bill.issuedAt,
        bill.dueDate,
        now,
      ],
    );
    if (rows[0].inserted) inserted.push(statement(rows[0]));
  }
  await q.query(
    `UPDATE bill_statements SET status = 'paid_elsewhere', last_seen_at = $4
     WHERE biller_id = $1 AND account_number = $2 AND status = 'unpaid' AND NOT (bill_ref = ANY($3::text[]))
       AND NOT EXISTS (SELECT 1 FROM bill_claims c WHERE c.biller_id = bill_statements.biller_id AND c.bill_ref =
      bill_statements.bill_ref)`,
    [billerId, accountNumber, bills.map((bill) => bill.billRef), now],
  );
  return inserted;
}

export async function setStatementStatus(
  q: Queryable,
  billerId: string,
  billRef: string,
  status: StatementRow['status'],
): Promise<void> {
  await q.query('UPDATE bill_statements SET status = $3 WHERE biller_id = $1 AND bill_ref = $2', [
    billerId,
    billRef,
    status,
  ]);
}

export async function findStatement(q: Queryable, billerId: string, billRef: string): Promise<StatementRow | null> {
  const { rows } = await q.query<StatementRow>('SELECT * FROM bill_statements WHERE biller_id = $1 AND bill_ref = $2', [
    billerId,
    billRef,
  ]);
  return rows[0] ? statement(rows[0]) : null;
}

export async function unpaidStatements(
  q: Queryable,
  keys: readonly { billerId: string; accountNumber: string }[],
): Promise<StatementRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await q.query<StatementRow>(
    `SELECT s.* FROM bill_statements s JOIN unnest($1::text[], $2::text[]) AS k(biller_id, account_number)
       ON s.biller_id = k.biller_id AND s.account_number = k.account_number
     WHERE s.status = 'unpaid' ORDER BY s.due_date, s.bill_ref`,
    [keys.map((k) => k.billerId), keys.map((k) => k.accountNumber)],
  );
  return rows.map(statement);
}
