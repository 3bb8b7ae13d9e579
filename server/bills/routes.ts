import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount, Currency, Id, IdParams, Pin } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson } from '../platform/money.js';
import { requestOrigin } from '../risk/port.js';
import {
  AccountNumber,
  BillerSchema,
  BillerTypeSchema,
  ConfirmationSchema,
  InquirySchema,
  PaymentSchema,
  ReceiptSchema,
  billerJson,
  inquiryJson,
  paymentJson,
  receiptJson,
} from './dto.js';
import type { BillsService } from './service.js';

/**
 * The holder's bills API: billers, inquiry, paying, receipts (saved accounts, autopay and what is
 * due: routes-accounts.ts).
 */

const tags = ['bills'];
const user = { auth: ['user'] as const, feature: 'bills' };
const moving = { ...user, idempotent: true };
const me = (request: FastifyRequest) => request.principal?.id as string;

const BillRef = Type.String({ minLength: 1, maxLength: 128 });

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
