import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { merchantActor } from './merchant-auth.js';
import { merchantAccess } from './merchant-roles.js';
import type { PaymentsService } from './service.js';

/**
 * The owner manages the shop's staff logins: lists them, adds managers and cashiers, turns them off.
 * Owners themselves are added and removed by the bank (`/api/v1/ops/merchants/:id/staff`).
 */

const tags = ['merchant'];
const owner = merchantAccess('staff.manage');
const StaffSchema = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String(), active: Type.Boolean(), createdAt: Type.String() });

export function merchantStaffRoutes(service: PaymentsService) {
  return async (app: FastifyInstance) => {
    const actorOf = (staffId: string, requestId: string) => ({ kind: 'system' as const, id: `merchant_staff:${staffId}`, requestId });

    app.get('/api/v1/merchant/staff', { config: owner, schema: { tags, summary: "My shop's staff logins (owner only)", response: { 200: Type.Object({ items: Type.Array(StaffSchema) }) } } }, async (request) => ({
      items: (await service.merchants.staff(merchantActor(request).merchantId)).map((member) => ({ ...member, createdAt: member.createdAt.toISOString() })),
    }));

    app.post<{ Body: { name: string; phone: string; password: string; role: 'manager' | 'cashier' } }>(
      '/api/v1/merchant/staff',
      {
        config: owner,
        schema: {
          tags,
          summary: 'Add a manager or cashier login (owner only)',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.String({ minLength: 5, maxLength: 20 }), password: Type.String({ minLength: 1, maxLength: 256 }), role: Type.Union([Type.Literal('manager'), Type.Literal('cashier')]) }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Type.String() }) },
        },
      },
      async (request, reply) => {
        const actor = merchantActor(request);
        const created = await service.merchants.createStaff(actor.merchantId, request.body, actorOf(actor.staffId, request.id));
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(created.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/merchant/staff/:id/deactivate',
      { config: owner, schema: { tags, summary: "Turn a manager's or cashier's login off; their sessions stop at once (owner only)", params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: Type.Object({ id: Type.String() }) } } },
      async (request) => {
        const actor = merchantActor(request);
        const done = await service.merchants.deactivateStaff(actor.merchantId, request.params.id, actorOf(actor.staffId, request.id));
        if (!done.ok) throw problemFrom(done.error);
        return done.value;
      },
    );
  };
}
