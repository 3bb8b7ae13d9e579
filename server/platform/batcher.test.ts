import { expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

it('runs concurrent calls together and answers each in order', async () => {
  const batches: number[][] = [];
  const double = createBatcher(async (items: number[]) => {
    batches.push(items);
    await new Promise((done) => setTimeout(done, 5));
    return items.map((item) => item * 2);
  });
  const first = await Promise.all([1, 2, 3].map(double));
  expect(first).toEqual([2, 4, 6]);
  expect(batches).toEqual([[1, 2, 3]]);
  const later = await Promise.all([double(4), new Promise<number>((done) => setTimeout(() => done(double(5)), 1))]);
  expect(later).toEqual([8, 10]);
});

it('fails every caller of a failed batch, and recovers for the next', async () => {
  let fail = true;
  const run = createBatcher(async (items: string[]) => {
    if (fail) throw new Error('down');
    return items.map((item) => item.toUpperCase());
  });
  await expect(Promise.all([run('a'), run('b')])).rejects.toThrow('down');
  fail = false;
  expect(await run('c')).toBe('C');
});

it('respects the batch size limit', async () => {
  const sizes: number[] = [];
  const run = createBatcher(async (items: number[]) => {
    sizes.push(items.length);
    return items;
  }, 2);
  await Promise.all([1, 2, 3, 4, 5].map(run));
  expect(sizes).toEqual([2, 2, 1]);
});
