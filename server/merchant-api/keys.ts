import type { FastifyRequest } from 'fastify';
import type { Principal } from '../platform/http/auth.js';
import { Problem } from '../platform/http/problem-error.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { createKeyRateLimit } from './key-rate-limit.js';
import * as store from './store.js';
import type { MerchantApiDeps } from './deps.js';
import type { ApiCaller, ApiKeyRow, ApiMode, MerchantApiError } from './types.js';

/**
 * API keys: made, named, rolled and revoked by the merchant's owner in the merchant pages. The secret
 * (`sk_live_…` or `sk_test_…`, 256 random bits) is answered once and stored only as its SHA-256; a
 * request with it becomes a `merchant_api` principal, counted against the key's rate limit.
 */

export const MAX_ACTIVE_KEYS = 20;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** After a roll the old secret keeps working this long, so the shop can deploy the new one. */
export const ROLL_OVERLAP_MS = 24 * 3600_000;
const KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyView {
  id: string;
  name: string;
  mode: ApiMode;
  prefix: string;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
  rateLimitPerMinute: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

function keyStatus(row: ApiKeyRow, now: Date): ApiKeyView['status'] {
  if (row.status === 'revoked') return 'revoked';
  if (row.expires_at) return row.expires_at <= now ? 'expired' : 'expiring';
  return 'active';
}

const keyView = (row: ApiKeyRow, now: Date): ApiKeyView => ({
  id: row.id,
  name: row.name,
  mode: row.mode,
  prefix: row.prefix,
  status: keyStatus(row, now),
  rateLimitPerMinute: row.rate_limit_per_minute,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

/** The principal of a merchant API request (id: the merchant; roles: the key's mode). */
export function apiCaller(principal: Principal | null): ApiCaller {
  if (principal?.kind !== 'merchant_api' || !principal.sessionId) throw new Problem('UNAUTHENTICATED');
  return {
    merchantId: principal.id,
    keyId: principal.sessionId,
    mode: principal.roles?.includes('test') ? 'test' : 'live',
  };
}

export function createApiKeys(deps: MerchantApiDeps) {
  const { db, clock, audit } = deps;
  const rateLimit = createKeyRateLimit(clock);

  async function makeKey(
    merchantId: string,
    input: { name: string; mode: ApiMode; rateLimitPerMinute?: number },
    staffId: string,
  ): Promise<{ row: ApiKeyRow; secret: string }> {
    const now = clock.now();
    const secret = `sk_${input.mode}_${randomToken(32)}`;
    const row: ApiKeyRow = {
      id: newId('key', now.getTime()),
      merchant_id: merchantId,
      name: input.name,
      mode: input.mode,
      prefix: secret.slice(0, 12),
      secret_hash: sha256Hex(secret),
      rate_limit_per_minute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      status: 'active',
      expires_at: null,
      last_used_at: null,
      created_by: staffId,
      created_at: now,
      revoked_at: null,
    };
    await store.insertKey(db, row);
    return { row, secret };
  }

  async function record(action: string, staffId: string, row: ApiKeyRow): Promise<void> {
    await audit.record(db, {
      actorKind: 'system',
      actorId: `merchant_staff:${staffId}`,
      action,
      subjectType: 'merchant_api_key',
      subjectId: row.id,
      details: { merchantId: row.merchant_id, mode: row.mode, name: row.name },
    });
  }

  return {
    /** A new key; its secret is in this answer only. */
    async create(
      merchantId: string,
      staffId: string,
      input: { name: string; mode: ApiMode; rateLimitPerMinute?: number },
    ): Promise<Result<ApiKeyView & { secret: string }, MerchantApiError>> {
      if ((await store.countActiveKeys(db, merchantId, clock.now())) >= MAX_ACTIVE_KEYS)
        return err({ code: 'MERCHANT_API_KEY_LIMIT' });
      const { row, secret } = await makeKey(merchantId, input, staffId);
      await record('merchant_api.key_created', staffId, row);
      return ok({ ...keyView(row, clock.now()), secret });
    },

    async list(merchantId: string): Promise<ApiKeyView[]> {
      const now = clock.now();
      return (await store.listKeys(db, merchantId)).map((row) => keyView(row, now));
    },

    /** A new secret with the same name, mode and limit; the old one works for ROLL_OVERLAP_MS more. */
    async roll(
      merchantId: string,
      staffId: string,
      id: string,
    ): Promise<Result<ApiKeyView & { secret: string }, MerchantApiError>> {
      const old = await store.findKey(db, merchantId, id);
      const now = clock.now();
      if (!old || keyStatus(old, now) === 'revoked' || keyStatus(old, now) === 'expired')
        return err({ code: 'MERCHANT_API_KEY_NOT_FOUND' });
      const { row, secret } = await makeKey(
        merchantId,
        { name: old.name, mode: old.mode, rateLimitPerMinute: old.rate_limit_per_minute },
        staffId,
      );
      await store.expireKey(db, old.id, new Date(now.getTime() + ROLL_OVERLAP_MS));
      await record('merchant_api.key_rolled', staffId, row);
      return ok({ ...keyView(row, now), secret });
    },

    /** Ends a key at once. */
    async revoke(merchantId: string, staffId: string, id: string): Promise<Result<ApiKeyView, MerchantApiError>> {
      const row = await store.findKey(db, merchantId, id);
      if (!row) return err({ code: 'MERCHANT_API_KEY_NOT_FOUND' });
      const now = clock.now();
      if (row.status !== 'revoked') {
        await store.revokeKey(db, id, now);
        await record('merchant_api.key_revoked', staffId, row);
      }
      return ok(keyView({ ...row, status: 'revoked', revoked_at: row.revoked_at ?? now }, now));
    },

    /**
     * The platform authenticator: `Authorization: Bearer sk_…`. An unknown, revoked or expired key is
     * not recognised (401); a known key over its per-minute limit is 429 with Retry-After.
     */
    async authenticator(request: FastifyRequest): Promise<Principal | null> {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer sk_')) return null;
      const secret = header.slice('Bearer '.length);
      if (!KEY_PATTERN.test(secret)) return null;
      const row = await store.findKeyByHash(db, sha256Hex(secret));
      const now = clock.now();
      if (!row || keyStatus(row, now) === 'revoked' || keyStatus(row, now) === 'expired') return null;
      // In memory, per process (key-rate-limit.ts): no database write per request.
      const allowed = rateLimit.take(row.id, row.rate_limit_per_minute);
      if (!allowed.ok)
        throw new Problem('RATE_LIMITED', { retryAfterSeconds: allowed.retryAfterSeconds }, [], {
          'retry-after': String(allowed.retryAfterSeconds),
        });
      if (rateLimit.shouldTouch(row.id)) await store.touchKey(db, row.id, now);
      return { kind: 'merchant_api', id: row.merchant_id, roles: [row.mode], sessionId: row.id };
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
