import { newId } from '../platform/ids.js';
import type { CreditContext } from './context.js';
import * as store from './store-retries.js';
import type { RetryKind, RetryRow } from './store-retries.js';

/**
 * Bureau corrections the bureau did not take (a false-positive lift's corrections and restated months,
 * an upheld dispute's correction) are kept as work with attempts and a next-attempt time, and tried
 * again by the credit jobs until the bureau takes them. After STUCK_AFTER failed attempts staff see
 * them flagged in the console (and the log says so once). Each handler is safe to run again.
 */

/** Minutes to wait after the nth failed attempt (then every six hours). */
const BACKOFF_MINUTES = [5, 15, 60, 180];
const BACKOFF_MAX_MINUTES = 360;
export const STUCK_AFTER = 5;

export const backoffMinutes = (attempts: number) => BACKOFF_MINUTES[attempts - 1] ?? BACKOFF_MAX_MINUTES;

export type RetryHandlers = Record<RetryKind, (row: RetryRow) => Promise<void>>;

export function createBureauRetries(ctx: CreditContext) {
  const { db, clock } = ctx;
  const handlers: Partial<RetryHandlers> = {};
  const later = (attempts: number) => new Date(clock.now().getTime() + backoffMinutes(attempts) * 60_000);
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

  /** The first attempt failed (inline): keep the work, next tried after the first backoff. */
  async function enqueue(input: {
    userId: string;
    kind: RetryKind;
    reference: string;
    payload: Record<string, unknown>;
    error: unknown;
  }) {
    const now = clock.now();
    const kept = await store.insertRetry(db, {
      id: newId('crb', now.getTime()),
      user_id: input.userId,
      kind: input.kind,
      reference: input.reference,
      payload: input.payload,
      status: 'pending',
      attempts: 1,
      next_attempt_at: later(1),
      last_error: message(input.error),
      created_at: now,
      done_at: null,
    });
    ctx.logger?.warn({ reference: input.reference, err: input.error }, 'credit: bureau correction queued for retry');
    return kept;
  }

  /** Tries the work that is due; answers how many pieces the bureau took. */
  async function run(limit = 50): Promise<number> {
    let done = 0;
    for (const row of await store.dueRetries(db, clock.now(), limit)) {
      const handler = handlers[row.kind];
      if (!handler) continue;
      if (!(await store.claimRetry(db, row.id, row.attempts, later(row.attempts + 1)))) continue;
      try {
        await handler(row);
        await store.finishRetry(db, row.id, clock.now());
        done++;
      } catch (error) {
        await store.failRetry(db, row.id, message(error));
        if (row.attempts + 1 === STUCK_AFTER)
          ctx.logger?.error({ reference: row.reference, err: error }, 'credit: a bureau correction keeps failing');
      }
    }
    return done;
  }

  return {
    enqueue,
    run,
    /** Each kind's work, registered by the part of credit that knows how to do it. */
    handle(kind: RetryKind, handler: (row: RetryRow) => Promise<void>) {
      handlers[kind] = handler;
    },
    pending: (limit = 100) => store.pendingRetries(db, limit),
  };
}

export type BureauRetries = ReturnType<typeof createBureauRetries>;
