import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Party } from '../approvals/service.js';
import { may } from '../ops/roles.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { Id } from '../platform/http/schemas.js';
import type { SavingsError } from './deps.js';
import {
  AssessmentSchema,
  HoldingsSchema,
  OrderSchema,
  ProductSchema,
  assessmentDto,
  holdingsDto,
  orderDto,
  productDto,
} from './dto.js';
import type { ProductChanges } from './products.js';
import type { SavingsService } from './service.js';
import type { OrderRow } from './store-orders.js';

/** The console's savings routes: products and rates (maker-checker), the application queue, a holder's holdings. */

const tags = ['savings-staff'];
const fail = (error: SavingsError) => problemFrom(error);

function staffOf(request: FastifyRequest): Party {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new Error('savings staff routes need a staff member');
  return { kind: 'staff', id: principal.id, roles: principal.roles, ip: request.ip, requestId: request.id };
}

const Rate = Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,4})?$', description: 'percent a year, e.g. "1.4500"' });
const Money = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00 });
const LongText = Type.Object(
  { zh: Type.String({ minLength: 1, maxLength: 20_000 }), en: Type.String({ minLength: 1, maxLength: 20_000 }) },
  { additionalProperties: false },
);
const ChangesSchema = Type.Object(
  {
    name: Type.Optional(LongText),
    riskLevel: Type.Optional(Type.Union(['R1', 'R2', 'R3', 'R4', 'R5'].map((level) => Type.Literal(level)))),
    status: Type.Optional(Type.Union([Type.Literal('on_sale'), Type.Literal('closed')])),
    minimumAmount: Type.Optional(Money),
    reviewThreshold: Type.Optional(Money),
    annualRatePct: Type.Optional(Rate),
    demandRatePct: Type.Optional(Rate),
    fees: Type.Optional(LongText),
    riskWarning: Type.Optional(LongText),
    manual: Type.Optional(LongText),
    minTier: Type.Optional(Type.Union(['basic', 'verified', 'full'].map((tier) => Type.Literal(tier)))),
    fastRedeem: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const EffectiveAt = Type.String({ format: 'date-time' });
const Accepted = Type.Object({ approvalId: Type.String(), status: Type.String() });

const VersionSchema = Type.Object({
  version: Type.Integer(),
  effectiveAt: Type.String(),
  createdAt: Type.String(),
  approvalId: Type.Union([Type.String(), Type.Null()]),
  product: ProductSchema,
});

const ApplicationSchema = Type.Object({
  ...OrderSchema.properties,
  userId: Type.String(),
  holder: Type.Object({ name: Type.String(), phone: Type.String() }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});

export function savingsStaffRoutes(
  savings: SavingsService,
  holderOf: (userId: string) => Promise<{ name: string; phone: string } | null>,
) {
  return async (app: FastifyInstance) => {
    async function names() {
      const products = await savings.products.list();
      const map = new Map(products.map((product) => [product.id, product.terms.name]));
      return (id: string) => map.get(id) ?? { zh: id, en: id };
    }

    async function applicationDto(row: OrderRow) {
      const holder = (await holderOf(row.user_id)) ?? { name: '', phone: '' };
      return {
        ...orderDto(row, (await names())(row.product_id), null),
        userId: row.user_id,
        holder,
        decidedBy: row.decided_by,
        decidedAt: row.decided_at?.toISOString() ?? null,
      };
    }

    app.get(
      '/api/v1/ops/savings/products',
      {
        config: may('savings.view'),
        schema: {
          tags,
          operationId: 'savingsStaffListProducts',
          summary: 'Every product in effect, with its versions (past and scheduled)',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  ...ProductSchema.properties,
                  versions: Type.Array(VersionSchema),
                  scheduled: Type.Array(VersionSchema),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const now = savings.clock.now();
        const items = [];
        for (const product of await savings.products.list()) {
          const latest = await savings.products.latestYield(product);
          const versions = (await savings.products.versions(product.id)).map((row) => ({
            version: row.version,
            effectiveAt: row.effective_at.toISOString(),
            createdAt: row.created_at.toISOString(),
            approvalId: row.approval_id,
            product: productDto(row, latest),
          }));
          items.push({
            ...productDto(product, latest),
            versions,
            scheduled: versions.filter((row) => new Date(row.effectiveAt) > now),
          });
        }
        return { items };
      },
    );

    app.post<{ Params: { id: string }; Body: { changes: ProductChanges; effectiveAt: string; reason: string } }>(
      '/api/v1/ops/savings/products/:id/changes',
      {
        config: may('savings.products'),
        schema: {
          tags,
          operationId: 'savingsStaffProposeChange',
          problems: [
            'SAVINGS_PRODUCT_NOT_FOUND',
            'SAVINGS_CHANGE_INVALID',
            'SAVINGS_EFFECTIVE_IN_PAST',
            'APPROVAL_ALREADY_PENDING',
          ],
          summary: 'Ask for a change of a product or its rates, in effect from a stated time (a second admin approves)',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { changes: ChangesSchema, effectiveAt: EffectiveAt, reason: Reason },
            { additionalProperties: false },
          ),
          response: { 202: Accepted },
        },
      },
      async (request, reply) => {
        const asked = await savings.products.proposeChange(
          request.params.id,
          { ...request.body, effectiveAt: new Date(request.body.effectiveAt) },
          staffOf(request),
        );
        if (!asked.ok) throw fail(asked.error);
        return reply.code(202).send({ approvalId: asked.value.id, status: asked.value.status });
      },
    );

    app.post<{
      Body: {
        id: string;
        kind: 'fund' | 'term_deposit';
        code: string;
        fundCode?: string;
        termMonths?: number;
        changes: ProductChanges;
        effectiveAt: string;
        reason: string;
      };
    }>(
      '/api/v1/ops/savings/products',
      {
        config: may('savings.products'),
        schema: {
          tags,
          operationId: 'savingsStaffProposeProduct',
          problems: ['SAVINGS_CHANGE_INVALID', 'SAVINGS_EFFECTIVE_IN_PAST', 'APPROVAL_ALREADY_PENDING'],
          summary: 'Ask for a new product with its full terms (a second admin approves)',
          body: Type.Object(
            {
              id: Type.String({ pattern: '^svp_[0-9a-z_]{2,30}$' }),
              kind: Type.Union([Type.Literal('fund'), Type.Literal('term_deposit')]),
              code: Type.String({ pattern: '^[A-Z0-9-]{2,20}$' }),
              fundCode: Type.Optional(Type.String({ pattern: '^[A-Z0-9-]{2,20}$' })),
              termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
              changes: ChangesSchema,
              effectiveAt: EffectiveAt,
              reason: Reason,
            },
            { additionalProperties: false },
          ),
          response: { 202: Accepted },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const asked = await savings.products.proposeProduct(
          {
            id: body.id,
            kind: body.kind,
            code: body.code,
            fundCode: body.fundCode ?? null,
            termMonths: body.termMonths ?? null,
            changes: body.changes,
            effectiveAt: new Date(body.effectiveAt),
            reason: body.reason,
          },
          staffOf(request),
        );
        if (!asked.ok) throw fail(asked.error);
        return reply.code(202).send({ approvalId: asked.value.id, status: asked.value.status });
      },
    );

    app.get<{ Querystring: { status?: string; before?: string; limit?: number } }>(
      '/api/v1/ops/savings/applications',
      {
        config: may('savings.applications'),
        schema: {
          tags,
          operationId: 'savingsStaffListApplications',
          summary: 'Orders waiting for a decision (oldest first), or decided ones',
          querystring: Type.Object({
            status: Type.Optional(
              Type.Union([
                Type.Literal('pending_review'),
                Type.Literal('completed'),
                Type.Literal('rejected'),
                Type.Literal('expired'),
              ]),
            ),
            before: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(ApplicationSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await savings.applications.list(request.query);
        const items = [];
        // Decided lists hold every order of that status; only reviewed ones belong here.
        for (const row of page.items) if (row.hold_id) items.push(await applicationDto(row));
        return { items, nextBefore: page.nextBefore };
      },
    );

    for (const verb of ['approve', 'reject'] as const) {
      app.post<{ Params: { id: string }; Body: { note: string } }>(
        `/api/v1/ops/savings/applications/:id/${verb}`,
        {
          config: may('savings.applications'),
          schema: {
            tags,
            operationId: verb === 'approve' ? 'savingsStaffApproveApplication' : 'savingsStaffRejectApplication',
            problems: ['SAVINGS_APPLICATION_NOT_FOUND', 'SAVINGS_APPLICATION_DECIDED', 'INSUFFICIENT_FUNDS'],
            summary:
              verb === 'approve'
                ? 'Approve an application: the held money is posted and the order takes effect'
                : 'Reject an application: the held money is released',
            params: Type.Object({ id: Id }),
            body: Type.Object({ note: Reason }, { additionalProperties: false }),
            response: { 200: ApplicationSchema },
          },
        },
        async (request) => {
          const decided = await savings.applications.decide(request.params.id, staffOf(request), {
            approve: verb === 'approve',
            note: request.body.note,
          });
          if (!decided.ok) throw fail(decided.error);
          return applicationDto(decided.value);
        },
      );
    }

    app.get<{ Params: { userId: string } }>(
      '/api/v1/ops/savings/holders/:userId',
      {
        config: may('savings.view'),
        schema: {
          tags,
          operationId: 'savingsStaffHolderView',
          summary: 'A holder’s fund shares, deposits, risk assessment and latest orders',
          params: Type.Object({ userId: Id }),
          response: {
            200: Type.Object({
              userId: Type.String(),
              holdings: HoldingsSchema,
              assessment: Type.Union([AssessmentSchema, Type.Null()]),
              orders: Type.Array(OrderSchema),
            }),
          },
        },
      },
      async (request) => {
        const { userId } = request.params;
        const nameOf = await names();
        const assessment = await savings.suitability.latest(userId);
        const orders = await savings.orders.list(userId, { limit: 50 });
        return {
          userId,
          holdings: holdingsDto(await savings.holdings.of(userId), nameOf),
          assessment: assessment ? assessmentDto(assessment, savings.clock.now()) : null,
          orders: orders.items.map((row) => orderDto(row, nameOf(row.product_id), null)),
        };
      },
    );
  };
}
