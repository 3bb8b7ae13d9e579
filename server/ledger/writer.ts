import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { type CommandOutcome, executeBatch } from './batch.js';
import type { LedgerCommand } from './types.js';
import { createGroupCommit } from '../platform/group-commit.js';

export interface LedgerWriterOptions {
  db: Db;
  clock: Clock;
  /** Commands per database transaction at most. */
  maxBatchSize?: number;
  /** Batches in flight at once from this process. */
  maxConcurrentBatches?: number;
}

const UNIQUE_RACE_RETRIES = 5;

/**
 * Group commit for the ledger (server/platform/group-commit.ts). Commands that arrive while a batch
 * is being written wait and go together in the next transaction, so the chain-head lock and the
 * commit are paid once per batch instead of once per command. A batch that fails unexpectedly is
 * split, so one bad command cannot fail its neighbours. Serialization failures and deadlocks are
 * retried by the database layer (`db.transaction`).
 */
export function createLedgerWriter(options: LedgerWriterOptions) {
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

  const queue = createGroupCommit<LedgerCommand, CommandOutcome>({
    name: 'ledger',
    run: runInTransaction,
    maxBatchSize: options.maxBatchSize ?? 128,
    maxConcurrentBatches: options.maxConcurrentBatches ?? (options.db.engine === 'postgres' ? 2 : 1),
    onFailure: 'split',
  });

  return {
    submit: (command: LedgerCommand): Promise<CommandOutcome> => queue.submit(command),
    /** Waits for queued and running batches, then refuses new commands. */
    close: () => queue.close(),
  };
}

export type LedgerWriter = ReturnType<typeof createLedgerWriter>;
