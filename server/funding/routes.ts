import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, IdParams } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { NOTIFICATION_SIGNATURE_HEADER, ONLINE_BANKS } from './network.js';
import type { OnlineBankingOrderView } from './online-banking.js';
import type { FundingService } from './service.js';

/**
 * Funding from other banks: the holder's receiving account, transfers in, online-banking top-ups;
 * and the network's signed notifications.
 */

const tags = ['funding'];
const user = { auth: ['user'] as const, feature: 'wallet' };
const moving = { ...user, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;

const ReceivingAccountSchema = Type.Object({
  accountNumber: Type.String({ description: '19 digits, Luhn-checked' }),
  holderName: Type.String({ description: "The holder's real name, as the paying bank must write it" }),
  bankNameZh: Type.String(),
  bankNameEn: Type.String(),
  branchZh: Type.String(),
  branchEn: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const IncomingSchema = Type.Object({
  id: Type.String(),
  payerBank: Type.String(),
  payerAccount: Type.String({ description: 'Masked: the last four digits' }),
  amount: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('credited'), Type.Literal('returning'), Type.Literal('returned')]),
  returnReason: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String({ format: 'date-time' }),
});
const OrderSchema = Type.Object({
  id: Type.String(),
  bankCode: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('expired'),
  ]),
  redirectUrl: Type.Union([Type.String(), Type.Null()], { description: "The bank's page; only while pending" }),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const BankCode = Type.String({ minLength: 2, maxLength: 16, pattern: '^[A-Z]+$' });

const orderJson = (order: OnlineBankingOrderView) => ({
  id: order.id,
  bankCode: order.bankCode,
  amount: fenToJson(order.amountFen),
  currency: order.currency,
  status: order.status,
  redirectUrl: order.redirectUrl,
  failureReason: order.failureReason,
  createdAt: order.createdAt.toISOString(),
  expiresAt: order.expiresAt.toISOString(),
  completedAt: order.completedAt?.toISOString() ?? null,
});

export function fundingRoutes(funding: FundingService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/funding/receiving-account',
      {
        config: user,
        schema: {
          tags,
          operationId: 'getReceivingAccount',
          summary: 'The account number other banks pay into (allocated on first look, then kept)',
          problems: ['RECEIVING_TIER_NOT_ALLOWED'],
          response: { 200: ReceivingAccountSchema },
        },
      },
      async (request) => {
        const found = await funding.accounts.of(me(request));
        if (!found.ok) throw problemFrom(found.error);
        return { ...found.value, createdAt: found.value.createdAt.toISOString() };
      },
    );

    app.get(
      '/api/v1/funding/incoming',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listIncomingTransfers',
          summary: 'Transfers in from other banks: credited, or returned to the paying bank (newest first)',
          response: { 200: Type.Object({ items: Type.Array(IncomingSchema) }) },
        },
      },
      async (request) => ({
        items: (await funding.incoming.list(me(request))).map((item) => ({
          ...item,
          amount: fenToJson(item.amountFen),
          amountFen: undefined,
          receivedAt: item.receivedAt.toISOString(),
        })),
      }),
    );

    app.get(
      '/api/v1/funding/online-banking/banks',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listOnlineBanks',
          summary: 'Banks whose online banking can top up the wallet',
          response: {
            200: Type.Object({
              items: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
            }),
          },
        },
      },
      async () => ({ items: ONLINE_BANKS.map((bank) => ({ ...bank })) }),
    );

    app.post<{ Body: { bankCode: string; amount: number; currency: 'CNY' } }>(
      '/api/v1/funding/online-banking/orders',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'createOnlineBankingTopUp',
          summary:
            'Start an online-banking top-up (网银支付); send the holder to redirectUrl (Idempotency-Key required)',
          description:
            'Answers 201 with a pending order. Only the bank’s signed notification (or the status query ' +
            'when it never ' +
            'comes) settles it; the return page polls GET …/orders/{id}.',
          body: Type.Object(
            { bankCode: BankCode, amount: Amount, currency: Currency },
            { additionalProperties: false },
          ),
          problems: [
            'ONLINE_BANK_NOT_SUPPORTED',
            'RECEIVING_TIER_NOT_ALLOWED',
            'LIMIT_EXCEEDED',
            'ACCOUNT_FROZEN',
            'INTERBANK_UNAVAILABLE',
          ],
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const created = await funding.onlineBanking.create(me(request), {
          bankCode: request.body.bankCode,
          amountFen: fenFromJson(request.body.amount),
          currency: request.body.currency,
        });
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(orderJson(created.value));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/funding/online-banking/orders/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'getOnlineBankingTopUp',
          summary: 'One online-banking top-up of the holder (pending until the bank notifies)',
          params: IdParams,
          problems: ['ONLINE_BANKING_ORDER_NOT_FOUND'],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const found = await funding.onlineBanking.get(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        return orderJson(found.value);
      },
    );

    // The network posts signed notifications; the raw text is what the signature covers.
    await app.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: 16 * 1024 },
        (_request, body, done) => done(null, body),
      );
      scope.post<{ Body: string }>(
        '/api/v1/funding/interbank/notifications',
        {
          schema: {
            operationId: 'receiveInterbankNotification',
            tags,
            summary: 'Interbank network notification: a transfer in, or an online-banking outcome (HMAC-SHA256 signed)',
            description:
              `Header \`${NOTIFICATION_SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">\`; ` +
              'older than five minutes is refused. A notification id seen before is acknowledged and changes nothing.',
            problems: ['INTERBANK_SIGNATURE_INVALID', 'INTERBANK_NOTICE_INVALID'],
            response: {
              200: Type.Object({
                received: Type.Boolean(),
                replay: Type.Boolean(),
                outcome: Type.String({ description: 'credited, returned, duplicate, settled, unchanged or replay' }),
                reason: Type.Optional(Type.String({ description: 'Why a transfer in was returned' })),
              }),
            },
          },
        },
        async (request) => {
          const signature = request.headers[NOTIFICATION_SIGNATURE_HEADER];
          const handled = await funding.handleNotification(
            typeof request.body === 'string' ? request.body : '',
            typeof signature === 'string' ? signature : undefined,
          );
          if (!handled.ok) throw problemFrom(handled.error);
          return handled.value;
        },
      );
    });
  };
}
