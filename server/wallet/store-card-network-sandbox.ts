import type { Queryable } from '../platform/db/types.js';
import type { DeclineReason } from './card-network.js';

/** SQL of the card network sandbox (its own tables, so its state survives restarts and serves several processes). */

export interface SandboxTxnRow {
  request_id: string;
  kind: 'charge' | 'payout';
  amount: bigint;
  currency: string;
  status: 'processing' | 'succeeded' | 'failed';
  final_status: 'succeeded' | 'failed';
  reason: DeclineReason | null;
  network_ref: string;
  visible: boolean;
  completed_at: Date | null;
}

export interface SandboxBindingRow {
  id: string;
  card_hash: string;
  last4: string;
  code_hash: string;
  attempts: number;
  status: string;
  agreement_id: string | null;
  expires_at: Date;
}

/** Completes processing transactions whose time has come (of one request, or all when null). */
export async function completeDueTxns(q: Queryable, requestId: string | null, until: Date): Promise<void> {
  await q.query(
    `UPDATE card_network_sandbox_txns SET status = final_status, completed_at = completes_at
     WHERE status = 'processing' AND completes_at <= $2 AND ($1::text IS NULL OR request_id = $1)`,
    [requestId, until],
  );
}

export async function findTxn(q: Queryable, requestId: string): Promise<SandboxTxnRow | null> {
  const { rows } = await q.query<SandboxTxnRow>('SELECT * FROM card_network_sandbox_txns WHERE request_id = $1', [
    requestId,
  ]);
  return rows[0] ?? null;
}

export async function findAgreementLast4(q: Queryable, agreementId: string): Promise<string | null> {
  const { rows } = await q.query<{ last4: string }>('SELECT last4 FROM card_network_sandbox_agreements WHERE id = $1', [
    agreementId,
  ]);
  return rows[0]?.last4 ?? null;
}

export interface NewSandboxTxn {
  requestId: string;
  kind: 'charge' | 'payout';
  agreementId: string;
  amountFen: bigint;
  currency: string;
  scenario: string;
  status: SandboxTxnRow['status'];
  finalStatus: SandboxTxnRow['final_status'];
  reason: DeclineReason | null;
  networkRef: string;
  visible: boolean;
  receivedAt: Date;
  completesAt: Date;
  completedAt: Date | null;
}

/** Records a transaction; null when one with the same request id is already there. */
export async function insertTxn(q: Queryable, txn: NewSandboxTxn): Promise<SandboxTxnRow | null> {
  const { rows } = await q.query<SandboxTxnRow>(
    `INSERT INTO card_network_sandbox_txns (request_id, kind, agreement_id, amount, currency, scenario, status,
       final_status, reason, network_ref, visible, received_at, completes_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (request_id) DO NOTHING RETURNING *`,
    [
      txn.requestId,
      txn.kind,
      txn.agreementId,
      txn.amountFen,
      txn.currency,
      txn.scenario,
      txn.status,
      txn.finalStatus,
      txn.reason,
      txn.networkRef,
      txn.visible,
      txn.receivedAt,
      txn.completesAt,
      txn.completedAt,
    ],
  );
  return rows[0] ?? null;
}

/** Cancels a visible payout still processing; null when it is too late (or there is none). */
export async function cancelProcessingPayout(q: Queryable, requestId: string, at: Date): Promise<SandboxTxnRow | null> {
  const { rows } = await q.query<SandboxTxnRow>(
    `UPDATE card_network_sandbox_txns SET status = 'failed', final_status = 'failed', reason = 'CANCELLED',
       completed_at = $2
     WHERE request_id = $1 AND kind = 'payout' AND status = 'processing' AND visible RETURNING *`,
    [requestId, at],
  );
  return rows[0] ?? null;
}

/** Visible transactions that succeeded in [start, end), in completion order: a day's settlement file. */
export async function succeededBetween(
  q: Queryable,
  start: Date,
  end: Date,
): Promise<(SandboxTxnRow & { completed_at: Date })[]> {
  const { rows } = await q.query<SandboxTxnRow & { completed_at: Date }>(
    `SELECT * FROM card_network_sandbox_txns WHERE status = 'succeeded' AND visible AND completed_at >= $1
       AND completed_at < $2 ORDER BY completed_at, request_id`,
    [start, end],
  );
  return rows;
}

export async function insertCallback(q: Queryable, id: string, requestId: string, deliverAt: Date): Promise<void> {
  await q.query('INSERT INTO card_network_sandbox_callbacks (id, request_id, deliver_at) VALUES ($1, $2, $3)', [
    id,
    requestId,
    deliverAt,
  ]);
}

/** The callbacks of a request delivered at once (before the network answered the call). */
export async function markCallbacksOfRequestDelivered(q: Queryable, requestId: string, at: Date): Promise<void> {
  await q.query('UPDATE card_network_sandbox_callbacks SET delivered_at = $2, attempts = 1 WHERE request_id = $1', [
    requestId,
    at,
  ]);
}

/** Claims callbacks that are due, pushing each one's next attempt back (exponentially); several workers never take the
 * same. */
export async function claimDueCallbacks(
  q: Queryable,
  now: Date,
  maxAttempts: number,
  limit: number,
): Promise<{ id: string; request_id: string; attempts: number }[]> {
  const { rows } = await q.query<{ id: string; request_id: string; attempts: number }>(
    `UPDATE card_network_sandbox_callbacks SET attempts = attempts + 1,
       deliver_at = $2::timestamptz + make_interval(secs => power(2, LEAST(attempts, 10)) * 5)
     WHERE id IN (SELECT id FROM card_network_sandbox_callbacks
                  WHERE delivered_at IS NULL AND deliver_at <= $2 AND attempts < $3
                  ORDER BY deliver_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id, request_id, attempts`,
    [limit, now, maxAttempts],
  );
  return rows;
}

export async function markCallbackDelivered(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE card_network_sandbox_callbacks SET delivered_at = $2 WHERE id = $1', [id, at]);
}

export async function insertBinding(
  q: Queryable,
  row: { id: string; cardHash: string; last4: string; phone: string; codeHash: string; expiresAt: Date; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO card_network_sandbox_bindings (id, card_hash, last4, phone, code_hash, status, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, 'code_sent', $6, $7)`,
    [row.id, row.cardHash, row.last4, row.phone, row.codeHash, row.expiresAt, row.at],
  );
}

export async function lockBinding(q: Queryable, id: string): Promise<SandboxBindingRow | null> {
  const { rows } = await q.query<SandboxBindingRow>(
    'SELECT * FROM card_network_sandbox_bindings WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0] ?? null;
}

/** Counts a wrong code; the binding fails at `maxAttempts`. */
export async function recordBindingAttempt(q: Queryable, id: string, attempts: number, maxAttempts: number) {
  await q.query(
    `UPDATE card_network_sandbox_bindings
     SET attempts = $2::int, status = CASE WHEN $2::int >= $3::int THEN 'failed' ELSE status END WHERE id = $1`,
    [id, attempts, maxAttempts],
  );
}

/** Records the agreement a confirmed binding made, and marks the binding bound. */
export async function bindAgreement(
  q: Queryable,
  binding: Pick<SandboxBindingRow, 'id' | 'card_hash' | 'last4'>,
  agreementId: string,
  at: Date,
): Promise<void> {
  await q.query(
    'INSERT INTO card_network_sandbox_agreements (id, card_hash, last4, created_at) VALUES ($1, $2, $3, $4)',
    [agreementId, binding.card_hash, binding.last4, at],
  );
  await q.query(`UPDATE card_network_sandbox_bindings SET status = 'bound', agreement_id = $2 WHERE id = $1`, [
    binding.id,
    agreementId,
  ]);
}
