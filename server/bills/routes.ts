import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, Id, IdParams } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { requestOrigin } from '../risk/port.js';
import {
  BillerSchema,
  BillerTypeSchema,
  ConfirmationSchema,
  DueSchema,
  InquirySchema,
  MandateSchema,
  RunSchema,
  PaymentSchema,
  ReceiptSchema,
  SavedAccountSchema,
  billerJson,
  dueItemJson,
  inquiryJson,
  mandateJson,
  runJson,
  paymentJson,
  receiptJson,
  savedAccountJson,
} from './dto.js';
import type { BillsService } from './service.js';

/** The holder's bills API: billers, inquiry, paying, receipts, saved accounts, what is due. */

const tags = ['bills'];
const user = { auth: ['user'] as const, feature: 'bills' };
const moving = { ...user, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;

const AccountNumber = Type.String({ minLength: 1, maxLength: 32, description: 'The biller account number (户号)' });
const BillRef = Type.String({ minLength: 1, maxLength: 128 });
const Label = Type.String({ minLength: 1, maxLength: 20 });
const ReminderDays = Type.Integer({ minimum: 0, maximum: 10, description: 'Remind this many days before due' });
const Pin = Type.String({ pattern: '^\\d{6}$' });

export function billRoutes(bills: BillsService) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { type?: string; city?: string } }>(
      '/api/v1/bills/billers',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listBillers',
          summary: 'Billers by type and city, with their account-number format',
          querystring: Type.Object(
            { type: Type.Optional(BillerTypeSchema), city: Type.Optional(Type.String({ maxLength: 32 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(BillerSchema) }) },
        },
      },
      async (request) => ({ items: (await bills.billers.list(request.query)).map(billerJson) }),
    );

    app.get(
      '/api/v1/bills/cities',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listBillCities',
          summary: 'Cities with billers, and the bill types each has',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  city: Type.String(),
                  nameZh: Type.String(),
                  nameEn: Type.String(),
                  types: Type.Array(Type.String()),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const cities = new Map<string, { city: string; nameZh: string; nameEn: string; types: string[] }>();
        for (const biller of await bills.billers.list()) {
          const entry = cities.get(biller.city) ?? {
            city: biller.city,
            nameZh: biller.cityName,
            nameEn: biller.cityNameEn,
            types: [],
          };
          if (!entry.types.includes(biller.type)) entry.types.push(biller.type);
          cities.set(biller.city, entry);
        }
        return { items: [...cities.values()] };
      },
    );

    app.post<{ Body: { billerId: string; accountNumber: string } }>(
      '/api/v1/bills/inquiries',
      {
        config: user,
        schema: {
          tags,
          operationId: 'inquireBills',
          problems: [
            'BILLER_NOT_FOUND',
            'BILLER_DISABLED',
            'BILLER_UNAVAILABLE',
            'BILL_ACCOUNT_INVALID',
            'BILL_ACCOUNT_UNKNOWN',
            'BILL_NETWORK_TIMEOUT',
          ],
          summary: 'Ask the biller what is due on an account number (outstanding bills, or the prepaid balance)',
          body: Type.Object({ billerId: Id, accountNumber: AccountNumber }, { additionalProperties: false }),
          response: { 200: InquirySchema },
        },
      },
      async (request) => {
        const found = await bills.inquiry.inquire(me(request), request.body.billerId, request.body.accountNumber);
        if (!found.ok) throw problemFrom(found.error);
        return inquiryJson(found.value);
      },
    );

    app.post<{
      Body: {
        billerId: string;
        accountNumber: string;
        billRef?: string;
        amount: number;
        currency: 'CNY';
        savedAccountId?: string;
        confirmation?: { pin: string };
      };
    }>(
      '/api/v1/bills/payments',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'createBillPayment',
          problems: [
            'BILLER_NOT_FOUND',
            'BILLER_DISABLED',
            'BILLER_UNAVAILABLE',
            'BILL_ACCOUNT_INVALID',
            'BILL_ACCOUNT_UNKNOWN',
            'BILL_NETWORK_TIMEOUT',
            'BILL_NOT_FOUND',
            'BILL_ALREADY_PAID',
            'BILL_PAYMENT_IN_PROGRESS',
            'BILL_AMOUNT_MISMATCH',
            'BILL_AMOUNT_BELOW_MINIMUM',
            'BILL_AMOUNT_ABOVE_MAXIMUM',
            'BILL_REF_REQUIRED',
            'BILL_REF_NOT_ALLOWED',
            'BILL_ACCOUNT_NOT_FOUND',
            'INSUFFICIENT_FUNDS',
            'ACCOUNT_FROZEN',
            'LIMIT_EXCEEDED',
            'PIN_INVALID',
            'PIN_LOCKED',
            'PIN_NOT_SET',
            'CONFIRMATION_INVALID',
            'STEP_UP_REQUIRED',
            'RISK_CONFIRMATION_REQUIRED',
            'RISK_BLOCKED',
            'RISK_RESTRICTED',
          ],
          summary:
            'Prepare a bill payment and answer the confirmation to approve (201); or pay at once with ' +
            '`confirmation.pin`, or within the password-free allowance (200). Idempotency-Key required',
          body: Type.Object(
            {
              billerId: Id,
              accountNumber: AccountNumber,
              billRef: Type.Optional(BillRef),
              amount: Amount,
              currency: Currency,
              savedAccountId: Type.Optional(Id),
              confirmation: Type.Optional(Type.Object({ pin: Pin }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: PaymentSchema,
            201: Type.Object({ payment: PaymentSchema, confirmation: ConfirmationSchema }),
          },
        },
      },
      async (request, reply) => {
        const { confirmation, amount, ...rest } = request.body;
        const input = { ...rest, amountFen: fenFromJson(amount) };
        if (confirmation) {
          const paid = await bills.paying.payWithPin(me(request), input, confirmation.pin, requestOrigin(request));
          if (!paid.ok) throw problemFrom(paid.error);
          return reply.code(200).send(paymentJson(paid.value));
        }
        const created = await bills.paying.create(me(request), input, requestOrigin(request));
        if (!created.ok) throw problemFrom(created.error);
        if (!created.value.confirmation) return reply.code(200).send(paymentJson(created.value.payment));
        return reply.code(201).send({
          payment: paymentJson(created.value.payment),
          confirmation: {
            ...created.value.confirmation,
            expiresAt: created.value.confirmation.expiresAt.toISOString(),
          },
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/bills/payments/:id/submit',
      {
        config: moving,
        schema: {
          tags,
          operationId: 'submitBillPayment',
          problems: [
            'BILL_PAYMENT_NOT_FOUND',
            'BILL_PAYMENT_NOT_AWAITING_CONFIRMATION',
            'BILL_ALREADY_PAID',
            'BILL_PAYMENT_IN_PROGRESS',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
            'CONFIRMATION_NOT_FOUND',
            'INSUFFICIENT_FUNDS',
            'ACCOUNT_FROZEN',
            'LIMIT_EXCEEDED',
            'STEP_UP_REQUIRED',
            'RISK_CONFIRMATION_REQUIRED',
            'RISK_BLOCKED',
            'RISK_RESTRICTED',
          ],
          summary: 'Pay a confirmed bill payment: hold the money and send it to the biller (Idempotency-Key required)',
          params: IdParams,
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const paid = await bills.paying.submitView(me(request), request.params.id, requestOrigin(request));
        if (!paid.ok) throw problemFrom(paid.error);
        return paymentJson(paid.value);
      },
    );

    app.get<{ Querystring: { before?: string; limit?: number } }>(
      '/api/v1/bills/payments',
      {
        config: user,
        schema: {
          tags,
          operationId: 'listBillPayments',
          summary: 'My bill payments, newest first; page with `before`',
          querystring: Type.Object(
            { before: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
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
        const page = await bills.paying.list(
          { userId: me(request), before: request.query.before ?? null },
          request.query.limit ?? 20,
        );
        return { items: page.items.map(paymentJson), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/bills/payments/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'getBillPayment',
          problems: ['BILL_PAYMENT_NOT_FOUND'],
          summary: 'One of my bill payments',
          params: IdParams,
          response: { 200: PaymentSchema },
        },
      },
      async (request) => {
        const found = await bills.paying.get(me(request), request.params.id);
        if (!found) throw problemFrom({ code: 'BILL_PAYMENT_NOT_FOUND' });
        return paymentJson(found);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/bills/payments/:id/receipt',
      {
        config: user,
        schema: {
          tags,
          operationId: 'getBillReceipt',
          problems: ['BILL_PAYMENT_NOT_FOUND', 'BILL_RECEIPT_NOT_READY'],
          summary: 'The electronic receipt (电子缴费凭证) of a paid bill, as data',
          params: IdParams,
          response: { 200: ReceiptSchema },
        },
      },
      async (request) => {
        const found = await bills.receipts.receipt(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        return receiptJson(found.value);
      },
    );

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

/** Development only: the sandbox issues this month's bills now (the job does it on the 1st). */
export function billDevRoutes(bills: BillsService) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/dev/bills/issue',
      { schema: { hide: true, response: { 200: Type.Object({ issued: Type.Integer() }) } } },
      async () => ({ issued: (await bills.sandbox?.issueMonthlyBills()) ?? 0 }),
    );
  };
}
