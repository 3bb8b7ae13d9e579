import { sqlState } from './types.js';

/**
 * Whether an error means the database cannot be reached right now (down, restarting, refusing
 * connections, a cut connection, a timeout), as opposed to a bug or a refused statement. Such a
 * request answers 503 SERVICE_UNAVAILABLE with Retry-After: its transaction, if it had one, was
 * rolled back (or never started), so the client may retry with the same Idempotency-Key.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
  'the database system is starting up',
  'the database system is shutting down',
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const state = sqlState(error);
  if (state !== undefined) {
    if (UNAVAILABLE_SQLSTATES.has(state) || state.startsWith('08')) return true;
    if (UNAVAILABLE_NODE_CODES.has(state)) return true;
  }
  const message = error instanceof Error ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1)))
    return true;
  return 'cause' in error && isDatabaseUnavailable((error as { cause: unknown }).cause, depth + 1);
}
