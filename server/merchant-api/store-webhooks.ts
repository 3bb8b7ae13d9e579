import type { Queryable } from '../platform/db/types.js';
import type { ApiMode } from './types.js';
import type { AttemptRow, DeliveryRow, EndpointRow, EventRow } from './webhook-types.js';

/** SQL on webhook endpoints, events (the outbox), deliveries and attempts. */

export async function insertEndpoint(q: Queryable, row: EndpointRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_webhook_endpoints (id, merchant_id, mode, url, description, events, status, secret_enc,
      previous_secret_enc, previous_secret_expires_at, failing_since, disabled_at, disabled_reason, created_by,
      created_at, updated_at, kind)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      row.id,
      row.merchant_id,
      row.mode,
      row.url,
      row.description,
      JSON.stringify(row.events),
      row.status,
      row.secret_enc,
      row.previous_secret_enc,
      row.previous_secret_expires_at,
      row.failing_since,
      row.disabled_at,
      row.disabled_reason,
      row.created_by,
      row.created_at,
      row.updated_at,
      row.kind,
    ],
  );
}

export async function findEndpoint(q: Queryable, id: string, forUpdate = false): Promise<EndpointRow | null> {
  const { rows } = await q.query<EndpointRow>(
    `SELECT * FROM merchant_webhook_endpoints WHERE id = $1 AND status <> 'deleted'${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The merchant's endpoints of a kind (of one mode when given), newest first. */
export async function listEndpoints(
  q: Queryable,
  merchantId: string,
  mode: ApiMode | null,
  kind: EndpointRow['kind'] = 'endpoint',
): Promise<EndpointRow[]> {
  const { rows } = await q.query<EndpointRow>(
    `SELECT * FROM merchant_webhook_endpoints WHERE merchant_id = $1 AND ($2::text IS NULL OR mode = $2)
       AND status <> 'deleted' AND kind = $3 ORDER BY id DESC LIMIT 100`,
    [merchantId, mode, kind],
  );
  return rows;
}

/** The merchant's notify endpoint of a mode (it signs deliveries to orders' notify URLs); locked when asked. */
export async function findNotifyEndpoint(
  q: Queryable,
  merchantId: string,
  mode: ApiMode,
  forUpdate = false,
): Promise<EndpointRow | null> {
  const { rows } = await q.query<EndpointRow>(
    `SELECT * FROM merchant_webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND kind = 'notify'
       AND status <> 'deleted'${forUpdate ? ' FOR UPDATE' : ''}`,
    [merchantId, mode],
  );
  return rows[0] ?? null;
}

export async function countEndpoints(q: Queryable, merchantId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM merchant_webhook_endpoints
     WHERE merchant_id = $1 AND status <> 'deleted' AND kind = 'endpoint'`,
    [merchantId],
  );
  return Number(rows[0].n);
}

export async function updateEndpoint(
  q: Queryable,
  id: string,
  change: { url: string; description: string; events: string[]; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE merchant_webhook_endpoints SET url = $2, description = $3, events = $4::jsonb, updated_at = $5
     WHERE id = $1`,
    [id, change.url, change.description, JSON.stringify(change.events), change.at],
  );
}

export async function rotateEndpointSecret(
  q: Queryable,
  id: string,
  secretEnc: string,
  previousEnc: string,
  previousUntil: Date,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE merchant_webhook_endpoints SET secret_enc = $2, previous_secret_enc = $3, previous_secret_expires_at = $4,
       updated_at = $5 WHERE id = $1`,
    [id, secretEnc, previousEnc, previousUntil, at],
  );
}

export async function setEndpointStatus(
  q: Queryable,
  id: string,
  status: EndpointRow['status'],
  at: Date,
  reason: string | null,
): Promise<void> {
  await q.query(
    `UPDATE merchant_webhook_endpoints SET status = $2, updated_at = $3,
       disabled_at = CASE WHEN $2 = 'disabled' THEN $3::timestamptz ELSE NULL END,
       disabled_reason = CASE WHEN $2 = 'disabled' THEN $4 ELSE NULL END,
       failing_since = CASE WHEN $2 = 'active' THEN NULL ELSE failing_since END
     WHERE id = $1`,
    [id, status, at, reason],
  );
}

/** A 2xx: the endpoint is no longer failing. */
export async function endpointSucceeded(q: Queryable, id: string): Promise<void> {
  await q.query(
    'UPDATE merchant_webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL',
    [id],
  );
}

/** A failed attempt: failing since the first one after the last success. Answers that time. */
export async function endpointFailed(q: Queryable, id: string, at: Date): Promise<Date> {
  const { rows } = await q.query<{ failing_since: Date }>(
    `UPDATE merchant_webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1
     RETURNING failing_since`,
    [id, at],
  );
  return rows[0].failing_since;
}

/** Disables an active endpoint; false when it was not active (another worker did it). */
export async function disableEndpoint(q: Queryable, id: string, at: Date, reason: string): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE merchant_webhook_endpoints SET status = 'disabled', disabled_at = $2, disabled_reason = $3, updated_at = $2
     WHERE id = $1 AND status = 'active' RETURNING id`,
    [id, at, reason],
  );
  return rows.length === 1;
}

export async function insertEvents(q: Queryable, events: EventRow[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const tuples = events.map((event, i) => {
    values.push(
      event.id,
      event.merchant_id,
      event.mode,
      event.type,
      event.subject_id,
      event.body,
      event.created_at,
      event.notify_url,
    );
    const at = i * 8;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8})`;
  });
  await q.query(
    `INSERT INTO merchant_webhook_events (id, merchant_id, mode, type, subject_id, body, created_at, notify_url)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

/** Events not yet fanned out to their endpoints, oldest first, locked (skipping those another worker holds). */
export async function lockUnfannedEvents(q: Queryable, limit: number): Promise<EventRow[]> {
  const { rows } = await q.query<EventRow>(
    `SELECT * FROM merchant_webhook_events WHERE fanned_out_at IS NULL ORDER BY created_at, id LIMIT $1
     FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows;
}

export async function markEventsFannedOut(q: Queryable, ids: string[], at: Date): Promise<void> {
  await q.query('UPDATE merchant_webhook_events SET fanned_out_at = $2 WHERE id = ANY($1::text[])', [ids, at]);
}

export async function findEvent(q: Queryable, id: string): Promise<EventRow | null> {
  const { rows } = await q.query<EventRow>('SELECT * FROM merchant_webhook_events WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** The active endpoints of a merchant and mode listening for an event type. */
export async function listeningEndpoints(
  q: Queryable,
  merchantId: string,
  mode: ApiMode,
  type: string,
): Promise<EndpointRow[]> {
  const { rows } = await q.query<EndpointRow>(
    `SELECT * FROM merchant_webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND status = 'active'
       AND kind = 'endpoint' AND events ? $3`,
    [merchantId, mode, type],
  );
  return rows;
}

export async function insertDelivery(q: Queryable, row: DeliveryRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_webhook_deliveries (id, event_id, endpoint_id, merchant_id, status, attempts,
      next_attempt_at, last_attempt_at, last_status_code, created_at, url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
    [
      row.id,
      row.event_id,
      row.endpoint_id,
      row.merchant_id,
      row.status,
      row.attempts,
      row.next_attempt_at,
      row.last_attempt_at,
      row.last_status_code,
      row.created_at,
      row.url,
    ],
  );
}

/**
 * Claims due pending deliveries: their next attempt moves to `leaseUntil`, so another worker does not
 * send them too; the attempt's outcome then sets the real next time.
 */
export async function claimDueDeliveries(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DeliveryRow[]> {
  const { rows } = await q.query<DeliveryRow>(
    `UPDATE merchant_webhook_deliveries SET next_attempt_at = $2
     WHERE id IN (SELECT id FROM merchant_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
                  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, leaseUntil, limit],
  );
  return rows;
}

export async function findDelivery(q: Queryable, id: string): Promise<DeliveryRow | null> {
  const { rows } = await q.query<DeliveryRow>('SELECT * FROM merchant_webhook_deliveries WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function recordDeliveryOutcome(
  q: Queryable,
  id: string,
  outcome: {
    status: DeliveryRow['status'];
    attempts: number;
    nextAttemptAt: Date | null;
    at: Date;
    statusCode: number | null;
  },
): Promise<void> {
  await q.query(
    `UPDATE merchant_webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_attempt_at = $5,
       last_status_code = $6 WHERE id = $1`,
    [id, outcome.status, outcome.attempts, outcome.nextAttemptAt, outcome.at, outcome.statusCode],
  );
}

/** Pending deliveries of a disabled endpoint end as failed. */
export async function failPendingDeliveries(q: Queryable, endpointId: string): Promise<void> {
  await q.query(
    `UPDATE merchant_webhook_deliveries SET status = 'failed', next_attempt_at = NULL
     WHERE endpoint_id = $1 AND status = 'pending'`,
    [endpointId],
  );
}

export async function insertAttempt(q: Queryable, row: AttemptRow): Promise<void> {
  await q.query(
    `INSERT INTO merchant_webhook_attempts (id, delivery_id, endpoint_id, merchant_id, url, request_headers,
      response_status, response_body, latency_ms, error, manual, at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12)`,
    [
      row.id,
      row.delivery_id,
      row.endpoint_id,
      row.merchant_id,
      row.url,
      JSON.stringify(row.request_headers),
      row.response_status,
      row.response_body,
      row.latency_ms,
      row.error,
      row.manual,
      row.at,
    ],
  );
}

export interface DeliveryLogRow extends DeliveryRow {
  event_type: string;
  event_created_at: Date;
  body: string;
}

/** An endpoint's deliveries, newest first, with their events; after the cursor when given. */
export async function listDeliveries(
  q: Queryable,
  endpointId: string,
  before: string | null,
  limit: number,
): Promise<DeliveryLogRow[]> {
  const { rows } = await q.query<DeliveryLogRow>(
    `SELECT d.*, e.type AS event_type, e.created_at AS event_created_at, e.body
     FROM merchant_webhook_deliveries d JOIN merchant_webhook_events e ON e.id = d.event_id
     WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.id < $2) ORDER BY d.id DESC LIMIT $3`,
    [endpointId, before, limit],
  );
  return rows;
}

export async function listAttempts(q: Queryable, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  const { rows } = await q.query<AttemptRow>(
    'SELECT * FROM merchant_webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY id',
    [deliveryIds],
  );
  return rows;
}
