import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, QueryResult, TransactionOptions, Tx } from './types.js';
import { DEFAULT_TX_RETRIES, withRetries } from './retry.js';

// BIGINT (int8) columns come back as bigint, never as a lossy number or a string.
pg.types.setTypeParser(20, (value: string) => BigInt(value));
// NUMERIC stays a string; money never uses it, but aggregates must not become floats.
pg.types.setTypeParser(1700, (value: string) => value);

const statementNames = new Map<string, string>();

/**
 * Parameterized statements are prepared once per connection under a name derived from their text,
 * so hot paths skip parsing and planning. Statements without parameters (DDL, migrations) are not.
 */
function statement(sql: string, params?: readonly unknown[]): pg.QueryConfig {
  if (!params || params.length === 0) return { text: sql };
  let name = statementNames.get(sql);
  if (!name) {
    name = `tb_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 5_000) statementNames.set(sql, name);
  }
  return { name, text: sql, values: params as unknown[] };
}

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /**
   * How long a query waits for a connection (a free one from the pool, or a new one) before it
   * fails as unavailable (503). Short, so a database outage answers at once instead of piling up.
   */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout; the client also gives up on a silent socket a little later. */
  statementTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

export function openPostgres(options: PostgresOptions): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const common = {
    connectionString: options.url,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A dead peer (a cut network, a crashed host) is noticed by TCP keep-alive and the read timeout.
    keepAlive: true,
    query_timeout: statementTimeoutMs + 5_000,
  };
  // JIT off: it pays only for long analytic queries, and a generic plan's pessimistic cost (a bound LIMIT is
  // guessed at a tenth of the table) crossed jit_above_cost, so an insights catch-up that read no row spent
  // 25 ms compiling, growing with the ledger (docs/performance.md).
  const sessionSettings =
    `-c statement_timeout=${statementTimeoutMs} -c ` +
    `idle_in_transaction_session_timeout=${statementTimeoutMs} -c jit=off`;
  const pool = new pg.Pool({ ...common, max: options.poolSize ?? 20, options: sessionSettings });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  const query = async <Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> => {
    const result = await pool.query(statement(sql, params));
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };

  const relaxedPool = new pg.Pool({
    ...common,
    max: Math.max(2, Math.ceil((options.poolSize ?? 20) / 2)),
    options: `${sessionSettings} -c synchronous_commit=off`,
  });
  relaxedPool.on('error', () => {});

  return {
    engine: 'postgres',
    query,
    relaxed: {
      async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
        const result = await relaxedPool.query(statement(sql, params));
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
      },
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
      return withRetries(txOptions?.maxRetries ?? DEFAULT_TX_RETRIES, async () => {
        const client = await pool.connect();
        let broken = false;
        // The pool stops listening for a client's errors while it is checked out. The server ending
        // the session between two statements (a restart: 57P01 "terminating connection due to
        // administrator command") arrives as an 'error' event with no query to fail: unheard, it
        // would end the process. Heard here, it marks the client broken; the next statement fails.
        const onError = () => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query(
            txOptions?.advisoryLock === undefined
              ? 'BEGIN'
              : `BEGIN; SELECT pg_advisory_xact_lock(hashtext(${client.escapeLiteral(txOptions.advisoryLock)}))`,
          );
          const tx = {
            async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
              const result = await client.query(statement(sql, params));
              return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
            },
            async exec(sql: string) {
              await client.query(sql);
            },
          } as Tx;
          const value = await fn(tx);
          await client.query('COMMIT');
          return value;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          throw error;
        } finally {
          client.removeListener('error', onError);
          client.release(broken);
        }
      });
    },
    stats() {
      return {
        total: pool.totalCount + relaxedPool.totalCount,
        idle: pool.idleCount + relaxedPool.idleCount,
        waiting: pool.waitingCount + relaxedPool.waitingCount,
        max: (options.poolSize ?? 20) + Math.max(2, Math.ceil((options.poolSize ?? 20) / 2)),
      };
    },
    async close() {
      await Promise.all([pool.end(), relaxedPool.end()]);
    },
  };
}
