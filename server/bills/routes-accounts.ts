import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Id, IdParams, Pin } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import {
  AccountNumber,
  DueSchema,
  MandateSchema,
  RunSchema,
  SavedAccountSchema,
  dueItemJson,
  mandateJson,
  runJson,
  savedAccountJson,
} from './dto.js';
import type { BillsService } from './service.js';

/** The holder's saved biller accounts (户号), their autopay mandates and runs, and what is due on them. */

const tags = ['bills'];
const user = { auth: ['user'] as const, feature: 'bills' };
const me = (request: FastifyRequest) => request.principal?.id as string;

const Label = Type.String({ minLength: 1, maxLength: 20 });
const ReminderDays = Type.Integer({ minimum: 0, maximum: 10, description: 'Remind this many days before due' });

export function billAccountRoutes(bills: BillsService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/bills/accounts',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listSavedBillAccounts',
          summary: 'My saved biller accounts, with what is due on each',
          response: { 200: Type.Object({ items: Type.Array(SavedAccountSchema) }) },
        },
      },
      async (request) => ({ items: (await bills.accounts.list(me(request))).map(savedAccountJson) }),
    );

    app.post<{ Body: { billerId: string; accountNumber: string; label: string; reminderDaysBefore?: number } }>(
      '/api/v1/bills/accounts',
      {
        config: user,
        schema: {
          tags,
          operationId: 'saveBillAccount',
          problems: [
            'BILLER_NOT_FOUND',
            'BILLER_DISABLED',
            'BILLER_UNAVAILABLE',
            'BILL_ACCOUNT_INVALID',
            'BILL_ACCOUNT_UNKNOWN',
            'BILL_NETWORK_TIMEOUT',
            'BILL_ACCOUNT_ALREADY_SAVED',
            'BILL_ACCOUNTS_LIMIT',
          ],
          summary: 'Save a biller account with a label (the biller is asked first)',
          body: Type.Object(
            {
              billerId: Id,
              accountNumber: AccountNumber,
              label: Label,
              reminderDaysBefore: Type.Optional(ReminderDays),
            },
            { additionalProperties: false },
          ),
          response: { 201: SavedAccountSchema },
        },
      },
      async (request, reply) => {
        const saved = await bills.accounts.save(me(request), request.body);
        if (!saved.ok) throw problemFrom(saved.error);
        return reply.code(201).send(savedAccountJson(saved.value));
      },
    );

    app.patch<{ Params: { id: string }; Body: { label?: string; reminderDaysBefore?: number } }>(
      '/api/v1/bills/accounts/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'updateSavedBillAccount',
          problems: ['BILL_ACCOUNT_NOT_FOUND'],
          summary: 'Change a saved account’s label or reminder days',
          params: IdParams,
          body: Type.Object(
            { label: Type.Optional(Label), reminderDaysBefore: Type.Optional(ReminderDays) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: SavedAccountSchema },
        },
      },
      async (request) => {
        const updated = await bills.accounts.update(me(request), request.params.id, request.body);
        if (!updated.ok) throw problemFrom(updated.error);
        return savedAccountJson(updated.value);
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/bills/accounts/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'deleteSavedBillAccount',
          problems: ['BILL_ACCOUNT_NOT_FOUND'],
          summary: 'Forget a saved account (its autopay mandate is cancelled)',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const removed = await bills.accounts.remove(me(request), request.params.id);
        if (!removed.ok) throw problemFrom(removed.error);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/bills/autopay',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listAutopayMandates',
          summary: 'My autopay mandates',
          response: { 200: Type.Object({ items: Type.Array(MandateSchema) }) },
        },
      },
      async (request) => ({ items: (await bills.autopay.list(me(request))).map(mandateJson) }),
    );

    app.post<{
      Body: {
        savedAccountId: string;
        capPerBill: number;
        capPerMonth: number;
        timing: 'on_arrival' | 'before_due';
        daysBeforeDue?: number;
        pin: string;
      };
    }>(
      '/api/v1/bills/autopay',
      {
        config: user,
        schema: {
          tags,
          operationId: 'createAutopayMandate',
          summary: 'Sign an autopay mandate for a saved account with the payment PIN',
          problems: [
            'BILL_ACCOUNT_NOT_FOUND',
            'AUTOPAY_ALREADY_EXISTS',
            'AUTOPAY_NOT_SUPPORTED',
            'AUTOPAY_CAPS_INVALID',
            'PIN_INVALID',
            'PIN_LOCKED',
            'PIN_NOT_SET',
          ],
          body: Type.Object(
            {
              savedAccountId: Id,
              capPerBill: Amount,
              capPerMonth: Amount,
              timing: Type.Union([Type.Literal('on_arrival'), Type.Literal('before_due')]),
              daysBeforeDue: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
              pin: Pin,
            },
            { additionalProperties: false },
          ),
          response: { 201: MandateSchema },
        },
      },
      async (request, reply) => {
        const { capPerBill, capPerMonth, ...rest } = request.body;
        const created = await bills.autopay.create(me(request), {
          ...rest,
          capPerBillFen: fenFromJson(capPerBill),
          capPerMonthFen: fenFromJson(capPerMonth),
        });
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(mandateJson(created.value));
      },
    );

    for (const [action, operationId, summary] of [
      ['pause', 'pauseAutopayMandate', 'Pause an autopay mandate'],
      ['resume', 'resumeAutopayMandate', 'Resume a paused autopay mandate'],
      ['cancel', 'cancelAutopayMandate', 'Cancel an autopay mandate (final)'],
    ] as const) {
      app.post<{ Params: { id: string } }>(
        `/api/v1/bills/autopay/:id/${action}`,
        {
          config: user,
          schema: {
            tags,
            operationId,
            summary,
            problems: ['AUTOPAY_NOT_FOUND', 'AUTOPAY_STATE_INVALID'],
            params: IdParams,
            response: { 200: MandateSchema },
          },
        },
        async (request) => {
          const changed = await bills.autopay.change(me(request), request.params.id, action);
          if (!changed.ok) throw problemFrom(changed.error);
          return mandateJson(changed.value);
        },
      );
    }

    app.get<{ Params: { id: string } }>(
      '/api/v1/bills/autopay/:id/runs',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listAutopayRuns',
          summary: 'What an autopay mandate did, newest first',
          problems: ['AUTOPAY_NOT_FOUND'],
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(RunSchema) }) },
        },
      },
      async (request) => {
        const mandates = await bills.autopay.list(me(request));
        if (!mandates.some((m) => m.id === request.params.id)) throw problemFrom({ code: 'AUTOPAY_NOT_FOUND' });
        return { items: (await bills.autopay.runs({ mandateId: request.params.id }, 100)).map(runJson) };
      },
    );

    app.get(
      '/api/v1/bills/due',
      {
        config: user,
        schema: {
          tags,
          operationId: 'billsDue',
          summary: 'What is due on my saved accounts, soonest first (for the home page)',
          response: { 200: DueSchema },
        },
      },
      async (request) => {
        const due = await bills.accounts.due(me(request));
        return {
          items: due.items.map(dueItemJson),
          count: due.count,
          total: fenToJson(due.totalFen),
          overdueCount: due.overdueCount,
        };
      },
    );
  };
}
