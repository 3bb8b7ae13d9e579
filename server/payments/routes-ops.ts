import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams as Id } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { MerchantApplicationSchema, MerchantInputSchema, MerchantSchema, merchantJson } from './dto.js';
import type { Actor, MerchantInput } from './merchants.js';
import type { PaymentsService } from './service.js';
import type { MerchantStatus } from './types.js';
import { MERCHANT_ROLES, type MerchantRole } from './merchant-roles.js';
import { may } from '../ops/roles.js';

/** Bank staff manage merchants; businesses apply on a public form. */

const tags = ['merchants'];
const admin = may('merchants.manage');
const readers = may('merchants.view');
const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const actor = (request: FastifyRequest): Actor => ({
  kind: 'staff',
  id: request.principal?.id as string,
  requestId: request.id,
});

export function paymentOpsRoutes(service: PaymentsService) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: MerchantInput }>(
      '/api/v1/merchant-applications',
      {
        config: { feature: 'payments' },
        schema: {
          operationId: 'applyAsMerchant',
          tags,
          summary: 'A business applies to become a merchant; staff approve it before it can sign in or take payments',
          description:
            'Answers 202 alike whether or not the owner phone already has a merchant login; the owner phone is ' +
            'texted the outcome. Throttled per address and per owner phone.',
          body: MerchantApplicationSchema,
          problems: ['MERCHANT_NAME_INVALID', 'INVALID_PHONE', 'MERCHANT_STAFF_PHONE_TAKEN'],
          response: { 202: Type.Object({ status: Type.Literal('received') }) },
        },
      },
      async (request, reply) => {
        const applied = await service.merchants.apply(request.body, { ip: request.ip, requestId: request.id });
        if (!applied.ok) throw problemFrom(applied.error);
        return reply.code(202).send({ status: 'received' as const });
      },
    );

    app.post<{ Body: MerchantInput }>(
      '/api/v1/ops/merchants',
      {
        config: admin,
        schema: {
          operationId: 'createMerchant',
          tags,
          summary: 'Create an active merchant with its owner login',
          body: MerchantInputSchema,
          problems: ['MERCHANT_NAME_INVALID', 'INVALID_PHONE', 'MERCHANT_STAFF_PHONE_TAKEN'],
          response: { 201: MerchantSchema },
        },
      },
      async (request, reply) => {
        const created = await service.merchants.create(request.body, actor(request));
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(merchantJson(created.value));
      },
    );

    app.get<{ Querystring: { status?: MerchantStatus; after?: string; limit?: number } }>(
      '/api/v1/ops/merchants',
      {
        config: readers,
        schema: {
          operationId: 'listMerchants',
          tags,
          summary: 'Merchants, by id; page with `after`',
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union(['pending', 'active', 'suspended', 'rejected'].map((s) => Type.Literal(s))),
              ),
              after: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(MerchantSchema),
              nextAfter: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await service.merchants.list(request.query);
        return { items: page.items.map(merchantJson), nextAfter: page.nextAfter };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ops/merchants/:id',
      {
        config: readers,
        schema: {
          operationId: 'getMerchant',
          tags,
          summary: 'One merchant',
          params: Id,
          problems: ['MERCHANT_NOT_FOUND'],
          response: { 200: MerchantSchema },
        },
      },
      async (request) => {
        const found = await service.merchants.get(request.params.id);
        if (!found) throw problemFrom({ code: 'MERCHANT_NOT_FOUND' });
        return merchantJson(found);
      },
    );

    const decision = (
      path: string,
      summary: string,
      run: (id: string, request: FastifyRequest) => ReturnType<typeof service.merchants.approve>,
      withReason: boolean,
    ) =>
      app.post<{ Params: { id: string }; Body: { reason?: string } }>(
        `/api/v1/ops/merchants/:id/${path}`,
        {
          config: admin,
          schema: {
            operationId: `${path}Merchant`,
            tags,
            summary,
            params: Id,
            problems: ['MERCHANT_NOT_FOUND', 'MERCHANT_STATUS_CONFLICT'],
            ...(withReason ? { body: Reason } : {}),
            response: { 200: MerchantSchema },
          },
        },
        async (request) => {
          const decided = await run(request.params.id, request);
          if (!decided.ok) throw problemFrom(decided.error);
          return merchantJson(decided.value);
        },
      );
    decision(
      'approve',
      'Approve an application: the merchant gets its settlement account and can sign in',
      (id, request) => service.merchants.approve(id, actor(request)),
      false,
    );
    decision(
      'reject',
      'Reject an application',
      (id, request) => service.merchants.reject(id, actor(request), (request.body as { reason: string }).reason),
      true,
    );
    decision(
      'suspend',
      'Suspend a merchant: it can sign in and refund but takes no payments',
      (id, request) => service.merchants.suspend(id, actor(request), (request.body as { reason: string }).reason),
      true,
    );
    decision(
      'reactivate',
      'Let a suspended merchant take payments again',
      (id, request) => service.merchants.reactivate(id, actor(request)),
      false,
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ops/merchants/:id/staff',
      {
        config: readers,
        schema: {
          operationId: 'listMerchantStaffForOps',
          tags,
          summary: "A merchant's staff logins",
          params: Id,
          problems: ['MERCHANT_NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  name: Type.String(),
                  role: Type.String(),
                  active: Type.Boolean(),
                  createdAt: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        if (!(await service.merchants.get(request.params.id))) throw problemFrom({ code: 'MERCHANT_NOT_FOUND' });
        return {
          items: (await service.merchants.staff(request.params.id)).map((member) => ({
            ...member,
            createdAt: member.createdAt.toISOString(),
          })),
        };
      },
    );

    app.post<{ Params: { id: string }; Body: { name: string; phone: string; password: string; role: MerchantRole } }>(
      '/api/v1/ops/merchants/:id/staff',
      {
        config: admin,
        schema: {
          operationId: 'addMerchantOwner',
          tags,
          summary: 'Add a staff login to a merchant',
          params: Id,
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 50 }),
              phone: Type.String({ minLength: 5, maxLength: 20 }),
              password: Type.String({ minLength: 1, maxLength: 256 }),
              role: Type.Union(MERCHANT_ROLES.map((role) => Type.Literal(role))),
            },
            { additionalProperties: false },
          ),
          problems: ['MERCHANT_NOT_FOUND', 'INVALID_PHONE', 'MERCHANT_STAFF_PHONE_TAKEN'],
          response: { 201: Type.Object({ id: Type.String() }) },
        },
      },
      async (request, reply) => {
        const created = await service.merchants.createStaff(request.params.id, request.body, actor(request));
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(created.value);
      },
    );
  };
}
