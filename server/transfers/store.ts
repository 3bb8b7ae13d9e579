import type { Queryable } from '../platform/db/types.js';

/** SQL on transfers, money requests and the payee-lookup log. Money itself is the ledger's. */

export type TransferStatus = 'awaiting_confirmation' | 'completed' | 'failed' | 'expired';

export interface TransferRow {
  id: string;
  payer_user_id: string;
  payer_account_id: string;
  payer_name_masked: string;
  payer_phone_masked: string;
  payee_user_id: string;
  payee_account_id: string;
  payee_name_masked: string;
  payee_phone_masked: string;
  amount: bigint;
  currency: string;
  note: string;
  status: TransferStatus;
  confirmation_id: string;
  request_id: string | null;
  client_key: string | null;
  failure_code: string | null;
  entry_id: string | null;
  expires_at: Date;
  created_at: Date;
  completed_at: Date | null;
}

export type NewTransfer = Omit<TransferRow, 'status' | 'failure_code' | 'entry_id' | 'completed_at'>;

const TRANSFER_COLUMNS = [
  'id',
  'payer_user_id',
  'payer_account_id',
  'payer_name_masked',
  'payer_phone_masked',
  'payee_user_id',
  'payee_account_id',
  'payee_name_masked',
  'payee_phone_masked',
  'amount',
  'currency',
  'note',
  'confirmation_id',
  'request_id',
  'client_key',
  'expires_at',
  'created_at',
] as const;

/** Inserts an awaiting transfer; when the payer's client key was already used, returns that transfer instead. */
export async function insertTransfer(
  q: Queryable,
  transfer: NewTransfer,
): Promise<{ row: TransferRow; created: boolean }> {
  const values = TRANSFER_COLUMNS.map((column) => transfer[column]);
  const placeholders = TRANSFER_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  const { rows } = await q.query<TransferRow>(
    `INSERT INTO transfers (${TRANSFER_COLUMNS.join(', ')}, status) VALUES (${placeholders}, 'awaiting_confirmation')
     ON CONFLICT (payer_user_id, client_key) WHERE client_key IS NOT NULL DO NOTHING RETURNING *`,
    values,
  );
  if (rows[0]) return { row: rows[0], created: true };
  const existing = await q.query<TransferRow>('SELECT * FROM transfers WHERE payer_user_id = $1 AND client_key = $2', [
    transfer.payer_user_id,
    transfer.client_key,
  ]);
  return { row: existing.rows[0], created: false };
}

/** A transfer the user is a party to (payer or payee); null for anyone else. */
export async function findTransferForParty(q: Queryable, id: string, userId: string): Promise<TransferRow | null> {
  const { rows } = await q.query<TransferRow>(
    'SELECT * FROM transfers WHERE id = $1 AND (payer_user_id = $2 OR payee_user_id = $2)',
    [id, userId],
  );
  return rows[0] ?? null;
}

export async function lockTransferOfPayer(q: Queryable, id: string, payerUserId: string): Promise<TransferRow | null> {
  const { rows } = await q.query<TransferRow>(
    'SELECT * FROM transfers WHERE id = $1 AND payer_user_id = $2 FOR UPDATE',
    [id, payerUserId],
  );
  return rows[0] ?? null;
}

/** Ends an awaiting transfer without moving money (refused by the ledger or by risk). */
export async function markTransferFailed(q: Queryable, id: string, failureCode: string): Promise<TransferRow | null> {
  const { rows } = await q.query<TransferRow>(
    `UPDATE transfers SET status = 'failed', failure_code = $2 WHERE id = $1 AND status = 'awaiting_confirmation'
      RETURNING *`,
    [id, failureCode],
  );
  return rows[0] ?? null;
}

export async function expireTransfers(q: Queryable, now: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE transfers SET status = 'expired', failure_code = 'CONFIRMATION_EXPIRED'
     WHERE id IN (SELECT id FROM transfers WHERE status = 'awaiting_confirmation' AND expires_at <= $1 ORDER BY
      expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [now, limit],
  );
  return rowCount;
}

/** The user's transfers, newest first, both directions, before a cursor id. */
export async function listTransfers(
  q: Queryable,
  userId: string,
  page: { before: string | null; limit: number; direction: 'all' | 'outgoing' | 'incoming' },
): Promise<TransferRow[]> {
  const outgoing = `SELECT * FROM transfers WHERE payer_user_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id
                     DESC LIMIT $3`;
  const incoming = `SELECT * FROM transfers WHERE payee_user_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id
                     DESC LIMIT $3`;
  const sql =
    page.direction === 'outgoing'
      ? outgoing
      : page.direction === 'incoming'
        ? incoming
        : `(${outgoing}) UNION ALL (${incoming}) ORDER BY id DESC LIMIT $3`;
  const { rows } = await q.query<TransferRow>(sql, [userId, page.before, page.limit]);
  return rows;
}

// Requests for money

export type RequestStatus = 'pending' | 'paid' | 'declined' | 'cancelled' | 'expired';

export interface RequestRow {
  id: string;
  requester_user_id: string;
  requester_account_id: string;
  requester_name_masked: string;
  requester_phone_masked: string;
  payer_user_id: string;
  payer_name_masked: string;
  payer_phone_masked: string;
  amount: bigint;
  currency: string;
  note: string;
  status: RequestStatus;
  transfer_id: string | null;
  expires_at: Date;
  created_at: Date;
  resolved_at: Date | null;
}

const REQUEST_COLUMNS = [
  'id',
  'requester_user_id',
  'requester_account_id',
  'requester_name_masked',
  'requester_phone_masked',
  'payer_user_id',
  'payer_name_masked',
  'payer_phone_masked',
  'amount',
  'currency',
  'note',
  'expires_at',
  'created_at',
] as const;

export async function insertRequest(
  q: Queryable,
  request: Omit<RequestRow, 'status' | 'transfer_id' | 'resolved_at'>,
): Promise<RequestRow> {
  const { rows } = await q.query<RequestRow>(
    `INSERT INTO transfer_requests (${REQUEST_COLUMNS.join(', ')}, status) VALUES
      (${REQUEST_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, 'pending') RETURNING *`,
    REQUEST_COLUMNS.map((column) => request[column]),
  );
  return rows[0];
}

export async function findRequestForParty(
  q: Queryable,
  id: string,
  userId: string,
  forUpdate = false,
): Promise<RequestRow | null> {
  const { rows } = await q.query<RequestRow>(
    `SELECT * FROM transfer_requests WHERE id = $1 AND (requester_user_id = $2 OR payer_user_id =
      $2)${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, userId],
  );
  return rows[0] ?? null;
}

export async function lockRequest(q: Queryable, id: string): Promise<RequestRow | null> {
  const { rows } = await q.query<RequestRow>('SELECT * FROM transfer_requests WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

/** Moves a pending request to its end state; null when it was no longer pending. */
export async function resolveRequest(
  q: Queryable,
  id: string,
  status: Exclude<RequestStatus, 'pending'>,
  at: Date,
  transferId: string | null = null,
): Promise<RequestRow | null> {
  const { rows } = await q.query<RequestRow>(
    `UPDATE transfer_requests SET status = $2, resolved_at = $3, transfer_id = COALESCE($4, transfer_id) WHERE id =
      $1 AND status = 'pending' RETURNING *`,
    [id, status, at, transferId],
  );
  return rows[0] ?? null;
}

export async function linkRequestTransfer(q: Queryable, id: string, transferId: string): Promise<void> {
  await q.query(`UPDATE transfer_requests SET transfer_id = $2 WHERE id = $1 AND status = 'pending'`, [id, transferId]);
}

export async function expireRequests(q: Queryable, now: Date, limit: number): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `UPDATE transfer_requests SET status = 'expired', resolved_at = $1
     WHERE id IN (SELECT id FROM transfer_requests WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at
      LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, limit],
  );
  return rows;
}

export async function listRequests(
  q: Queryable,
  userId: string,
  page: { box: 'incoming' | 'outgoing'; before: string | null; limit: number },
): Promise<RequestRow[]> {
  const column = page.box === 'incoming' ? 'payer_user_id' : 'requester_user_id';
  const { rows } = await q.query<RequestRow>(
    `SELECT * FROM transfer_requests WHERE ${column} = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [userId, page.before, page.limit],
  );
  return rows;
}

// Payee lookups

export async function countLookupsSince(q: Queryable, userId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM payee_lookups WHERE user_id = $1 AND at > $2',
    [userId, since],
  );
  return Number(rows[0].n);
}

export async function recordLookup(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.query('INSERT INTO payee_lookups (user_id, at) VALUES ($1, $2)', [userId, at]);
}

export async function pruneLookups(q: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    'DELETE FROM payee_lookups WHERE ctid IN (SELECT ctid FROM payee_lookups WHERE at <= $1 LIMIT $2)',
    [before, limit],
  );
  return rowCount;
}

// Posting in batches (group commit)

/** Locks transfers in id order, the same order for every writer. */
export async function lockTransfers(q: Queryable, ids: readonly string[]): Promise<Map<string, TransferRow>> {
  const { rows } = await q.query<TransferRow>(
    'SELECT * FROM transfers WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

export async function markTransfersCompleted(
  q: Queryable,
  done: readonly { id: string; entryId: string }[],
  at: Date,
): Promise<Map<string, TransferRow>> {
  const { rows } = await q.query<TransferRow>(
    `UPDATE transfers AS t SET status = 'completed', entry_id = v.entry_id, completed_at = $3
     FROM unnest($1::text[], $2::text[]) AS v(id, entry_id) WHERE t.id = v.id AND t.status = 'awaiting_confirmation'
      RETURNING t.*`,
    [done.map((d) => d.id), done.map((d) => d.entryId), at],
  );
  if (rows.length !== done.length)
    throw new Error(`${done.length - rows.length} transfers were not awaiting confirmation under their lock`);
  return new Map(rows.map((row) => [row.id, row]));
}

export async function markTransfersFailed(
  q: Queryable,
  failed: readonly { id: string; code: string }[],
): Promise<void> {
  await q.query(
    `UPDATE transfers AS t SET status = 'failed', failure_code = v.code
     FROM unnest($1::text[], $2::text[]) AS v(id, code) WHERE t.id = v.id AND t.status = 'awaiting_confirmation'`,
    [failed.map((f) => f.id), failed.map((f) => f.code)],
  );
}
