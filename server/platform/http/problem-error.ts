import type { ProblemCode } from './problems.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Thrown by route handlers to answer with a problem: the expected failure of a service, mapped
 * to its code. Carries extra members for the problem body (never secrets).
 */
export class Problem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly extra: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'Problem';
  }
}

/** Makes problem members JSON-safe: bigints become numbers when safe, else strings. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonSafe(inner)]));
  }
  return value;
}

/**
 * LIMIT_EXCEEDED, whichever domain's movement the ledger refused: besides the ledger's limit name
 * and fen amounts, what still remains as an amount, and where the holder learns how to raise
 * the limit (their tier's next step) and starts real-name verification. A domain may pass its
 * own `upgrade`.
 */
export function limitExceededDetails(details: Record<string, unknown>): Record<string, unknown> {
  const remainingFen = details.remainingFen;
  if (typeof remainingFen !== 'bigint' && typeof remainingFen !== 'number') return details;
  return {
    remaining: { amount: remainingFen, currency: typeof details.currency === 'string' ? details.currency : 'CNY' },
    upgrade: {
      nextStepHref: '/api/v1/me/limits',
      verificationHref: '/api/v1/me/kyc/submissions',
      verifiedTier: 'verified',
    },
    ...details,
  };
}

/** A service's expected failure as a problem: its code, and its other fields as details. */
export function problemFrom(error: { code: ProblemCode } & Record<string, unknown>): Problem {
  const { code, ...details } = error;
  const retryAfter: Record<string, string> =
    typeof details.retryAfterSeconds === 'number' ? { 'retry-after': String(details.retryAfterSeconds) } : {};
  return new Problem(code, details, [], retryAfter);
}
