import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Currency, Id, IdParams } from '../platform/http/schemas.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { apiCaller } from './keys.js';
import { MERCHANT_API_PREFIX } from './routes-api.js';
import type { ChargeView, MandateView } from './mandates.js';
import { DAY_PATTERN } from './settlement.js';
import type { MerchantApiService } from './service.js';

/**
 * Agreement payments (签约代扣) and the daily settlement file: the shop's side in the merchant API
 * (`/api/merchant/v1/mandates`, `/settlements/{day}`), the hosted signing page's data, and the holder's
 * list and revocation in the wallet (docs/merchant-api.md).
 */

const tags = ['merchant-api'];
const read = { auth: ['merchant_api'] as const };
const write = { auth: ['merchant_api'] as const, idempotent: true };
const money = { ...write, feature: 'payments' };
const holder = { auth: ['user'] as const };
const holderWrite = { ...holder, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Mode = Type.Union([Type.Literal('live'), Type.Literal('test')]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 20)' }));
const Cap = Type.Integer({ minimum: 1, maximum: 5_000_000, description: 'Minor units (fen)' });

const MandateSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('mandate'),
  mode: Mode,
  shopMandateNumber: Type.String(),
  description: Type.String(),
  capPerCharge: Type.Integer(),
  capPerMonth: Type.Integer({ description: 'Per calendar month in Beijing time' }),
  currency: Type.String(),
  status: Type.String({ description: 'pending, active, revoked (by the holder), cancelled (by the shop) or expired' }),
  usedThisMonth: Type.Integer({ description: 'Charged in the current Beijing-time month' }),
  returnUrl: Nullable(Type.String()),
  signUrl: Type.String({ description: 'The hosted signing page, relative to the server' }),
  requestExpiresAt: Time,
  signedAt: Nullable(Time),
  endedAt: Nullable(Time),
  createdAt: Time,
});

const mandateJson = (m: MandateView) => ({
  id: m.id,
  object: 'mandate' as const,
  mode: m.mode,
  shopMandateNumber: m.shopMandateNumber,
  description: m.description,
  capPerCharge: fenToJson(m.capPerChargeFen),
  capPerMonth: fenToJson(m.capPerMonthFen),
  currency: m.currency,
  status: m.status,
  usedThisMonth: fenToJson(m.usedThisMonthFen),
  returnUrl: m.returnUrl,
  signUrl: m.signUrl,
  requestExpiresAt: m.requestExpiresAt.toISOString(),
  signedAt: m.signedAt?.toISOString() ?? null,
  endedAt: m.endedAt?.toISOString() ?? null,
  createdAt: m.createdAt.toISOString(),
});

const ChargeSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('mandate_charge'),
  mandateId: Type.String(),
  mode: Mode,
  amount: Type.Integer(),
  currency: Type.String(),
  description: Type.String(),
  status: Type.String(),
  paymentId: Nullable(Type.String({ description: 'The wallet payment of a live charge' })),
  createdAt: Time,
});

const chargeJson = (c: ChargeView) => ({
  id: c.id,
  object: 'mandate_charge' as const,
  mandateId: c.mandateId,
  mode: c.mode,
  amount: fenToJson(c.amountFen),
  currency: c.currency,
  description: c.description,
  status: c.status,
  paymentId: c.paymentId,
  createdAt: c.createdAt.toISOString(),
});

const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

const SigningSchema = Type.Object({
  id: Type.String(),
  mode: Mode,
  merchantName: Type.String({ description: "The shop's name as the bank verified it" }),
  merchantNumber: Type.String(),
  description: Type.String(),
  capPerCharge: Type.Integer(),
  capPerMonth: Type.Integer(),
  currency: Type.String(),
  status: Type.String(),
  returnUrl: Nullable(Type.String()),
  requestExpiresAt: Time,
});

const HolderMandateSchema = Type.Intersect([
  MandateSchema,
  Type.Object({
    merchantName: Type.String(),
    merchantNumber: Type.String(),
    charges: Type.Array(ChargeSchema, { description: 'The latest charges, newest first' }),
  }),
]);

const ConfirmationSchema = Type.Object({
  confirmation: Type.Object({ id: Type.String(), challenge: Type.String(), expiresAt: Time }),
});

interface MandateBody {
  shopMandateNumber: string;
  description: string;
  capPerCharge: number;
  capPerMonth: number;
  currency: 'CNY';
  returnUrl?: string;
  expiresInSeconds?: number;
}

const ChargeProblems = [
  'MERCHANT_API_MANDATE_NOT_FOUND',
  'MERCHANT_API_MANDATE_NOT_SIGNED',
  'MERCHANT_API_MANDATE_REVOKED',
  'MERCHANT_API_MANDATE_CHARGE_CAP_EXCEEDED',
  'MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED',
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'ACCOUNT_FROZEN',
  'RISK_BLOCKED',
  'RISK_RESTRICTED',
  'RISK_CONFIRMATION_REQUIRED',
  'MERCHANT_NOT_ACTIVE',
  'RATE_LIMITED',
] as const;

/** The shop's side: mandates, charges and the settlement file, with an API key. */
export function merchantApiMandateRoutes(service: MerchantApiService) {
  const { mandates, settlements } = service;
  return async (app: FastifyInstance) => {
    app.post<{ Body: MandateBody }>(
      `${MERCHANT_API_PREFIX}/mandates`,
      {
        config: write,
        schema: {
          operationId: 'createMandate',
          tags,
          summary: 'Ask a holder to sign an agreement payment (签约代扣) on the hosted page (signUrl)',
          security: [{ merchantApiKey: [] }],
          body: Type.Object(
            {
              shopMandateNumber: Type.String({ minLength: 1, maxLength: 32, pattern: '^[\\x20-\\x7e]+$' }),
              description: Type.String({ minLength: 1, maxLength: 64 }),
              capPerCharge: Cap,
              capPerMonth: Cap,
              currency: Currency,
              returnUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
              expiresInSeconds: Type.Optional(
                Type.Integer({ description: 'The request lapses: 60 to 604800; default 1800' }),
              ),
            },
            { additionalProperties: false },
          ),
          problems: [
            'MERCHANT_API_MANDATE_NUMBER_TAKEN',
            'MERCHANT_API_MANDATE_CAPS_INVALID',
            'MERCHANT_API_URL_INVALID',
            'MERCHANT_API_EXPIRY_INVALID',
            'MERCHANT_NOT_ACTIVE',
            'RATE_LIMITED',
          ],
          response: { 201: MandateSchema },
        },
      },
      async (request, reply) => {
        const { capPerCharge, capPerMonth, ...rest } = request.body;
        const made = await mandates.create(apiCaller(request.principal), {
          ...rest,
          capPerChargeFen: fenFromJson(capPerCharge),
          capPerMonthFen: fenFromJson(capPerMonth),
        });
        if (!made.ok) throw problemFrom(made.error);
        return reply.code(201).send(mandateJson(made.value));
      },
    );

    app.get<{ Querystring: { limit?: number; startingAfter?: string } }>(
      `${MERCHANT_API_PREFIX}/mandates`,
      {
        config: read,
        schema: {
          operationId: 'listMandates',
          tags,
          summary: 'Mandates of this key’s mode, newest first',
          security: [{ merchantApiKey: [] }],
          querystring: Type.Object({ limit: Limit, startingAfter: Type.Optional(Id) }, { additionalProperties: false }),
          problems: ['RATE_LIMITED'],
          response: { 200: page(MandateSchema) },
        },
      },
      async (request) => {
        const { limit = 20, startingAfter } = request.query;
        const listed = await mandates.list(apiCaller(request.principal), { limit, startingAfter });
        return { items: listed.items.map(mandateJson), nextCursor: listed.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/mandates/:id`,
      {
        config: read,
        schema: {
          operationId: 'getMandate',
          tags,
          summary: 'A mandate as it stands (signed, revoked by the holder, this month’s use)',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: ['MERCHANT_API_MANDATE_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: MandateSchema },
        },
      },
      async (request) => {
        const found = await mandates.get(apiCaller(request.principal), request.params.id);
        if (!found) throw new Problem('MERCHANT_API_MANDATE_NOT_FOUND');
        return mandateJson(found);
      },
    );

    app.post<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/mandates/:id/cancel`,
      {
        config: write,
        schema: {
          operationId: 'cancelMandate',
          tags,
          summary: 'End a mandate from the shop’s side; it can never be charged again',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: ['MERCHANT_API_MANDATE_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: MandateSchema },
        },
      },
      async (request) => {
        const ended = await mandates.cancel(apiCaller(request.principal), request.params.id);
        if (!ended.ok) throw problemFrom(ended.error);
        return mandateJson(ended.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      `${MERCHANT_API_PREFIX}/test/mandates/:id/sign`,
      {
        config: write,
        schema: {
          operationId: 'signTestMandate',
          tags,
          summary: 'Test mode only: sign a pending test mandate as a holder would (its charges move no money)',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          problems: [
            'MERCHANT_API_TEST_MODE_ONLY',
            'MERCHANT_API_MANDATE_NOT_FOUND',
            'MERCHANT_API_MANDATE_NOT_PENDING',
            'RATE_LIMITED',
          ],
          response: { 200: MandateSchema },
        },
      },
      async (request) => {
        const signed = await mandates.signTest(apiCaller(request.principal), request.params.id);
        if (!signed.ok) throw problemFrom(signed.error);
        return mandateJson(signed.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { amount: number; currency: 'CNY'; description: string } }>(
      `${MERCHANT_API_PREFIX}/mandates/:id/charges`,
      {
        config: money,
        schema: {
          operationId: 'chargeMandate',
          tags,
          summary: 'Charge a signed mandate without the holder, within its caps per charge and per month',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          body: Type.Object(
            {
              amount: Type.Integer({ minimum: 1, maximum: 5_000_000, description: 'Minor units (fen)' }),
              currency: Currency,
              description: Type.String({ minLength: 1, maxLength: 64 }),
            },
            { additionalProperties: false },
          ),
          problems: [...ChargeProblems],
          response: { 201: ChargeSchema },
        },
      },
      async (request, reply) => {
        const charged = await mandates.charge(apiCaller(request.principal), request.params.id, {
          amountFen: fenFromJson(request.body.amount),
          description: request.body.description,
        });
        if (!charged.ok) throw problemFrom(charged.error);
        return reply.code(201).send(chargeJson(charged.value));
      },
    );

    app.get<{ Params: { id: string }; Querystring: { limit?: number; startingAfter?: string } }>(
      `${MERCHANT_API_PREFIX}/mandates/:id/charges`,
      {
        config: read,
        schema: {
          operationId: 'listMandateCharges',
          tags,
          summary: 'Charges of a mandate, newest first',
          security: [{ merchantApiKey: [] }],
          params: IdParams,
          querystring: Type.Object({ limit: Limit, startingAfter: Type.Optional(Id) }, { additionalProperties: false }),
          problems: ['MERCHANT_API_MANDATE_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: page(ChargeSchema) },
        },
      },
      async (request) => {
        const { limit = 20, startingAfter } = request.query;
        const listed = await mandates.listCharges(apiCaller(request.principal), request.params.id, {
          limit,
          startingAfter,
        });
        if (!listed) throw new Problem('MERCHANT_API_MANDATE_NOT_FOUND');
        return { items: listed.items.map(chargeJson), nextCursor: listed.nextCursor };
      },
    );

    app.get<{ Params: { day: string } }>(
      `${MERCHANT_API_PREFIX}/settlements/:day`,
      {
        config: read,
        schema: {
          operationId: 'getDailySettlement',
          tags,
          summary:
            'The settlement file of a Beijing-time day as CSV: each payment and refund (amount, fee, net), ' +
            'then a total line',
          security: [{ merchantApiKey: [] }],
          params: Type.Object({ day: Type.String({ pattern: DAY_PATTERN, description: 'YYYY-MM-DD, Beijing time' }) }),
          problems: ['MERCHANT_API_SETTLEMENT_DAY_INVALID', 'RATE_LIMITED'],
        },
      },
      async (request, reply) => {
        const caller = apiCaller(request.principal);
        const found = await settlements.forDay(caller, request.params.day);
        if (!found.ok) throw problemFrom(found.error);
        const s = found.value;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="settlement-${caller.mode}-${s.day}.csv"`)
          .header('x-settlement-net', String(s.netFen))
          .send(s.csv);
      },
    );
  };
}

/** The hosted signing page and the holder's mandates in the wallet. */
export function mandateHolderRoutes(service: MerchantApiService) {
  const { mandates } = service;
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>(
      '/api/v1/checkout/mandates/:id',
      {
        schema: {
          operationId: 'getMandateForSigningPage',
          tags: ['checkout'],
          summary: "The hosted signing page's view of a mandate: the shop's verified name, the caps, the state",
          params: IdParams,
          problems: ['MERCHANT_API_MANDATE_NOT_FOUND'],
          response: { 200: SigningSchema },
        },
      },
      async (request) => {
        const view = await mandates.signingPage(request.params.id);
        if (!view) throw new Problem('MERCHANT_API_MANDATE_NOT_FOUND');
        const { capPerChargeFen, capPerMonthFen, requestExpiresAt, ...rest } = view;
        return {
          ...rest,
          capPerCharge: fenToJson(capPerChargeFen),
          capPerMonth: fenToJson(capPerMonthFen),
          requestExpiresAt: requestExpiresAt.toISOString(),
        };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/checkout/mandates/:id/sign',
      {
        config: holderWrite,
        schema: {
          operationId: 'startSigningMandate',
          tags: ['checkout'],
          summary: 'Start signing: a confirmation bound to the shop and the caps, approved with my PIN or a passkey',
          params: IdParams,
          problems: [
            'MERCHANT_API_MANDATE_NOT_FOUND',
            'MERCHANT_API_MANDATE_NOT_PENDING',
            'ACCOUNT_FROZEN',
            'MERCHANT_NOT_ACTIVE',
          ],
          response: { 201: ConfirmationSchema },
        },
      },
      async (request, reply) => {
        const started = await mandates.startSigning(me(request), request.params.id);
        if (!started.ok) throw problemFrom(started.error);
        const { confirmation } = started.value;
        return reply
          .code(201)
          .send({ confirmation: { ...confirmation, expiresAt: confirmation.expiresAt.toISOString() } });
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/checkout/mandates/:id/complete',
      {
        config: holderWrite,
        schema: {
          operationId: 'completeSigningMandate',
          tags: ['checkout'],
          summary: 'Sign the mandate with the confirmation I approved',
          params: IdParams,
          body: Type.Object(
            { confirmationId: Type.String({ minLength: 1, maxLength: 64 }) },
            { additionalProperties: false },
          ),
          problems: [
            'MERCHANT_API_MANDATE_NOT_FOUND',
            'MERCHANT_API_MANDATE_NOT_PENDING',
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
          ],
          response: { 200: MandateSchema },
        },
      },
      async (request) => {
        const signed = await mandates.completeSigning(me(request), request.params.id, request.body.confirmationId);
        if (!signed.ok) throw problemFrom(signed.error);
        return mandateJson(signed.value);
      },
    );

    app.get(
      '/api/v1/me/mandates',
      {
        config: holder,
        schema: {
          operationId: 'listMyMandates',
          tags: ['wallet'],
          summary: 'Agreement payments (代扣) I signed, with this month’s use and the latest charges',
          response: { 200: Type.Object({ items: Type.Array(HolderMandateSchema) }) },
        },
      },
      async (request) => ({
        items: (await mandates.forHolder(me(request))).map((m) => ({
          ...mandateJson(m),
          merchantName: m.merchantName,
          merchantNumber: m.merchantNumber,
          charges: m.charges.map(chargeJson),
        })),
      }),
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/me/mandates/:id/revoke',
      {
        config: holder,
        schema: {
          operationId: 'revokeMyMandate',
          tags: ['wallet'],
          summary: 'Revoke an agreement payment at once: the shop can no longer charge it',
          params: IdParams,
          problems: ['MERCHANT_API_MANDATE_NOT_FOUND'],
          response: { 200: MandateSchema },
        },
      },
      async (request) => {
        const revoked = await mandates.revoke(me(request), request.params.id);
        if (!revoked.ok) throw problemFrom(revoked.error);
        return mandateJson(revoked.value);
      },
    );
  };
}
