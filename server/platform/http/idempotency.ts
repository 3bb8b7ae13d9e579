import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { canonicalJson } from '../canonical-json.js';
import { sha256Hex } from '../crypto.js';
import { createGroupCommit } from '../group-commit.js';
import { Problem } from './problem-error.js';
import { isProblemCode, registeredProblem } from './problem-registry.js';

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
  /** HMAC key for request fingerprints: a body holds the PIN, so its stored digest must not be a plain hash. */
  fingerprintKey: Buffer;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

interface StoredRequest {
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  response_content_type: string | null;
}

interface Claim {
  scope: string;
  key: string;
  fingerprint: string;
}

interface Finished {
  scope: string;
  key: string;
  keep: boolean;
  status: number;
  body: string;
  contentType: string;
}

/** What a claim sees when its key was taken in the same batch, or vanished in between: still running. */
const IN_FLIGHT: StoredRequest = {
  fingerprint: '',
  state: 'in_flight',
  response_status: null,
  response_body: null,
  response_content_type: null,
};

const KEYED_PREFIX = 'h1:';

const requestText = (request: FastifyRequest) =>
  `${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`;

/** HMAC-SHA256 of the request under a server key, marked so it is told apart from older plain digests. */
function fingerprintOf(request: FastifyRequest, key: Buffer): string {
  return `${KEYED_PREFIX}${createHmac('sha256', key).update(requestText(request)).digest('hex')}`;
}

/**
 * Whether a stored fingerprint is this request's. Records written before fingerprints were keyed
 * hold a plain SHA-256 and live at most a day more; they still match, so a retry across the
 * upgrade replays rather than being refused as another request.
 */
function sameRequest(stored: string, fingerprint: string, request: FastifyRequest): boolean {
  if (stored.startsWith(KEYED_PREFIX)) return stored === fingerprint;
  return stored === sha256Hex(requestText(request));
}

/**
 * Stripe-style idempotency for every route marked `idempotent`. The key is scoped to the caller.
 * The same key and body replay the first response exactly; another body is 422; a duplicate while
 * the first is running is 409. Server errors (5xx) are not kept: nothing was committed by a failed
 * request, and money movements carry their own unique ledger reference, so a retry is safe.
 * For the same reason the records are written without waiting for the WAL flush (`db.relaxed`):
 * a record lost in a crash makes a retry run again, and the ledger replays it by reference.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const retentionMs = Math.max(options.retentionMs ?? DAY_MS, DAY_MS);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const { db, clock } = options;
  app.decorateRequest('idempotency', null);

  // Concurrent requests claim and finish their keys together: one statement per batch.
  async function claimBatch(claims: Claim[]): Promise<(StoredRequest | null)[]> {
    const now = clock.now();
    const first = new Map<string, Claim>();
    for (const c of claims) if (!first.has(`${c.scope}\n${c.key}`)) first.set(`${c.scope}\n${c.key}`, c);
    const unique = [...first.values()];
    const { rows } = await db.relaxed.query<{ scope: string; key: string }>(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state, locked_until, expires_at, created_at)
       SELECT v.scope, v.key, v.fingerprint, 'in_flight', $4, $5, $6 FROM unnest($1::text[], $2::text[], $3::text[])
        AS v(scope, key, fingerprint)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight',
         response_status = NULL, response_body = NULL, locked_until = EXCLUDED.locked_until,
         expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at
       WHERE idempotency_keys.expires_at <= $6
          OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until <= $6 AND
        idempotency_keys.fingerprint = EXCLUDED.fingerprint)
       RETURNING scope, key`,
      [
        unique.map((c) => c.scope),
        unique.map((c) => c.key),
        unique.map((c) => c.fingerprint),
        new Date(now.getTime() + lockTimeoutMs),
        new Date(now.getTime() + retentionMs),
        now,
      ],
    );
    const claimed = new Set(rows.map((row) => `${row.scope}\n${row.key}`));
    const winners = new Set<Claim>();
    for (const c of unique) if (claimed.has(`${c.scope}\n${c.key}`)) winners.add(c);
    const losers = claims.filter((c) => !winners.has(c));
    const existing = new Map<string, StoredRequest>();
    if (losers.length > 0) {
      const found = await db.relaxed.query<StoredRequest & { scope: string; key: string }>(
        `SELECT i.scope, i.key, i.fingerprint, i.state, i.response_status, i.response_body, i.response_content_type
         FROM idempotency_keys i JOIN unnest($1::text[], $2::text[]) AS v(scope, key) ON v.scope = i.scope AND v.key
          = i.key`,
        [losers.map((c) => c.scope), losers.map((c) => c.key)],
      );
      for (const row of found.rows) existing.set(`${row.scope}\n${row.key}`, row);
    }
    return claims.map((c) => (winners.has(c) ? null : (existing.get(`${c.scope}\n${c.key}`) ?? IN_FLIGHT)));
  }

  async function finishBatch(finished: Finished[]): Promise<void[]> {
    const kept = finished.filter((f) => f.keep);
    const dropped = finished.filter((f) => !f.keep);
    if (kept.length > 0) {
      await db.relaxed.query(
        `UPDATE idempotency_keys AS i SET state = 'done', response_status = v.status, response_body = v.body,
          response_content_type = v.content_type
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) AS v(scope, key, status, body,
          content_type)
         WHERE i.scope = v.scope AND i.key = v.key`,
        [
          kept.map((f) => f.scope),
          kept.map((f) => f.key),
          kept.map((f) => f.status),
          kept.map((f) => f.body),
          kept.map((f) => f.contentType),
        ],
      );
    }
    if (dropped.length > 0) {
      await db.relaxed.query(
        `DELETE FROM idempotency_keys AS i USING unnest($1::text[], $2::text[]) AS v(scope, key) WHERE i.scope =
          v.scope AND i.key = v.key`,
        [dropped.map((f) => f.scope), dropped.map((f) => f.key)],
      );
    }
    return finished.map(() => undefined);
  }

  // A failed batch fails each of its callers (they answer 5xx and may retry).
  const claim = createGroupCommit({
    name: 'idempotency_claims',
    run: claimBatch,
    maxBatchSize: 256,
    onFailure: 'fail',
  }).submit;
  const finish = createGroupCommit({
    name: 'idempotency_finish',
    run: finishBatch,
    maxBatchSize: 256,
    onFailure: 'fail',
  }).submit;

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') throw new Problem('IDEMPOTENCY_KEY_REQUIRED');
    if (!KEY_PATTERN.test(key)) {
      throw new Problem('VALIDATION_FAILED', {}, [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }
    const scope = request.principal ? `${request.principal.kind}:${request.principal.id}` : 'anonymous';
    const fingerprint = fingerprintOf(request, options.fingerprintKey);
    const existing = await claim({ scope, key, fingerprint });
    if (!existing) {
      request.idempotency = { scope, key, replay: false };
      return;
    }
    if (existing !== IN_FLIGHT && !sameRequest(existing.fingerprint, fingerprint, request)) {
      throw new Problem('IDEMPOTENCY_KEY_REUSED');
    }
    if (existing.state === 'in_flight')
      throw new Problem('IDEMPOTENCY_REQUEST_IN_PROGRESS', {}, [], { 'retry-after': '1' });
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
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    await finish({
      scope: record.scope,
      key: record.key,
      // Answers that ask for a retry are not kept, so the retry can run.
      keep: status < 500 && status !== 409 && status !== 429 && !asksForRetry(body),
      status,
      body,
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
    });
    return payload;
  });
}

/** A problem answer whose code asks the client to act and send the same request again (a step-up). */
function asksForRetry(body: string): boolean {
  if (!body.startsWith('{') || !body.includes('"code"')) return false;
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' && isProblemCode(code) && registeredProblem(code)?.retry === true;
  } catch {
    return false;
  }
}

/** Deletes keys past their retention; run by a job. */
export async function pruneIdempotencyKeys(db: Db, now: Date, batchSize = 5_000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2)`,
    [now, batchSize],
  );
  return rowCount;
}
