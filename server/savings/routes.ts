import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { shanghaiDay } from '../platform/clock.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { Amount, Currency, Id, Pin } from '../platform/http/schemas.js';
import { fenFromJson } from '../platform/money.js';
import type { SavingsError } from './deps.js';
import {
  AssessmentSchema,
  DepositSchema,
  HoldingsSchema,
  IncomeSchema,
  OrderSchema,
  ProductSchema,
  TextSchema,
  YieldPointSchema,
  assessmentDto,
  depositDto,
  holdingsDto,
  incomeDto,
  orderDto,
  productDto,
  yieldDto,
} from './dto.js';
import type { OrderInput, Prepared } from './orders.js';
import { publicQuestionnaire } from './questionnaire.js';
import type { SavingsService } from './service.js';
import type { OrderRow } from './store-orders.js';

/** The wallet's savings routes: catalogue, questionnaire, orders, holdings, deposits. Thin handlers. */

const tags = ['savings'];
const user = { auth: ['user'] as const, feature: 'savings' };
const moving = { ...user, idempotent: true };
const Confirm = Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false }));
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const me = (request: FastifyRequest) => request.principal?.id as string;
const fail = (error: SavingsError) => problemFrom(error);
const CONFIRMING = [
  'CONFIRMATION_NOT_FOUND',
  'CONFIRMATION_INVALID',
  'CONFIRMATION_EXPIRED',
  'PIN_INVALID',
  'PIN_LOCKED',
  'PIN_NOT_SET',
] as const;
const BUYING = [
  'SAVINGS_PRODUCT_NOT_FOUND',
  'SAVINGS_PRODUCT_CLOSED',
  'SAVINGS_BELOW_MINIMUM',
  'SAVINGS_MATURITY_CHOICE_REQUIRED',
  'SAVINGS_TIER_NOT_ALLOWED',
  'SAVINGS_QUESTIONNAIRE_REQUIRED',
  'SAVINGS_QUESTIONNAIRE_EXPIRED',
  'SAVINGS_RISK_ACK_REQUIRED',
  'SAVINGS_RISK_REFUSED',
  'ACCOUNT_FROZEN',
  'INSUFFICIENT_FUNDS',
  ...CONFIRMING,
] as const;
const REDEEMING = [
  'SAVINGS_PRODUCT_NOT_FOUND',
  'SAVINGS_WRONG_PRODUCT_KIND',
  'SAVINGS_INSUFFICIENT_SHARES',
  'SAVINGS_FAST_REDEEM_CAP',
  'LIMIT_EXCEEDED',
  ...CONFIRMING,
] as const;

export function savingsRoutes(savings: SavingsService) {
  return async (app: FastifyInstance) => {
    async function names() {
      const products = await savings.products.list();
      const map = new Map(products.map((product) => [product.id, product.terms.name]));
      return (id: string) => map.get(id) ?? { zh: id, en: id };
    }

    async function orderAnswer(prepared: Prepared | { order: OrderRow; confirmation: null }) {
      const nameOf = await names();
      return orderDto(prepared.order, nameOf(prepared.order.product_id), prepared.confirmation);
    }

    async function place(request: FastifyRequest, input: OrderInput, pin: string | undefined) {
      const userId = me(request);
      if (pin) {
        const done = await savings.orders.submit(userId, input, pin);
        if (!done.ok) throw fail(done.error);
        return orderAnswer({ order: done.value, confirmation: null });
      }
      const prepared = await savings.orders.prepare(userId, input);
      if (!prepared.ok) throw fail(prepared.error);
      return orderAnswer(prepared.value);
    }

    app.get(
      '/api/v1/savings/products',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsListProducts',
          summary: 'The savings catalogue: every product in effect now',
          response: { 200: Type.Object({ items: Type.Array(ProductSchema) }) },
        },
      },
      async () => {
        const products = await savings.products.list();
        const items = [];
        for (const product of products) items.push(productDto(product, await savings.products.latestYield(product)));
        return { items };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/products/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetProduct',
          problems: ['SAVINGS_PRODUCT_NOT_FOUND'],
          summary: 'One product: risk level, rates or yield, fees, manual and risk warning',
          params: Type.Object({ id: Id }),
          response: { 200: ProductSchema },
        },
      },
      async (request) => {
        const product = await savings.products.get(request.params.id);
        if (!product) throw fail({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
        return productDto(product, await savings.products.latestYield(product));
      },
    );

    app.get<{ Params: { id: string }; Querystring: { range?: '7d' | '1m' | '3m' } }>(
      '/api/v1/savings/products/:id/yields',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetYields',
          problems: ['SAVINGS_PRODUCT_NOT_FOUND'],
          summary: 'A fund’s published 7-day yield and income per 10,000 units, oldest first',
          params: Type.Object({ id: Id }),
          querystring: Type.Object({
            range: Type.Optional(Type.Union([Type.Literal('7d'), Type.Literal('1m'), Type.Literal('3m')])),
          }),
          response: {
            200: Type.Object({ productId: Type.String(), range: Type.String(), points: Type.Array(YieldPointSchema) }),
          },
        },
      },
      async (request) => {
        const product = await savings.products.get(request.params.id);
        if (!product) throw fail({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
        const range = request.query.range ?? '1m';
        const points = await savings.products.yields(product, range);
        return { productId: product.id, range, points: points.map(yieldDto) };
      },
    );

    app.get(
      '/api/v1/savings/questionnaire',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetQuestionnaire',
          summary: 'The risk tolerance questionnaire (C1-C5)',
          response: {
            200: Type.Object({
              version: Type.String(),
              questions: Type.Array(
                Type.Object({
                  id: Type.String(),
                  text: TextSchema,
                  options: Type.Array(Type.Object({ id: Type.String(), text: TextSchema })),
                }),
              ),
            }),
          },
        },
      },
      async () => publicQuestionnaire(),
    );

    app.post<{ Body: { version: string; answers: Record<string, string> } }>(
      '/api/v1/savings/questionnaire',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsSubmitQuestionnaire',
          problems: ['SAVINGS_QUESTIONNAIRE_INVALID', 'SAVINGS_QUESTIONNAIRE_OUTDATED'],
          summary: 'Answer the questionnaire: my risk level for a year',
          body: Type.Object(
            {
              version: Type.String({ maxLength: 20 }),
              answers: Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 5 }), {
                maxProperties: 20,
              }),
            },
            { additionalProperties: false },
          ),
          response: { 201: AssessmentSchema },
        },
      },
      async (request, reply) => {
        const assessed = await savings.suitability.submit(me(request), request.body);
        if (!assessed.ok) throw fail(assessed.error);
        return reply.code(201).send(assessmentDto(assessed.value, savings.clock.now()));
      },
    );

    app.get(
      '/api/v1/savings/assessment',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetAssessment',
          summary: 'My latest risk assessment, or null',
          response: { 200: Type.Object({ assessment: Type.Union([AssessmentSchema, Type.Null()]) }) },
        },
      },
      async (request) => {
        const latest = await savings.suitability.latest(me(request));
        return { assessment: latest ? assessmentDto(latest, savings.clock.now()) : null };
      },
    );

    app.post<{
      Body: {
        productId: string;
        amount: number;
        currency: 'CNY';
        acknowledgeRisk?: boolean;
        maturityChoice?: 'rollover' | 'to_wallet';
        confirmation?: { pin: string };
      };
    }>(
      '/api/v1/savings/subscriptions',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'savingsSubscribe',
          problems: BUYING,
          summary: 'Buy fund shares or open a term deposit from the wallet: prepare, or finish at once with the PIN',
          body: Type.Object(
            {
              productId: Id,
              amount: Amount,
              currency: Currency,
              acknowledgeRisk: Type.Optional(Type.Boolean()),
              maturityChoice: Type.Optional(Type.Union([Type.Literal('rollover'), Type.Literal('to_wallet')])),
              confirmation: Confirm,
            },
            { additionalProperties: false },
          ),
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const input: OrderInput = {
          type: 'subscribe',
          productId: body.productId,
          amountFen: fenFromJson(body.amount),
          acknowledgeRisk: body.acknowledgeRisk,
          maturityChoice: body.maturityChoice,
          clientKey: request.idempotency?.key ?? null,
        };
        return reply.code(201).send(await place(request, input, body.confirmation?.pin));
      },
    );

    app.post<{
      Body: {
        productId: string;
        amount: number;
        currency: 'CNY';
        speed: 'fast' | 'ordinary';
        confirmation?: { pin: string };
      };
    }>(
      '/api/v1/savings/redemptions',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'savingsRedeem',
          problems: REDEEMING,
          summary: 'Redeem fund shares: fast (now, ¥10,000 a day) or ordinary (next business day)',
          body: Type.Object(
            {
              productId: Id,
              amount: Amount,
              currency: Currency,
              speed: Type.Union([Type.Literal('fast'), Type.Literal('ordinary')]),
              confirmation: Confirm,
            },
            { additionalProperties: false },
          ),
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const input: OrderInput = {
          type: 'redeem',
          productId: body.productId,
          amountFen: fenFromJson(body.amount),
          speed: body.speed,
          clientKey: request.idempotency?.key ?? null,
        };
        return reply.code(201).send(await place(request, input, body.confirmation?.pin));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmation?: { pin: string } } }>(
      '/api/v1/savings/deposits/:id/early-withdrawal',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'savingsWithdrawEarly',
          problems: ['SAVINGS_DEPOSIT_NOT_FOUND', 'SAVINGS_DEPOSIT_NOT_OPEN', 'LIMIT_EXCEEDED', ...CONFIRMING],
          summary: 'Withdraw a term deposit before maturity: the demand rate for the days held',
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmation: Confirm }, { additionalProperties: false }),
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const input: OrderInput = {
          type: 'early_withdrawal',
          depositId: request.params.id,
          clientKey: request.idempotency?.key ?? null,
        };
        return reply.code(201).send(await place(request, input, request.body.confirmation?.pin));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/savings/orders/:id/complete',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'savingsCompleteOrder',
          problems: [
            'SAVINGS_ORDER_NOT_FOUND',
            'SAVINGS_ORDER_NOT_PENDING',
            ...BUYING,
            ...REDEEMING,
            'SAVINGS_DEPOSIT_NOT_OPEN',
          ],
          summary: 'Complete an order whose confirmation I approved: the money moves',
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmationId: Id }, { additionalProperties: false }),
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const done = await savings.orders.complete(me(request), request.params.id, request.body.confirmationId);
        if (!done.ok) throw fail(done.error);
        return orderAnswer({ order: done.value, confirmation: null });
      },
    );

    app.get<{ Querystring: { before?: string; limit?: number } }>(
      '/api/v1/savings/orders',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsListOrders',
          summary: 'My savings orders, newest first',
          querystring: Type.Object({
            before: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({ items: Type.Array(OrderSchema), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const page = await savings.orders.list(me(request), request.query);
        const nameOf = await names();
        return {
          items: page.items.map((row) => orderDto(row, nameOf(row.product_id), null)),
          nextBefore: page.nextBefore,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/orders/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetOrder',
          problems: ['SAVINGS_ORDER_NOT_FOUND'],
          summary: 'One of my orders (poll it for a review’s outcome)',
          params: Type.Object({ id: Id }),
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const found = await savings.orders.get(me(request), request.params.id);
        if (!found) throw fail({ code: 'SAVINGS_ORDER_NOT_FOUND' });
        return orderAnswer(found);
      },
    );

    app.get(
      '/api/v1/savings/holdings',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetHoldings',
          summary: 'My fund shares (income yesterday and in total) and open deposits',
          response: { 200: HoldingsSchema },
        },
      },
      async (request) => holdingsDto(await savings.holdings.of(me(request)), await names()),
    );

    app.get<{ Querystring: { productId?: string; before?: string; limit?: number } }>(
      '/api/v1/savings/income',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsListIncome',
          summary: 'My daily fund income, newest day first',
          querystring: Type.Object({
            productId: Type.Optional(Id),
            before: Type.Optional(Day),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({ items: Type.Array(IncomeSchema), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const page = await savings.holdings.income(me(request), {
          productId: request.query.productId,
          beforeDay: request.query.before,
          limit: request.query.limit,
        });
        return { items: page.items.map(incomeDto), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Querystring: { status?: 'open' | 'closed' | 'all' } }>(
      '/api/v1/savings/deposits',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsListDeposits',
          summary: 'My term deposits',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')])),
          }),
          response: { 200: Type.Object({ items: Type.Array(DepositSchema) }) },
        },
      },
      async (request) => {
        const rows = await savings.deposits.list(me(request), request.query.status ?? 'all');
        const nameOf = await names();
        return { items: rows.map((row) => depositDto(row, nameOf(row.product_id))) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/deposits/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetDeposit',
          problems: ['SAVINGS_DEPOSIT_NOT_FOUND'],
          summary: 'One of my term deposits',
          params: Type.Object({ id: Id }),
          response: { 200: DepositSchema },
        },
      },
      async (request) => {
        const row = await savings.deposits.get(me(request), request.params.id);
        if (!row) throw fail({ code: 'SAVINGS_DEPOSIT_NOT_FOUND' });
        return depositDto(row, (await names())(row.product_id));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/deposits/:id/certificate',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetDepositCertificate',
          problems: ['SAVINGS_DEPOSIT_NOT_FOUND'],
          summary: 'The data of a deposit certificate (the PDF is rendered from it)',
          params: Type.Object({ id: Id }),
          response: {
            200: Type.Object({
              certificateNo: Type.String(),
              deposit: DepositSchema,
              holder: Type.Object({ name: Type.String(), idNumber: Type.String() }),
              bank: TextSchema,
              issuedAt: Type.String({ format: 'date-time' }),
              ledgerEntryId: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const certificate = await savings.deposits.certificate(me(request), request.params.id);
        if (!certificate) throw fail({ code: 'SAVINGS_DEPOSIT_NOT_FOUND' });
        const { deposit, holder } = certificate;
        return {
          certificateNo: certificate.certificateNo,
          deposit: depositDto(deposit, (await names())(deposit.product_id)),
          holder,
          bank: { zh: '通宝', en: 'Tongbao' },
          issuedAt: deposit.created_at.toISOString(),
          ledgerEntryId: deposit.open_entry_id,
        };
      },
    );
  };
}

/** Development-only hooks (not registered in production): the savings clock and the fund sandbox. */
export function savingsDevRoutes(savings: SavingsService) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { days: number } }>(
      '/api/v1/dev/savings/clock',
      {
        schema: {
          hide: true,
          operationId: 'savingsDevAdvanceClock',
          body: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 60 }) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const moved = await savings.advanceDays(request.body.days);
        return { today: shanghaiDay(savings.clock.now()), offsetDays: moved.offsetDays, jobs: moved.jobs };
      },
    );
    app.post<{ Body: { fundCode: string; mode: 'normal' | 'late' | 'silent'; lateDays?: number } }>(
      '/api/v1/dev/savings/fund-sandbox',
      {
        schema: {
          hide: true,
          operationId: 'savingsDevFundSandbox',
          body: Type.Object(
            {
              fundCode: Type.String({ pattern: '^[A-Z0-9-]{2,20}$' }),
              mode: Type.Union([Type.Literal('normal'), Type.Literal('late'), Type.Literal('silent')]),
              lateDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        if (!savings.sandbox) throw new Problem('NOT_FOUND');
        await savings.sandbox.setMode(request.body.fundCode, request.body.mode, request.body.lateDays ?? 0);
        return { fundCode: request.body.fundCode, mode: request.body.mode, lateDays: request.body.lateDays ?? 0 };
      },
    );
  };
}
