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
export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers,
    serializers,
  });

  const query = async <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
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
        return fn(tx);
      });
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
