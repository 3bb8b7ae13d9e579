import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { createGroupCommit } from './group-commit.js';

const batchOf = <O>(
  run: (items: number[]) => Promise<O[]>,
  extra: { maxBatchSize?: number; onFailure?: 'split' | 'fail'; maxConcurrentBatches?: number } = {},
) =>
  createGroupCommit<number, O>({
    run,
    maxBatchSize: extra.maxBatchSize ?? 256,
    onFailure: extra.onFailure ?? 'fail',
    maxConcurrentBatches: extra.maxConcurrentBatches,
  });

it('runs concurrent items together and answers each in order', async () => {
  const batches: number[][] = [];
  const double = batchOf(async (items) => {
    batches.push(items);
    await new Promise((done) => setImmediate(done));
    return items.map((item) => item * 2);
  });
  expect(await Promise.all([1, 2, 3].map(double.submit))).toEqual([2, 4, 6]);
  expect(batches).toEqual([[1, 2, 3]]);
});

it('fails every caller of a failed batch when told to, and recovers for the next', async () => {
  let fail = true;
  const queue = batchOf(async (items) => {
    if (fail) throw new Error('down');
    return items.map((item) => item + 1);
  });
  const answers = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
  expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  fail = false;
  expect(await queue.submit(3)).toBe(4);
});

it('splits a failed batch so one bad item fails alone', async () => {
  const runs: number[][] = [];
  const queue = batchOf(
    async (items) => {
      runs.push(items);
      if (items.includes(3)) throw new Error('bad item 3');
      return items;
    },
    { onFailure: 'split' },
  );
  const answers = await Promise.allSettled([1, 2, 3, 4].map(queue.submit));
  expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : 'failed'))).toEqual([
    1,
    2,
    'failed',
    4,
  ]);
  expect(runs[0]).toEqual([1, 2, 3, 4]);
  expect(runs).toContainEqual([3]);
});

it('respects the batch size and the batches in flight', async () => {
  const sizes: number[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const queue = batchOf(
    async (items) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      sizes.push(items.length);
      await new Promise((done) => setImmediate(done));
      running--;
      return items;
    },
    { maxBatchSize: 2, maxConcurrentBatches: 2 },
  );
  expect(await Promise.all([1, 2, 3, 4, 5].map(queue.submit))).toEqual([1, 2, 3, 4, 5]);
  expect(sizes).toEqual([2, 2, 1]);
  expect(mostAtOnce).toBe(2);
});

it('refuses a batch that answers the wrong number of outcomes, and items after close', async () => {
  const queue = batchOf(async () => [1]);
  await expect(Promise.all([queue.submit(1), queue.submit(2)])).rejects.toThrow(/1 outcomes for 2 items/);
  await queue.close();
  await expect(queue.submit(3)).rejects.toThrow(/closed/);
});

describe('on a database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it('refuses an item submitted inside a PGlite transaction at once instead of waiting forever', async () => {
    const queue = batchOf(async (items) => {
      await t.db.transaction(async (tx) => tx.query('SELECT 1'));
      return items;
    });
    const inside = t.db.transaction(async () => queue.submit(1));
    if (t.db.engine === 'pglite') await expect(inside).rejects.toThrow(/inside a PGlite transaction/);
    else expect(await inside).toBe(1);
    // Others' items are not failed by the refused one.
    expect(await queue.submit(2)).toBe(2);
  });
});
