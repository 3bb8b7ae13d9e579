import type { LoggerOptions } from 'pino';

/**
 * Structured logs. Credentials, tokens and personal data are redacted wherever they appear in a
 * logged object, and request bodies are never logged. Request lines carry the path without its
 * query string (a query can hold a phone or an ID number), and errors carry only an allow-list of
 * fields: database errors bring the statement's parameters (PGlite) and the offending values
 * (`detail: Key (phone)=(…)`) along, and other errors may hold the request they failed on.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  // @fastify/multipart logs the upload's options, request headers included, at trace level.
  'busboyOptions.headers.authorization',
  'busboyOptions.headers.cookie',
  '*.password',
  '*.pin',
  '*.idNumber',
  '*.token',
  '*.secret',
  '*.operatorToken',
  '*.phone',
  '*.cardNumber',
  '*.smsCode',
];

/** The path of a request URL, without its query string or fragment. */
export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  host?: string;
  socket?: { remotePort?: number };
}

function requestSerializer(req: LoggedRequest) {
  return {
    method: req.method,
    url: pathOnly(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

// Error fields that name what failed without carrying the values it failed on.
const ERROR_FIELDS = [
  'code',
  'statusCode',
  'severity',
  'constraint',
  'table',
  'column',
  'routine',
  'errno',
  'syscall',
] as const;
const MAX_CAUSE_DEPTH = 3;

function errorSerializer(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error))
    return typeof error === 'object' && error !== null ? { type: 'non-error', value: '[redacted]' } : error;
  const logged: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' || typeof value === 'number') logged[field] = value;
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) logged.cause = errorSerializer(error.cause, depth + 1);
  return logged;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer, err: (error: unknown) => errorSerializer(error) },
  };
}
