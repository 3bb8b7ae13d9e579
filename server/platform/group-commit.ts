import { outsideTransaction, refuseInsideTransaction } from './db/pglite.js';
import { groupCommitBatchSize, groupCommitFailures, groupCommitWait } from './metrics.js';

export interface GroupCommitOptions<I, O> {
  /** Runs one batch, usually in one database transaction; answers one outcome per item, in order. */
  run: (items: I[]) => Promise<O[]>;
  /** Items per batch at most. */
  maxBatchSize: number;
  /** Batches in flight at once (PGlite has one session: 1 there). */
  maxConcurrentBatches?: number;
  /**
   * What a failed batch of several items does: `split` retries its halves, so one bad item fails
   * alone and its neighbours still go through (`run` must then be safe to run again for them: a
   * failed transaction wrote nothing); `fail` fails every caller of the batch with its error.
   */
  onFailure: 'split' | 'fail';
  /** The queue's name in the metrics (batch sizes and waits). */
  name?: string;
}

interface Waiting<I, O> {
  item: I;
  at: number;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is being written wait and go together in the next
 * one, so a transaction's fixed costs (a global lock, the commit's flush, a round trip) are paid
 * once per batch instead of once per item. The one queue the ledger writer, transfer completion,
 * payment-code charges and the idempotency records share (docs/architecture.md).
 */
export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>) {
  const maxConcurrent = options.maxConcurrentBatches ?? 1;
  const queue = options.name ?? 'unnamed';
  const waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let closed = false;

  async function runOnce(batch: Waiting<I, O>[]): Promise<void> {
    const outcomes = await options.run(batch.map((waiting) => waiting.item));
    if (outcomes.length !== batch.length) {
      throw new Error(`batch answered ${outcomes.length} outcomes for ${batch.length} items`);
    }
    batch.forEach((waiting, i) => waiting.resolve(outcomes[i]));
  }

  async function run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      await runOnce(batch);
    } catch (error) {
      groupCommitFailures.inc({ queue });
      if (options.onFailure === 'fail' || batch.length === 1) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await Promise.all([run(batch.slice(0, middle)), run(batch.slice(middle))]);
    }
  }

  function pump(): void {
    while (inFlight < maxConcurrent && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatchSize);
      groupCommitBatchSize.observe({ queue }, batch.length);
      groupCommitWait.observe({ queue }, (performance.now() - batch[0].at) / 1000);
      inFlight++;
      run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    submit(item: I): Promise<O> {
      if (closed) return Promise.reject(new Error('group commit queue is closed'));
      try {
        // Awaited inside a PGlite transaction, the batch's own transaction would wait for it forever.
        refuseInsideTransaction('Submitting to a group commit');
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, at: performance.now(), resolve, reject });
        // Let the items of this event-loop turn gather before the first batch starts. The batch
        // serves every caller, so it must not inherit the async context of the one who started it.
        if (waiting.length === 1) outsideTransaction(() => setImmediate(pump));
      });
    },
    /** Waits for queued and running batches, then refuses new items. */
    async close(): Promise<void> {
      closed = true;
      while (waiting.length > 0 || inFlight > 0) await new Promise((done) => setTimeout(done, 5));
    },
  };
}

export type GroupCommit<I, O> = ReturnType<typeof createGroupCommit<I, O>>;
