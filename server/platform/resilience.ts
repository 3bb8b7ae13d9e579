import type { FastifyInstance } from 'fastify';
import type { Db } from './db/types.js';
import { isDatabaseUnavailable } from './db/outage.js';
import { type LoadLimits, enableLingeringClose, registerLoadShedding } from './http/resilience.js';
import { databaseUnavailable, httpDuration, httpRequests, loadShed, metricsText, watchPool } from './metrics.js';

/** Without a configuration (embedded uses, tests) nothing is shed: shedding is for served processes. */
const NO_SHEDDING = { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxPoolWaiting: 0 };

/**
 * The fault-handling pieces of the HTTP app, in one call from app.ts: load shedding (503 with
 * Retry-After past the limits), lingering close (answers given before the body is read reach the
 * client), and Prometheus metrics (per-route rate, errors and latency). docs/operations.md describes each.
 */
export async function registerResilience(
  app: FastifyInstance,
  options: { db: Db; config: { resilience?: LoadLimits } },
): Promise<void> {
  const { db } = options;
  enableLingeringClose(app.server);
  if (db.stats) watchPool(db.stats.bind(db));
  await registerLoadShedding(app, {
    db,
    limits: options.config.resilience ?? NO_SHEDDING,
    onShed: (reason) => loadShed.inc({ reason }),
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    httpRequests.inc({ method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
  });
  app.addHook('onError', async (_request, _reply, error) => {
    if (isDatabaseUnavailable(error)) databaseUnavailable.inc();
  });
}

/** `GET /metrics`: this process's Prometheus metrics, with the operator token (or on TONGBAO_METRICS_PORT). */
export function metricsRoutes() {
  return async (app: FastifyInstance) => {
    app.get(
      '/metrics',
      {
        config: { auth: ['operator'] },
        schema: { tags: ['operations'], summary: 'Prometheus metrics of this process (operator token)', hide: true },
      },
      async (_request, reply) => {
        const { contentType, body } = await metricsText();
        return reply.type(contentType).send(body);
      },
    );
  };
}
