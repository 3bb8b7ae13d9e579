import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, Id } from '../platform/http/schemas.js';
import { may } from '../ops/roles.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { requestOrigin } from '../risk/port.js';
import { CALLBACK_SIGNATURE_HEADER } from './card-network.js';
import type { CardView } from './cards.js';
import type { HistoryItem } from './history.js';
import { MAX_HISTORY_PAGE } from './history.js';
import type { OrderView } from './orders.js';
import type { WalletService } from './service.js';
import { statementCsv, statementPdf } from './statements.js';

/** The holder's wallet API: balance, cards, top-up, withdraw, history, statements; and the network's callback. */

const user = { auth: ['user'] as const, feature: 'wallet' };
const moving = { ...user, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;

const Day = Type.String({ maxLength: 10, description: 'YYYY-MM-DD, an Asia/Shanghai day' });
const Arrival = Type.Union([Type.Literal('realtime'), Type.Literal('within_2h'), Type.Literal('next_day')], {
  description: 'Arrival time (anti-fraud rules: real-time, within 2 hours, next day)',
});
const Nickname = Type.String({ minLength: 1, maxLength: 20 });

const CardSchema = Type.Object({
  id: Type.String(),
  bankCode: Type.String(),
  bankName: Type.String(),
  bankNameEn: Type.String(),
  cardType: Type.String(),
  masked: Type.String(),
  last4: Type.String(),
  nickname: Type.Union([Type.String(), Type.Null()]),
  isDefault: Type.Boolean(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const OrderSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String({ description: 'awaiting_confirmation | processing | succeeded | failed | expired' }),
  amount: Type.Integer(),
  currency: Type.String(),
  cardId: Type.String(),
  counterparty: Type.String(),
  arrival: Type.Union([Type.String(), Type.Null()]),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  networkRef: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const ItemSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  direction: Type.String(),
  amount: Type.Integer({ description: 'Signed from the wallet: positive in, negative out' }),
  currency: Type.String(),
  counterparty: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  time: Type.String({ format: 'date-time' }),
  reference: Type.String(),
  transactionNo: Type.String({ description: 'The numeric transaction number (交易号) shown to the holder' }),
  note: Type.Union([Type.String(), Type.Null()]),
});

const MethodSchema = Type.Union([
  Type.Object({ kind: Type.Literal('balance') }),
  Type.Object({
    kind: Type.Literal('card'),
    bankName: Type.String(),
    bankNameEn: Type.String(),
    cardType: Type.String(),
    last4: Type.String(),
  }),
]);

const cardDto = (card: CardView) => ({ ...card, createdAt: card.createdAt.toISOString() });
const orderDto = (order: OrderView) => {
  const { amountFen, ...rest } = order;
  return {
    ...rest,
    amount: fenToJson(amountFen),
    createdAt: order.createdAt.toISOString(),
    completedAt: order.completedAt?.toISOString() ?? null,
  };
};
const itemDto = (item: HistoryItem) => {
  const { amountFen, ...rest } = item;
  return { ...rest, amount: fenToJson(amountFen), time: item.time.toISOString() };
};

function parseInstant(day: string | undefined, field: string, endOfDay: boolean): Date | null {
  if (day === undefined) return null;
  const start = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00+08:00`) : new Date(Number.NaN);
  if (Number.isNaN(start.getTime()) || new Date(start.getTime() + 8 * 3600_000).toISOString().slice(0, 10) !== day)
    throw problemFrom({ code: 'INVALID_DATE_RANGE', field, reason: 'days are written YYYY-MM-DD' });
  return endOfDay ? new Date(start.getTime() + 24 * 3600_000) : start;
}

export function walletRoutes(wallet: WalletService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/wallet/balance',
      {
        config: user,
        schema: {
          operationId: 'getMyBalance',
          tags: ['wallet'],
          summary: 'My balance and available balance',
          response: {
            200: Type.Object({
              accountId: Type.String(),
              currency: Type.String(),
              balance: Type.Integer(),
              available: Type.Integer(),
              pending: Type.Integer(),
              frozen: Type.Boolean(),
            }),
          },
        },
      },
      async (request) => {
        const balance = await wallet.history.balance(me(request));
        if (!balance) throw problemFrom({ code: 'UNAUTHENTICATED' });
        return {
          accountId: balance.accountId,
          currency: balance.currency,
          balance: fenToJson(balance.balanceFen),
          available: fenToJson(balance.availableFen),
          pending: fenToJson(balance.pendingDebitsFen),
          frozen: balance.frozen,
        };
      },
    );

    app.get(
      '/api/v1/wallet/cards',
      {
        config: user,
        schema: {
          operationId: 'listMyCards',
          tags: ['wallet'],
          summary: 'My linked cards, the default first',
          response: { 200: Type.Object({ items: Type.Array(CardSchema) }) },
        },
      },
      async (request) => ({
        items: (await wallet.cards.list(me(request))).map(cardDto),
      }),
    );

    app.post<{ Body: { cardNumber: string; holderName: string; reservedPhone: string; nickname?: string } }>(
      '/api/v1/wallet/cards',
      {
        config: user,
        schema: {
          operationId: 'startCardLink',
          tags: ['wallet'],
          summary: "Link a card: the bank texts a code to the card's reserved phone",
          body: Type.Object(
            {
              cardNumber: Type.String({ minLength: 1, maxLength: 40 }),
              holderName: Type.String({ minLength: 1, maxLength: 60 }),
              reservedPhone: Type.String({ minLength: 1, maxLength: 20 }),
              nickname: Type.Optional(Nickname),
            },
            { additionalProperties: false },
          ),
          problems: [
            'CARD_NUMBER_INVALID',
            'CARD_NOT_SUPPORTED',
            'INVALID_PHONE',
            'CARD_HOLDER_MISMATCH',
            'CARD_ALREADY_BOUND',
            'CARD_LIMIT_REACHED',
            'RATE_LIMITED',
            'SMS_DELIVERY_FAILED',
            'CARD_NETWORK_UNAVAILABLE',
            'CARD_DECLINED',
          ],
          response: { 202: Type.Object({ card: CardSchema, codeExpiresAt: Type.String({ format: 'date-time' }) }) },
        },
      },
      async (request, reply) => {
        const started = await wallet.cards.startBinding(me(request), request.body);
        if (!started.ok) throw problemFrom(started.error);
        const { codeExpiresAt, ...card } = started.value;
        return reply.code(202).send({ card: cardDto(card), codeExpiresAt: codeExpiresAt.toISOString() });
      },
    );

    app.post<{ Params: { id: string }; Body: { code: string } }>(
      '/api/v1/wallet/cards/:id/confirm',
      {
        config: user,
        schema: {
          operationId: 'confirmCardLink',
          tags: ['wallet'],
          summary: 'Confirm linking with the code from the bank',
          params: Type.Object({ id: Id }),
          body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
          problems: [
            'CARD_NOT_FOUND',
            'CARD_BINDING_NOT_PENDING',
            'CARD_BINDING_CODE_INVALID',
            'CARD_BINDING_EXPIRED',
            'CARD_DECLINED',
            'CARD_ALREADY_BOUND',
            'CARD_NETWORK_UNAVAILABLE',
          ],
          response: { 200: CardSchema },
        },
      },
      async (request) => {
        const confirmed = await wallet.cards.confirmBinding(me(request), request.params.id, request.body.code);
        if (!confirmed.ok) throw problemFrom(confirmed.error);
        return cardDto(confirmed.value);
      },
    );

    app.patch<{ Params: { id: string }; Body: { nickname?: string | null; isDefault?: true } }>(
      '/api/v1/wallet/cards/:id',
      {
        config: user,
        schema: {
          operationId: 'updateMyCard',
          tags: ['wallet'],
          summary: 'Rename a card or make it the default',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              nickname: Type.Optional(Type.Union([Nickname, Type.Null()])),
              isDefault: Type.Optional(Type.Literal(true)),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          problems: ['CARD_NOT_FOUND'],
          response: { 200: CardSchema },
        },
      },
      async (request) => {
        const updated = await wallet.cards.update(me(request), request.params.id, request.body);
        if (!updated.ok) throw problemFrom(updated.error);
        return cardDto(updated.value);
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/wallet/cards/:id',
      {
        config: user,
        schema: {
          operationId: 'unlinkMyCard',
          tags: ['wallet'],
          summary: 'Unlink a card',
          params: Type.Object({ id: Id }),
          problems: ['CARD_NOT_FOUND'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const removed = await wallet.cards.unbind(me(request), request.params.id);
        if (!removed.ok) throw problemFrom(removed.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { cardId: string; amount: number; currency: 'CNY' } }>(
      '/api/v1/wallet/topups',
      {
        config: moving,
        schema: {
          operationId: 'topUp',
          tags: ['wallet'],
          summary: 'Top up from a linked card (Idempotency-Key required)',
          description:
            'Answers 201 with the order: succeeded, failed (with the bank reason) or processing (settled later by ' +
            'the network callback or the status check).',
          body: Type.Object({ cardId: Id, amount: Amount, currency: Currency }, { additionalProperties: false }),
          problems: ['CARD_NOT_FOUND', 'CURRENCY_MISMATCH', 'LIMIT_EXCEEDED'],
          response: { 201: OrderSchema },
        },
      },
      async (request, reply) => {
        const order = await wallet.orders.topUp(me(request), {
          cardId: request.body.cardId,
          amountFen: fenFromJson(request.body.amount),
          currency: request.body.currency,
        });
        if (!order.ok) throw problemFrom(order.error);
        return reply.code(201).send(orderDto(order.value));
      },
    );

    app.post<{
      Body: { cardId: string; amount: number; currency: 'CNY'; arrival?: 'realtime' | 'within_2h' | 'next_day' };
    }>(
      '/api/v1/wallet/withdrawals',
      {
        config: moving,
        schema: {
          operationId: 'prepareWithdrawal',
          tags: ['wallet'],
          summary: 'Prepare a withdrawal to a linked debit card; confirm it, then submit it',
          body: Type.Object(
            { cardId: Id, amount: Amount, currency: Currency, arrival: Type.Optional(Arrival) },
            { additionalProperties: false },
          ),
          problems: [
            'CARD_NOT_FOUND',
            'CREDIT_CARD_NOT_ALLOWED',
            'CURRENCY_MISMATCH',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
          ],
          response: {
            201: Type.Object({
              withdrawal: OrderSchema,
              confirmation: Type.Object({
                id: Type.String(),
                challenge: Type.String(),
                expiresAt: Type.String({ format: 'date-time' }),
              }),
            }),
          },
        },
      },
      async (request, reply) => {
        const prepared = await wallet.orders.prepareWithdrawal(me(request), {
          cardId: request.body.cardId,
          amountFen: fenFromJson(request.body.amount),
          currency: request.body.currency,
          arrival: request.body.arrival ?? 'realtime',
        });
        if (!prepared.ok) throw problemFrom(prepared.error);
        const { confirmation } = prepared.value;
        return reply.code(201).send({
          withdrawal: orderDto(prepared.value.order),
          confirmation: { ...confirmation, expiresAt: confirmation.expiresAt.toISOString() },
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/wallet/withdrawals/:id/submit',
      {
        config: moving,
        schema: {
          operationId: 'submitWithdrawal',
          tags: ['wallet'],
          summary: 'Submit a confirmed withdrawal: hold the money and pay it out (Idempotency-Key required)',
          params: Type.Object({ id: Id }),
          problems: [
            'ORDER_NOT_FOUND',
            'ORDER_NOT_AWAITING_CONFIRMATION',
            'CARD_NOT_FOUND',
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
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
          ],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const submitted = await wallet.orders.submitWithdrawal(me(request), request.params.id, requestOrigin(request));
        if (!submitted.ok) throw problemFrom(submitted.error);
        return orderDto(submitted.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/wallet/withdrawals/:id/cancel',
      {
        config: moving,
        schema: {
          operationId: 'cancelWithdrawal',
          tags: ['wallet'],
          summary: 'Take back a withdrawal with delayed arrival before it arrives (Idempotency-Key required)',
          params: Type.Object({ id: Id }),
          problems: ['ORDER_NOT_FOUND', 'WITHDRAWAL_NOT_CANCELLABLE'],
          response: { 200: OrderSchema },
        },
      },
      async (request) => {
        const cancelled = await wallet.orders.cancelWithdrawal(me(request), request.params.id);
        if (!cancelled.ok) throw problemFrom(cancelled.error);
        return orderDto(cancelled.value);
      },
    );

    for (const kind of ['topups', 'withdrawals'] as const) {
      app.get<{ Params: { id: string } }>(
        `/api/v1/wallet/${kind}/:id`,
        {
          config: user,
          schema: {
            operationId: kind === 'topups' ? 'getMyTopUp' : 'getMyWithdrawal',
            tags: ['wallet'],
            summary: `One of my ${kind}`,
            params: Type.Object({ id: Id }),
            problems: ['ORDER_NOT_FOUND'],
            response: { 200: OrderSchema },
          },
        },
        async (request) => {
          const order = await wallet.orders.get(me(request), request.params.id);
          if (!order || order.kind !== (kind === 'topups' ? 'topup' : 'withdraw'))
            throw problemFrom({ code: 'ORDER_NOT_FOUND' });
          return orderDto(order);
        },
      );
    }

    app.get<{
      Querystring: {
        type?: string;
        from?: string;
        to?: string;
        minAmount?: number;
        maxAmount?: number;
        q?: string;
        cursor?: string;
        limit?: number;
      };
    }>(
      '/api/v1/wallet/history',
      {
        config: user,
        schema: {
          operationId: 'listMyHistory',
          tags: ['wallet'],
          summary: 'My movements, newest first',
          querystring: Type.Object(
            {
              type: Type.Optional(
                Type.String({
                  maxLength: 200,
                  description: 'Comma-separated kinds: topup,withdraw,p2p,merchant_payment,refund,...',
                }),
              ),
              from: Type.Optional(Day),
              to: Type.Optional(Day),
              minAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
              maxAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
              cursor: Type.Optional(Type.String({ maxLength: 500 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HISTORY_PAGE })),
            },
            { additionalProperties: false },
          ),
          problems: ['INVALID_DATE_RANGE', 'INVALID_AMOUNT_RANGE', 'INVALID_CURSOR'],
          response: {
            200: Type.Object({ items: Type.Array(ItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const query = request.query;
        const from = parseInstant(query.from, 'from', false);
        const to = parseInstant(query.to, 'to', true);
        if (from && to && to <= from) throw problemFrom({ code: 'INVALID_DATE_RANGE', reason: 'to is before from' });
        if (query.minAmount !== undefined && query.maxAmount !== undefined && query.minAmount > query.maxAmount)
          throw problemFrom({ code: 'INVALID_AMOUNT_RANGE' });
        const types = query.type
          ? query.type
              .split(',')
              .map((type) => type.trim())
              .filter(Boolean)
              .slice(0, 20)
          : null;
        const page = await wallet.history.page(
          me(request),
          {
            types,
            from,
            to,
            minFen: query.minAmount !== undefined ? BigInt(query.minAmount) : null,
            maxFen: query.maxAmount !== undefined ? BigInt(query.maxAmount) : null,
            search: query.q ?? null,
          },
          { cursor: query.cursor ?? null, limit: query.limit ?? 20 },
        );
        if (!page.ok) throw problemFrom(page.error);
        return { items: page.value.items.map(itemDto), nextCursor: page.value.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/wallet/history/:id',
      {
        config: user,
        schema: {
          operationId: 'getMyMovement',
          tags: ['wallet'],
          summary: 'One movement in detail',
          params: Type.Object({ id: Id }),
          problems: ['MOVEMENT_NOT_FOUND'],
          response: {
            200: Type.Object({
              ...ItemSchema.properties,
              entryId: Type.Union([Type.String(), Type.Null()]),
              order: Type.Union([OrderSchema, Type.Null()]),
              method: MethodSchema,
            }),
          },
        },
      },
      async (request) => {
        const found = await wallet.history.detail(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        return {
          ...itemDto(found.value),
          entryId: found.value.entryId,
          order: found.value.order ? orderDto(found.value.order) : null,
          method: found.value.method,
        };
      },
    );

    app.get<{ Querystring: { month?: string; from?: string; to?: string; format?: 'csv' | 'pdf' } }>(
      '/api/v1/wallet/statements',
      {
        config: user,
        schema: {
          operationId: 'downloadMyStatement',
          tags: ['wallet'],
          summary: 'My statement for a month (YYYY-MM) or a range of days, as CSV or PDF',
          querystring: Type.Object(
            {
              month: Type.Optional(Type.String({ maxLength: 7 })),
              from: Type.Optional(Day),
              to: Type.Optional(Day),
              format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('pdf')])),
            },
            { additionalProperties: false },
          ),
          problems: ['INVALID_DATE_RANGE', 'STATEMENT_TOO_LARGE'],
        },
      },
      async (request, reply) => {
        const built = await wallet.statements.build(me(request), request.query);
        if (!built.ok) throw problemFrom(built.error);
        const statement = built.value;
        const name = `tongbao-statement-${statement.fromDay}_${statement.toDay}`;
        if (request.query.format === 'pdf') {
          const pdf = await statementPdf(statement, `**** ${statement.accountId.slice(-4)}`);
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="${name}.pdf"`)
            .send(pdf);
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(statementCsv(statement));
      },
    );

    // The card network calls this with a signed body; the raw text is what the signature covers.
    await app.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: 16 * 1024 },
        (_request, body, done) => done(null, body),
      );
      scope.post<{ Body: string }>(
        '/api/v1/wallet/card-network/callbacks',
        {
          schema: {
            operationId: 'receiveCardNetworkCallback',
            tags: ['wallet'],
            summary: 'Card network callback (signed with HMAC-SHA256)',
            hide: false,
            problems: ['CALLBACK_SIGNATURE_INVALID', 'VALIDATION_FAILED'],
            response: { 200: Type.Object({ received: Type.Boolean(), settled: Type.Boolean() }) },
          },
        },
        async (request) => {
          const signature = request.headers[CALLBACK_SIGNATURE_HEADER];
          const handled = await wallet.orders.handleCallback(
            typeof request.body === 'string' ? request.body : '',
            typeof signature === 'string' ? signature : undefined,
          );
          if (!handled.ok) throw problemFrom(handled.error);
          return { received: true, settled: handled.value.settled };
        },
      );
    });

    app.get<{ Querystring: { day?: string; status?: 'open' | 'resolved'; before?: string; limit?: number } }>(
      '/api/v1/staff/reconciliation',
      {
        config: may('wallet.reconciliation'),
        schema: {
          operationId: 'getReconciliationReport',
          tags: ['staff'],
          summary: 'Card network reconciliation: recent daily runs and the breaks found',
          querystring: Type.Object(
            {
              day: Type.Optional(Day),
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const overview = await wallet.reconciliation.overview({
          day: request.query.day ?? null,
          status: request.query.status ?? null,
          before: request.query.before ?? null,
          limit,
        });
        return {
          runs: overview.runs.map((run) => ({
            day: run.day,
            networkCount: run.network_count,
            networkTotal: Number(run.network_total),
            ledgerCount: run.ledger_count,
            ledgerTotal: Number(run.ledger_total),
            breaks: run.breaks,
            ranAt: run.ran_at.toISOString(),
          })),
          breaks: overview.breaks.map((row) => ({
            id: row.id,
            day: row.day,
            kind: row.kind,
            reference: row.reference,
            networkAmount: row.network_amount === null ? null : fenToJson(row.network_amount),
            ledgerAmount: row.ledger_amount === null ? null : fenToJson(row.ledger_amount),
            details: row.details,
            status: row.status,
            createdAt: row.created_at.toISOString(),
          })),
          nextBefore: overview.nextBefore,
        };
      },
    );
  };
}
