import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { jsonSafe, problemFrom } from '../platform/http/problem-error.js';
import type { ApprovalKind, ApprovalRow, ApprovalStatus, Approvals, Party } from './service.js';
import { may } from '../ops/roles.js';

/** The console's maker-checker queue: requests waiting for a second person, and their decisions. */

const tags = ['staff-approvals'];
const checkers = may('approvals.decide');
const KINDS: ApprovalKind[] = [
  'kyc.tier_change',
  'risk.rule_change',
  'ledger.operator_movement',
  'savings.product_change',
  'credit.referral_decision',
  'credit.write_off',
];
const STATUSES: ApprovalStatus[] = ['pending', 'approved', 'rejected', 'failed'];
const Nullable = Type.Union([Type.String(), Type.Null()]);

export const ApprovalSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  reason: Type.String(),
  requestedByKind: Type.String(),
  requestedBy: Type.String(),
  status: Type.String(),
  decidedByKind: Nullable,
  decidedBy: Nullable,
  decidedAt: Nullable,
  decisionNote: Nullable,
  outcome: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  createdAt: Type.String(),
});

export function approvalDto(row: ApprovalRow) {
  return {
    id: row.id,
    kind: row.kind,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    payload: jsonSafe(row.payload) as Record<string, unknown>,
    reason: row.reason,
    requestedByKind: row.requested_by_kind,
    requestedBy: row.requested_by,
    status: row.status,
    decidedByKind: row.decided_by_kind,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    outcome: row.outcome,
    createdAt: row.created_at.toISOString(),
  };
}

/** The calling staff member or operator as a maker or checker. */
export function partyOf(request: FastifyRequest): Party {
  const principal = request.principal;
  if (principal?.kind !== 'staff' && principal?.kind !== 'operator')
    throw new Error('approvals need a staff member or an operator');
  return { kind: principal.kind, id: principal.id, roles: principal.roles, ip: request.ip, requestId: request.id };
}

export const DecisionBody = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);

export function approvalStaffRoutes(approvals: Approvals) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { status?: ApprovalStatus; kind?: ApprovalKind; before?: string; limit?: number } }>(
      '/api/v1/staff/approvals',
      {
        config: checkers,
        schema: {
          operationId: 'listStaffApprovals',
          tags,
          summary: 'Requests of the kinds my roles may decide, newest first (default: pending)',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
              kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(ApprovalSchema), nextBefore: Nullable }) },
        },
      },
      async (request) => {
        const mine = approvals.kindsFor(partyOf(request));
        const kinds = request.query.kind ? mine.filter((kind) => kind === request.query.kind) : mine;
        const page = await approvals.list({
          kinds,
          status: request.query.status ?? 'pending',
          before: request.query.before,
          limit: request.query.limit,
        });
        return { items: page.items.map(approvalDto), nextBefore: page.nextBefore };
      },
    );

    for (const verb of ['approve', 'reject'] as const) {
      app.post<{ Params: { id: string }; Body: { note: string } }>(
        `/api/v1/staff/approvals/:id/${verb}`,
        {
          config: checkers,
          schema: {
            operationId: verb === 'approve' ? 'approveStaffRequest' : 'rejectStaffRequest',
            tags,
            problems: [
              'APPROVAL_NOT_FOUND',
              'APPROVAL_ALREADY_DECIDED',
              'APPROVAL_SECOND_PERSON_REQUIRED',
              'APPROVAL_ROLE_REQUIRED',
              // What applying a request of each kind may refuse (risk rule changes, tier changes).
              'RISK_RULE_CHANGED',
              'USER_NOT_FOUND',
              'TIER_UNCHANGED',
            ],
            summary:
              verb === 'approve'
                ? 'Approve a request made by someone else: the change is applied now'
                : 'Reject a request: nothing changes',
            params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
            body: DecisionBody,
            response: { 200: ApprovalSchema },
          },
        },
        async (request) => {
          const decided = await approvals.decide(request.params.id, partyOf(request), {
            approve: verb === 'approve',
            note: request.body.note,
          });
          if (!decided.ok) throw problemFrom(decided.error);
          return approvalDto(decided.value);
        },
      );
    }
  };
}
