import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, Id, IdParams } from '../platform/http/schemas.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { CheckoutSchema, OrderSchema, RefundSchema, orderJson, pageSchema, refundJson } from './dto.js';
import { apiCaller } from './keys.js';
import type { MerchantApiService } from './service.js';

/**
 * The public merchant API, version 1: server to server, `Authorization: Bearer sk_live_…` (or
 * `sk_test_…`), an Idempotency-Key on every POST, problem+json errors, cursor pagination. Separate
 * from the merchant pages' session API (`/api/v1/merchant/...`).
 */

export const MERCHANT_API_PREFIX = '/api/merchant/v1';
const tags = ['merchant-api'];
const read = { auth: ['merchant_api'] as const };
const write = { auth: ['merchant_api'] as const, idempotent: true };
const money = { ...write, feature: 'payments' };

const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 20)' }));
const StartingAfter = Type.Optional(Id);
const Printable = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[\\x20-\\x7e]+$' });

interface OrderBody {
  amount: number;
  currency: 'CNY';
  description: string;
  shopOrderNumber: string;
  expiresInSeconds?: number;
  returnUrl?: string;
  notifyUrl?: string;
  metadata?: Record<string, string>;
}

export function merchantApiRoutes(service: MerchantApiService) {
  const { orders } = service;
  return async (app: FastifyInstance) => {
    app.post<{ Body: OrderBody }>(
      `${MERCHANT_API_PREFIX}/orders`,
      {
        config: write,
        schema: {
          operationId: 'createCheckoutOrder',
          tags,
          summary: 'Create an order the buyer pays on the hosted pay page (payUrl)',
          security: [{ merchantApiKey: [] }],
          body: Type.Object(
            {
              amount: Type.Integer({ minimum: 1, maximum: 99_999_999_999, description: 'Minor units (fen)' }),
              currency: Currency,
              description: Type.String({ minLength: 1, maxLength: 128 }),
              shopOrderNumber: Printable(25),
              expiresInSeconds: Type.Optional(Type.Integer({ description: '60 to 86400; default 1800' })),
              returnUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
              notifyUrl: Type.Optional(
                Type.String({
                  minLength: 1,
                  maxLength: 2048,
                  description:
                    "Gets this order's events too, signed with the notify secret (POST /webhook-notify first)",
                }),
              ),
              metadata: Type.Optional(
                Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Type.String({ maxLength: 500 }), {
                  maxProperties: 20,
                }),
              ),
            },
            { additionalProperties: false },
          ),
          problems: [
            'MERCHANT_API_ORDER_NUMBER_TAKEN',
            'MERCHANT_API_URL_INVALID',
            'MERCHANT_API_EXPIRY_INVALID',
            'MERCHANT_API_NOTIFY_SECRET_MISSING',
            'MERCHANT_NOT_FOUND',
            'MERCHANT_NOT_ACTIVE',
            'RATE_LIMITED',
          ],
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const { amount, ...rest } = request.body;
        const created = await orders.create(apiCaller(request.principal), { ...rest, amountFen: fenFromJson(amount) });
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(orderJson(created.value));
      },
    );

    app.get<{ Querystring: { limit?: number; startingAfter?: string; status?: 'open' | 'paid' | 'closed' } }>(
      `${MERCHANT_API_PREFIX}/orders`,
      {
        config: read,
        schema: {
          operationId: 'listCheckoutOrders',
          tags,
          summary: 'Orders of this key’s mode, newest first',
          security: [{ merchantApiKey: [] }],
          querystring: Type.Object(
            {
              limit: Limit,
              startingAfter: StartingAfter,
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('closed')])),
            },
            { additionalProperties: false },
          ),
          problems: ['RATE_LIMITED'],
          response: { 200: pageSchema(OrderSchema) },
        },
      },
      async (request) => {
        const { limit = 20, ...rest } = request.query;
        const listed = await orders.list(apiCaller(request.principal), { limit, ...rest });
        return { items: listed.items.map(orderJson), nextCursor: listed.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/orders/:id`,
      {
        config: read,
        schema: {
          operationId: 'getCheckoutOrder',
          tags,
          summary: 'An order as it stands (what a shop trusts, beside the webhook; not the return URL)',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: ['MERCHANT_API_ORDER_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const order = await orders.get(apiCaller(request.principal), request.params.id);
        if (!order) throw new Problem('MERCHANT_API_ORDER_NOT_FOUND');
        return orderJson(order);
      },
    );

    app.post<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/orders/:id/close`,
      {
        config: write,
        schema: {
          operationId: 'closeCheckoutOrder',
          tags,
          summary: 'Close an unpaid order so it can never be paid',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: ['MERCHANT_API_ORDER_NOT_FOUND', 'MERCHANT_API_ORDER_NOT_OPEN', 'RATE_LIMITED'],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const closed = await orders.close(apiCaller(request.principal), request.params.id);
        if (!closed.ok) throw problemFrom(closed.error);
        return orderJson(closed.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/test/orders/:id/pay`,
      {
        config: write,
        schema: {
          operationId: 'payTestCheckoutOrder',
          tags,
          summary: 'Test mode only: pay an open test order as a buyer would (no money moves)',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: [
            'MERCHANT_API_TEST_MODE_ONLY',
            'MERCHANT_API_ORDER_NOT_FOUND',
            'MERCHANT_API_ORDER_NOT_OPEN',
            'RATE_LIMITED',
          ],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const paid = await orders.payTestOrder(apiCaller(request.principal), request.params.id);
        if (!paid.ok) throw problemFrom(paid.error);
        return orderJson(paid.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { amount: number; reason?: string } }>(
      `${MERCHANT_API_PREFIX}/orders/:id/refunds`,
      {
        config: money,
        schema: {
          operationId: 'createCheckoutRefund',
          tags,
          summary: 'Refund a paid order in part or in full; refunds never add up to more than was paid',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          body: Type.Object(
            { amount: Amount, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })) },
            { additionalProperties: false },
          ),
          problems: [
            'MERCHANT_API_ORDER_NOT_FOUND',
            'MERCHANT_API_ORDER_NOT_PAID',
            'MERCHANT_API_REFUND_EXCEEDS_PAID',
            'PAYMENT_NOT_REFUNDABLE',
            'MERCHANT_API_REFUND_FAILED',
            'RATE_LIMITED',
          ],
          response: { 201: RefundSchema },
        },
      },
      async (request, reply) => {
        const { amount, reason } = request.body;
        const refunded = await orders.refund(apiCaller(request.principal), request.params.id, {
          amountFen: fenFromJson(amount),
          reason,
        });
        if (!refunded.ok) throw problemFrom(refunded.error);
        return reply.code(201).send(refundJson(refunded.value));
      },
    );

    app.get<{ Params: { id: string }; Querystring: { limit?: number; startingAfter?: string } }>(
      `${MERCHANT_API_PREFIX}/orders/:id/refunds`,
      {
        config: read,
        schema: {
          operationId: 'listCheckoutOrderRefunds',
          tags,
          summary: 'Refunds of an order, newest first',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          querystring: Type.Object({ limit: Limit, startingAfter: StartingAfter }, { additionalProperties: false }),
          problems: ['MERCHANT_API_ORDER_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: pageSchema(RefundSchema) },
        },
      },
      async (request) => {
        const caller = apiCaller(request.principal);
        if (!(await orders.get(caller, request.params.id))) throw new Problem('MERCHANT_API_ORDER_NOT_FOUND');
        const { limit = 20, startingAfter } = request.query;
        const listed = await orders.listRefunds(caller, { limit, startingAfter, orderId: request.params.id });
        return { items: listed.items.map(refundJson), nextCursor: listed.nextCursor };
      },
    );

    app.get<{ Querystring: { limit?: number; startingAfter?: string } }>(
      `${MERCHANT_API_PREFIX}/refunds`,
      {
        config: read,
        schema: {
          operationId: 'listCheckoutRefunds',
          tags,
          summary: 'Refunds of this key’s mode, newest first',
          security: [{ merchantApiKey: [] }],
          querystring: Type.Object({ limit: Limit, startingAfter: StartingAfter }, { additionalProperties: false }),
          problems: ['RATE_LIMITED'],
          response: { 200: pageSchema(RefundSchema) },
        },
      },
      async (request) => {
        const { limit = 20, startingAfter } = request.query;
        const listed = await orders.listRefunds(apiCaller(request.principal), { limit, startingAfter });
        return { items: listed.items.map(refundJson), nextCursor: listed.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/refunds/:id`,
      {
        config: read,
        schema: {
          operationId: 'getCheckoutRefund',
          tags,
          summary: 'A refund',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: ['MERCHANT_API_REFUND_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: RefundSchema },
        },
      },
      async (request) => {
        const refund = await orders.getRefund(apiCaller(request.principal), request.params.id);
        if (!refund) throw new Problem('MERCHANT_API_REFUND_NOT_FOUND');
        return refundJson(refund);
      },
    );
  };
}

/** The hosted pay page's data (public: an order id is 80 random bits). */
export function checkoutRoutes(service: MerchantApiService) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>(
      '/api/v1/checkout/orders/:id',
      {
        schema: {
          operationId: 'getCheckoutForPayPage',
          tags: ['checkout'],
          summary: "The hosted pay page's view of an order: the shop's verified name, amount, state, the code to pay",
          params: IdParams,
          problems: ['MERCHANT_API_ORDER_NOT_FOUND'],
          response: { 200: CheckoutSchema },
        },
      },
      async (request) => {
        const view = await service.orders.checkout(request.params.id);
        if (!view) throw new Problem('MERCHANT_API_ORDER_NOT_FOUND');
        const { amountFen, ...rest } = view;
        return { ...rest, amount: fenToJson(amountFen), expiresAt: view.expiresAt.toISOString() };
      },
    );
  };
}
