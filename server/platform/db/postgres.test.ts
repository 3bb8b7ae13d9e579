import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testEngine } from '../../../test/db.js';
import { isDatabaseUnavailable } from './outage.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

/**
 * A PostgreSQL restart ends every session, including one in the middle of a transaction while the
 * process is busy between two statements. That arrives as an 'error' event on a checked-out client
 * with no query to fail; unheard, it ended the whole process (found by `npm run chaos`, issue 22).
 */
describe.skipIf(testEngine !== 'postgres')('a session ended between two statements of a transaction', () => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDatabase();
    db = openPostgres({ url: t.url as string, poolSize: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  it('fails that transaction as unavailable, keeps the process and serves the next one', async () => {
    const outcome = await db
      .transaction(
        async (tx) => {
          const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
          // As a restart does (pg_ctl restart -m fast): the server ends this session with 57P01.
          await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
          const gone = async () =>
            (
              await t.db.query<{ n: bigint }>('SELECT count(*)::bigint AS n FROM pg_stat_activity WHERE pid = $1', [
                pid,
              ])
            ).rows[0].n === 0n;
          while (!(await gone()));
          // The session's last words (FATAL 57P01) reach this client's socket before it is gone.
          await new Promise((done) => setTimeout(done, 50));
          await tx.query('SELECT 1');
          return 'committed';
        },
        { maxRetries: 0 },
      )
      .then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => ({ value: undefined, error }),
      );
    expect(outcome.value).toBeUndefined();
    expect(isDatabaseUnavailable(outcome.error)).toBe(true);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    expect(await db.transaction(async (tx) => (await tx.query<{ two: number }>('SELECT 2 AS two')).rows[0].two)).toBe(
      2,
    );
  });
});

/** `advisoryLock`: taken with BEGIN in one round trip, it serialises transactions with the same key. */
describe.skipIf(testEngine !== 'postgres')('a transaction with an advisory lock', () => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDatabase();
    db = openPostgres({ url: t.url as string, poolSize: 4 });
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  it('holds the lock from its first statement, so the same key waits and another does not', async () => {
    const key = "risk:usr_o'brien";
    let releaseFirst = () => {};
    const firstHolds = new Promise<void>((entered) => {
      void db.transaction(
        async (tx) => {
          await tx.query('SELECT 1');
          entered();
          await new Promise<void>((release) => (releaseFirst = release));
        },
        { advisoryLock: key },
      );
    });
    await firstHolds;
    const order: string[] = [];
    const sameKey = db.transaction(async () => void order.push('same key'), { advisoryLock: key });
    await db.transaction(async () => void order.push('other key'), { advisoryLock: 'risk:usr_other' });
    // The lock is PostgreSQL's own: another session sees it held, under the key hashtext gives.
    const held = await t.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND objid = (hashtext($1)::bigint & 4294967295)`,
      [key],
    );
    expect(held.rows[0].n).toBe(1n);
    expect(order).toEqual(['other key']);
    releaseFirst();
    await sameKey;
    expect(order).toEqual(['other key', 'same key']);
  });
});
