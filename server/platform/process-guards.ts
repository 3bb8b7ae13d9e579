import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './db/outage.js';

/**
 * pg-boss 10 marks a finished job complete (or failed) without awaiting it; during a database outage
 * that promise rejects with nobody listening, and Node's default would end the process. Such a
 * rejection is logged and the process keeps running (the job is handed out again when its lease
 * expires, and handlers are idempotent). Any other unhandled rejection still ends the process.
 */
export function guardUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) {
      logger.warn({ err: reason }, 'database unavailable (unawaited promise); continuing');
      return;
    }
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
}
