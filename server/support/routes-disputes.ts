import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { may } from '../ops/roles.js';
import { merchantActor } from '../payments/merchant-auth.js';
import { merchantAccess } from '../payments/merchant-roles.js';
import { Amount } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { UPLOAD_LIMITS, UPLOAD_PROBLEMS, readUpload, sendFile } from './routes-upload.js';
import type { SupportService } from './service.js';
import type { DisputeReason, DisputeRow, DisputeStatus, EvidenceFileRow } from './store-disputes.js';

/** Disputes of merchant payments: the holder opens, the merchant answers or refunds, support decides. */

const tags = ['support'];
const Str = Type.String();
const NullStr = Type.Union([Type.String(), Type.Null()]);
const iso = (date: Date | null) => date?.toISOString() ?? null;
const money = (fen: bigint | null) => (fen === null ? null : fenToJson(fen));
const STATUSES: DisputeStatus[] = [
  'awaiting_merchant',
  'merchant_answered',
  'merchant_refunded',
  'refunded',
  'rejected',
];
const StatusQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    before: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const DisputeSchema = Type.Object({
  id: Str,
  paymentId: Str,
  ticketId: Str,
  reason: Str,
  text: Str,
  claimedAmount: Type.Integer(),
  paymentAmount: Type.Integer(),
  currency: Str,
  merchantId: Str,
  merchantName: Type.Union([Str, Type.Null()], { description: 'As the payment shows it; null when unknown' }),
  status: Str,
  merchantDueAt: Str,
  merchantAnswer: Type.Union([Type.Object({ text: Str, evidence: NullStr, answeredAt: Str }), Type.Null()]),
  decision: Type.Union([
    Type.Object({ outcome: Str, amount: Type.Union([Type.Integer(), Type.Null()]), note: Str, decidedAt: Str }),
    Type.Null(),
  ]),
  refund: Type.Union([
    Type.Object({ id: Str, amount: Type.Integer(), entryId: NullStr, createdAt: NullStr, by: Str }),
    Type.Null(),
  ]),
  createdAt: Str,
  updatedAt: Str,
});
const StaffDisputeSchema = Type.Object({ ...DisputeSchema.properties, userId: Str });
const EvidenceFileSchema = Type.Object({
  id: Str,
  contentType: Str,
  sizeBytes: Type.Integer(),
  fileName: Str,
  url: Str,
  createdAt: Str,
});
/** What the merchant sees: the dispute and the evidence files it added. */
const MerchantDisputeSchema = Type.Object({
  ...DisputeSchema.properties,
  evidenceFiles: Type.Array(EvidenceFileSchema),
});
const Page = (item: typeof DisputeSchema | typeof StaffDisputeSchema) =>
  Type.Object({ items: Type.Array(item), nextBefore: NullStr });

export function disputeJson(row: DisputeRow, merchantName: string | null) {
  return {
    id: row.id,
    paymentId: row.payment_id,
    ticketId: row.ticket_id,
    reason: row.reason,
    text: row.body,
    claimedAmount: fenToJson(row.claimed_amount),
    paymentAmount: fenToJson(row.payment_amount),
    currency: 'CNY',
    merchantId: row.merchant_id,
    merchantName,
    status: row.status,
    merchantDueAt: row.merchant_due_at.toISOString(),
    merchantAnswer:
      row.merchant_answer !== null && row.merchant_answered_at
        ? {
            text: row.merchant_answer,
            evidence: row.merchant_evidence,
            answeredAt: row.merchant_answered_at.toISOString(),
          }
        : null,
    decision:
      row.decision_outcome && row.decided_at
        ? {
            outcome: row.decision_outcome,
            amount: money(row.decision_amount),
            note: row.decision_note ?? '',
            decidedAt: row.decided_at.toISOString(),
          }
        : null,
    refund:
      row.refund_id && row.refund_amount !== null
        ? {
            id: row.refund_id,
            amount: fenToJson(row.refund_amount),
            entryId: row.refund_entry_id,
            createdAt: iso(row.refunded_at),
            by: row.refund_by ?? 'bank',
          }
        : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const evidenceFileJson = (disputeId: string, file: EvidenceFileRow) => ({
  id: file.id,
  contentType: file.content_type,
  sizeBytes: file.size_bytes,
  fileName: file.file_name,
  url: `/api/v1/merchant/disputes/${disputeId}/evidence/${file.id}`,
  createdAt: file.created_at.toISOString(),
});
const me = (request: FastifyRequest) => request.principal?.id as string;

export function disputeRoutes(support: SupportService) {
  const disputes = support.disputes;
  // Every view names the merchant as the payment shows it (a dispute keeps only the merchant's id).
  const named = async (row: DisputeRow) => disputeJson(row, await disputes.merchantNameOf(row));
  const staffDisputeJson = async (row: DisputeRow) => ({ ...(await named(row)), userId: row.user_id });
  const merchantView = async (row: DisputeRow) => ({
    ...(await named(row)),
    evidenceFiles: (await disputes.evidenceFiles(row)).map((file) => evidenceFileJson(row.id, file)),
  });
  return async (app: FastifyInstance) => {
    await app.register(multipart, { limits: UPLOAD_LIMITS });

    app.post<{ Body: { paymentId: string; reason: DisputeReason; claimedAmount: number; text: string } }>(
      '/api/v1/support/disputes',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'openPaymentDispute',
          tags,
          summary: 'Dispute a merchant payment (not received, charged twice, wrong amount); opens a complaint ticket',
          body: Type.Object(
            {
              paymentId: Type.String({ minLength: 1, maxLength: 64 }),
              reason: Type.Union([
                Type.Literal('not_received'),
                Type.Literal('charged_twice'),
                Type.Literal('wrong_amount'),
              ]),
              claimedAmount: Amount,
              text: Type.String({ minLength: 1, maxLength: 2000 }),
            },
            { additionalProperties: false },
          ),
          problems: [
            'PAYMENT_NOT_FOUND',
            'DISPUTE_NOT_ALLOWED',
            'DISPUTE_ALREADY_OPEN',
            'DISPUTE_AMOUNT_TOO_HIGH',
            'SUPPORT_TOO_MANY_OPEN_TICKETS',
          ],
          response: { 201: DisputeSchema },
        },
      },
      async (request, reply) => {
        const { paymentId, reason, claimedAmount, text } = request.body;
        const opened = await disputes.open(me(request), {
          paymentId,
          reason,
          claimedAmountFen: fenFromJson(claimedAmount),
          text,
        });
        if (!opened.ok) throw problemFrom(opened.error);
        return reply.code(201).send(await named(opened.value));
      },
    );

    app.get<{ Querystring: { before?: string; limit?: number } }>(
      '/api/v1/support/disputes',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'listMyDisputes',
          tags,
          summary: 'My payment disputes, newest first',
          querystring: Type.Object(
            {
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Page(DisputeSchema) },
        },
      },
      async (request) => {
        const page = await disputes.listOfHolder(me(request), request.query);
        return { items: await Promise.all(page.items.map(named)), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/support/disputes/:id',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'getMyDispute',
          tags,
          summary: 'One of my disputes',
          params: Params,
          problems: ['DISPUTE_NOT_FOUND'],
          response: { 200: DisputeSchema },
        },
      },
      async (request) => {
        const row = await disputes.get({ kind: 'user', id: me(request) }, request.params.id);
        if (!row) throw problemFrom({ code: 'DISPUTE_NOT_FOUND' });
        return named(row);
      },
    );

    app.get<{ Querystring: { status?: DisputeStatus; before?: string; limit?: number } }>(
      '/api/v1/merchant/disputes',
      {
        config: merchantAccess('payments.today'),
        schema: {
          operationId: 'listMerchantDisputes',
          tags: ['merchant'],
          summary: 'Disputes of our payments, newest first',
          querystring: StatusQuery,
          response: { 200: Page(DisputeSchema) },
        },
      },
      async (request) => {
        const page = await disputes.listOfMerchant(merchantActor(request).merchantId, request.query);
        return { items: await Promise.all(page.items.map(named)), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/merchant/disputes/:id',
      {
        config: merchantAccess('payments.today'),
        schema: {
          operationId: 'getMerchantDispute',
          tags: ['merchant'],
          summary: "One dispute of our payments, with the holder's claim and the evidence files we added",
          params: Params,
          problems: ['DISPUTE_NOT_FOUND'],
          response: { 200: MerchantDisputeSchema },
        },
      },
      async (request) => {
        const row = await disputes.get({ kind: 'merchant', id: merchantActor(request).merchantId }, request.params.id);
        if (!row) throw problemFrom({ code: 'DISPUTE_NOT_FOUND' });
        return merchantView(row);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/merchant/disputes/:id/evidence',
      {
        config: merchantAccess('disputes'),
        schema: {
          operationId: 'addMerchantDisputeEvidence',
          tags: ['merchant'],
          summary:
            'Add an evidence file (JPEG, PNG or PDF, checked like ticket attachments; multipart field `file`) ' +
            'before answering, at most 5',
          consumes: ['multipart/form-data'],
          params: Params,
          problems: [
            'DISPUTE_NOT_FOUND',
            'DISPUTE_NOT_OPEN',
            'DISPUTE_MERCHANT_DEADLINE_PASSED',
            'DISPUTE_EVIDENCE_LIMIT',
            ...UPLOAD_PROBLEMS,
          ],
          response: { 201: EvidenceFileSchema },
        },
      },
      async (request, reply) => {
        const { upload } = await readUpload(request);
        const added = await disputes.addEvidenceFile(merchantActor(request), request.params.id, upload);
        if (!added.ok) throw problemFrom(added.error);
        return reply.code(201).send(evidenceFileJson(request.params.id, added.value));
      },
    );

    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/api/v1/merchant/disputes/:id/evidence/:attachmentId',
      {
        config: merchantAccess('payments.today'),
        schema: {
          operationId: 'getMerchantDisputeEvidence',
          tags: ['merchant'],
          summary: 'An evidence file we added to a dispute',
          params: Type.Object({
            id: Type.String({ minLength: 1, maxLength: 64 }),
            attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          problems: ['DISPUTE_NOT_FOUND', 'ATTACHMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const file = await disputes.readEvidenceFile(
          merchantActor(request).merchantId,
          request.params.id,
          request.params.attachmentId,
        );
        if (!file.ok) throw problemFrom(file.error);
        return sendFile(reply, file.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { text: string; evidence?: string } }>(
      '/api/v1/merchant/disputes/:id/answer',
      {
        config: merchantAccess('disputes'),
        schema: {
          operationId: 'answerMerchantDispute',
          tags: ['merchant'],
          summary: 'Answer a dispute with our account of it and evidence, before its deadline',
          params: Params,
          body: Type.Object(
            {
              text: Type.String({ minLength: 2, maxLength: 2000 }),
              evidence: Type.Optional(Type.String({ maxLength: 1000 })),
            },
            { additionalProperties: false },
          ),
          problems: ['DISPUTE_NOT_FOUND', 'DISPUTE_NOT_OPEN', 'DISPUTE_MERCHANT_DEADLINE_PASSED'],
          response: { 200: MerchantDisputeSchema },
        },
      },
      async (request) => {
        const answered = await disputes.answer(merchantActor(request), request.params.id, {
          text: request.body.text,
          evidence: request.body.evidence ?? null,
        });
        if (!answered.ok) throw problemFrom(answered.error);
        return merchantView(answered.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { amount: number; password: string } }>(
      '/api/v1/merchant/disputes/:id/refund',
      {
        config: { ...merchantAccess('refund'), idempotent: true },
        schema: {
          operationId: 'refundMerchantDispute',
          tags: ['merchant'],
          summary:
            'Settle a dispute by refunding the payer (our ordinary refund, confirmed with the sign-in password; ' +
            "a cashier up to the role's cap)",
          params: Params,
          body: Type.Object(
            { amount: Amount, password: Type.String({ minLength: 1, maxLength: 256 }) },
            { additionalProperties: false },
          ),
          problems: [
            'DISPUTE_NOT_FOUND',
            'DISPUTE_NOT_OPEN',
            'PAYMENT_NOT_FOUND',
            'PAYMENT_NOT_REFUNDABLE',
            'REFUND_EXCEEDS_PAYMENT',
            'REFUND_ABOVE_ROLE_LIMIT',
            'REFUND_PASSWORD_INCORRECT',
            'REFUND_PASSWORD_LOCKED',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
          ],
          response: { 200: MerchantDisputeSchema },
        },
      },
      async (request) => {
        const refunded = await disputes.refundByMerchant(merchantActor(request), request.params.id, {
          amountFen: fenFromJson(request.body.amount),
          password: request.body.password,
        });
        if (!refunded.ok) throw problemFrom(refunded.error);
        return merchantView(refunded.value);
      },
    );

    app.get<{ Querystring: { status?: DisputeStatus; before?: string; limit?: number } }>(
      '/api/v1/staff/support/disputes',
      {
        config: may('support.view'),
        schema: {
          operationId: 'listSupportDisputes',
          tags,
          summary: 'Every dispute, newest first',
          querystring: StatusQuery,
          response: { 200: Page(StaffDisputeSchema) },
        },
      },
      async (request) => {
        const page = await disputes.listAll(request.query);
        return { items: await Promise.all(page.items.map(staffDisputeJson)), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/support/disputes/:id',
      {
        config: may('support.view'),
        schema: {
          operationId: 'getSupportDispute',
          tags,
          summary: 'One dispute',
          params: Params,
          problems: ['DISPUTE_NOT_FOUND'],
          response: { 200: StaffDisputeSchema },
        },
      },
      async (request) => {
        const row = await disputes.get({ kind: 'staff', id: me(request) }, request.params.id);
        if (!row) throw problemFrom({ code: 'DISPUTE_NOT_FOUND' });
        return staffDisputeJson(row);
      },
    );

    app.post<{ Params: { id: string }; Body: { outcome: 'refund' | 'reject'; amount?: number; note: string } }>(
      '/api/v1/staff/support/disputes/:id/decide',
      {
        config: { ...may('support.disputes'), idempotent: true },
        schema: {
          operationId: 'decideSupportDispute',
          tags,
          summary:
            'Decide a dispute: a refund (default: the amount claimed) moves merchant settlement to the payer, ' +
            'referenced dispute:<id>, once',
          params: Params,
          body: Type.Object(
            {
              outcome: Type.Union([Type.Literal('refund'), Type.Literal('reject')]),
              amount: Type.Optional(Amount),
              note: Type.String({ minLength: 2, maxLength: 1000 }),
            },
            { additionalProperties: false },
          ),
          problems: [
            'DISPUTE_NOT_FOUND',
            'DISPUTE_ALREADY_DECIDED',
            'DISPUTE_AMOUNT_TOO_HIGH',
            'PAYMENT_NOT_REFUNDABLE',
            'INSUFFICIENT_FUNDS',
          ],
          response: { 200: StaffDisputeSchema },
        },
      },
      async (request) => {
        const { outcome, amount, note } = request.body;
        const decided = await disputes.decide(
          { kind: 'staff', id: me(request), ip: request.ip, requestId: request.id },
          request.params.id,
          { outcome, amountFen: amount === undefined ? null : fenFromJson(amount), note },
        );
        if (!decided.ok) throw problemFrom(decided.error);
        return staffDisputeJson(decided.value);
      },
    );
  };
}
