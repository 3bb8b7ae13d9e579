import type { LoggerOptions } from 'pino';

/**
 * Structured logs. Credentials, tokens and personal data are redacted wherever they appear in a
 * logged object, and request bodies are never logged.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pin',
  '*.idNumber',
  '*.token',
  '*.secret',
  '*.operatorToken',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
}
