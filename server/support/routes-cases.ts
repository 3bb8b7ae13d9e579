import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { may } from '../ops/roles.js';
import { Amount } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { UPLOAD_LIMITS, UPLOAD_PROBLEMS, readUpload, sendFile } from './routes-upload.js';
import type { SupportService } from './service.js';
import type { ClawbackRow, EvidenceRow } from './store-cases.js';
import type { SupportActor } from './types.js';

/** Theft and security cases as the holder follows them, and support's claw-backs of stolen money. */

const tags = ['support'];
const Str = Type.String();
const NullStr = Type.Union([Type.String(), Type.Null()]);
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const actorOf = (request: FastifyRequest): SupportActor => ({
  kind: request.principal?.kind === 'staff' ? 'staff' : 'user',
  id: request.principal?.id as string,
  roles: request.principal?.roles,
  ip: request.ip,
  requestId: request.id,
});

const EvidenceSchema = Type.Object({
  id: Str,
  kind: Str,
  text: NullStr,
  attachment: Type.Union([
    Type.Object({ id: Str, contentType: Str, sizeBytes: Type.Integer(), fileName: Str, url: Str }),
    Type.Null(),
  ]),
  createdAt: Str,
});
const ClawbackSchema = Type.Object({
  id: Str,
  caseId: Str,
  transferId: Str,
  fromUserId: Str,
  toUserId: Str,
  amount: Type.Integer(),
  holdId: Str,
  status: Str,
  returnRequestedBy: NullStr,
  returnReason: NullStr,
  returnApprovedBy: NullStr,
  reason: Str,
  createdBy: Str,
  createdAt: Str,
  returnedAt: NullStr,
  entryId: NullStr,
});
const Recovered = Type.Object({ clawbackId: Str, amount: Type.Integer(), status: Str, returnedAt: NullStr });
const CaseSchema = Type.Object({
  id: Str,
  kind: Str,
  status: Str,
  openedAt: Str,
  outcomeZh: NullStr,
  outcomeEn: NullStr,
  evidence: Type.Array(EvidenceSchema),
  recovered: Type.Array(Recovered),
});
const CaseSummarySchema = Type.Object({ id: Str, kind: Str, status: Str, openedAt: Str });

const evidenceJson = (row: EvidenceRow, base: string) => ({
  id: row.id,
  kind: row.kind,
  text: row.body,
  attachment: row.attachment_id
    ? {
        id: row.attachment_id,
        contentType: row.content_type ?? '',
        sizeBytes: row.size_bytes ?? 0,
        fileName: row.file_name ?? '',
        url: `${base}/${row.case_id}/evidence/${row.id}/file`,
      }
    : null,
  createdAt: row.created_at.toISOString(),
});

const clawbackJson = (row: ClawbackRow) => ({
  id: row.id,
  caseId: row.case_id,
  transferId: row.transfer_id,
  fromUserId: row.from_user_id,
  toUserId: row.to_user_id,
  amount: fenToJson(row.amount),
  holdId: row.hold_id,
  status: row.status,
  returnRequestedBy: row.return_requested_by,
  returnReason: row.return_reason,
  returnApprovedBy: row.return_approved_by,
  reason: row.reason,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  returnedAt: row.returned_at?.toISOString() ?? null,
  entryId: row.entry_id,
});

function caseJson(
  view: {
    case: { id: string; kind: string; status: string; createdAt: Date };
    evidence: EvidenceRow[];
    clawbacks: ClawbackRow[];
  },
  base: string,
) {
  const returned = view.clawbacks.filter((c) => c.status === 'returned').reduce((sum, c) => sum + c.amount, 0n);
  const closed = view.case.status !== 'open';
  return {
    id: view.case.id,
    kind: view.case.kind,
    status: view.case.status,
    openedAt: view.case.createdAt.toISOString(),
    outcomeZh: closed ? `案件已结案。已追回金额：¥${(Number(returned) / 100).toFixed(2)}。` : null,
    outcomeEn: closed ? `The case is closed. Recovered: ¥${(Number(returned) / 100).toFixed(2)}.` : null,
    evidence: view.evidence.map((row) => evidenceJson(row, base)),
    recovered: view.clawbacks
      .filter((c) => c.status !== 'released')
      .map((c) => ({
        clawbackId: c.id,
        amount: fenToJson(c.amount),
        status: c.status,
        returnedAt: c.returned_at?.toISOString() ?? null,
      })),
  };
}

export function caseRoutes(support: SupportService) {
  const cases = support.cases;
  const holderBase = '/api/v1/support/cases';
  return async (app: FastifyInstance) => {
    await app.register(multipart, { limits: UPLOAD_LIMITS });

    app.get(
      holderBase,
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'listMyCases',
          tags,
          summary: 'My theft and security cases, newest first',
          response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema) }) },
        },
      },
      async (request) => ({
        items: (await cases.listMine(actorOf(request).id)).map((c) => ({
          id: c.id,
          kind: c.kind,
          status: c.status,
          openedAt: c.createdAt.toISOString(),
        })),
      }),
    );

    app.get<{ Params: { id: string } }>(
      `${holderBase}/:id`,
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'getMyCase',
          tags,
          summary: 'One of my cases: status, the evidence I added, money recovered, the outcome',
          params: Params,
          problems: ['CASE_NOT_FOUND'],
          response: { 200: CaseSchema },
        },
      },
      async (request) => {
        const view = await cases.view(actorOf(request), request.params.id);
        if (!view) throw problemFrom({ code: 'CASE_NOT_FOUND' });
        return caseJson(view, holderBase);
      },
    );

    app.post<{ Params: { id: string }; Body: { kind: 'police_report' | 'note'; text: string } }>(
      `${holderBase}/:id/evidence`,
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'addMyCaseEvidence',
          tags,
          summary: 'Add evidence to my open case: a police report number or a note',
          params: Params,
          body: Type.Object(
            {
              kind: Type.Union([Type.Literal('police_report'), Type.Literal('note')]),
              text: Type.String({ minLength: 1, maxLength: 1000 }),
            },
            { additionalProperties: false },
          ),
          problems: ['CASE_NOT_FOUND', 'CASE_ALREADY_CLOSED'],
          response: { 201: EvidenceSchema },
        },
      },
      async (request, reply) => {
        const added = await cases.addEvidence(actorOf(request).id, request.params.id, request.body);
        if (!added.ok) throw problemFrom(added.error);
        return reply.code(201).send(evidenceJson(added.value, holderBase));
      },
    );

    app.post<{ Params: { id: string } }>(
      `${holderBase}/:id/evidence/files`,
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'addMyCaseEvidenceFile',
          tags,
          summary: 'Add a screenshot or PDF to my open case (multipart field `file`, optional `text`)',
          consumes: ['multipart/form-data'],
          params: Params,
          problems: ['CASE_NOT_FOUND', 'CASE_ALREADY_CLOSED', ...UPLOAD_PROBLEMS],
          response: { 201: EvidenceSchema },
        },
      },
      async (request, reply) => {
        const { upload, text } = await readUpload(request);
        const added = await cases.addEvidence(actorOf(request).id, request.params.id, { kind: 'file', upload, text });
        if (!added.ok) throw problemFrom(added.error);
        return reply.code(201).send(evidenceJson(added.value, holderBase));
      },
    );

    for (const [base, config, operationId] of [
      [holderBase, { auth: ['user'] as const }, 'getMyCaseEvidenceFile'],
      ['/api/v1/staff/support/cases', may('cases.view'), 'getCaseEvidenceFile'],
    ] as const) {
      app.get<{ Params: { id: string; evidenceId: string } }>(
        `${base}/:id/evidence/:evidenceId/file`,
        {
          config,
          schema: {
            operationId,
            tags,
            summary: 'A file added to a case as evidence',
            params: Type.Object({
              id: Type.String({ minLength: 1, maxLength: 64 }),
              evidenceId: Type.String({ minLength: 1, maxLength: 64 }),
            }),
            problems: ['CASE_NOT_FOUND', 'ATTACHMENT_NOT_FOUND'],
          },
        },
        async (request, reply) => {
          const file = await cases.readEvidenceFile(actorOf(request), request.params.id, request.params.evidenceId);
          if (!file.ok) throw problemFrom(file.error);
          return sendFile(reply, file.value);
        },
      );
    }

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/support/cases/:id',
      {
        config: may('cases.view'),
        schema: {
          operationId: 'getSupportCase',
          tags,
          summary: 'A case as the holder sees it, with its holder and every claw-back',
          params: Params,
          problems: ['CASE_NOT_FOUND'],
          response: {
            200: Type.Object({ ...CaseSchema.properties, userId: Str, clawbacks: Type.Array(ClawbackSchema) }),
          },
        },
      },
      async (request) => {
        const view = await cases.view(actorOf(request), request.params.id);
        if (!view) throw problemFrom({ code: 'CASE_NOT_FOUND' });
        return {
          ...caseJson(view, '/api/v1/staff/support/cases'),
          userId: view.case.userId,
          clawbacks: view.clawbacks.map(clawbackJson),
        };
      },
    );

    app.get<{ Querystring: { caseId?: string } }>(
      '/api/v1/staff/support/clawbacks',
      {
        config: may('support.clawback'),
        schema: {
          operationId: 'listClawbacks',
          tags,
          summary: 'Claw-backs, newest first',
          querystring: Type.Object(
            { caseId: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(ClawbackSchema) }) },
        },
      },
      async (request) => ({ items: (await cases.list(request.query.caseId ?? null)).map(clawbackJson) }),
    );

    app.post<{ Body: { caseId: string; transferId: string; amount: number; reason: string } }>(
      '/api/v1/staff/support/clawbacks',
      {
        config: { ...may('support.clawback'), idempotent: true },
        schema: {
          operationId: 'holdStolenMoney',
          tags,
          summary:
            'Hold stolen money still in the receiving wallet (a ledger hold), to return it after a second review',
          body: Type.Object(
            {
              caseId: Type.String({ minLength: 1, maxLength: 64 }),
              transferId: Type.String({ minLength: 1, maxLength: 64 }),
              amount: Amount,
              reason: Type.String({ minLength: 2, maxLength: 500 }),
            },
            { additionalProperties: false },
          ),
          problems: [
            'CASE_NOT_FOUND',
            'CASE_ALREADY_CLOSED',
            'CLAWBACK_TRANSFER_NOT_IN_CASE',
            'CLAWBACK_AMOUNT_TOO_HIGH',
            'CLAWBACK_ALREADY_OPEN',
            'INSUFFICIENT_FUNDS',
          ],
          response: { 201: ClawbackSchema },
        },
      },
      async (request, reply) => {
        const { caseId, transferId, amount, reason } = request.body;
        const held = await cases.hold(actorOf(request), { caseId, transferId, amountFen: fenFromJson(amount), reason });
        if (!held.ok) throw problemFrom(held.error);
        return reply.code(201).send(clawbackJson(held.value));
      },
    );

    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      '/api/v1/staff/support/clawbacks/:id/return',
      {
        config: may('support.clawback'),
        schema: {
          operationId: 'requestClawbackReturn',
          tags,
          summary: 'Ask for the held money to go back to the victim; a different person approves it',
          params: Params,
          body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
          problems: ['CLAWBACK_NOT_FOUND', 'CLAWBACK_NOT_HELD'],
          response: { 202: ClawbackSchema },
        },
      },
      async (request, reply) => {
        const asked = await cases.requestReturn(actorOf(request), request.params.id, request.body.reason);
        if (!asked.ok) throw problemFrom(asked.error);
        return reply.code(202).send(clawbackJson(asked.value));
      },
    );

    app.post<{ Params: { id: string }; Body: { note: string } }>(
      '/api/v1/staff/support/clawbacks/:id/approve',
      {
        config: { ...may('support.clawback_approve'), idempotent: true },
        schema: {
          operationId: 'approveClawbackReturn',
          tags,
          summary: 'Approve the return asked for by someone else: the held amount moves to the victim, once',
          params: Params,
          body: Type.Object({ note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
          problems: ['CLAWBACK_NOT_FOUND', 'CLAWBACK_NOT_HELD', 'APPROVAL_SECOND_PERSON_REQUIRED'],
          response: { 200: ClawbackSchema },
        },
      },
      async (request) => {
        const approved = await cases.approveReturn(actorOf(request), request.params.id, request.body.note);
        if (!approved.ok) throw problemFrom(approved.error);
        return clawbackJson(approved.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      '/api/v1/staff/support/clawbacks/:id/release',
      {
        config: may('support.clawback'),
        schema: {
          operationId: 'releaseClawback',
          tags,
          summary: 'Release the hold: the money stays with the receiver',
          params: Params,
          body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
          problems: ['CLAWBACK_NOT_FOUND', 'CLAWBACK_NOT_HELD'],
          response: { 200: ClawbackSchema },
        },
      },
      async (request) => {
        const released = await cases.release(actorOf(request), request.params.id, request.body.reason);
        if (!released.ok) throw problemFrom(released.error);
        return clawbackJson(released.value);
      },
    );
  };
}
