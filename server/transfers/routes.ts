import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, Id, Pin } from '../platform/http/schemas.js';
import type { ConfirmationView } from '../confirmations/service.js';
import { normalizeMobile } from '../identity/phone.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import type { RequestService } from './requests.js';
import { requestOrigin } from '../risk/port.js';
import type { PayeeRef, TransferError, TransferService } from './service.js';
import type { RequestRow, TransferRow } from './store.js';

/** Transfers between holders and requests for money: schemas and thin handlers. */

const tags = ['transfers'];
const user = { auth: ['user'] as const, feature: 'transfers' };
const moving = { ...user, idempotent: true };

const Note = Type.String({
  maxLength: 50,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
  description: 'At most 50 characters, no control characters',
});
const Payee = Type.Union([
  Type.Object({ phone: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false }),
  Type.Object({ walletId: Id }, { additionalProperties: false }),
]);
const cursor = { before: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) };
const Party = Type.Object({ name: Type.String(), phone: Type.String() });
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const ConfirmationSchema = Type.Object({
  id: Type.String(),
  challenge: Type.String(),
  payee: Type.String(),
  status: Type.String(),
  expiresAt: Time,
});
const TransferSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'awaiting_confirmation, completed, failed or expired' }),
  direction: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]),
  amount: Type.Integer(),
  currency: Type.String(),
  note: Type.String(),
  counterparty: Party,
  requestId: Type.Union([Type.String(), Type.Null()]),
  failureCode: Type.Union([Type.String(), Type.Null()]),
  entryId: Type.Union([Type.String(), Type.Null()]),
  confirmation: Type.Union([ConfirmationSchema, Type.Null()]),
  createdAt: Time,
  completedAt: NullableTime,
  expiresAt: Time,
});
const RequestSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'pending, paid, declined, cancelled or expired' }),
  direction: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')], {
    description: 'outgoing: I asked for money; incoming: I am asked to pay',
  }),
  amount: Type.Integer(),
  currency: Type.String(),
  note: Type.String(),
  counterparty: Party,
  transferId: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Time,
  createdAt: Time,
  resolvedAt: NullableTime,
});

const me = (request: FastifyRequest) => request.principal?.id as string;

/** Where the request came from, for the risk engine. */
const origin = requestOrigin;

function transferDto(row: TransferRow, viewer: string, confirmation: ConfirmationView | null = null) {
  const outgoing = row.payer_user_id === viewer;
  return {
    id: row.id,
    status: row.status,
    direction: outgoing ? ('outgoing' as const) : ('incoming' as const),
    amount: fenToJson(row.amount),
    currency: row.currency,
    note: row.note,
    counterparty: outgoing
      ? { name: row.payee_name_masked, phone: row.payee_phone_masked }
      : { name: row.payer_name_masked, phone: row.payer_phone_masked },
    requestId: row.request_id,
    failureCode: row.failure_code,
    entryId: row.entry_id,
    confirmation:
      outgoing && confirmation && row.status === 'awaiting_confirmation'
        ? {
            id: confirmation.id,
            challenge: confirmation.challenge,
            payee: confirmation.payee,
            status: confirmation.status,
            expiresAt: confirmation.expiresAt.toISOString(),
          }
        : null,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
  };
}

function requestDto(row: RequestRow, viewer: string) {
  const outgoing = row.requester_user_id === viewer;
  return {
    id: row.id,
    status: row.status,
    direction: outgoing ? ('outgoing' as const) : ('incoming' as const),
    amount: fenToJson(row.amount),
    currency: row.currency,
    note: row.note,
    counterparty: outgoing
      ? { name: row.payer_name_masked, phone: row.payer_phone_masked }
      : { name: row.requester_name_masked, phone: row.requester_phone_masked },
    transferId: row.transfer_id,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

/** A phone that is not a mainland mobile number is bad input, not an unknown payee. */
function payeeRef(payee: { phone: string } | { walletId: string }, field: string): PayeeRef {
  if ('phone' in payee) {
    const phone = normalizeMobile(payee.phone);
    if (!phone)
      throw new Problem('INVALID_PHONE', {}, [
        { field: `${field}.phone`, message: 'is not a mainland China mobile number' },
      ]);
    return { phone };
  }
  return payee;
}

function fail(error: TransferError): Problem {
  return problemFrom(error as TransferError & Record<string, unknown>);
}

interface CreateBody {
  payee: { phone: string } | { walletId: string };
  amount: number;
  currency: 'CNY';
  note?: string;
  confirmation?: { pin: string };
}

export function transferRoutes(transfers: TransferService, requests: RequestService) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { payee: { phone: string } | { walletId: string } } }>(
      '/api/v1/transfers/payee-lookup',
      {
        config: user,
        schema: {
          operationId: 'lookUpPayee',
          tags,
          summary: 'Who would receive the money: masked name and phone (rate limited)',
          body: Type.Object({ payee: Payee }, { additionalProperties: false }),
          problems: ['INVALID_PHONE', 'PAYEE_NOT_FOUND', 'SELF_TRANSFER', 'PAYEE_LOOKUP_LIMITED'],
          response: { 200: Type.Object({ name: Type.String(), phone: Type.String(), walletId: Type.String() }) },
        },
      },
      async (request) => {
        const found = await transfers.lookupPayee(me(request), payeeRef(request.body.payee, 'payee'));
        if (!found.ok) throw fail(found.error);
        return { name: found.value.name, phone: found.value.phone, walletId: found.value.walletAccountId };
      },
    );

    app.post<{ Body: CreateBody }>(
      '/api/v1/transfers',
      {
        config: moving,
        schema: {
          operationId: 'sendTransfer',
          tags,
          summary: 'Prepare a transfer (then confirm and complete it), or send it at once with `confirmation.pin`',
          body: Type.Object(
            {
              payee: Payee,
              amount: Amount,
              currency: Currency,
              note: Type.Optional(Note),
              confirmation: Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
          problems: [
            'INVALID_PHONE',
            'PAYEE_NOT_FOUND',
            'SELF_TRANSFER',
            'PAYEE_LOOKUP_LIMITED',
            'CURRENCY_MISMATCH',
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
          response: { 201: TransferSchema },
        },
      },
      async (request, reply) => {
        const userId = me(request);
        const input = {
          payee: payeeRef(request.body.payee, 'payee'),
          amountFen: fenFromJson(request.body.amount),
          currency: request.body.currency,
          note: request.body.note,
          clientKey: request.idempotency?.key ?? null,
        };
        if (request.body.confirmation) {
          const sent = await transfers.send(userId, input, request.body.confirmation.pin, origin(request));
          if (!sent.ok) throw fail(sent.error);
          return reply.code(201).send(transferDto(sent.value, userId));
        }
        const prepared = await transfers.prepare(userId, input);
        if (!prepared.ok) throw fail(prepared.error);
        return reply.code(201).send(transferDto(prepared.value.transfer, userId, prepared.value.confirmation));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/transfers/:id/complete',
      {
        config: moving,
        schema: {
          operationId: 'completeTransfer',
          tags,
          summary: 'Complete a transfer whose confirmation I approved: the money moves',
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmationId: Id }, { additionalProperties: false }),
          problems: [
            'TRANSFER_NOT_FOUND',
            'TRANSFER_NOT_PENDING',
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
          response: { 200: TransferSchema },
        },
      },
      async (request) => {
        const completed = await transfers.complete(
          me(request),
          request.params.id,
          request.body.confirmationId,
          origin(request),
        );
        if (!completed.ok) throw fail(completed.error);
        return transferDto(completed.value, me(request));
      },
    );

    app.get<{ Querystring: { before?: string; limit?: number; direction?: 'all' | 'outgoing' | 'incoming' } }>(
      '/api/v1/transfers',
      {
        config: user,
        schema: {
          operationId: 'listMyTransfers',
          tags,
          summary: 'My transfers, newest first',
          querystring: Type.Object({
            ...cursor,
            direction: Type.Optional(
              Type.Union([Type.Literal('all'), Type.Literal('outgoing'), Type.Literal('incoming')]),
            ),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(TransferSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await transfers.list(me(request), request.query);
        return { items: page.items.map((row) => transferDto(row, me(request))), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/transfers/:id',
      {
        config: user,
        schema: {
          operationId: 'getMyTransfer',
          tags,
          summary: 'The receipt of a transfer I sent or received',
          params: Type.Object({ id: Id }),
          problems: ['TRANSFER_NOT_FOUND'],
          response: { 200: TransferSchema },
        },
      },
      async (request) => {
        const row = await transfers.get(me(request), request.params.id);
        if (!row) throw fail({ code: 'TRANSFER_NOT_FOUND' });
        return transferDto(row, me(request));
      },
    );

    app.post<{
      Body: {
        payer: { phone: string } | { walletId: string };
        amount: number;
        currency: 'CNY';
        note?: string;
        expiresInHours?: number;
      };
    }>(
      '/api/v1/transfer-requests',
      {
        config: user,
        schema: {
          operationId: 'requestMoney',
          tags,
          summary: 'Ask another holder for money',
          body: Type.Object(
            {
              payer: Payee,
              amount: Amount,
              currency: Currency,
              note: Type.Optional(Note),
              expiresInHours: Type.Optional(
                Type.Integer({ minimum: 1, maximum: 720, description: 'Default 168 (7 days)' }),
              ),
            },
            { additionalProperties: false },
          ),
          problems: ['INVALID_PHONE', 'PAYEE_NOT_FOUND', 'SELF_TRANSFER'],
          response: { 201: RequestSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const created = await requests.create(me(request), {
          payer: payeeRef(body.payer, 'payer'),
          amountFen: fenFromJson(body.amount),
          currency: body.currency,
          note: body.note,
          ttlMs: body.expiresInHours === undefined ? undefined : body.expiresInHours * 3600_000,
        });
        if (!created.ok) throw fail(created.error);
        return reply.code(201).send(requestDto(created.value, me(request)));
      },
    );

    app.get<{ Querystring: { box: 'incoming' | 'outgoing'; before?: string; limit?: number } }>(
      '/api/v1/transfer-requests',
      {
        config: user,
        schema: {
          operationId: 'listMyMoneyRequests',
          tags,
          summary: 'Money requests I sent (outgoing) or received (incoming), newest first',
          querystring: Type.Object({
            ...cursor,
            box: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(RequestSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await requests.list(me(request), request.query);
        return { items: page.items.map((row) => requestDto(row, me(request))), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/transfer-requests/:id',
      {
        config: user,
        schema: {
          operationId: 'getMoneyRequest',
          tags,
          summary: 'A money request I sent or received',
          params: Type.Object({ id: Id }),
          problems: ['TRANSFER_REQUEST_NOT_FOUND'],
          response: { 200: RequestSchema },
        },
      },
      async (request) => {
        const row = await requests.get(me(request), request.params.id);
        if (!row) throw fail({ code: 'TRANSFER_REQUEST_NOT_FOUND' });
        return requestDto(row, me(request));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmation?: { pin: string } } }>(
      '/api/v1/transfer-requests/:id/approve',
      {
        config: moving,
        schema: {
          operationId: 'payMoneyRequest',
          tags,
          summary: 'Pay a request: prepares the transfer to confirm, or sends it at once with `confirmation.pin`',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { confirmation: Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false })) },
            { additionalProperties: false },
          ),
          problems: [
            'TRANSFER_REQUEST_NOT_FOUND',
            'TRANSFER_REQUEST_NOT_PENDING',
            'CURRENCY_MISMATCH',
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
          response: { 201: TransferSchema },
        },
      },
      async (request, reply) => {
        const approved = await requests.approve(me(request), request.params.id, {
          clientKey: request.idempotency?.key ?? null,
          pin: request.body.confirmation?.pin,
          origin: origin(request),
        });
        if (!approved.ok) throw fail(approved.error);
        return reply.code(201).send(transferDto(approved.value.transfer, me(request), approved.value.confirmation));
      },
    );

    for (const action of ['decline', 'cancel'] as const) {
      app.post<{ Params: { id: string } }>(
        `/api/v1/transfer-requests/:id/${action}`,
        {
          config: user,
          schema: {
            operationId: action === 'decline' ? 'declineMoneyRequest' : 'cancelMoneyRequest',
            tags,
            summary: action === 'decline' ? 'Decline a request I received' : 'Cancel a request I sent',
            params: Type.Object({ id: Id }),
            problems: ['TRANSFER_REQUEST_NOT_FOUND', 'TRANSFER_REQUEST_NOT_PENDING'],
            response: { 200: RequestSchema },
          },
        },
        async (request) => {
          const done = await requests[action](me(request), request.params.id);
          if (!done.ok) throw fail(done.error);
          return requestDto(done.value, me(request));
        },
      );
    }
  };
}
