import type { Queryable, Tx } from '../platform/db/types.js';
import type { ProductKind, ProductTerms } from './catalogue.js';

/** Savings SQL: products and their versions, published fund figures, assessments, system accounts. */

export interface ProductRow {
  id: string;
  kind: ProductKind;
  code: string;
  fund_code: string | null;
  version: number;
  effective_at: Date;
  terms: ProductTerms;
  approval_id: string | null;
  created_at: Date;
}

const PRODUCT_COLUMNS = `p.id, p.kind, p.code, p.fund_code, v.version, v.effective_at, v.terms, v.approval_id,
  v.created_at`;

export async function insertProduct(
  q: Queryable,
  row: { id: string; kind: ProductKind; code: string; fundCode: string | null; createdAt: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO savings_products (id, kind, code, fund_code, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [row.id, row.kind, row.code, row.fundCode, row.createdAt],
  );
  return rowCount > 0;
}

export async function insertVersion(
  q: Queryable,
  row: {
    productId: string;
    version: number;
    effectiveAt: Date;
    terms: ProductTerms;
    approvalId: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO savings_product_versions (product_id, version, effective_at, terms, approval_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [row.productId, row.version, row.effectiveAt, row.terms, row.approvalId, row.createdAt],
  );
}

/** Each product's version in effect at `at` (the latest whose effective_at has passed). */
export async function productsInEffect(q: Queryable, at: Date, id?: string): Promise<ProductRow[]> {
  const { rows } = await q.query<ProductRow>(
    `SELECT DISTINCT ON (p.id) ${PRODUCT_COLUMNS}
     FROM savings_products p JOIN savings_product_versions v ON v.product_id = p.id
     WHERE v.effective_at <= $1 AND ($2::text IS NULL OR p.id = $2)
     ORDER BY p.id, v.effective_at DESC, v.version DESC`,
    [at, id ?? null],
  );
  return rows;
}

export async function productVersions(q: Queryable, id: string): Promise<ProductRow[]> {
  const { rows } = await q.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM savings_products p JOIN savings_product_versions v ON v.product_id = p.id
     WHERE p.id = $1 ORDER BY v.version`,
    [id],
  );
  return rows;
}

export async function findProductBase(
  q: Queryable,
  id: string,
  forUpdate = false,
): Promise<{ id: string; kind: ProductKind; code: string; fund_code: string | null } | null> {
  const { rows } = await q.query<{ id: string; kind: ProductKind; code: string; fund_code: string | null }>(
    `SELECT id, kind, code, fund_code FROM savings_products WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function maxVersion(q: Queryable, productId: string): Promise<number> {
  const { rows } = await q.query<{ v: number | null }>(
    'SELECT max(version) AS v FROM savings_product_versions WHERE product_id = $1',
    [productId],
  );
  return rows[0]?.v ?? 0;
}

// Fund figures -----------------------------------------------------------------------------------

export interface FundDayRow {
  fund_code: string;
  day: string;
  per10k_e4: bigint;
  yield7d_e4: bigint;
  published_at: Date;
}

export async function insertFundDay(
  q: Queryable,
  row: { fundCode: string; day: string; per10kE4: bigint; yield7dE4: bigint; publishedAt: Date; fetchedAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO savings_fund_days (fund_code, day, per10k_e4, yield7d_e4, published_at, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [row.fundCode, row.day, row.per10kE4, row.yield7dE4, row.publishedAt, row.fetchedAt],
  );
}

export async function fundDays(q: Queryable, fundCode: string, fromDay: string, toDay: string): Promise<FundDayRow[]> {
  const { rows } = await q.query<FundDayRow>(
    `SELECT fund_code, day, per10k_e4, yield7d_e4, published_at FROM savings_fund_days
     WHERE fund_code = $1 AND day >= $2 AND day <= $3 ORDER BY day`,
    [fundCode, fromDay, toDay],
  );
  return rows;
}

export async function latestFundDay(q: Queryable, fundCode: string): Promise<FundDayRow | null> {
  const { rows } = await q.query<FundDayRow>(
    `SELECT fund_code, day, per10k_e4, yield7d_e4, published_at FROM savings_fund_days
     WHERE fund_code = $1 ORDER BY day DESC LIMIT 1`,
    [fundCode],
  );
  return rows[0] ?? null;
}

// Assessments ------------------------------------------------------------------------------------

export interface AssessmentRow {
  id: string;
  user_id: string;
  version: string;
  answers: Record<string, string>;
  score: number;
  level: string;
  taken_at: Date;
  expires_at: Date;
}

export async function insertAssessment(q: Queryable, row: AssessmentRow): Promise<AssessmentRow> {
  const { rows } = await q.query<AssessmentRow>(
    `INSERT INTO savings_assessments (id, user_id, version, answers, score, level, taken_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [row.id, row.user_id, row.version, row.answers, row.score, row.level, row.taken_at, row.expires_at],
  );
  return rows[0];
}

export async function latestAssessment(q: Queryable, userId: string): Promise<AssessmentRow | null> {
  const { rows } = await q.query<AssessmentRow>(
    'SELECT * FROM savings_assessments WHERE user_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1',
    [userId],
  );
  return rows[0] ?? null;
}

export async function insertRiskAcknowledgement(
  q: Queryable,
  row: {
    id: string;
    userId: string;
    productId: string;
    productRisk: string;
    investorLevel: string;
    assessmentId: string;
    version: string;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO savings_risk_acknowledgements (id, user_id, product_id, product_risk, investor_level, assessment_id,
       questionnaire_version, acknowledged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, row.userId, row.productId, row.productRisk, row.investorLevel, row.assessmentId, row.version, row.at],
  );
}

// System accounts and fund holdings ---------------------------------------------------------------

export async function systemAccount(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ account_id: string }>(
    'SELECT account_id FROM savings_system_accounts WHERE name = $1',
    [name],
  );
  return rows[0]?.account_id ?? null;
}

export async function insertSystemAccount(tx: Tx, name: string, accountId: string): Promise<void> {
  await tx.query('INSERT INTO savings_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
}

export interface HoldingRow {
  user_id: string;
  product_id: string;
  account_id: string;
}

export async function findHolding(q: Queryable, userId: string, productId: string): Promise<HoldingRow | null> {
  const { rows } = await q.query<HoldingRow>(
    'SELECT user_id, product_id, account_id FROM savings_fund_holdings WHERE user_id = $1 AND product_id = $2',
    [userId, productId],
  );
  return rows[0] ?? null;
}

export async function insertHolding(tx: Tx, row: HoldingRow, at: Date): Promise<void> {
  await tx.query(
    'INSERT INTO savings_fund_holdings (user_id, product_id, account_id, created_at) VALUES ($1, $2, $3, $4)',
    [row.user_id, row.product_id, row.account_id, at],
  );
}

export async function holdingsOf(q: Queryable, userId: string): Promise<HoldingRow[]> {
  const { rows } = await q.query<HoldingRow>(
    'SELECT user_id, product_id, account_id FROM savings_fund_holdings WHERE user_id = $1 ORDER BY product_id',
    [userId],
  );
  return rows;
}

export async function allHoldings(q: Queryable): Promise<HoldingRow[]> {
  const { rows } = await q.query<HoldingRow>(
    'SELECT user_id, product_id, account_id FROM savings_fund_holdings ORDER BY user_id, product_id',
  );
  return rows;
}
