import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { may } from '../ops/roles.js';
import { STUCK_AFTER } from './bureau-retries.js';
import type { CreditService } from './service.js';

/** The console's view of bureau corrections waiting to be tried again (bureau-retries.ts). */

export function creditStaffRetryRoutes(credit: CreditService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/ops/credit/bureau-retries',
      {
        config: may('credit.view'),
        schema: {
          tags: ['credit-staff'],
          operationId: 'creditStaffListBureauRetries',
          summary: 'Bureau corrections not yet taken by the bureau, the longest-failing first',
          problems: ['NOT_FOUND'],
          response: {
            200: Type.Object({
              stuckAfter: Type.Integer(),
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  userId: Type.String(),
                  kind: Type.String(),
                  reference: Type.String(),
                  attempts: Type.Integer(),
                  nextAttemptAt: Type.String({ format: 'date-time' }),
                  lastError: Type.Union([Type.String(), Type.Null()]),
                  stuck: Type.Boolean(),
                  createdAt: Type.String({ format: 'date-time' }),
                }),
              ),
            }),
          },
        },
      },
      async () => ({
        stuckAfter: STUCK_AFTER,
        items: (await credit.retries.pending()).map((row) => ({
          id: row.id,
          userId: row.user_id,
          kind: row.kind,
          reference: row.reference,
          attempts: row.attempts,
          nextAttemptAt: row.next_attempt_at.toISOString(),
          lastError: row.last_error,
          stuck: row.attempts >= STUCK_AFTER,
          createdAt: row.created_at.toISOString(),
        })),
      }),
    );
  };
}
