import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../platform/db/types.js';
import type { AuditLog } from './service.js';

/**
 * Every call made with the operator token leaves an audit row (ASVS 7.1.3, 7.2.2): who (the
 * X-Operator-Id), which route, the ids in its path, the ledger reference it names, and how it
 * ended. Written before the answer is sent, so a call the log cannot record does not succeed
 * quietly. Movements also get their own rows in the transaction that records them.
 */
export function registerOperatorCallAudit(app: FastifyInstance, audit: AuditLog, db: Queryable): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.principal?.kind !== 'operator') return payload;
    const body = request.body as { reference?: unknown } | undefined;
    const reference = body && typeof body === 'object' && typeof body.reference === 'string' ? body.reference : null;
    await audit.record(db, {
      actorKind: 'operator',
      actorId: request.principal.id,
      action: 'operator.api_call',
      subjectType: 'route',
      subjectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      details: { params: request.params ?? {}, reference, status: reply.statusCode },
      ip: request.ip,
      requestId: request.id,
    });
    return payload;
  });
}
