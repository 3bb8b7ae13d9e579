import { type Result, err, ok } from '../result.js';
import type { Db, TransactionOptions, Tx } from './types.js';

/**
 * Thrown inside `inTransaction` to undo everything the transaction wrote and answer with an expected
 * failure instead. Code running in the transaction calls its `rollback` argument; helpers that only
 * receive the `tx` may throw a `Rollback` themselves.
 */
export class Rollback<E> extends Error {
  constructor(readonly error: E) {
    super('rollback');
  }
}

/** The `rollback` argument of an `inTransaction` callback; annotate it to name the error type. */
export type RollbackWith<E> = (error: E) => never;

/**
 * Runs `fn` in one transaction and turns it into a Result: what `fn` returns is committed and is
 * the value; a rollback undoes everything and its error is the answer. Anything else thrown is
 * unexpected and propagates (after PostgreSQL's retries of serialization failures and deadlocks).
 */
export async function inTransaction<T, E>(
  db: Db,
  fn: (tx: Tx, rollback: RollbackWith<E>) => Promise<T>,
  options?: TransactionOptions,
): Promise<Result<T, E>> {
  const rollback: RollbackWith<E> = (error) => {
    throw new Rollback(error);
  };
  try {
    return ok(await db.transaction((tx) => fn(tx, rollback), options));
  } catch (error) {
    if (error instanceof Rollback) return err(error.error as E);
    throw error;
  }
}
