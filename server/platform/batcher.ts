import { outsideTransaction } from './db/pglite.js';

/**
 * Gathers calls that arrive while the previous batch is running and runs them together, so N
 * concurrent requests cost one database round trip instead of N. `run` must return one result per
 * item, in order. A failed batch fails each of its callers.
 */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, maxBatchSize = 256): (item: I) => Promise<O> {
  let queue: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatchSize);
      queue = queue.slice(batch.length);
      try {
        const results = await run(batch.map((waiting) => waiting.item));
        if (results.length !== batch.length) throw new Error(`batch returned ${results.length} results for ${batch.length} items`);
        batch.forEach((waiting, i) => waiting.resolve(results[i]));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // The drain serves every caller, so it must not inherit the context of the one who started it.
      if (!running && queue.length === 1) outsideTransaction(() => setImmediate(() => void drain()));
    });
}
