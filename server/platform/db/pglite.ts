import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, QueryResult, TransactionOptions, Tx } from './types.js';

const parsers = {
  [types.INT8]: (value: string) => BigInt(value),
  [types.NUMERIC]: (value: string) => value,
};

const serializers = {
  [types.INT8]: (value: unknown) => (typeof value === 'bigint' ? value.toString() : String(value)),
};

export interface PgliteOptions {
  /** Directory for the database files; in memory when absent. */
  dataDir?: string;
  /** A dump made by `dumpDataDir()`, used to start tests from a migrated template. */
  loadDataDir?: Blob | File;
}

/**
 * PGlite is one database session inside this process. Every transaction runs inside PGlite's own
 * `transaction()`, which holds that session exclusively: plain queries from elsewhere wait for
 * it, so one caller's ROLLBACK can never undo another caller's work.
 */
/**
 * Marks the async context of a running transaction. On one session, a query through the pool (or a
 * second transaction) started and awaited inside a transaction waits for that transaction to end,
 * which waits for it: a silent hang. Such a call fails loudly instead, naming the mistake.
 */
const insideTransaction = new AsyncLocalStorage<true>();

export function refuseInsideTransaction(what: string): void {
  if (insideTransaction.getStore()) {
    throw new Error(
      `${what} inside a PGlite transaction would wait for that transaction forever: use its tx, or run it after the ` +
        `commit`,
    );
  }
}

/** Runs `fn` outside any transaction's context: for work queued by one caller and done for many. */
export function outsideTransaction<T>(fn: () => T): T {
  return insideTransaction.exit(fn);
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers,
    serializers,
  });

  const query = async <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
    refuseInsideTransaction('A pool query');
    const result = await pglite.query<Row>(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };

  return {
    engine: 'pglite',
    pglite,
    query,
    relaxed: { query },
    async exec(sql) {
      await pglite.exec(sql);
    },
    // PGlite has one session, so there are no concurrent transactions to deadlock with: no retries.
    async transaction<T>(fn: (tx: Tx) => Promise<T>, _options?: TransactionOptions): Promise<T> {
      refuseInsideTransaction('A second transaction');
      return pglite.transaction(async (inner) => {
        const tx = {
          async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
            const result = await inner.query<Row>(sql, params as unknown[] | undefined);
            return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
          },
          async exec(sql: string) {
            await inner.exec(sql);
          },
        } as Tx;
        return insideTransaction.run(true, () => fn(tx));
      });
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
