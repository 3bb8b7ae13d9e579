import { describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { createKeyRateLimit } from './key-rate-limit.js';

describe('the per-key rate limit (in memory, per process)', () => {
  it('allows the per-minute limit at once, then refuses with the seconds until the next request', () => {
    const clock = manualClock('2026-12-01T02:00:00Z');
    const limit = createKeyRateLimit(clock);
    for (let i = 0; i < 6; i++) expect(limit.take('key_a', 6).ok).toBe(true);
    expect(limit.take('key_a', 6)).toEqual({ ok: false, retryAfterSeconds: 10 });
    // Another key has its own bucket.
    expect(limit.take('key_b', 6).ok).toBe(true);
    clock.advanceMs(9_000);
    expect(limit.take('key_a', 6)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advanceMs(1_000);
    expect(limit.take('key_a', 6).ok).toBe(true);
    expect(limit.take('key_a', 6).ok).toBe(false);
    // A minute idle fills the bucket again, never above the limit.
    clock.advanceMs(600_000);
    for (let i = 0; i < 6; i++) expect(limit.take('key_a', 6).ok).toBe(true);
    expect(limit.take('key_a', 6).ok).toBe(false);
  });

  it('follows a changed limit and says to write the last use at most once a minute', () => {
    const clock = manualClock('2026-12-01T02:00:00Z');
    const limit = createKeyRateLimit(clock);
    expect(limit.take('key_c', 1).ok).toBe(true);
    expect(limit.take('key_c', 1).ok).toBe(false);
    clock.advanceMs(60_000);
    expect(limit.take('key_c', 120).ok).toBe(true);
    expect(limit.shouldTouch('key_c')).toBe(true);
    expect(limit.shouldTouch('key_c')).toBe(false);
    clock.advanceMs(59_999);
    expect(limit.shouldTouch('key_c')).toBe(false);
    clock.advanceMs(1);
    expect(limit.shouldTouch('key_c')).toBe(true);
  });
});
