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
const StaffSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
const NewStaffSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.String({ minLength: 5, maxLength: 20 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    role: Type.Union([Type.Literal('manager'), Type.Literal('cashier')]),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const StaffList = Type.Object({ items: Type.Array(StaffSchema) });
const CreatedResponse = { 201: Id };

export function merchantStaffRoutes(service: PaymentsService) {
  return async (app: FastifyInstance) => {
    const actorOf = (staffId: string, requestId: string) => ({
      kind: 'system' as const,
      id: `merchant_staff:${staffId}`,
      requestId,
    });

    app.get(
      '/api/v1/merchant/staff',
      {
        config: owner,
        schema: {
          operationId: 'listMerchantStaff',
          tags,
          summary: "My shop's staff logins (owner only)",
          response: { 200: StaffList },
        },
      },
      async (request) => {
        const members = await service.merchants.staff(merchantActor(request).merchantId);
        return { items: members.map((member) => ({ ...member, createdAt: member.createdAt.toISOString() })) };
      },
    );

    app.post<{ Body: { name: string; phone: string; password: string; role: 'manager' | 'cashier' } }>(
      '/api/v1/merchant/staff',
      {
        config: owner,
        schema: {
          operationId: 'addMerchantStaff',
          tags,
          summary: 'Add a manager or cashier (owner only)',
          body: NewStaffSchema,
          problems: ['MERCHANT_NOT_FOUND', 'INVALID_PHONE', 'MERCHANT_STAFF_PHONE_TAKEN'],
          response: CreatedResponse,
        },
      },
      async (request, reply) => {
        const actor = merchantActor(request);
        const by = actorOf(actor.staffId, request.id);
        const created = await service.merchants.createStaff(actor.merchantId, request.body, by);
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(created.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/merchant/staff/:id/deactivate',
      {
        config: owner,
        schema: {
          operationId: 'deactivateMerchantStaff',
          tags,
          summary: "Turn a manager's or cashier's login off; its sessions stop at once (owner only)",
          params: Id,
          problems: ['MERCHANT_STAFF_NOT_FOUND', 'MERCHANT_STAFF_PROTECTED'],
          response: { 200: Id },
        },
      },
      async (request) => {
        const actor = merchantActor(request);
        const by = actorOf(actor.staffId, request.id);
        const done = await service.merchants.deactivateStaff(actor.merchantId, request.params.id, by);
        if (!done.ok) throw problemFrom(done.error);
        return done.value;
      },
    );
  };
}
