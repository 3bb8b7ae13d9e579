import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { type CommandOutcome, executeBatch } from './batch.js';
import type { LedgerCommand } from './types.js';

export interface LedgerWriterOptions {
  db: Db;
  clock: Clock;
  /** Commands per database transaction at most. */
  maxBatchSize?: number;
  /** Batches in flight at once from this process. */
  maxConcurrentBatches?: number;
}

interface Waiting {
  command: LedgerCommand;
  resolve: (outcome: CommandOutcome) => void;
  reject: (error: unknown) => void;
}

const UNIQUE_RACE_RETRIES = 5;

/**
 * Group commit for the ledger. Commands that arrive while a batch is being written wait and go
 * together in the next transaction, so the chain-head lock and the commit are paid once per
 * batch instead of once per command. A batch that fails unexpectedly is split, so one bad command
 * cannot fail its neighbours.
 */
export function createLedgerWriter(options: LedgerWriterOptions) {
  const maxBatchSize = options.maxBatchSize ?? 128;
  const maxConcurrent = options.maxConcurrentBatches ?? (options.db.engine === 'postgres' ? 2 : 1);
  const queue: Waiting[] = [];
  let inFlight = 0;
  let closed = false;

  async function runInTransaction(commands: LedgerCommand[]): Promise<CommandOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await options.db.transaction((tx) => executeBatch(tx, commands, options.clock.now()));
      } catch (error) {
        // Another process committed the same reference between our read and our insert: run again,
        // and the second run sees it and replays it.
        if (isUniqueViolation(error) && attempt < UNIQUE_RACE_RETRIES) continue;
        throw error;
      }
    }
  }

  async function run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await runInTransaction(batch.map((waiting) => waiting.command));
      batch.forEach((waiting, i) => waiting.resolve(outcomes[i]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await Promise.all([run(batch.slice(0, middle)), run(batch.slice(middle))]);
    }
  }

  function pump(): void {
    while (inFlight < maxConcurrent && queue.length > 0) {
      const batch = queue.splice(0, maxBatchSize);
      inFlight++;
      run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    submit(command: LedgerCommand): Promise<CommandOutcome> {
      if (closed) return Promise.reject(new Error('ledger writer is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ command, resolve, reject });
        // Let the commands of this event-loop turn gather before the first batch starts.
        if (queue.length === 1) setImmediate(pump);
      });
    },
    /** Waits for queued and running batches, then refuses new commands. */
    async close(): Promise<void> {
      closed = true;
      while (queue.length > 0 || inFlight > 0) await new Promise((done) => setTimeout(done, 5));
    },
  };
}

export type LedgerWriter = ReturnType<typeof createLedgerWriter>;
