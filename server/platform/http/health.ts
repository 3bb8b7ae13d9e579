import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/types.js';

/** Liveness says the process runs; readiness says it can reach its database. */
export function healthRoutes(db: Db, isShuttingDown: () => boolean) {
  return async (app: FastifyInstance) => {
    app.get(
      '/healthz',
      {
        schema: {
          operationId: 'getLiveness',
          tags: ['operations'],
          summary: 'Liveness',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          operationId: 'getReadiness',
          tags: ['operations'],
          summary: 'Readiness: database reachable and not shutting down',
          response: {
            200: Type.Object({ status: Type.String(), engine: Type.String() }),
            503: Type.Object({ status: Type.String(), engine: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        if (isShuttingDown()) return reply.code(503).send({ status: 'shutting_down', engine: db.engine });
        try {
          await db.query('SELECT 1');
          return { status: 'ready', engine: db.engine };
        } catch {
          return reply.code(503).send({ status: 'database_unreachable', engine: db.engine });
        }
      },
    );
  };
}
