import type { Clock } from './clock.js';
import type { PiiCipher } from './crypto.js';
import type { Db, Queryable, Tx } from './db/types.js';
import { type Result, assert, err, ok } from './result.js';

/**
 * The one throttle helper, for two kinds of limit:
 *
 * - `take`: attempts per key (an address, a phone) in a fixed window, counted in the database so
 *   every process shares them; over the limit is `RATE_LIMITED` with the seconds until the window ends.
 * - `reserveGuess`: wrong guesses of one account's secret, counted under the account row's lock
 *   *before* the guess is evaluated, so parallel guesses cannot all slip past the lock.
 *
 * Time comes from the injected clock.
 */

export interface ThrottleRule {
  /** What is limited and by what, e.g. `register:ip`. */
  scope: string;
  /** The address, phone or id; stored only as a keyed hash. */
  key: string;
  limit: number;
  windowMs: number;
}

export type Throttled = { code: 'RATE_LIMITED'; retryAfterSeconds: number };

export function createThrottle(deps: { db: Db; clock: Clock; cipher: PiiCipher }) {
  const { db, clock, cipher } = deps;
  return {
    /**
     * Counts one attempt against each rule in order. The first rule over its limit refuses and the
     * later rules are not counted, so list the address before the phone: a flood from one address
     * then does not use up a victim's per-phone allowance.
     */
    async take(rules: readonly ThrottleRule[]): Promise<Result<true, Throttled>> {
      const now = clock.now().getTime();
      for (const rule of rules) {
        assert(rule.limit > 0 && rule.windowMs >= 1000, `throttle ${rule.scope}: limit and window must be positive`);
        const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
        const windowEnd = windowStart + rule.windowMs;
        const { rows } = await db.query<{ hits: number }>(
          `INSERT INTO throttle_counters (scope, key_hash, window_start, window_end, hits) VALUES ($1, $2, $3, $4, 1)
           ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET hits = throttle_counters.hits + 1 RETURNING hits`,
          [
            rule.scope,
            cipher.lookupHash(`throttle:${rule.scope}:${rule.key}`),
            new Date(windowStart),
            new Date(windowEnd),
          ],
        );
        if (Number(rows[0].hits) > rule.limit)
          return err({ code: 'RATE_LIMITED', retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) });
      }
      return ok(true);
    },

    /**
     * Refuses when a rule's current window is already at its limit, counting nothing: for limits
     * on failures, where `take` is called only once an attempt has failed.
     */
    async check(rules: readonly ThrottleRule[]): Promise<Result<true, Throttled>> {
      const now = clock.now().getTime();
      for (const rule of rules) {
        const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
        const { rows } = await db.query<{ hits: number }>(
          'SELECT hits FROM throttle_counters WHERE scope = $1 AND key_hash = $2 AND window_start = $3',
          [rule.scope, cipher.lookupHash(`throttle:${rule.scope}:${rule.key}`), new Date(windowStart)],
        );
        if (rows[0] && Number(rows[0].hits) >= rule.limit)
          return err({
            code: 'RATE_LIMITED',
            retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)),
          });
      }
      return ok(true);
    },

    /** Deletes counters of windows that have ended; answers how many went. */
    async prune(batchSize = 5_000): Promise<number> {
      const { rowCount } = await db.query(
        `DELETE FROM throttle_counters WHERE ctid IN (SELECT ctid FROM throttle_counters WHERE window_end <= $1 LIMIT
          $2)`,
        [clock.now(), batchSize],
      );
      return rowCount;
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;

/** An account's wrong-guess counter as stored on its row. */
export interface GuessState {
  failures: number;
  lockedUntil: Date | null;
}

/** Where one account's counter lives; the SQL stays in the owning domain's store. */
export interface GuessCounter {
  /** Reads the counter with the row locked (`FOR UPDATE`); null when there is no such row. */
  lock(tx: Tx): Promise<GuessState | null>;
  save(q: Queryable, state: GuessState): Promise<void>;
}

/** The fifth wrong guess locks; each further one doubles the lock: 1, 2, 4 … 60 minutes. */
export const GUESS_LOCK_AFTER = 5;
const GUESS_MAX_LOCK_MINUTES = 60;

export type GuessLocked = { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number };

/**
 * Counts a guess as wrong before it is checked, under the row lock. The guess that reaches the
 * limit sets the lock at once, so guesses racing it are refused without being evaluated; at most
 * `GUESS_LOCK_AFTER` guesses are ever checked before the lock. Call `guessRight` when the guess
 * turns out right. `lockStarted` tells the caller this guess started a lock (to notify the owner).
 */
export async function reserveGuess(
  db: Db,
  now: Date,
  counter: GuessCounter,
): Promise<Result<{ lockStarted: boolean }, GuessLocked>> {
  return db.transaction(async (tx) => {
    const state = await counter.lock(tx);
    if (!state) return ok({ lockStarted: false });
    if (state.lockedUntil && state.lockedUntil > now) {
      return err({
        code: 'ACCOUNT_LOCKED' as const,
        retryAfterSeconds: Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000)),
      });
    }
    const failures = state.failures + 1;
    const lockMinutes =
      failures >= GUESS_LOCK_AFTER ? Math.min(GUESS_MAX_LOCK_MINUTES, 2 ** (failures - GUESS_LOCK_AFTER)) : 0;
    await counter.save(tx, {
      failures,
      lockedUntil: lockMinutes > 0 ? new Date(now.getTime() + lockMinutes * 60_000) : state.lockedUntil,
    });
    return ok({ lockStarted: failures === GUESS_LOCK_AFTER });
  });
}

/** A right guess clears the counter and any lock it set. */
export async function guessRight(db: Queryable, counter: GuessCounter): Promise<void> {
  await counter.save(db, { failures: 0, lockedUntil: null });
}
