import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { shanghaiDay } from '../platform/clock.js';
import { Problem } from '../platform/http/problem-error.js';
import { Amount, Currency, Id } from '../platform/http/schemas.js';
import { fenFromJson } from '../platform/money.js';
import { BureauUnavailable } from './bureau.js';
import { maskPan } from './cards.js';
import type { CreditError } from './deps.js';
import {
  CardSchema,
  CardTransactionSchema,
  DisputeSchema,
  DueSchema,
  ReportSchema,
  RepaymentSchema,
  StatementSchema,
  TextSchema,
  cardDto,
  cardTransactionDto,
  disputeDto,
  loanDueItems,
  reportDto,
  repaymentDto,
  statementDto,
} from './dto.js';
import { statementPdf } from './pdf.js';
import { REPAYING, fail, me } from './routes.js';
import type { CreditService } from './service.js';

/** The wallet's credit card, auto-repay, credit health, bureau report and dispute routes. Thin handlers. */

const tags = ['credit'];
const user = { auth: ['user'] as const, feature: 'credit' };
const moving = { ...user, idempotent: true };
const Pin = Type.String({ pattern: '^\\d{6}$' });
const Confirm = Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false }));
const Pdf = { 200: Type.Any({ description: 'application/pdf' }) };

const HOW_TO_DISPUTE = {
  zh:
    '如您认为征信记录有误，可在本页对该记录提出异议并说明理由。我们会在 20 日内核查并答复；' +
    '异议成立的，记录将被更正。您也可以直接向中国人民银行征信中心提出异议。',
  en:
    'If you think a record is wrong, dispute it on this page and say why. We check and answer within 20 days; ' +
    'a record found wrong is corrected. You may also dispute it with the PBOC Credit Reference Center directly.',
};

export function creditCardRoutes(credit: CreditService) {
  return async (app: FastifyInstance) => {
    const today = () => shanghaiDay(credit.clock.now());

    async function cardAnswer(userId: string, cardId: string) {
      const card = await credit.cards.ownCard(userId, cardId);
      if (!card) throw new Problem('CREDIT_CARD_NOT_FOUND');
      const view = await credit.cards.view(card);
      return cardDto(view.card, view.owed, view.unbilled, view.current, view.contract);
    }

    app.get(
      '/api/v1/credit/cards',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListCards',
          summary: 'My credit cards',
          problems: ['NOT_FOUND'],
          response: { 200: Type.Object({ items: Type.Array(CardSchema) }) },
        },
      },
      async (request) => {
        const cards = await credit.cards.listFor(me(request));
        return { items: await Promise.all(cards.map((card) => cardAnswer(me(request), card.id))) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/cards/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetCard',
          summary: 'One card: limit, available, what is owed, the statement to pay',
          problems: ['CREDIT_CARD_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: CardSchema },
        },
      },
      async (request) => cardAnswer(me(request), request.params.id),
    );

    app.get<{ Params: { id: string }; Querystring: { before?: string; limit?: number } }>(
      '/api/v1/credit/cards/:id/transactions',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListCardTransactions',
          summary: 'The card’s transactions, newest first',
          problems: ['CREDIT_CARD_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          querystring: Type.Object(
            {
              before: Type.Optional(Id),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(CardTransactionSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const card = await credit.cards.ownCard(me(request), request.params.id);
        if (!card) throw new Problem('CREDIT_CARD_NOT_FOUND');
        const limit = request.query.limit ?? 20;
        const rows = await credit.cards.transactions(card.id, request.query.before ?? null, limit);
        return {
          items: rows.map(cardTransactionDto),
          nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/cards/:id/statements',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListStatements',
          summary: 'The card’s monthly statements, newest first',
          problems: ['CREDIT_CARD_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: Type.Object({ items: Type.Array(StatementSchema) }) },
        },
      },
      async (request) => {
        const card = await credit.cards.ownCard(me(request), request.params.id);
        if (!card) throw new Problem('CREDIT_CARD_NOT_FOUND');
        return { items: (await credit.cards.statements(card.id)).map((row) => statementDto(row)) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/statements/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetStatement',
          summary: 'One statement with its transactions',
          problems: ['CREDIT_STATEMENT_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: StatementSchema },
        },
      },
      async (request) => {
        const found = await credit.cards.statementOf(me(request), request.params.id);
        if (!found) throw new Problem('CREDIT_STATEMENT_NOT_FOUND');
        return statementDto(found.statement, found.transactions);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/statements/:id/pdf',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetStatementPdf',
          summary: 'One statement as a PDF',
          problems: ['CREDIT_STATEMENT_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: Pdf,
        },
      },
      async (request, reply) => {
        const found = await credit.cards.statementOf(me(request), request.params.id);
        if (!found) throw new Problem('CREDIT_STATEMENT_NOT_FOUND');
        const profile = await credit.ctx.identity.profile(me(request));
        const pdf = await statementPdf({
          card: found.card,
          maskedNumber: maskPan(found.card.last4),
          holderName: profile?.name ?? '',
          statement: found.statement,
          transactions: [...found.transactions].reverse(),
        });
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename="tongbao-card-statement-${found.statement.statement_day}.pdf"`,
          )
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );

    app.post<{
      Params: { id: string };
      Body: { mode: 'full' | 'minimum' | 'custom'; amount?: number; currency: 'CNY'; confirmation?: { pin: string } };
    }>(
      '/api/v1/credit/cards/:id/repayments',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'creditRepayCard',
          summary: 'Repay the card from the wallet: in full, the minimum, or any amount',
          problems: ['CREDIT_CARD_NOT_FOUND', ...REPAYING],
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              mode: Type.Union([Type.Literal('full'), Type.Literal('minimum'), Type.Literal('custom')]),
              amount: Type.Optional(Amount),
              currency: Currency,
              confirmation: Confirm,
            },
            { additionalProperties: false },
          ),
          response: { 201: RepaymentSchema },
        },
      },
      async (request, reply) => {
        const userId = me(request);
        const { body } = request;
        const prepared = await credit.cards.prepareRepayment(userId, request.params.id, {
          mode: body.mode,
          amountFen: body.amount === undefined ? null : fenFromJson(body.amount),
          clientKey: request.idempotency?.key ?? null,
        });
        if (!prepared.ok) throw fail(prepared.error);
        let row = prepared.value.repayment;
        const confirmations = credit.ctx.identity.confirmations;
        if (body.confirmation && row.status === 'awaiting_confirmation') {
          const confirmation = await confirmations.get(userId, prepared.value.confirmationId);
          if (confirmation?.status === 'pending') {
            const confirmed = await confirmations.confirmWithPin(userId, confirmation.id, body.confirmation.pin);
            if (!confirmed.ok) throw fail(confirmed.error as CreditError);
          }
          const done = await credit.cards.completeRepayment(userId, row.id, prepared.value.confirmationId);
          if (!done.ok) throw fail(done.error);
          row = done.value;
        }
        const pending =
          row.status === 'awaiting_confirmation' && row.confirmation_id
            ? await confirmations.get(userId, row.confirmation_id)
            : null;
        return reply.code(201).send(repaymentDto(row, pending));
      },
    );

    const AutopaySchema = Type.Object({
      wallet: Type.Boolean(),
      cardFallback: Type.Boolean(),
      cardLabel: Type.Union([Type.String(), Type.Null()]),
    });
    async function autopayAnswer(userId: string) {
      const settings = await credit.settings(userId);
      const card = await credit.ctx.walletCards?.defaultCard(userId);
      return { wallet: true, cardFallback: settings.card_fallback, cardLabel: card?.label ?? null };
    }
    app.get(
      '/api/v1/credit/autopay',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetAutopay',
          summary: 'How due repayments are collected: the wallet first, then the default card if I allowed it',
          problems: ['NOT_FOUND'],
          response: { 200: AutopaySchema },
        },
      },
      async (request) => autopayAnswer(me(request)),
    );
    app.put<{ Body: { cardFallback: boolean } }>(
      '/api/v1/credit/autopay',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditSetAutopay',
          summary: 'Allow (or stop) collecting from my default bank card when the wallet is short',
          problems: ['NOT_FOUND'],
          body: Type.Object({ cardFallback: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: AutopaySchema },
        },
      },
      async (request) => {
        await credit.setSettings(me(request), request.body.cardFallback);
        return autopayAnswer(me(request));
      },
    );

    async function reportAnswer(userId: string) {
      let report: Awaited<ReturnType<typeof credit.ownReport>>;
      try {
        report = await credit.ownReport(userId);
      } catch (error) {
        if (error instanceof BureauUnavailable) throw new Problem('CREDIT_BUREAU_UNAVAILABLE');
        throw error;
      }
      if (!report) throw new Problem('NOT_FOUND');
      const disputes = await credit.disputesOf(userId);
      return reportDto(report, new Set(disputes.map((row) => row.record_id)));
    }

    app.get(
      '/api/v1/credit/report',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetReport',
          summary: 'My credit bureau report as the bureau shows it: accounts, negative records, inquiries',
          problems: ['NOT_FOUND', 'CREDIT_BUREAU_UNAVAILABLE'],
          response: { 200: ReportSchema },
        },
      },
      async (request) => reportAnswer(me(request)),
    );

    app.get(
      '/api/v1/credit/health',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetHealth',
          summary: 'Credit health: what is due, notices, what was reported, how to dispute',
          problems: ['NOT_FOUND', 'CREDIT_BUREAU_UNAVAILABLE'],
          response: {
            200: Type.Object({
              due: Type.Array(DueSchema),
              notices: Type.Array(
                Type.Object({
                  id: Type.String(),
                  kind: Type.String(),
                  text: TextSchema,
                  createdAt: Type.String({ format: 'date-time' }),
                }),
              ),
              report: ReportSchema,
              disputes: Type.Array(DisputeSchema),
              howToDispute: TextSchema,
            }),
          },
        },
      },
      async (request) => {
        const userId = me(request);
        const day = today();
        const due = [];
        for (const loan of await credit.loans.listFor(userId)) {
          const view = await credit.loanView(loan);
          due.push(...loanDueItems(view.loan, view.rows, day));
        }
        for (const card of await credit.cards.listFor(userId)) {
          const view = await credit.cards.view(card);
          const statement = view.current;
          if (!statement) continue;
          const late = statement.due_day < day;
          due.push({
            target: 'card',
            id: card.id,
            dueDate: statement.due_day,
            amount: Number(statement.balance - statement.paid),
            state: statement.due_day > day ? 'upcoming' : statement.due_day === day ? 'due' : 'overdue',
            graceEndsOn: late ? statement.due_day : null,
            reportOn: null,
          });
        }
        const notices = await credit.noticesOf(userId);
        return {
          due,
          notices: notices.map((row) => ({
            id: row.id,
            kind: row.kind,
            text: row.text,
            createdAt: row.created_at.toISOString(),
          })),
          report: await reportAnswer(userId),
          disputes: (await credit.disputesOf(userId)).map(disputeDto),
          howToDispute: HOW_TO_DISPUTE,
        };
      },
    );

    app.post<{ Body: { recordId: string; reason: string } }>(
      '/api/v1/credit/disputes',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditDispute',
          summary: 'Dispute a record on my credit report (异议)',
          problems: ['CREDIT_RECORD_NOT_FOUND', 'CREDIT_DISPUTE_OPEN', 'CREDIT_BUREAU_UNAVAILABLE'],
          body: Type.Object(
            { recordId: Id, reason: Type.String({ minLength: 5, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: { 201: DisputeSchema },
        },
      },
      async (request, reply) => {
        const made = await credit.dispute(me(request), request.body.recordId, request.body.reason);
        if (!made.ok) throw fail(made.error);
        return reply.code(201).send(disputeDto(made.value));
      },
    );

    app.get(
      '/api/v1/credit/disputes',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListDisputes',
          summary: 'My disputes, newest first',
          problems: ['NOT_FOUND'],
          response: { 200: Type.Object({ items: Type.Array(DisputeSchema) }) },
        },
      },
      async (request) => ({ items: (await credit.disputesOf(me(request))).map(disputeDto) }),
    );
  };
}
