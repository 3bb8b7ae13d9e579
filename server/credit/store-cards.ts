import type { Queryable } from '../platform/db/types.js';

/** Credit cards, their transactions and statements. */

export interface CardRow {
  id: string;
  user_id: string;
  application_id: string;
  account_id: string;
  pan_enc: string;
  pan_hash: string;
  last4: string;
  expiry: string;
  credit_limit: bigint;
  annual_rate_bp: number;
  statement_day: number;
  due_day: number;
  status: 'active' | 'frozen' | 'closed';
  interest_through: string | null;
  created_at: Date;
  /** A statement day the holder chose, taking effect after the next statement (migration 036). */
  next_statement_day?: number | null;
  statement_day_changed_on?: string | null;
  frozen_at?: Date | null;
}

export interface CardTransactionRow {
  id: string;
  card_id: string;
  kind: 'purchase' | 'repayment' | 'interest' | 'penalty' | 'refund' | 'interest_reversal';
  amount: bigint;
  merchant_name: string | null;
  mcc: string | null;
  day: string;
  statement_id: string | null;
  reference: string;
  entry_id: string | null;
  posted_at: Date;
}

export interface StatementRow {
  id: string;
  card_id: string;
  period_from: string;
  period_to: string;
  statement_day: string;
  due_day: string;
  original_due_day: string;
  balance: bigint;
  minimum_payment: bigint;
  paid: bigint;
  interest: bigint;
  status: 'open' | 'paid' | 'minimum_paid' | 'overdue';
  autopay_tried_on: string | null;
  reported: boolean;
  created_at: Date;
}

export async function insertCard(q: Queryable, row: CardRow): Promise<void> {
  await q.query(
    `INSERT INTO credit_cards (id, user_id, application_id, account_id, pan_enc, pan_hash, last4, expiry, credit_limit,
       annual_rate_bp, statement_day, due_day, status, interest_through, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      row.id,
      row.user_id,
      row.application_id,
      row.account_id,
      row.pan_enc,
      row.pan_hash,
      row.last4,
      row.expiry,
      row.credit_limit,
      row.annual_rate_bp,
      row.statement_day,
      row.due_day,
      row.status,
      row.interest_through,
      row.created_at,
    ],
  );
}

export async function findCard(q: Queryable, id: string, lock = false): Promise<CardRow | null> {
  const { rows } = await q.query<CardRow>(`SELECT * FROM credit_cards WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

export async function listUserCards(q: Queryable, userId: string): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>('SELECT * FROM credit_cards WHERE user_id = $1 ORDER BY id DESC LIMIT 10', [
    userId,
  ]);
  return rows;
}

export async function activeCardsAfter(q: Queryable, after: string, limit: number): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>(
    `SELECT * FROM credit_cards WHERE status IN ('active', 'frozen') AND id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows;
}

/** Freezing or unfreezing by the holder (a closed card stays closed). */
export async function setFrozen(q: Queryable, id: string, frozenAt: Date | null): Promise<CardRow | null> {
  const { rows } = await q.query<CardRow>(
    `UPDATE credit_cards SET status = $2, frozen_at = $3 WHERE id = $1 AND status <> 'closed' RETURNING *`,
    [id, frozenAt ? 'frozen' : 'active', frozenAt],
  );
  return rows[0] ?? null;
}

/** The holder's new statement day, waiting for the next statement; the day they asked. */
export async function setNextStatementDay(q: Queryable, id: string, day: number, askedOn: string): Promise<void> {
  await q.query('UPDATE credit_cards SET next_statement_day = $2, statement_day_changed_on = $3 WHERE id = $1', [
    id,
    day,
    askedOn,
  ]);
}

/** A waiting statement day takes effect (after a statement on the old day was made). */
export async function applyNextStatementDay(q: Queryable, id: string, dueDay: number): Promise<void> {
  await q.query(
    `UPDATE credit_cards SET statement_day = next_statement_day, due_day = $2, next_statement_day = NULL
      WHERE id = $1 AND next_statement_day IS NOT NULL`,
    [id, dueDay],
  );
}

export async function setInterestThrough(q: Queryable, id: string, day: string): Promise<void> {
  await q.query('UPDATE credit_cards SET interest_through = $2 WHERE id = $1', [id, day]);
}

export async function insertTransaction(q: Queryable, row: CardTransactionRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_card_transactions (id, card_id, kind, amount, merchant_name, mcc, day, statement_id, reference,
       entry_id, posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (reference) DO NOTHING RETURNING id`,
    [
      row.id,
      row.card_id,
      row.kind,
      row.amount,
      row.merchant_name,
      row.mcc,
      row.day,
      row.statement_id,
      row.reference,
      row.entry_id,
      row.posted_at,
    ],
  );
  return rows.length > 0;
}

export async function listTransactions(
  q: Queryable,
  cardId: string,
  filter: { before?: string | null; statementId?: string },
  limit: number,
): Promise<CardTransactionRow[]> {
  const { rows } = await q.query<CardTransactionRow>(
    `SELECT * FROM credit_card_transactions WHERE card_id = $1 AND ($2::text IS NULL OR id < $2)
       AND ($3::text IS NULL OR statement_id = $3) ORDER BY id DESC LIMIT $4`,
    [cardId, filter.before ?? null, filter.statementId ?? null, limit],
  );
  return rows;
}

/** A card's whole history, oldest first, for its interest (bounded by the caller). */
export async function allTransactions(q: Queryable, cardId: string, limit: number): Promise<CardTransactionRow[]> {
  const { rows } = await q.query<CardTransactionRow>(
    'SELECT * FROM credit_card_transactions WHERE card_id = $1 ORDER BY day, id LIMIT $2',
    [cardId, limit],
  );
  return rows;
}

/** Interest posted and not yet on a statement, up to a day: the interest of the statement made that day. */
export async function unbilledInterest(q: Queryable, cardId: string, through: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint | null }>(
    `SELECT sum(CASE WHEN kind = 'interest' THEN amount ELSE -amount END) AS total FROM credit_card_transactions
      WHERE card_id = $1 AND statement_id IS NULL AND kind IN ('interest', 'interest_reversal') AND day <= $2`,
    [cardId, through],
  );
  return BigInt(rows[0]?.total ?? 0n);
}

/** Transactions not yet on a statement, up to a day: they go on the statement made that day. */
export async function billTransactions(q: Queryable, cardId: string, statementId: string, through: string) {
  await q.query(
    `UPDATE credit_card_transactions SET statement_id = $2 WHERE card_id = $1 AND statement_id IS NULL AND day <= $3`,
    [cardId, statementId, through],
  );
}

/** What the holder owes on the card, from its own transactions (equal to its receivable account, negated). */
export async function owedTotal(q: Queryable, cardId: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint | null }>(
    `SELECT sum(CASE WHEN kind IN ('repayment', 'refund', 'interest_reversal') THEN -amount ELSE amount END) AS total
       FROM credit_card_transactions WHERE card_id = $1`,
    [cardId],
  );
  return BigInt(rows[0]?.total ?? 0n);
}

/** What was owed by the end of a day (a statement's balance when the job made it on a later run). */
export async function owedThrough(q: Queryable, cardId: string, day: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint | null }>(
    `SELECT sum(CASE WHEN kind IN ('repayment', 'refund', 'interest_reversal') THEN -amount ELSE amount END) AS total
       FROM credit_card_transactions WHERE card_id = $1 AND day <= $2`,
    [cardId, day],
  );
  return BigInt(rows[0]?.total ?? 0n);
}

export async function unbilledTotal(q: Queryable, cardId: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint | null }>(
    `SELECT sum(CASE WHEN kind IN ('repayment', 'refund', 'interest_reversal') THEN -amount ELSE amount END) AS total
       FROM credit_card_transactions WHERE card_id = $1 AND statement_id IS NULL`,
    [cardId],
  );
  return BigInt(rows[0]?.total ?? 0n);
}

export async function insertStatement(q: Queryable, row: StatementRow): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO credit_statements (id, card_id, period_from, period_to, statement_day, due_day, original_due_day,
       balance, minimum_payment, paid, interest, status, autopay_tried_on, reported, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (card_id, statement_day) DO NOTHING RETURNING id`,
    [
      row.id,
      row.card_id,
      row.period_from,
      row.period_to,
      row.statement_day,
      row.due_day,
      row.original_due_day,
      row.balance,
      row.minimum_payment,
      row.paid,
      row.interest,
      row.status,
      row.autopay_tried_on,
      row.reported,
      row.created_at,
    ],
  );
  return rows.length > 0;
}

export async function updateStatement(
  q: Queryable,
  id: string,
  changes: Partial<
    Pick<
      StatementRow,
      'paid' | 'interest' | 'status' | 'due_day' | 'autopay_tried_on' | 'reported' | 'balance' | 'minimum_payment'
    >
  >,
): Promise<void> {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  if (keys.length === 0) return;
  await q.query(`UPDATE credit_statements SET ${keys.map((key, i) => `${key} = $${i + 2}`).join(', ')} WHERE id = $1`, [
    id,
    ...keys.map((key) => changes[key]),
  ]);
}

export async function findStatement(q: Queryable, id: string): Promise<StatementRow | null> {
  const { rows } = await q.query<StatementRow>('SELECT * FROM credit_statements WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function listStatements(
  q: Queryable,
  cardId: string,
  limit: number,
  lock = false,
): Promise<StatementRow[]> {
  const { rows } = await q.query<StatementRow>(
    `SELECT * FROM credit_statements WHERE card_id = $1 ORDER BY statement_day DESC LIMIT $2` +
      (lock ? ' FOR UPDATE' : ''),
    [cardId, limit],
  );
  return rows;
}
