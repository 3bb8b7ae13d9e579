import type { Queryable } from '../platform/db/types.js';
import type { PaymentRow, PaymentSource, PaymentStatus, QrCodeRow } from './types.js';

/** SQL on QR codes, payments, refunds and the daily caps. */

export async function insertQrCode(q: Queryable, row: QrCodeRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_qr_codes (id, merchant_id, kind, label, amount, order_reference, terminal_label, payload,
      status, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.id,
      row.merchant_id,
      row.kind,
      row.label,
      row.amount,
      row.order_reference,
      row.terminal_label,
      row.payload,
      row.status,
      row.expires_at,
      row.created_at,
    ],
  );
}

export async function findQrCode(q: Queryable, id: string, forUpdate = false): Promise<QrCodeRow | null> {
  const { rows } = await q.query<QrCodeRow>(
    `SELECT * FROM merchant_qr_codes WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findQrCodeByLabel(q: Queryable, label: string): Promise<QrCodeRow | null> {
  const { rows } = await q.query<QrCodeRow>('SELECT * FROM merchant_qr_codes WHERE label = $1', [label]);
  return rows[0] ?? null;
}

export async function listQrCodes(q: Queryable, merchantId: string, limit: number): Promise<QrCodeRow[]> {
  const { rows } = await q.query<QrCodeRow>(
    'SELECT * FROM merchant_qr_codes WHERE merchant_id = $1 ORDER BY id DESC LIMIT $2',
    [merchantId, limit],
  );
  return rows;
}

export async function markQrPaid(q: Queryable, id: string, paymentId: string): Promise<void> {
  await q.query(`UPDATE merchant_qr_codes SET status = 'paid', paid_payment_id = $2 WHERE id = $1`, [id, paymentId]);
}

/** Revokes a dynamic code still unpaid; false when it was paid (or revoked) first. Takes the code's row lock. */
export async function revokeQrCode(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE merchant_qr_codes SET status = 'revoked' WHERE id = $1 AND status = 'active' RETURNING id`,
    [id],
  );
  return rows.length === 1;
}

/** Inserts a payment; false when the payer's client key is already taken by an earlier payment. */
export async function insertPayment(q: Queryable, row: PaymentRow): Promise<boolean> {
  const inserted = await q.query(
    `INSERT INTO payments (id, merchant_id, user_id, wallet_account_id, amount, currency, source, qr_code_id,
      dynamic_qr_id, order_reference, note, status,
       confirmation_id, password_free, entry_id, created_by, expires_at, completed_at, created_at, client_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (user_id, client_key) WHERE client_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      row.id,
      row.merchant_id,
      row.user_id,
      row.wallet_account_id,
      row.amount,
      row.currency,
      row.source,
      row.qr_code_id,
      row.dynamic_qr_id,
      row.order_reference,
      row.note,
      row.status,
      row.confirmation_id,
      row.password_free,
      row.entry_id,
      row.created_by,
      row.expires_at,
      row.completed_at,
      row.created_at,
      row.client_key ?? null,
    ],
  );
  return inserted.rows.length === 1;
}

/** The payer's earlier one-step payment made with this client key, if any. */
export async function findPaymentByClientKey(q: Queryable, userId: string, key: string): Promise<PaymentRow | null> {
  const { rows } = await q.query<PaymentRow>('SELECT * FROM payments WHERE user_id = $1 AND client_key = $2', [
    userId,
    key,
  ]);
  return rows[0] ?? null;
}

export async function findPayment(
  q: Queryable,
  id: string,
  scope: { userId?: string; merchantId?: string },
  forUpdate = false,
): Promise<PaymentRow | null> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM payments WHERE id = $1 AND ($2::text IS NULL OR user_id = $2) AND ($3::text IS NULL OR merchant_id
      = $3)${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, scope.userId ?? null, scope.merchantId ?? null],
  );
  return rows[0] ?? null;
}

export async function setPaymentConfirmation(q: Queryable, id: string, confirmationId: string): Promise<void> {
  await q.query('UPDATE payments SET confirmation_id = $2 WHERE id = $1', [id, confirmationId]);
}

export async function completePayment(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE payments SET status = 'completed', completed_at = $2 WHERE id = $1`, [id, at]);
}

export async function setPaymentEntry(q: Queryable, id: string, entryId: string): Promise<void> {
  await q.query('UPDATE payments SET entry_id = $2 WHERE id = $1', [id, entryId]);
}

export async function closePayment(q: Queryable, id: string, status: PaymentStatus): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE payments SET status = $2 WHERE id = $1 AND status = 'awaiting_confirmation'`,
    [id, status],
  );
  return rowCount === 1;
}

export async function expirePayments(q: Queryable, now: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE payments SET status = 'expired' WHERE id IN (SELECT id FROM payments WHERE status =
      'awaiting_confirmation' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [now, limit],
  );
  return rowCount;
}

export async function pendingForUser(q: Queryable, userId: string, now: Date): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM payments WHERE user_id = $1 AND status = 'awaiting_confirmation' AND expires_at > $2 ORDER BY id
      DESC LIMIT 20`,
    [userId, now],
  );
  return rows;
}

export interface PaymentFilter {
  merchantId: string;
  status?: PaymentStatus;
  source?: PaymentSource;
  from?: Date;
  to?: Date;
  before?: string;
  limit: number;
}

export async function listMerchantPayments(q: Queryable, f: PaymentFilter): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM payments WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR
      source = $3)
       AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5) AND
      ($6::text IS NULL OR id < $6)
     ORDER BY id DESC LIMIT $7`,
    [f.merchantId, f.status ?? null, f.source ?? null, f.from ?? null, f.to ?? null, f.before ?? null, f.limit],
  );
  return rows;
}

/** Completed payments after a (completed_at, id) cursor, oldest first: what the live stream sends next. */
export async function completedSince(
  q: Queryable,
  merchantId: string,
  since: { at: Date; id: string },
  limit: number,
): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    `SELECT * FROM payments WHERE merchant_id = $1 AND status = 'completed' AND (completed_at, id) >
      ($2::timestamptz, $3::text) ORDER BY completed_at, id LIMIT $4`,
    [merchantId, since.at, since.id, limit],
  );
  return rows;
}

export async function takings(
  q: Queryable,
  merchantId: string,
  from: Date,
  to: Date,
): Promise<{ count: bigint; gross: bigint; refunded: bigint; refunds: bigint }> {
  const { rows } = await q.query<{ count: bigint; gross: bigint | null; refunded: bigint | null; refunds: bigint }>(
    `SELECT (SELECT count(*) FROM payments WHERE merchant_id = $1 AND status = 'completed' AND completed_at >= $2 AND
      completed_at < $3) AS count,
            (SELECT sum(amount) FROM payments WHERE merchant_id = $1 AND status = 'completed' AND completed_at >= $2
      AND completed_at < $3) AS gross,
            (SELECT sum(amount) FROM refunds WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3) AS
      refunded,
            (SELECT count(*) FROM refunds WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3) AS refunds`,
    [merchantId, from, to],
  );
  const row = rows[0];
  return {
    count: BigInt(row.count),
    gross: BigInt(row.gross ?? 0),
    refunded: BigInt(row.refunded ?? 0),
    refunds: BigInt(row.refunds),
  };
}

/**
 * Adds `amountFen` to a user's usage of a daily cap in one statement that refuses to pass the cap:
 * the row lock taken by the upsert serializes concurrent payments, so no burst can exceed it.
 * Returns false (and changes nothing) when the cap would be passed.
 */
export async function addDailyUsage(
  q: Queryable,
  userId: string,
  day: string,
  cap: 'password_free' | 'static_qr',
  amountFen: bigint,
  capFen: bigint,
): Promise<boolean> {
  if (amountFen > capFen) return false;
  const { rowCount } = await q.query(
    `INSERT INTO payment_daily_usage (user_id, day, cap, used_fen) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, day, cap) DO UPDATE SET used_fen = payment_daily_usage.used_fen + EXCLUDED.used_fen
     WHERE payment_daily_usage.used_fen + EXCLUDED.used_fen <= $5`,
    [userId, day, cap, amountFen, capFen],
  );
  return rowCount === 1;
}

/** Returns usage taken by a payment that then failed, under the row lock its transaction already holds. */
export async function giveBackDailyUsage(
  q: Queryable,
  userId: string,
  day: string,
  cap: 'password_free' | 'static_qr',
  amountFen: bigint,
): Promise<void> {
  await q.query(
    'UPDATE payment_daily_usage SET used_fen = used_fen - $4 WHERE user_id = $1 AND day = $2 AND cap = $3',
    [userId, day, cap, amountFen],
  );
}

export async function dailyUsage(q: Queryable, userId: string, day: string): Promise<Map<string, bigint>> {
  const { rows } = await q.query<{ cap: string; used_fen: bigint }>(
    'SELECT cap, used_fen FROM payment_daily_usage WHERE user_id = $1 AND day = $2',
    [userId, day],
  );
  return new Map(rows.map((row) => [row.cap, BigInt(row.used_fen)]));
}

export interface RefundRow {
  id: string;
  payment_id: string;
  merchant_id: string;
  user_id: string;
  amount: bigint;
  reason: string | null;
  entry_id: string;
  created_by: string;
  created_at: Date;
}

export async function insertRefund(q: Queryable, row: RefundRow): Promise<void> {
  await q.query(
    `INSERT INTO refunds (id, payment_id, merchant_id, user_id, amount, reason, entry_id, created_by, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.payment_id,
      row.merchant_id,
      row.user_id,
      row.amount,
      row.reason,
      row.entry_id,
      row.created_by,
      row.created_at,
    ],
  );
}

export async function addRefunded(q: Queryable, paymentId: string, amountFen: bigint): Promise<void> {
  await q.query('UPDATE payments SET refunded_amount = refunded_amount + $2 WHERE id = $1', [paymentId, amountFen]);
}

export async function refundsOf(q: Queryable, paymentId: string): Promise<RefundRow[]> {
  const { rows } = await q.query<RefundRow>('SELECT * FROM refunds WHERE payment_id = $1 ORDER BY id LIMIT 100', [
    paymentId,
  ]);
  return rows;
}

/** Refunds after a (created_at, id) cursor, oldest first, for the live stream. */
export async function refundsSince(
  q: Queryable,
  merchantId: string,
  since: { at: Date; id: string },
  limit: number,
): Promise<RefundRow[]> {
  const { rows } = await q.query<RefundRow>(
    `SELECT * FROM refunds WHERE merchant_id = $1 AND (created_at, id) > ($2::timestamptz, $3::text) ORDER BY
      created_at, id LIMIT $4`,
    [merchantId, since.at, since.id, limit],
  );
  return rows;
}

export interface PasswordFreeRow {
  enabled: boolean;
  per_payment_fen: bigint;
  daily_fen: bigint;
}

export async function findPasswordFreeSettings(q: Queryable, userId: string): Promise<PasswordFreeRow | null> {
  const { rows } = await q.query<PasswordFreeRow>(
    'SELECT enabled, per_payment_fen, daily_fen FROM password_free_settings WHERE user_id = $1',
    [userId],
  );
  return rows[0] ?? null;
}

export async function savePasswordFreeSettings(
  q: Queryable,
  userId: string,
  settings: { enabled: boolean; perPaymentFen: bigint; dailyFen: bigint },
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO password_free_settings (user_id, enabled, per_payment_fen, daily_fen, updated_at) VALUES ($1, $2,
      $3, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET enabled = EXCLUDED.enabled, per_payment_fen = EXCLUDED.per_payment_fen,
       daily_fen = EXCLUDED.daily_fen, updated_at = EXCLUDED.updated_at`,
    [userId, settings.enabled, settings.perPaymentFen, settings.dailyFen, at],
  );
}

/** Locks the payments of a settlement batch, in id order. */
export async function lockPayments(q: Queryable, ids: readonly string[]): Promise<PaymentRow[]> {
  const { rows } = await q.query<PaymentRow>(
    'SELECT * FROM payments WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return rows;
}

/** Locks dynamic QR codes, in id order. */
export async function lockQrCodes(q: Queryable, ids: readonly string[]): Promise<QrCodeRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<QrCodeRow>(
    'SELECT * FROM merchant_qr_codes WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return rows;
}

export async function completePayments(
  q: Queryable,
  completed: readonly { id: string; entryId: string }[],
  at: Date,
): Promise<void> {
  if (completed.length === 0) return;
  await q.query(
    `UPDATE payments AS p SET status = 'completed', entry_id = v.entry_id, completed_at = $3
     FROM unnest($1::text[], $2::text[]) AS v(id, entry_id) WHERE p.id = v.id`,
    [completed.map((c) => c.id), completed.map((c) => c.entryId), at],
  );
}

export async function failPayments(q: Queryable, failed: readonly { id: string; code: string }[]): Promise<void> {
  if (failed.length === 0) return;
  await q.query(
    `UPDATE payments AS p SET status = 'failed', failure_code = v.code
     FROM unnest($1::text[], $2::text[]) AS v(id, code) WHERE p.id = v.id`,
    [failed.map((f) => f.id), failed.map((f) => f.code)],
  );
}
