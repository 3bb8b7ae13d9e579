import type { Queryable } from '../platform/db/types.js';

/** Disputes of merchant payments: every statement. */

export type DisputeReason = 'not_received' | 'charged_twice' | 'wrong_amount';
export type DisputeStatus = 'awaiting_merchant' | 'merchant_answered' | 'merchant_refunded' | 'refunded' | 'rejected';
export const OPEN_DISPUTE_STATUSES: readonly DisputeStatus[] = ['awaiting_merchant', 'merchant_answered'];

export interface DisputeRow {
  id: string;
  payment_id: string;
  user_id: string;
  merchant_id: string;
  ticket_id: string;
  reason: DisputeReason;
  body: string;
  claimed_amount: bigint;
  payment_amount: bigint;
  status: DisputeStatus;
  merchant_due_at: Date;
  merchant_answer: string | null;
  merchant_evidence: string | null;
  merchant_answered_at: Date | null;
  decision_outcome: 'refund' | 'reject' | null;
  decision_amount: bigint | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  refund_id: string | null;
  refund_amount: bigint | null;
  refund_entry_id: string | null;
  refund_by: 'merchant' | 'bank' | null;
  refunded_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = [
  'id',
  'payment_id',
  'user_id',
  'merchant_id',
  'ticket_id',
  'reason',
  'body',
  'claimed_amount',
  'payment_amount',
  'status',
  'merchant_due_at',
  'merchant_answer',
  'merchant_evidence',
  'merchant_answered_at',
  'decision_outcome',
  'decision_amount',
  'decision_note',
  'decided_by',
  'decided_at',
  'refund_id',
  'refund_amount',
  'refund_entry_id',
  'refund_by',
  'refunded_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof DisputeRow)[];
type Column = (typeof COLUMNS)[number];

export async function insertDispute(q: Queryable, row: DisputeRow): Promise<void> {
  await q.query(
    `INSERT INTO support_disputes (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
    COLUMNS.map((column) => row[column]),
  );
}

export async function updateDispute(
  q: Queryable,
  id: string,
  patch: Partial<Pick<DisputeRow, Exclude<Column, 'id' | 'payment_id' | 'user_id' | 'merchant_id'>>>,
): Promise<void> {
  const columns = (Object.keys(patch) as Column[]).filter((column) => COLUMNS.includes(column));
  if (columns.length === 0) return;
  await q.query(
    `UPDATE support_disputes SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...columns.map((column) => (patch as Record<string, unknown>)[column])],
  );
}

export async function findDispute(q: Queryable, id: string, forUpdate = false): Promise<DisputeRow | null> {
  const { rows } = await q.query<DisputeRow>(
    `SELECT * FROM support_disputes WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findOpenDisputeOfPayment(q: Queryable, paymentId: string): Promise<DisputeRow | null> {
  const { rows } = await q.query<DisputeRow>(
    `SELECT * FROM support_disputes WHERE payment_id = $1 AND status IN ('awaiting_merchant', 'merchant_answered')`,
    [paymentId],
  );
  return rows[0] ?? null;
}

export async function listDisputes(
  q: Queryable,
  filter: { userId?: string; merchantId?: string; status: DisputeStatus | null; before: string | null; limit: number },
): Promise<DisputeRow[]> {
  const { rows } = await q.query<DisputeRow>(
    `SELECT * FROM support_disputes
      WHERE ($1::text IS NULL OR user_id = $1::text) AND ($2::text IS NULL OR merchant_id = $2::text)
        AND ($3::text IS NULL OR status = $3::text) AND ($4::text IS NULL OR id < $4::text)
      ORDER BY id DESC LIMIT $5`,
    [filter.userId ?? null, filter.merchantId ?? null, filter.status, filter.before, filter.limit],
  );
  return rows;
}

/** A file the merchant added as evidence: a support attachment on the dispute's ticket. */
export interface EvidenceFileRow {
  id: string;
  content_type: string;
  size_bytes: number;
  file_name: string;
  uploaded_by: string;
  created_at: Date;
}

/** The evidence files the merchant added to a dispute, oldest first (never the holder's or staff's files). */
export async function listMerchantEvidence(q: Queryable, ticketId: string): Promise<EvidenceFileRow[]> {
  const { rows } = await q.query<EvidenceFileRow>(
    `SELECT id, content_type, size_bytes, file_name, uploaded_by, created_at FROM support_attachments
      WHERE ticket_id = $1 AND uploaded_by LIKE 'merchant:%' ORDER BY created_at, id`,
    [ticketId],
  );
  return rows;
}
