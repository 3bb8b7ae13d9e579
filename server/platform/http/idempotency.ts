import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { canonicalJson, sha256Hex } from '../../ledger/hash.js';
import { Problem } from './problem-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route moves money: it requires an Idempotency-Key and replays its first response. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { scope: string; key: string; replay: boolean } | null;
  }
}

export interface IdempotencyOptions {
  db: Db;
  clock: Clock;
  /** How long a key is kept; at least 24 hours. */
  retentionMs?: number;
  /** After this long an in-flight record is taken to belong to a crashed process. */
  lockTimeoutMs?: number;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

interface StoredRequest {
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  response_content_type: string | null;
  locked_until: Date;
  expires_at: Date;
}

function fingerprintOf(request: FastifyRequest): string {
  return sha256Hex(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`);
}

/**
 * Stripe-style idempotency for every route marked `idempotent`. The key is scoped to the caller.
 * The same key and body replay the first response exactly; another body is 422; a duplicate while
 * the first is running is 409. Server errors (5xx) are not kept: nothing was committed by a failed
 * request, and money movements carry their own unique ledger reference, so a retry is safe.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const retentionMs = Math.max(options.retentionMs ?? DAY_MS, DAY_MS);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const { db, clock } = options;
  app.decorateRequest('idempotency', null);

  async function claim(scope: string, key: string, fingerprint: string): Promise<StoredRequest | null> {
    const now = clock.now();
    const { rows } = await db.query<{ key: string }>(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state, locked_until, expires_at, created_at)
       VALUES ($1, $2, $3, 'in_flight', $4, $5, $6)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight',
         response_status = NULL, response_body = NULL, locked_until = EXCLUDED.locked_until,
         expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at
       WHERE idempotency_keys.expires_at <= $6
          OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until <= $6 AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
       RETURNING key`,
      [scope, key, fingerprint, new Date(now.getTime() + lockTimeoutMs), new Date(now.getTime() + retentionMs), now],
    );
    if (rows.length === 1) return null;
    const existing = await db.query<StoredRequest>(
      'SELECT fingerprint, state, response_status, response_body, response_content_type, locked_until, expires_at FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    return existing.rows[0] ?? null;
  }

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') throw new Problem('IDEMPOTENCY_KEY_REQUIRED');
    if (!KEY_PATTERN.test(key)) {
      throw new Problem('VALIDATION_FAILED', {}, [{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }]);
    }
    const scope = request.principal ? `${request.principal.kind}:${request.principal.id}` : 'anonymous';
    const fingerprint = fingerprintOf(request);
    const existing = await claim(scope, key, fingerprint);
    if (!existing) {
      request.idempotency = { scope, key, replay: false };
      return;
    }
    if (existing.fingerprint !== fingerprint) throw new Problem('IDEMPOTENCY_KEY_REUSED');
    if (existing.state === 'in_flight') throw new Problem('IDEMPOTENCY_REQUEST_IN_PROGRESS', {}, [], { 'retry-after': '1' });
    request.idempotency = { scope, key, replay: true };
    return reply
      .code(existing.response_status ?? 200)
      .header('idempotent-replayed', 'true')
      .type(existing.response_content_type ?? 'application/json; charset=utf-8')
      .serializer((payload: unknown) => payload as string)
      .send(existing.response_body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const record = request.idempotency;
    if (!record || record.replay) return payload;
    if (reply.statusCode >= 500 || reply.statusCode === 409 || reply.statusCode === 429) {
      await db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [record.scope, record.key]);
      return payload;
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    await db.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4, response_content_type = $5
       WHERE scope = $1 AND key = $2`,
      [record.scope, record.key, reply.statusCode, body, String(reply.getHeader('content-type') ?? 'application/json')],
    );
    return payload;
  });
}

/** Deletes keys past their retention; run by a job. */
export async function pruneIdempotencyKeys(db: Db, now: Date, batchSize = 5_000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
    [now, batchSize],
  );
  return rowCount;
}
