import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
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

/**
 * Development's request lines: the ones Fastify writes at info (incoming, completed, a 4xx answer),
 * one level down at debug, so the start banner is not drowned; a failed request and a 5xx stay
 * where Fastify puts them. Production uses Fastify's own controller.
 */
export class DebugRequestLines extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
    else reply.log.debug({ res: reply, err: error }, error?.message);
  }
}
