/** The one SQL interface every store uses. PostgreSQL's dialect on both engines. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

declare const txBrand: unique symbol;
/** A connection inside an open transaction. Functions that write money require one. */
export type Tx = Queryable & {
  readonly [txBrand]: true;
  /** Runs several statements separated by semicolons, with no parameters (migrations). */
  exec(sql: string): Promise<void>;
};

export type Engine = 'pglite' | 'postgres';

export interface PoolStats {
  /** Open connections. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
}

export interface TransactionOptions {
  /** Retries of the whole function after a serialization failure or deadlock. */
  maxRetries?: number;
  /**
   * A lock held for the whole transaction, as `SELECT pg_advisory_xact_lock(hashtext(key))` first in
   * it would take, but sent with BEGIN in one round trip (PostgreSQL). Transactions with the same key
   * run one at a time. PGlite has one session, so there is nothing to serialise against there.
   */
  advisoryLock?: string;
}

export interface Db extends Queryable {
  readonly engine: Engine;
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs several statements separated by semicolons, with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * For writes whose loss in a crash is harmless because something durable backs them up (the
   * idempotency records: every money movement also carries a unique ledger reference). On
   * PostgreSQL these commit without waiting for the WAL flush.
   */
  readonly relaxed: Queryable;
  /** Connection pool figures (PostgreSQL; absent on PGlite): for load shedding and metrics. */
  stats?(): PoolStats;
  close(): Promise<void>;
}

/** SQLSTATEs after which the whole transaction may be retried. */
export const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export function sqlState(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== '23505') return false;
  if (!constraint) return true;
  return (error as { constraint?: string }).constraint === constraint;
}
