import type { Queryable } from '../platform/db/types.js';
import type { Method } from './schedule.js';

/** Credit's applications, reviews, scorecards and bank-side accounts (loans: store-loans.ts). */

export type ApplicationStatus = 'approved' | 'declined' | 'referred' | 'awaiting_signature' | 'signed' | 'expired';

export interface ApplicationRow {
  id: string;
  user_id: string;
  product: 'loan' | 'card';
  status: ApplicationStatus;
  amount: bigint | null;
  term_months: number | null;
  method: Method | null;
  purpose: string | null;
  monthly_income: bigint;
  scorecard_version: string;
  score: number | null;
  inputs: Record<string, unknown>;
  components: { factor: string; value: string; points: number }[];
  outcome: 'approve' | 'decline' | 'refer' | null;
  reasons: { code: string; text: { zh: string; en: string } }[];
  decided_by: string | null;
  decided_at: Date | null;
  offer: OfferJson | null;
  offer_expires_at: Date | null;
  confirmation_id: string | null;
  loan_id: string | null;
  card_id: string | null;
  created_at: Date;
}

/** What the holder may sign: kept as decided, so the contract signed is the one shown. */
export interface OfferJson {
  limitFen: string;
  annualRateBp: number;
  termMonths: number | null;
  method: Method | null;
  card: { statementDay: number; dueDay: number; interestFreeDaysMax: number } | null;
  contractVersion: string;
}

export async function insertApplication(q: Queryable, row: ApplicationRow): Promise<ApplicationRow> {
  const { rows } = await q.query<ApplicationRow>(
    `INSERT INTO credit_applications (id, user_id, product, status, amount, term_months, method, purpose,
       monthly_income, scorecard_version, score, inputs, components, outcome, reasons, decided_by, decided_at,
       offer, offer_expires_at, confirmation_id, loan_id, card_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     RETURNING *`,
    [
      row.id,
      row.user_id,
      row.product,
      row.status,
      row.amount,
      row.term_months,
      row.method,
      row.purpose,
      row.monthly_income,
      row.scorecard_version,
      row.score,
      JSON.stringify(row.inputs),
      JSON.stringify(row.components),
      row.outcome,
      JSON.stringify(row.reasons),
      row.decided_by,
      row.decided_at,
      row.offer === null ? null : JSON.stringify(row.offer),
      row.offer_expires_at,
      row.confirmation_id,
      row.loan_id,
      row.card_id,
      row.created_at,
    ],
  );
  return rows[0];
}

const JSON_COLUMNS = new Set(['inputs', 'components', 'reasons', 'offer']);

export async function updateApplication(
  q: Queryable,
  id: string,
  changes: Partial<Omit<ApplicationRow, 'id' | 'user_id' | 'created_at'>>,
): Promise<ApplicationRow> {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  const sets = keys.map((key, index) => `${key} = $${index + 2}`);
  const values = keys.map((key) => {
    const value = changes[key];
    return JSON_COLUMNS.has(key) && value !== null ? JSON.stringify(value) : value;
  });
  const { rows } = await q.query<ApplicationRow>(
    `UPDATE credit_applications SET ${sets.join(', ')} WHERE id = $1 RETURNING *`,
    [id, ...values],
  );
  return rows[0];
}

export async function findApplication(q: Queryable, id: string, lock = false): Promise<ApplicationRow | null> {
  const { rows } = await q.query<ApplicationRow>(
    `SELECT * FROM credit_applications WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function listUserApplications(q: Queryable, userId: string, limit: number): Promise<ApplicationRow[]> {
  const { rows } = await q.query<ApplicationRow>(
    'SELECT * FROM credit_applications WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
    [userId, limit],
  );
  return rows;
}

export async function listApplications(
  q: Queryable,
  status: ApplicationStatus | null,
  before: string | null,
  limit: number,
): Promise<ApplicationRow[]> {
  const { rows } = await q.query<ApplicationRow>(
    `SELECT * FROM credit_applications WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [status, before, limit],
  );
  return rows;
}

/** Offers nobody signed in time. */
export async function lapsedOffers(q: Queryable, now: Date, limit: number): Promise<ApplicationRow[]> {
  const { rows } = await q.query<ApplicationRow>(
    `SELECT * FROM credit_applications WHERE status IN ('approved', 'awaiting_signature') AND offer_expires_at <= $1
     ORDER BY id LIMIT $2`,
    [now, limit],
  );
  return rows;
}

export interface ReviewRow {
  id: string;
  application_id: string;
  staff_id: string;
  decision: 'approve' | 'decline';
  credit_limit: bigint | null;
  annual_rate_bp: number | null;
  note: string;
  approval_id: string | null;
  created_at: Date;
}

export async function insertReview(q: Queryable, row: ReviewRow): Promise<void> {
  await q.query(
    `INSERT INTO credit_reviews (id, application_id, staff_id, decision, credit_limit, annual_rate_bp, note,
       approval_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.application_id,
      row.staff_id,
      row.decision,
      row.credit_limit,
      row.annual_rate_bp,
      row.note,
      row.approval_id,
      row.created_at,
    ],
  );
}

export async function listReviews(q: Queryable, applicationId: string): Promise<ReviewRow[]> {
  const { rows } = await q.query<ReviewRow>('SELECT * FROM credit_reviews WHERE application_id = $1 ORDER BY id', [
    applicationId,
  ]);
  return rows;
}

export async function scorecardInEffect(q: Queryable, at: Date): Promise<{ version: string; rules: unknown } | null> {
  const { rows } = await q.query<{ version: string; rules: unknown }>(
    `SELECT version, rules FROM credit_scorecards WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1`,
    [at],
  );
  return rows[0] ?? null;
}

export async function listScorecards(
  q: Queryable,
): Promise<{ version: string; effective_from: Date; rules: unknown }[]> {
  const { rows } = await q.query<{ version: string; effective_from: Date; rules: unknown }>(
    'SELECT version, effective_from, rules FROM credit_scorecards ORDER BY effective_from DESC LIMIT 50',
  );
  return rows;
}

export async function systemAccount(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ account_id: string }>(
    'SELECT account_id FROM credit_system_accounts WHERE name = $1',
    [name],
  );
  return rows[0]?.account_id ?? null;
}

export async function insertSystemAccount(q: Queryable, name: string, accountId: string): Promise<void> {
  await q.query('INSERT INTO credit_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
}

export async function findSettings(q: Queryable, userId: string): Promise<{ card_fallback: boolean } | null> {
  const { rows } = await q.query<{ card_fallback: boolean }>(
    'SELECT card_fallback FROM credit_settings WHERE user_id = $1',
    [userId],
  );
  return rows[0] ?? null;
}

export async function upsertSettings(q: Queryable, userId: string, cardFallback: boolean, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO credit_settings (user_id, card_fallback, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET card_fallback = $2, updated_at = $3`,
    [userId, cardFallback, at],
  );
}

export interface NoticeRow {
  id: string;
  user_id: string;
  subject: string;
  kind: string;
  text: { zh: string; en: string };
  created_at: Date;
}

/** A notice once per subject and kind; false when it was already given. */
export async function insertNotice(q: Queryable, row: NoticeRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_notices (id, user_id, subject, kind, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (subject, kind) DO NOTHING RETURNING id`,
    [row.id, row.user_id, row.subject, row.kind, JSON.stringify(row.text), row.created_at],
  );
  return rows.length > 0;
}

export async function listNotices(q: Queryable, userId: string, limit: number): Promise<NoticeRow[]> {
  const { rows } = await q.query<NoticeRow>(
    'SELECT * FROM credit_notices WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
    [userId, limit],
  );
  return rows;
}

export async function listNoticesFor(q: Queryable, subjects: readonly string[]): Promise<NoticeRow[]> {
  if (subjects.length === 0) return [];
  const { rows } = await q.query<NoticeRow>(
    'SELECT * FROM credit_notices WHERE subject = ANY($1::text[]) ORDER BY id DESC LIMIT 200',
    [subjects],
  );
  return rows;
}
