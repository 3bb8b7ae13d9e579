import type { Clock } from '../platform/clock.js';

/**
 * The per-key rate limit of the merchant API, kept in memory: a token bucket per key in each server
 * process (capacity = the key's per-minute limit, refilled evenly over the minute), so a request costs
 * no database write. The limit is therefore per process: behind a load balancer with N `serve`
 * processes a key can make up to N times its limit a minute (docs/merchant-api.md). The key's last
 * use is written at most once a minute per process, not on every request.
 */

const MINUTE_MS = 60_000;
/** Buckets kept before idle (full) ones are dropped; a full bucket is the same as no bucket. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  limit: number;
}

export function createKeyRateLimit(clock: Clock) {
  const buckets = new Map<string, Bucket>();
  const touched = new Map<string, number>();

  function refill(bucket: Bucket, now: number, limit: number): void {
    const rate = limit / MINUTE_MS;
    bucket.tokens = Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * rate);
    bucket.limit = limit;
    bucket.at = now;
  }

  function prune(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now, bucket.limit);
      if (bucket.tokens >= bucket.limit) buckets.delete(key);
    }
    for (const [key, at] of touched) if (now - at >= MINUTE_MS) touched.delete(key);
  }

  return {
    /** Takes one request from the key's bucket, or answers the seconds until one is there. */
    take(keyId: string, limitPerMinute: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const now = clock.now().getTime();
      let bucket = buckets.get(keyId);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) prune(now);
        bucket = { tokens: limitPerMinute, at: now, limit: limitPerMinute };
        buckets.set(keyId, bucket);
      } else refill(bucket, now, limitPerMinute);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      const waitMs = ((1 - bucket.tokens) * MINUTE_MS) / limitPerMinute;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },

    /** Whether the key's last use should be written now: once a minute per key and process. */
    shouldTouch(keyId: string): boolean {
      const now = clock.now().getTime();
      const last = touched.get(keyId);
      if (last !== undefined && now - last < MINUTE_MS) return false;
      if (touched.size >= MAX_BUCKETS) prune(now);
      touched.set(keyId, now);
      return true;
    },
  };
}

export type KeyRateLimit = ReturnType<typeof createKeyRateLimit>;
