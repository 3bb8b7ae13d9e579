import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { metricsText } from './metrics.js';

/**
 * Prometheus metrics on a port of their own, without a token (TONGBAO_METRICS_PORT; 0: none). Bind
 * it to an internal interface: it answers `GET /metrics` only, and nothing else.
 */
export async function serveMetrics(port: number, host: string, logger: Logger): Promise<void> {
  if (!port) return;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metricsText().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  server.unref();
  logger.info({ port }, 'metrics on their own port');
}
