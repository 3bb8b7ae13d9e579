import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, IdParams as Id } from '../platform/http/schemas.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { PaymentSchema, paymentJson } from './dto.js';
import { paymentCodeRoutes } from './routes-payment-code.js';
import type { PaymentsService } from './service.js';
import { requestOrigin } from '../risk/port.js';
import { languageFrom } from '../platform/http/problems.js';
import type { PaymentError } from './types.js';

/**
 * A payment failure as a problem; a foreign scheme's code is named in the caller's language
 * (`detail`: "PromptPay (Thailand) is not supported"), with the scheme itself beside it.
 */
function paymentProblem(request: FastifyRequest, error: PaymentError): Problem {
  if (error.code !== 'QR_SCHEME_NOT_SUPPORTED') return problemFrom(error);
  const english = languageFrom(request.headers['accept-language']) === 'en';
  return problemFrom({ code: error.code, scheme: error.scheme, detail: english ? error.detail : error.detailZh });
}

/** The wallet holder's side: scan and pay, pay by merchant number, pending charges, payment code, password-free. */

const tags = ['payments'];
const user = { auth: ['user'] as const, feature: 'payments' };
const money = { ...user, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;
/** Where the payer's request came from, for the risk engine. */
const origin = requestOrigin;
const Payload = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'The scanned EMV merchant-presented payload',
});
const MerchantNumber = Type.String({ pattern: '^M\\d{9}$' });
const PreviewSchema = Type.Object({
  merchantName: Type.String({ description: 'The Chinese name (tag 64 of its codes)' }),
  latinName: Type.String({ description: 'The English or pinyin name (tag 59)' }),
  merchantNumber: Type.String(),
  mcc: Type.String(),
  city: Type.String(),
  kind: Type.String(),
  amount: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.String(),
  orderReference: Type.Union([Type.String(), Type.Null()]),
});
const PasswordFreeSchema = Type.Object({
  enabled: Type.Boolean(),
  perPaymentAmount: Type.Integer(),
  dailyAmount: Type.Integer(),
  usedTodayAmount: Type.Integer(),
});

export function paymentUserRoutes(service: PaymentsService) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { payload?: string; merchantNumber?: string } }>(
      '/api/v1/payments/qr/preview',
      {
        config: user,
        schema: {
          operationId: 'previewQrPayment',
          tags,
          summary: 'Read a scanned QR code (or a merchant number): who is paid, and how much for a dynamic code',
          body: Type.Object(
            { payload: Type.Optional(Payload), merchantNumber: Type.Optional(MerchantNumber) },
            { additionalProperties: false, minProperties: 1, maxProperties: 1 },
          ),
          problems: [
            'QR_PAYLOAD_INVALID',
            'QR_NOT_SUPPORTED',
            'QR_SCHEME_NOT_SUPPORTED',
            'QR_NOT_FOUND',
            'QR_EXPIRED',
            'MERCHANT_NOT_FOUND',
            'MERCHANT_NOT_ACTIVE',
          ],
          response: { 200: PreviewSchema },
        },
      },
      async (request) => {
        const preview = await service.payments.preview(request.body);
        if (!preview.ok) throw paymentProblem(request, preview.error);
        return {
          ...preview.value,
          amount: preview.value.amountFen === null ? null : fenToJson(preview.value.amountFen),
          amountFen: undefined,
        };
      },
    );

    app.post<{
      Body: {
        payload?: string;
        merchantNumber?: string;
        amount?: number;
        note?: string;
        confirmation?: { pin: string };
      };
    }>(
      '/api/v1/payments',
      {
        config: money,
        schema: {
          operationId: 'payMerchant',
          tags,
          summary:
            'Prepare a payment to a merchant and answer the confirmation to approve with PIN or passkey (201); or ' +
            'pay at once with `confirmation.pin` (200)',
          body: Type.Object(
            {
              payload: Type.Optional(Payload),
              merchantNumber: Type.Optional(MerchantNumber),
              amount: Type.Optional(Amount),
              note: Type.Optional(Type.String({ maxLength: 60 })),
              confirmation: Type.Optional(
                Type.Object({ pin: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
              ),
            },
            { additionalProperties: false },
          ),
          problems: [
            'QR_PAYLOAD_INVALID',
            'QR_NOT_SUPPORTED',
            'QR_SCHEME_NOT_SUPPORTED',
            'QR_NOT_FOUND',
            'QR_EXPIRED',
            'MERCHANT_NOT_FOUND',
            'MERCHANT_NOT_ACTIVE',
            'QR_ALREADY_PAID',
            'AMOUNT_MISMATCH',
            'AMOUNT_REQUIRED',
            'STATIC_QR_DAILY_LIMIT',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
            'PIN_INVALID',
            'PIN_LOCKED',
            'PIN_NOT_SET',
            'STEP_UP_REQUIRED',
            'RISK_CONFIRMATION_REQUIRED',
            'RISK_BLOCKED',
            'RISK_RESTRICTED',
          ],
          response: {
            200: PaymentSchema,
            201: Type.Object({
              payment: PaymentSchema,
              confirmation: Type.Object({ id: Type.String(), challenge: Type.String(), expiresAt: Type.String() }),
            }),
          },
        },
      },
      async (request, reply) => {
        const { payload, merchantNumber, amount, note } = request.body;
        if ((payload === undefined) === (merchantNumber === undefined))
          throw new Problem('VALIDATION_FAILED', {}, [
            { field: 'payload', message: 'give exactly one of payload and merchantNumber' },
          ]);
        const input = {
          payload,
          merchantNumber,
          amountFen: amount === undefined ? undefined : fenFromJson(amount),
          note,
        };
        if (request.body.confirmation) {
          const paid = await service.payments.payWithPin(
            me(request),
            input,
            request.body.confirmation.pin,
            origin(request),
            request.idempotency?.key ?? null,
          );
          if (!paid.ok) throw paymentProblem(request, paid.error);
          return reply.code(200).send(paymentJson(paid.value));
        }
        const created = await service.payments.create(me(request), input);
        if (!created.ok) throw paymentProblem(request, created.error);
        return reply.code(201).send({
          payment: paymentJson(created.value.payment),
          confirmation: {
            ...created.value.confirmation,
            expiresAt: created.value.confirmation.expiresAt.toISOString(),
          },
        });
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/payments/:id/complete',
      {
        config: money,
        schema: {
          operationId: 'completePayment',
          tags,
          summary: 'Pay: spends the confirmed confirmation and moves the money',
          params: Id,
          body: Type.Object({ confirmationId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
          problems: [
            'PAYMENT_NOT_FOUND',
            'PAYMENT_NOT_PENDING',
            'PAYMENT_EXPIRED',
            'MERCHANT_NOT_ACTIVE',
            'QR_ALREADY_PAID',
            'QR_EXPIRED',
            'STATIC_QR_DAILY_LIMIT',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
            'PIN_INVALID',
            'PIN_LOCKED',
            'PIN_NOT_SET',
            'STEP_UP_REQUIRED',
            'RISK_CONFIRMATION_REQUIRED',
            'RISK_BLOCKED',
            'RISK_RESTRICTED',
          ],
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const done = await service.payments.complete(
          me(request),
          request.params.id,
          request.body.confirmationId,
          origin(request),
        );
        if (!done.ok) throw problemFrom(done.error);
        return paymentJson(done.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/payments/:id/decline',
      {
        config: user,
        schema: {
          operationId: 'declinePayment',
          tags,
          summary: 'Turn down a payment waiting for me',
          params: Id,
          problems: ['PAYMENT_NOT_FOUND', 'PAYMENT_NOT_PENDING'],
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const declined = await service.payments.decline(me(request), request.params.id);
        if (!declined.ok) throw problemFrom(declined.error);
        return paymentJson(declined.value);
      },
    );

    app.get(
      '/api/v1/payments/pending',
      {
        config: user,
        schema: {
          operationId: 'listMyPendingPayments',
          tags,
          summary: 'Payments waiting for my confirmation (merchant charges above my password-free allowance)',
          response: { 200: Type.Object({ items: Type.Array(PaymentSchema) }) },
        },
      },
      async (request) => ({
        items: (await service.payments.pending(me(request))).map(paymentJson),
      }),
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/payments/:id',
      {
        config: user,
        schema: {
          operationId: 'getMyPayment',
          tags,
          summary: 'One of my payments',
          params: Id,
          problems: ['PAYMENT_NOT_FOUND'],
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const found = await service.payments.get(me(request), request.params.id);
        if (!found) throw problemFrom({ code: 'PAYMENT_NOT_FOUND' });
        return paymentJson(found);
      },
    );

    paymentCodeRoutes(app, service);

    const passwordFreeJson = (s: {
      enabled: boolean;
      perPaymentFen: bigint;
      dailyFen: bigint;
      usedTodayFen: bigint;
    }) => ({
      enabled: s.enabled,
      perPaymentAmount: fenToJson(s.perPaymentFen),
      dailyAmount: fenToJson(s.dailyFen),
      usedTodayAmount: fenToJson(s.usedTodayFen),
    });

    app.get(
      '/api/v1/me/password-free',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'getMyPasswordFreeSettings',
          tags,
          summary: 'My password-free small payments setting and what is used today',
          response: { 200: PasswordFreeSchema },
        },
      },
      async (request) => passwordFreeJson(await service.passwordFree.get(me(request))),
    );

    app.put<{ Body: { enabled: boolean; pin?: string; perPaymentAmount?: number; dailyAmount?: number } }>(
      '/api/v1/me/password-free',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'setMyPasswordFreeSettings',
          tags,
          summary:
            'Turn password-free small payments on (with my PIN) or off; caps at most ¥200 a payment and ¥1,000 a day',
          body: Type.Object(
            {
              enabled: Type.Boolean(),
              pin: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
              perPaymentAmount: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
              dailyAmount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            },
            { additionalProperties: false },
          ),
          problems: ['PIN_INVALID', 'PIN_LOCKED', 'PIN_NOT_SET'],
          response: { 200: PasswordFreeSchema },
        },
      },
      async (request) => {
        const { enabled, pin, perPaymentAmount, dailyAmount } = request.body;
        const set = await service.passwordFree.set(me(request), {
          enabled,
          pin,
          perPaymentFen: perPaymentAmount === undefined ? undefined : BigInt(perPaymentAmount),
          dailyFen: dailyAmount === undefined ? undefined : BigInt(dailyAmount),
        });
        if (!set.ok) throw problemFrom(set.error);
        return passwordFreeJson(set.value);
      },
    );
  };
}
