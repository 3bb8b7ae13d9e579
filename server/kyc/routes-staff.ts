import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApprovalSchema, approvalDto, partyOf } from '../approvals/routes.js';
import { may } from '../ops/roles.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { languageFrom } from '../platform/http/problems.js';
import type { QueueFilter, QueueItem, StaffRequest } from './review.js';
import { SubmissionSchema, sendDocument, submissionDto } from './routes.js';
import { REJECTION_REASONS } from './rules.js';
import type { KycService } from './service.js';
import { TIERS, type Tier } from './tiers.js';

/** The review console's API: the queue, claims, documents, decisions, and tier changes. */

const tags = ['staff-kyc'];
const reviewer = may('kyc.review');
const staffId = (request: FastifyRequest) => request.principal?.id as string;
const meta = (request: FastifyRequest): StaffRequest => ({ ip: request.ip, requestId: request.id });

const Nullable = Type.Union([Type.String(), Type.Null()]);
const Note = Type.String({ minLength: 2, maxLength: 500 });
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const QueueItemSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  documentType: Type.String(),
  status: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  autoOutcome: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  claimedBy: Type.Union([Type.String(), Type.Null()]),
  claimedUntil: Type.Union([Type.String(), Type.Null()]),
  overrideBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  holderName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const FILTERS = ['queue', 'checking', 'manual_review', 'override_pending', 'rejected', 'approved'] as const;

function itemDto(item: QueueItem) {
  return { ...item, claimedUntil: item.claimedUntil?.toISOString() ?? null, createdAt: item.createdAt.toISOString() };
}

export function kycStaffRoutes(kyc: KycService) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { status?: QueueFilter; cursor?: string; limit?: number } }>(
      '/api/v1/staff/kyc/submissions',
      {
        config: reviewer,
        schema: {
          operationId: 'listKycReviewQueue',
          tags,
          summary: "The review queue (default 'queue': manual review and pending overrides), oldest first",
          querystring: Type.Object({
            status: Type.Optional(Type.Union(FILTERS.map((f) => Type.Literal(f)))),
            cursor: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(QueueItemSchema),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await kyc.review.list(
          request.query.status ?? 'queue',
          request.query.cursor ?? null,
          request.query.limit,
        );
        return { items: page.items.map(itemDto), nextCursor: page.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/kyc/submissions/:id',
      {
        config: reviewer,
        schema: {
          operationId: 'getKycSubmissionForReview',
          tags,
          summary: 'A submission with the check findings; the registration in full for the claimant',
          params: Params,
          problems: ['KYC_SUBMISSION_NOT_FOUND'],
          response: {
            200: Type.Intersect([
              QueueItemSchema,
              Type.Object({
                submission: SubmissionSchema,
                findings: Type.Union([
                  Type.Object({
                    quality: Type.String(),
                    faceMatchScore: Type.Number(),
                    nameMatches: Type.Boolean(),
                    numberMatches: Type.Union([Type.Boolean(), Type.Null()]),
                    birthDateMatches: Type.Boolean(),
                    expired: Type.Boolean(),
                    adult: Type.Boolean(),
                  }),
                  Type.Null(),
                ]),
                autoReason: Nullable,
                overrideNote: Nullable,
                reviewNote: Nullable,
                registration: Type.Union([
                  Type.Object({
                    name: Type.String(),
                    idNumber: Type.String(),
                    birthDate: Nullable,
                    tier: Type.String(),
                  }),
                  Type.Null(),
                ]),
              }),
            ]),
          },
        },
      },
      async (request) => {
        const found = await kyc.review.detail(staffId(request), request.params.id, meta(request));
        if (!found) throw problemFrom({ code: 'KYC_SUBMISSION_NOT_FOUND' });
        return {
          ...itemDto(found),
          submission: submissionDto(found.submission, languageFrom(request.headers['accept-language'])),
          findings: found.findings,
          autoReason: found.autoReason,
          overrideNote: found.overrideNote,
          reviewNote: found.reviewNote,
          registration: found.registration,
        };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/staff/kyc/submissions/:id/claim',
      {
        config: reviewer,
        schema: {
          operationId: 'claimKycSubmission',
          tags,
          summary: 'Claim a submission for 30 minutes',
          params: Params,
          problems: [
            'KYC_SUBMISSION_NOT_FOUND',
            'KYC_NOT_CLAIMABLE',
            'KYC_SECOND_REVIEWER_REQUIRED',
            'KYC_CLAIMED_BY_OTHER',
          ],
          response: { 200: QueueItemSchema },
        },
      },
      async (request) => {
        const claimed = await kyc.review.claim(staffId(request), request.params.id, meta(request));
        if (!claimed.ok) throw problemFrom(claimed.error);
        return itemDto(claimed.value);
      },
    );

    app.get<{ Params: { id: string; side: string } }>(
      '/api/v1/staff/kyc/submissions/:id/documents/:side',
      {
        config: reviewer,
        schema: {
          operationId: 'getKycDocumentForReview',
          tags,
          summary: 'A page of a claimed submission (never cached; audited)',
          params: Type.Object({
            id: Type.String({ maxLength: 64 }),
            side: Type.Union(['front', 'back', 'passport', 'selfie'].map((s) => Type.Literal(s))),
          }),
          problems: ['KYC_SUBMISSION_NOT_FOUND', 'KYC_NOT_CLAIMED', 'KYC_DOCUMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const found = await kyc.review.document(
          staffId(request),
          request.params.id,
          request.params.side,
          meta(request),
        );
        if (!found.ok) throw problemFrom(found.error);
        return sendDocument(reply, request.params.side, found.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; reason?: string; note: string } }>(
      '/api/v1/staff/kyc/submissions/:id/decision',
      {
        config: reviewer,
        schema: {
          operationId: 'decideKycSubmission',
          tags,
          summary:
            'Approve or reject a claimed submission; approving an automatic rejection proposes an override a second ' +
            'reviewer must approve',
          params: Params,
          body: Type.Object(
            {
              decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
              reason: Type.Optional(Type.Union(REJECTION_REASONS.map((r) => Type.Literal(r)))),
              note: Note,
            },
            { additionalProperties: false },
          ),
          problems: [
            'KYC_SUBMISSION_NOT_FOUND',
            'KYC_SECOND_REVIEWER_REQUIRED',
            'KYC_ALREADY_DECIDED',
            'KYC_NOT_CLAIMED',
            'KYC_REASON_REQUIRED',
          ],
          response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) },
        },
      },
      async (request) => {
        const decided = await kyc.review.decide(staffId(request), request.params.id, request.body, meta(request));
        if (!decided.ok) throw problemFrom(decided.error);
        return { id: request.params.id, status: decided.value.status };
      },
    );

    app.post<{ Params: { id: string }; Body: { tier: Tier; reason: string } }>(
      '/api/v1/staff/users/:id/tier',
      {
        config: reviewer,
        schema: {
          operationId: 'requestTierChange',
          tags,
          summary:
            'Ask to move a holder to a tier, with a reason: it takes effect once a second reviewer approves it ' +
            '(maker-checker, audited)',
          params: Params,
          body: Type.Object(
            { tier: Type.Union(TIERS.map((t) => Type.Literal(t))), reason: Note },
            { additionalProperties: false },
          ),
          problems: ['USER_NOT_FOUND', 'TIER_UNCHANGED', 'APPROVAL_ALREADY_PENDING'],
          response: { 202: Type.Object({ userId: Type.String(), tier: Type.String(), approval: ApprovalSchema }) },
        },
      },
      async (request, reply) => {
        const requested = await kyc.tierChanges.request(
          partyOf(request),
          request.params.id,
          request.body.tier,
          request.body.reason,
        );
        if (!requested.ok) throw problemFrom(requested.error);
        return reply
          .code(202)
          .send({ userId: request.params.id, tier: request.body.tier, approval: approvalDto(requested.value) });
      },
    );
  };
}
