import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { shanghaiDay } from '../platform/clock.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { Amount, Currency, Id } from '../platform/http/schemas.js';
import { fenFromJson } from '../platform/money.js';
import { CARD_INTEREST_FREE_DAYS_MAX } from './applications.js';
import { BUREAU_MODES, type BureauMode } from './bureau-sandbox.js';
import { CARD_BIN, CARD_BRAND, MINIMUM_PCT } from './cards.js';
import type { CreditError } from './deps.js';
import {
  ApplicationSchema,
  LoanSchema,
  RepaymentSchema,
  ScheduleSchema,
  applicationDto,
  cardTransactionDto,
  loanDto,
  quoteDto,
  repaymentDto,
} from './dto.js';
import { GRACE_DAYS, PENALTY_MARKUP_PCT } from './book.js';
import { METHODS, buildSchedule, type Method } from './schedule.js';
import type { CreditService } from './service.js';
import type { ApplicationRow } from './store.js';
import type { RepaymentRow } from './store-loans.js';

/** The wallet's credit routes: products, quotes, applications, signing, loans and repayments. Thin handlers. */

const tags = ['credit'];
const user = { auth: ['user'] as const, feature: 'credit' };
const moving = { ...user, idempotent: true };
const Pin = Type.String({ pattern: '^\\d{6}$' });
const Confirm = Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false }));
const MethodSchema = Type.Union(METHODS.map((method) => Type.Literal(method)));
export const PURPOSES = ['consumption', 'education', 'travel', 'home', 'medical', 'other'] as const;
const Term = Type.Integer({ minimum: 1, maximum: 120, description: '3, 6, 12 or 24' });
const Income = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'declared, fen a month' });
export const me = (request: FastifyRequest) => request.principal?.id as string;
export const fail = (error: CreditError) => problemFrom(error);
export const CONFIRMING = [
  'CONFIRMATION_NOT_FOUND',
  'CONFIRMATION_INVALID',
  'CONFIRMATION_EXPIRED',
  'PIN_INVALID',
  'PIN_LOCKED',
  'PIN_NOT_SET',
] as const;
const LOAN_FIGURES = ['CREDIT_TERM_NOT_OFFERED', 'CREDIT_AMOUNT_ABOVE_LIMIT', 'CREDIT_AMOUNT_BELOW_MINIMUM'] as const;
const SIGNING = [
  'CREDIT_APPLICATION_NOT_FOUND',
  'CREDIT_OFFER_NOT_OPEN',
  'CREDIT_OFFER_EXPIRED',
  'ACCOUNT_FROZEN',
  ...CONFIRMING,
] as const;
export const REPAYING = [
  'CREDIT_REPAYMENT_ABOVE_OWED',
  'CREDIT_NOTHING_DUE',
  'CREDIT_AMOUNT_REQUIRED',
  'INSUFFICIENT_FUNDS',
  'ACCOUNT_FROZEN',
  ...CONFIRMING,
] as const;

export function creditRoutes(credit: CreditService) {
  return async (app: FastifyInstance) => {
    const today = () => shanghaiDay(credit.clock.now());

    async function applicationAnswer(userId: string, row: ApplicationRow) {
      const confirmation =
        row.status === 'awaiting_signature' && row.confirmation_id
          ? await credit.ctx.identity.confirmations.get(userId, row.confirmation_id)
          : null;
      return applicationDto(row, today(), confirmation);
    }

    async function repaymentAnswer(userId: string, row: RepaymentRow) {
      const confirmation =
        row.status === 'awaiting_confirmation' && row.confirmation_id
          ? await credit.ctx.identity.confirmations.get(userId, row.confirmation_id)
          : null;
      return repaymentDto(row, confirmation);
    }

    async function loanAnswer(userId: string, loanId: string) {
      const loan = await credit.loans.ownLoan(userId, loanId);
      if (!loan) throw new Problem('CREDIT_LOAN_NOT_FOUND');
      const view = await credit.loanView(loan);
      return loanDto(view.loan, view.rows, view.repayments, today());
    }

    app.get(
      '/api/v1/credit/products',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetProducts',
          summary: 'The loan and card products: amounts, terms, methods, rates',
          problems: ['NOT_FOUND'],
          response: {
            200: Type.Object({
              loan: Type.Object({
                minAmount: Type.Integer(),
                maxAmount: Type.Integer(),
                currency: Type.String(),
                terms: Type.Array(Type.Integer()),
                methods: Type.Array(Type.String()),
                purposes: Type.Array(Type.String()),
                annualRateBpFrom: Type.Integer(),
                annualRateBpTo: Type.Integer(),
                penaltyMarkupPct: Type.Integer(),
                graceDays: Type.Integer(),
              }),
              card: Type.Object({
                brand: Type.String(),
                bin: Type.String(),
                annualRateBp: Type.Integer(),
                interestFreeDaysMax: Type.Integer(),
                minimumPaymentPct: Type.Integer(),
                statementDays: Type.Array(Type.Integer()),
              }),
            }),
          },
        },
      },
      async () => {
        const { rules } = await credit.applications.scorecard();
        const rates = rules.rates.map((band) => band.annualRateBp);
        return {
          loan: {
            minAmount: rules.loan.minFen,
            maxAmount: rules.loan.maxFen,
            currency: 'CNY',
            terms: rules.loan.terms,
            methods: [...METHODS],
            purposes: [...PURPOSES],
            annualRateBpFrom: Math.min(...rates),
            annualRateBpTo: Math.max(...rates),
            penaltyMarkupPct: PENALTY_MARKUP_PCT,
            graceDays: GRACE_DAYS,
          },
          card: {
            brand: CARD_BRAND,
            bin: CARD_BIN,
            annualRateBp: rules.card.annualRateBp,
            interestFreeDaysMax: CARD_INTEREST_FREE_DAYS_MAX,
            minimumPaymentPct: Number(MINIMUM_PCT),
            statementDays: Array.from({ length: 28 }, (_, index) => index + 1),
          },
        };
      },
    );

    app.post<{ Body: { amount: number; currency: 'CNY'; termMonths: number; method: Method; annualRateBp?: number } }>(
      '/api/v1/credit/loans/quote',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditQuoteLoan',
          summary: 'The schedule, total interest and annualised rate (IRR) of a loan, before applying',
          problems: LOAN_FIGURES,
          body: Type.Object(
            {
              amount: Amount,
              currency: Currency,
              termMonths: Term,
              method: MethodSchema,
              annualRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: ScheduleSchema },
        },
      },
      async (request) => {
        const { body } = request;
        const amountFen = fenFromJson(body.amount);
        const invalid = await credit.applications.checkLoan({ amountFen, termMonths: body.termMonths });
        if (invalid) throw fail(invalid);
        const { rules } = await credit.applications.scorecard();
        const annualRateBp = body.annualRateBp ?? rules.rates.at(-1)?.annualRateBp ?? 1440;
        const rows = buildSchedule({
          principalFen: amountFen,
          termMonths: body.termMonths,
          method: body.method,
          annualRateBp,
          startDay: today(),
        });
        return quoteDto({ amountFen, termMonths: body.termMonths, method: body.method, annualRateBp, rows });
      },
    );

    app.post<{
      Body:
        | {
            product: 'loan';
            amount: number;
            currency: 'CNY';
            termMonths: number;
            method: Method;
            purpose: string;
            monthlyIncome: number;
          }
        | { product: 'card'; monthlyIncome: number };
    }>(
      '/api/v1/credit/applications',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditApply',
          summary: 'Apply for a loan or a credit card: the decision comes in seconds (a decline is not an error)',
          problems: [
            'CREDIT_NOT_ELIGIBLE',
            'CREDIT_APPLICATION_OPEN',
            'CREDIT_CARD_ALREADY_HELD',
            'CREDIT_BUREAU_UNAVAILABLE',
            ...LOAN_FIGURES,
          ],
          body: Type.Union([
            Type.Object(
              {
                product: Type.Literal('loan'),
                amount: Amount,
                currency: Currency,
                termMonths: Term,
                method: MethodSchema,
                purpose: Type.Union(PURPOSES.map((purpose) => Type.Literal(purpose))),
                monthlyIncome: Income,
              },
              { additionalProperties: false },
            ),
            Type.Object({ product: Type.Literal('card'), monthlyIncome: Income }, { additionalProperties: false }),
          ]),
          response: { 201: ApplicationSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const monthlyIncomeFen = BigInt(body.monthlyIncome);
        const applied = await credit.applications.apply(
          me(request),
          body.product === 'loan'
            ? {
                product: 'loan',
                amountFen: fenFromJson(body.amount),
                termMonths: body.termMonths,
                method: body.method,
                purpose: body.purpose,
                monthlyIncomeFen,
              }
            : { product: 'card', monthlyIncomeFen },
        );
        if (!applied.ok) throw fail(applied.error);
        return reply.code(201).send(await applicationAnswer(me(request), applied.value));
      },
    );

    app.get(
      '/api/v1/credit/applications',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListApplications',
          summary: 'My applications, newest first',
          problems: ['NOT_FOUND'],
          response: { 200: Type.Object({ items: Type.Array(ApplicationSchema) }) },
        },
      },
      async (request) => {
        const rows = await credit.applications.listFor(me(request));
        return { items: await Promise.all(rows.map((row) => applicationAnswer(me(request), row))) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/applications/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetApplication',
          summary: 'One application with its decision, reasons and offer',
          problems: ['CREDIT_APPLICATION_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: ApplicationSchema },
        },
      },
      async (request) => {
        const row = await credit.applications.get(me(request), request.params.id);
        if (!row) throw new Problem('CREDIT_APPLICATION_NOT_FOUND');
        return applicationAnswer(me(request), row);
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmation?: { pin: string } } }>(
      '/api/v1/credit/applications/:id/sign',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'creditSign',
          summary: 'Sign the offer: with the PIN the loan is paid into the wallet (or the card issued) at once',
          problems: SIGNING,
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmation: Confirm }, { additionalProperties: false }),
          response: { 201: ApplicationSchema },
        },
      },
      async (request, reply) => {
        const signed = await credit.signing.sign(me(request), request.params.id, request.body.confirmation?.pin);
        if (!signed.ok) throw fail(signed.error);
        return reply.code(201).send(await applicationAnswer(me(request), signed.value));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/credit/applications/:id/complete',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'creditCompleteSigning',
          summary: 'Finish signing once the confirmation was approved (PIN or passkey)',
          problems: SIGNING,
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmationId: Id }, { additionalProperties: false }),
          response: { 200: ApplicationSchema },
        },
      },
      async (request) => {
        const done = await credit.signing.complete(me(request), request.params.id, request.body.confirmationId);
        if (!done.ok) throw fail(done.error);
        return applicationAnswer(me(request), done.value);
      },
    );

    app.get(
      '/api/v1/credit/loans',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditListLoans',
          summary: 'My loans, newest first',
          problems: ['NOT_FOUND'],
          response: { 200: Type.Object({ items: Type.Array(LoanSchema) }) },
        },
      },
      async (request) => {
        const loans = await credit.loans.listFor(me(request));
        const items = [];
        for (const loan of loans) {
          const view = await credit.loanView(loan);
          items.push(loanDto(view.loan, view.rows, [], today()));
        }
        return { items };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/loans/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetLoan',
          summary: 'One loan: what is owed, the schedule, repayments and the contract',
          problems: ['CREDIT_LOAN_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: LoanSchema },
        },
      },
      async (request) => loanAnswer(me(request), request.params.id),
    );

    app.post<{
      Params: { id: string };
      Body: { mode: 'due' | 'payoff' | 'custom'; amount?: number; currency: 'CNY'; confirmation?: { pin: string } };
    }>(
      '/api/v1/credit/loans/:id/repayments',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'creditRepayLoan',
          summary: 'Repay a loan: what is due, all of it (interest only to today) or any amount (the rest prepays)',
          problems: ['CREDIT_LOAN_NOT_FOUND', 'CREDIT_LOAN_CLOSED', ...REPAYING],
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              mode: Type.Union([Type.Literal('due'), Type.Literal('payoff'), Type.Literal('custom')]),
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
        const prepared = await credit.loans.prepareRepayment(userId, request.params.id, {
          mode: body.mode,
          amountFen: body.amount === undefined ? null : fenFromJson(body.amount),
          clientKey: request.idempotency?.key ?? null,
        });
        if (!prepared.ok) throw fail(prepared.error);
        let row = prepared.value.repayment;
        if (body.confirmation && row.status === 'awaiting_confirmation') {
          const confirmation = await credit.ctx.identity.confirmations.get(userId, prepared.value.confirmationId);
          if (confirmation?.status === 'pending') {
            const confirmed = await credit.ctx.identity.confirmations.confirmWithPin(
              userId,
              prepared.value.confirmationId,
              body.confirmation.pin,
            );
            if (!confirmed.ok) throw fail(confirmed.error as CreditError);
          }
          const done = await credit.loans.completeRepayment(userId, row.id, prepared.value.confirmationId);
          if (!done.ok) throw fail(done.error);
          row = done.value;
        }
        return reply.code(201).send(await repaymentAnswer(userId, row));
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/credit/repayments/:id/complete',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'creditCompleteRepayment',
          summary: 'Finish a repayment once its confirmation was approved: the money moves',
          problems: ['CREDIT_REPAYMENT_NOT_FOUND', 'CREDIT_REPAYMENT_NOT_PENDING', 'CREDIT_LOAN_CLOSED', ...REPAYING],
          params: Type.Object({ id: Id }),
          body: Type.Object({ confirmationId: Id }, { additionalProperties: false }),
          response: { 200: RepaymentSchema },
        },
      },
      async (request) => {
        const userId = me(request);
        const found = await credit.repaymentOf(userId, request.params.id);
        if (!found) throw new Problem('CREDIT_REPAYMENT_NOT_FOUND');
        const done =
          found.target === 'loan'
            ? await credit.loans.completeRepayment(userId, found.id, request.body.confirmationId)
            : await credit.cards.completeRepayment(userId, found.id, request.body.confirmationId);
        if (!done.ok) throw fail(done.error);
        return repaymentAnswer(userId, done.value);
      },
    );
  };
}

/** Development-only hooks (not registered in production): the card network and bureau sandboxes, the clock. */
export function creditDevRoutes(credit: CreditService) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { cardId: string; amount: number; currency: 'CNY'; merchantName: string; mcc?: string } }>(
      '/api/v1/dev/credit/card-network/purchases',
      {
        schema: {
          hide: true,
          operationId: 'creditDevCardPurchase',
          body: Type.Object(
            {
              cardId: Id,
              amount: Amount,
              currency: Currency,
              merchantName: Type.String({ minLength: 1, maxLength: 60 }),
              mcc: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const { body } = request;
        const done = await credit.cards.purchase({
          cardId: body.cardId,
          amountFen: fenFromJson(body.amount),
          merchantName: body.merchantName,
          mcc: body.mcc ?? null,
          networkRef: `sandbox-${request.id}-${Date.now()}`,
        });
        if (!done.ok) throw fail(done.error);
        return reply.code(201).send(cardTransactionDto(done.value));
      },
    );
    app.post<{ Body: { mode: BureauMode } }>(
      '/api/v1/dev/credit/bureau',
      {
        schema: {
          hide: true,
          operationId: 'creditDevBureauMode',
          body: Type.Object(
            { mode: Type.Union(BUREAU_MODES.map((mode) => Type.Literal(mode))) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        if (!credit.sandbox) throw new Problem('NOT_FOUND');
        await credit.sandbox.setMode(request.body.mode);
        return { mode: request.body.mode };
      },
    );
    app.post<{ Body: { days?: number } }>(
      '/api/v1/dev/credit/run-day',
      {
        schema: {
          hide: true,
          operationId: 'creditDevRunDay',
          body: Type.Object(
            { days: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const jobs = await credit.advanceDays(request.body.days ?? 0);
        return { day: shanghaiDay(credit.clock.now()), offsetDays: credit.offsetDays(), jobs };
      },
    );
  };
}
