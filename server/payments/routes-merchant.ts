import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, IdParams as Id } from '../platform/http/schemas.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { MerchantSchema, PaymentSchema, QrSchema, merchantJson, paymentJson, qrJson } from './dto.js';
import { merchantActor } from './merchant-auth.js';
import {
  CASHIER_REFUND_LIMIT_FEN,
  type MerchantPermission,
  may,
  merchantAccess,
  permissionsOf,
} from './merchant-roles.js';
import { paymentView } from './payments.js';
import { merchantStaffRoutes } from './routes-merchant-staff.js';
import type { PaymentsService } from './service.js';
import type { PaymentSource, PaymentStatus } from './types.js';

/**
 * The merchant's side: sign-in, QR codes, charging payment codes, payments (live), refunds, reports,
 * payouts. Each route declares the permission of server/payments/merchant-roles.ts it needs.
 */

const tags = ['merchant'];
const merchant = (permission: MerchantPermission) => ({ ...merchantAccess(permission), feature: 'payments' });
const money = (permission: MerchantPermission) => ({ ...merchant(permission), idempotent: true });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const STREAM_POLL_MS = 1_000;
const STREAM_HEARTBEAT_MS = 15_000;

export function paymentMerchantRoutes(service: PaymentsService) {
  return async (app: FastifyInstance) => {
    // Open live streams never end on their own: shutting down ends them, so the server can close.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    await app.register(merchantStaffRoutes(service));

    app.post<{ Body: { phone: string; password: string; client?: 'web' | 'api' } }>(
      '/api/v1/merchant/auth/login',
      {
        schema: {
          operationId: 'signInMerchantStaff',
          tags,
          summary: "Merchant staff sign-in; 'web' sets an httpOnly cookie, 'api' answers a bearer token",
          body: Type.Object(
            {
              phone: Type.String({ minLength: 5, maxLength: 20 }),
              password: Type.String({ minLength: 1, maxLength: 256 }),
              client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('api')])),
            },
            { additionalProperties: false },
          ),
          problems: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
          response: {
            200: Type.Object({
              staffId: Type.String(),
              merchantId: Type.String(),
              csrfToken: Type.String(),
              expiresAt: Type.String(),
              token: Type.Optional(Type.String()),
            }),
          },
        },
      },
      async (request, reply) => {
        const signedIn = await service.auth.login(request.body, { ip: request.ip, requestId: request.id });
        if (!signedIn.ok) throw problemFrom(signedIn.error);
        const { token, csrfToken, staffId, merchantId, expiresAt } = signedIn.value;
        if (request.body.client === 'api')
          return { staffId, merchantId, csrfToken, expiresAt: expiresAt.toISOString(), token };
        service.auth.setCookies(reply, { token, csrfToken });
        return { staffId, merchantId, csrfToken, expiresAt: expiresAt.toISOString() };
      },
    );

    app.post(
      '/api/v1/merchant/auth/logout',
      {
        config: merchantAccess('session'),
        schema: { operationId: 'signOutMerchantStaff', tags, summary: 'Sign out', response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        await service.auth.logout(request.principal?.sessionId as string);
        service.auth.clearCookies(reply);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/merchant/me',
      {
        config: merchantAccess('session'),
        schema: {
          operationId: 'getMyMerchant',
          tags,
          summary: 'My merchant, my role, what my role may do, and (for roles that see payouts) the settlement balance',
          problems: ['MERCHANT_NOT_FOUND'],
          response: {
            200: Type.Object({
              merchant: MerchantSchema,
              staffId: Type.String(),
              role: Type.String(),
              permissions: Type.Array(Type.String()),
              cashierRefundLimit: Type.Integer(),
              balance: Type.Optional(Type.Integer()),
              available: Type.Optional(Type.Integer()),
            }),
          },
        },
      },
      async (request) => {
        const actor = merchantActor(request);
        const view = await service.merchants.get(actor.merchantId);
        if (!view) throw problemFrom({ code: 'MERCHANT_NOT_FOUND' });
        const permissions = permissionsOf(actor.role);
        // The settlement balance is what payouts pay: shown only to the roles that see payouts.
        const account =
          view.settlementAccountId && may(actor.role, 'payouts')
            ? await service.deps.ledger.getAccount(view.settlementAccountId)
            : null;
        const balances = account
          ? { balance: fenToJson(account.balanceFen), available: fenToJson(account.availableFen) }
          : {};
        return {
          merchant: merchantJson(view),
          staffId: actor.staffId,
          role: actor.role,
          permissions,
          cashierRefundLimit: fenToJson(CASHIER_REFUND_LIMIT_FEN),
          ...balances,
        };
      },
    );

    app.post<{
      Body: {
        kind: 'static' | 'dynamic';
        amount?: number;
        orderReference?: string;
        terminalLabel?: string;
        expiresInSeconds?: number;
      };
    }>(
      '/api/v1/merchant/qr-codes',
      {
        config: merchant('qr.issue'),
        schema: {
          operationId: 'createMerchantQrCode',
          tags,
          summary:
            'Issue a static code (the payer types the amount) or a dynamic one (amount and order fixed, single use, ' +
            'expiring)',
          body: Type.Object(
            {
              kind: Type.Union([Type.Literal('static'), Type.Literal('dynamic')]),
              amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 99_999_999_999 })),
              orderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 25, pattern: '^[\\x20-\\x7e]+$' })),
              terminalLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 25, pattern: '^[\\x20-\\x7e]+$' })),
              expiresInSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 86_400 })),
            },
            { additionalProperties: false },
          ),
          problems: ['MERCHANT_NOT_FOUND', 'MERCHANT_NOT_ACTIVE', 'AMOUNT_REQUIRED'],
          response: { 201: QrSchema },
        },
      },
      async (request, reply) => {
        const { kind, amount, orderReference, terminalLabel, expiresInSeconds } = request.body;
        if (kind === 'static' && (amount !== undefined || orderReference !== undefined))
          throw new Problem('VALIDATION_FAILED', {}, [
            { field: 'amount', message: 'a static code has no amount or order reference' },
          ]);
        const created = await service.qr.create(merchantActor(request).merchantId, {
          kind,
          amountFen: amount === undefined ? undefined : fenFromJson(amount),
          orderReference,
          terminalLabel,
          expiresInSeconds,
        });
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(qrJson(created.value));
      },
    );

    app.get<{ Querystring: { limit?: number } }>(
      '/api/v1/merchant/qr-codes',
      {
        config: merchant('qr.issue'),
        schema: {
          operationId: 'listMerchantQrCodes',
          tags,
          summary: 'My QR codes, newest first',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
          response: { 200: Type.Object({ items: Type.Array(QrSchema) }) },
        },
      },
      async (request) => ({
        items: (await service.qr.list(merchantActor(request).merchantId, request.query.limit)).map(qrJson),
      }),
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/merchant/qr-codes/:id',
      {
        config: merchant('qr.issue'),
        schema: {
          operationId: 'getMerchantQrCode',
          tags,
          summary: 'One of my QR codes',
          params: Id,
          problems: ['QR_NOT_FOUND'],
          response: { 200: QrSchema },
        },
      },
      async (request) => {
        const found = await service.qr.get(merchantActor(request).merchantId, request.params.id);
        if (!found) throw problemFrom({ code: 'QR_NOT_FOUND' });
        return qrJson(found);
      },
    );

    app.get<{ Params: { id: string; format: 'png' | 'svg' } }>(
      '/api/v1/merchant/qr-codes/:id/image.:format',
      {
        config: merchant('qr.issue'),
        schema: {
          operationId: 'getMerchantQrCodeImage',
          tags,
          summary: 'The code drawn as PNG or SVG',
          params: Type.Object({
            id: Type.String({ maxLength: 64 }),
            format: Type.Union([Type.Literal('png'), Type.Literal('svg')]),
          }),
          problems: ['QR_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const found = await service.qr.get(merchantActor(request).merchantId, request.params.id);
        if (!found) throw problemFrom({ code: 'QR_NOT_FOUND' });
        const image = await service.qr.render(found.payload, request.params.format);
        return reply
          .type(request.params.format === 'png' ? 'image/png' : 'image/svg+xml')
          .header('cache-control', 'private, max-age=300')
          .send(image);
      },
    );

    app.post<{ Body: { code: string; amount: number; orderReference?: string } }>(
      '/api/v1/merchant/charges',
      {
        config: money('charge'),
        schema: {
          operationId: 'chargePaymentCode',
          tags,
          summary:
            "Charge a customer's payment code: completed at once within their password-free allowance, else waiting " +
            'for their confirmation',
          body: Type.Object(
            {
              code: Type.String({ pattern: '^\\d{16,24}$' }),
              amount: Amount,
              orderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            },
            { additionalProperties: false },
          ),
          problems: [
            'MERCHANT_NOT_FOUND',
            'MERCHANT_NOT_ACTIVE',
            'PAYMENT_CODE_INVALID',
            'PAYMENT_CODE_EXPIRED',
            'PAYMENT_CODE_USED',
            'PAYMENT_CODE_LOCKED',
            'PAYMENT_CODE_REVOKED',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
            'STEP_UP_REQUIRED',
            'RISK_CONFIRMATION_REQUIRED',
            'RISK_BLOCKED',
            'RISK_RESTRICTED',
          ],
          response: { 200: PaymentSchema, 202: PaymentSchema },
        },
      },
      async (request, reply) => {
        const charged = await service.paymentCodes.charge(merchantActor(request), {
          code: request.body.code,
          amountFen: fenFromJson(request.body.amount),
          orderReference: request.body.orderReference,
        });
        if (!charged.ok) throw problemFrom(charged.error);
        return reply.code(charged.value.status === 'completed' ? 200 : 202).send(paymentJson(charged.value));
      },
    );

    app.get<{
      Querystring: {
        status?: PaymentStatus;
        source?: PaymentSource;
        from?: string;
        to?: string;
        before?: string;
        limit?: number;
      };
    }>(
      '/api/v1/merchant/payments',
      {
        config: merchant('payments.today'),
        schema: {
          operationId: 'listMerchantPayments',
          tags,
          summary:
            "My payments, newest first, with filters; page with `before` (the last id). A cashier's list starts today",
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union(
                  ['awaiting_confirmation', 'completed', 'failed', 'expired', 'declined'].map((s) => Type.Literal(s)),
                ),
              ),
              source: Type.Optional(
                Type.Union(['static_qr', 'dynamic_qr', 'merchant_number', 'payment_code'].map((s) => Type.Literal(s))),
              ),
              from: Type.Optional(Type.String({ format: 'date-time' })),
              to: Type.Optional(Type.String({ format: 'date-time' })),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(PaymentSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { from, to, ...rest } = request.query;
        const page = await service.reports.list(merchantActor(request), {
          ...rest,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        });
        return { items: page.items.map(paymentJson), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Querystring: { sinceId?: string } }>(
      '/api/v1/merchant/payments/stream',
      {
        config: merchantAccess('payments.today'),
        schema: {
          operationId: 'streamMerchantPayments',
          tags,
          summary:
            'Server-sent events from now on: `payment` for each completed payment, `refund` for each refund (polled ' +
            'once a second, woken at once in-process)',
          querystring: Type.Object({}, { additionalProperties: true }),
        },
      },
      async (request, reply) => {
        const merchantId = merchantActor(request).merchantId;
        let cursor = { at: service.deps.clock.now(), id: '' };
        let refundCursor = cursor;
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        reply.raw.write(': connected\n\n');
        let closed = false;
        let busy = false;
        const push = async () => {
          if (closed || busy) return;
          busy = true;
          try {
            for (const row of await service.reports.completedSince(merchantId, cursor)) {
              cursor = { at: row.completed_at as Date, id: row.id };
              reply.raw.write(
                `id: ${row.id}\nevent: payment\ndata: ${JSON.stringify(paymentJson(paymentView(row)))}\n\n`,
              );
            }
            for (const row of await service.reports.refundsSince(merchantId, refundCursor)) {
              refundCursor = { at: row.created_at, id: row.id };
              const refund = {
                id: row.id,
                paymentId: row.payment_id,
                amount: fenToJson(row.amount),
                reason: row.reason,
                createdAt: row.created_at.toISOString(),
              };
              reply.raw.write(`id: ${row.id}\nevent: refund\ndata: ${JSON.stringify(refund)}\n\n`);
            }
          } catch (error) {
            request.log.warn({ err: error }, 'merchant stream poll failed');
          } finally {
            busy = false;
          }
        };
        const poll = setInterval(() => void push(), STREAM_POLL_MS);
        const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), STREAM_HEARTBEAT_MS);
        void push();
        const unsubscribe = service.live.subscribe(merchantId, () => void push());
        const end = () => {
          if (closed) return;
          closed = true;
          clearInterval(poll);
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(end);
          reply.raw.end();
        };
        streams.add(end);
        request.raw.on('close', end);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/merchant/payments/:id',
      {
        config: merchant('payments.today'),
        schema: {
          operationId: 'getMerchantPayment',
          tags,
          summary: 'One of my payments',
          params: Id,
          problems: ['PAYMENT_NOT_FOUND'],
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const found = await service.reports.get(merchantActor(request), request.params.id);
        if (!found) throw problemFrom({ code: 'PAYMENT_NOT_FOUND' });
        return paymentJson(found);
      },
    );

    const RefundSchema = Type.Object({
      id: Type.String(),
      paymentId: Type.String(),
      amount: Type.Integer(),
      reason: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    });
    const refundJson = (r: {
      id: string;
      paymentId: string;
      amountFen: bigint;
      reason: string | null;
      createdAt: Date;
    }) => ({
      id: r.id,
      paymentId: r.paymentId,
      amount: fenToJson(r.amountFen),
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    });

    app.post<{ Params: { id: string }; Body: { amount: number; reason?: string; password: string } }>(
      '/api/v1/merchant/payments/:id/refunds',
      {
        config: money('refund'),
        schema: {
          operationId: 'refundPayment',
          tags,
          summary:
            'Refund all or part of a payment to the payer; never more in total than was paid. Confirmed with the ' +
            "staff member's sign-in password; a cashier refunds at most ¥50 of a payment",
          params: Id,
          body: Type.Object(
            {
              amount: Amount,
              reason: Type.Optional(Type.String({ maxLength: 200 })),
              password: Type.String({ minLength: 1, maxLength: 256 }),
            },
            { additionalProperties: false },
          ),
          problems: [
            'PAYMENT_NOT_FOUND',
            'PAYMENT_NOT_REFUNDABLE',
            'REFUND_EXCEEDS_PAYMENT',
            'REFUND_ABOVE_ROLE_LIMIT',
            'REFUND_PASSWORD_INCORRECT',
            'REFUND_PASSWORD_LOCKED',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
          ],
          response: { 201: Type.Object({ refund: RefundSchema, refundedAmount: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const { amount, reason, password } = request.body;
        const refunded = await service.refunds.refund(merchantActor(request), request.params.id, {
          amountFen: fenFromJson(amount),
          reason,
          password,
        });
        if (!refunded.ok) throw problemFrom(refunded.error);
        return reply
          .code(201)
          .send({ refund: refundJson(refunded.value), refundedAmount: fenToJson(refunded.value.refundedFen) });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/merchant/payments/:id/refunds',
      {
        config: merchant('payments.today'),
        schema: {
          operationId: 'listPaymentRefunds',
          tags,
          summary: "A payment's refunds",
          params: Id,
          problems: ['PAYMENT_NOT_FOUND'],
          response: { 200: Type.Object({ items: Type.Array(RefundSchema) }) },
        },
      },
      async (request) => {
        const refunds = await service.refunds.list(merchantActor(request), request.params.id);
        if (!refunds) throw problemFrom({ code: 'PAYMENT_NOT_FOUND' });
        return { items: refunds.map(refundJson) };
      },
    );

    app.get(
      '/api/v1/merchant/reports/today',
      {
        config: merchant('payments.today'),
        schema: {
          operationId: 'getMerchantTodayReport',
          tags,
          summary: "Today's takings (Asia/Shanghai day)",
          response: {
            200: Type.Object({
              day: Type.String(),
              payments: Type.Integer(),
              gross: Type.Integer(),
              refunds: Type.Integer(),
              refunded: Type.Integer(),
              net: Type.Integer(),
            }),
          },
        },
      },
      async (request) => {
        const today = await service.reports.today(merchantActor(request).merchantId);
        return {
          day: today.day,
          payments: today.payments,
          gross: fenToJson(today.grossFen),
          refunds: today.refunds,
          refunded: fenToJson(today.refundedFen),
          net: fenToJson(today.netFen),
        };
      },
    );

    app.get<{ Querystring: { from: string; to: string } }>(
      '/api/v1/merchant/reports/payments.csv',
      {
        config: merchant('reports'),
        schema: {
          operationId: 'downloadMerchantPaymentsCsv',
          tags,
          summary: 'Payments created between two Asia/Shanghai days (inclusive, at most 31 days) as CSV',
          querystring: Type.Object({ from: Day, to: Day }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const csv = await service.reports.csv(merchantActor(request).merchantId, request.query.from, request.query.to);
        if (csv === null)
          throw new Problem('VALIDATION_FAILED', {}, [
            { field: 'to', message: 'must be on or after from, at most 31 days later' },
          ]);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="payments-${request.query.from}-${request.query.to}.csv"`,
          )
          .send(csv);
      },
    );

    app.get(
      '/api/v1/merchant/payouts',
      {
        config: merchant('payouts'),
        schema: {
          operationId: 'listMerchantPayouts',
          tags,
          summary: 'Daily payouts to my bank account',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  day: Type.String(),
                  amount: Type.Integer(),
                  status: Type.String(),
                  railReference: Type.Union([Type.String(), Type.Null()]),
                  failureReason: Type.Union([Type.String(), Type.Null()]),
                  createdAt: Type.String(),
                  resolvedAt: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: (await service.payouts.list(merchantActor(request).merchantId)).map((p) => ({
          ...p,
          amountFen: undefined,
          amount: fenToJson(p.amountFen),
          createdAt: p.createdAt.toISOString(),
          resolvedAt: p.resolvedAt?.toISOString() ?? null,
        })),
      }),
    );
  };
}
