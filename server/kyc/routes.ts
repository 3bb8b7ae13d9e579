import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { type Language, languageFrom } from '../platform/http/problems.js';
import { fenToJson } from '../platform/money.js';
import type { DocumentType } from './adapter.js';
import { MAX_DOCUMENT_BYTES } from './documents.js';
import type { KycService, SubmissionView, Upload } from './service.js';

/** The holder's own verification: submit documents, follow the outcome, see their limits. */

const tags = ['kyc'];
const user = { auth: ['user'] as const };
const me = (request: FastifyRequest) => request.principal?.id as string;
const FILE_FIELDS = ['front', 'back', 'passport', 'selfie'];

export const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Reason = Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]);
export const SubmissionSchema = Type.Object({
  id: Type.String(),
  documentType: Type.String(),
  status: Type.String({ description: 'checking | approved | rejected | manual_review | override_pending' }),
  reason: Reason,
  documents: Type.Array(Type.Object({ side: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() })),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const SubmissionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DocumentParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  side: Type.Union(FILE_FIELDS.map((side) => Type.Literal(side))),
});

export function submissionDto(view: SubmissionView, language: Language) {
  return {
    ...view,
    reason: view.reason
      ? { code: view.reason.code, message: language === 'en' ? view.reason.en : view.reason.zh }
      : null,
    createdAt: view.createdAt.toISOString(),
    decidedAt: view.decidedAt?.toISOString() ?? null,
  };
}

const money = (amountFen: bigint, currency: string) => ({ amount: fenToJson(amountFen), currency });

/** Personal documents never land in a shared cache, and the browser must not guess their type. */
export function sendDocument(reply: FastifyReply, side: string, document: { contentType: string; bytes: Buffer }) {
  const extension =
    document.contentType === 'application/pdf' ? 'pdf' : document.contentType === 'image/png' ? 'png' : 'jpg';
  return reply
    .header('cache-control', 'no-store, private')
    .header('pragma', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `inline; filename="${side}.${extension}"`)
    .type(document.contentType)
    .send(document.bytes);
}

/** Reads the multipart form: `documentType` and up to four files, each at most 5 MiB. */
async function readUploads(request: FastifyRequest): Promise<{ documentType: DocumentType; uploads: Upload[] }> {
  if (!request.isMultipart()) throw new Problem('UNSUPPORTED_MEDIA_TYPE', { expected: 'multipart/form-data' });
  let documentType: string | undefined;
  const uploads: Upload[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const side = FILE_FIELDS.includes(part.fieldname)
          ? part.fieldname
          : `unexpected:${part.fieldname.slice(0, 40)}`;
        try {
          uploads.push({ side, bytes: await part.toBuffer() });
        } catch (error) {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw problemFrom({ code: 'DOCUMENT_TOO_LARGE', field: part.fieldname, maxBytes: MAX_DOCUMENT_BYTES });
          throw error;
        }
      } else if (part.fieldname === 'documentType') {
        documentType = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    // Limits (413) keep their own answer; a body the parser cannot read is the client's mistake.
    if (status === 413) throw new Problem('PAYLOAD_TOO_LARGE', { limits: 'at most 4 files and 4 fields' });
    throw new Problem('MALFORMED_REQUEST', { problem: 'multipart body could not be read' });
  }
  if (documentType !== 'resident_id' && documentType !== 'passport') {
    throw new Problem('VALIDATION_FAILED', { in: 'body' }, [
      { field: 'documentType', message: "must be 'resident_id' or 'passport'" },
    ]);
  }
  return { documentType, uploads };
}

export function kycRoutes(kyc: KycService) {
  return async (app: FastifyInstance) => {
    // Scoped to these routes: the rest of the API stays JSON only.
    await app.register(multipart, {
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 4, fields: 4, parts: 8, fieldSize: 64, headerPairs: 50 },
    });

    app.post(
      '/api/v1/me/kyc/submissions',
      {
        config: { ...user, feature: 'kyc' },
        schema: {
          operationId: 'submitMyKyc',
          tags,
          summary: 'Submit an identity document and a selfie (multipart/form-data)',
          description:
            "Fields: documentType ('resident_id' or 'passport'); files: front and back (resident ID) or passport " +
            '(photo page), and selfie. JPEG, PNG or PDF (selfie JPEG or PNG), at most 5 MiB each; the type is ' +
            'read from the content. Answers 201 with the outcome, or 202 while the check is still running.',
          consumes: ['multipart/form-data'],
          problems: [
            'UNSUPPORTED_MEDIA_TYPE',
            'PAYLOAD_TOO_LARGE',
            'MALFORMED_REQUEST',
            'VALIDATION_FAILED',
            'DOCUMENTS_INCOMPLETE',
            'DOCUMENT_TOO_LARGE',
            'DOCUMENT_CORRUPT',
            'DOCUMENT_TYPE_UNSUPPORTED',
            'DOCUMENT_UNSAFE',
            'USER_NOT_FOUND',
            'KYC_ALREADY_VERIFIED',
            'KYC_TOO_MANY_SUBMISSIONS',
            'KYC_SUBMISSION_OPEN',
          ],
          response: { 201: SubmissionSchema, 202: SubmissionSchema },
        },
      },
      async (request, reply) => {
        const { documentType, uploads } = await readUploads(request);
        const submitted = await kyc.submit(me(request), documentType, uploads);
        if (!submitted.ok) throw problemFrom(submitted.error);
        const language = languageFrom(request.headers['accept-language']);
        return reply
          .code(submitted.value.status === 'checking' ? 202 : 201)
          .send(submissionDto(submitted.value, language));
      },
    );

    app.get<{ Querystring: { before?: string; limit?: number } }>(
      '/api/v1/me/kyc',
      {
        config: user,
        schema: {
          operationId: 'getMyKyc',
          tags,
          summary: 'My verification submissions, newest first',
          querystring: Type.Object({
            before: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(SubmissionSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const language = languageFrom(request.headers['accept-language']);
        const page = await kyc.history(me(request), request.query);
        return { items: page.items.map((view) => submissionDto(view, language)), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/me/kyc/submissions/:id',
      {
        config: user,
        schema: {
          operationId: 'getMyKycSubmission',
          tags,
          summary: 'One of my submissions',
          params: SubmissionParams,
          problems: ['KYC_SUBMISSION_NOT_FOUND'],
          response: { 200: SubmissionSchema },
        },
      },
      async (request) => {
        const found = await kyc.get(me(request), request.params.id);
        if (!found) throw problemFrom({ code: 'KYC_SUBMISSION_NOT_FOUND' });
        return submissionDto(found, languageFrom(request.headers['accept-language']));
      },
    );

    app.get<{ Params: { id: string; side: string } }>(
      '/api/v1/me/kyc/submissions/:id/documents/:side',
      {
        config: user,
        schema: {
          operationId: 'getMyKycDocument',
          tags,
          summary: 'A page I uploaded (never cached)',
          params: DocumentParams,
          problems: ['KYC_DOCUMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const found = await kyc.document(me(request), request.params.id, request.params.side);
        if (!found) throw problemFrom({ code: 'KYC_DOCUMENT_NOT_FOUND' });
        return sendDocument(reply, request.params.side, found);
      },
    );

    const LimitLine = Type.Object({
      name: Type.String(),
      limit: Type.Union([Money, Type.Null()]),
      used: Money,
      remaining: Type.Union([Money, Type.Null()]),
    });
    app.get(
      '/api/v1/me/limits',
      {
        config: user,
        schema: {
          operationId: 'getMyLimits',
          tags,
          summary:
            'My tier, each limit, what I used today and this year (Asia/Shanghai), what remains, and the next step',
          response: {
            200: Type.Object({
              tier: Type.String(),
              tierLabel: Type.String(),
              limits: Type.Array(LimitLine),
              nextStep: Type.Union([
                Type.Object({
                  action: Type.String(),
                  tier: Type.String(),
                  href: Type.Union([Type.String(), Type.Null()]),
                  message: Type.String(),
                }),
                Type.Null(),
              ]),
            }),
          },
        },
      },
      async (request) => {
        const view = await kyc.limits(me(request));
        if (!view) throw problemFrom({ code: 'UNAUTHENTICATED' });
        const en = languageFrom(request.headers['accept-language']) === 'en';
        return {
          tier: view.tier,
          tierLabel: en ? view.tierLabel.en : view.tierLabel.zh,
          limits: view.limits.map((line) => ({
            name: line.name,
            limit: line.limitFen === null ? null : money(line.limitFen, view.currency),
            used: money(line.usedFen, view.currency),
            remaining: line.remainingFen === null ? null : money(line.remainingFen, view.currency),
          })),
          nextStep: view.nextStep
            ? {
                action: view.nextStep.action,
                tier: view.nextStep.tier,
                href: view.nextStep.href,
                message: en ? view.nextStep.en : view.nextStep.zh,
              }
            : null,
        };
      },
    );
  };
}
