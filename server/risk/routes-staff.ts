import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApprovalSchema, approvalDto, partyOf } from '../approvals/routes.js';
import { may } from '../ops/roles.js';
import { IdParams as Id } from '../platform/http/schemas.js';
import { jsonSafe, problemFrom } from '../platform/http/problem-error.js';
import { RESOLUTIONS, type Resolution } from './analyst.js';
import type { AlertRow } from './store-queue.js';
import { RISK_ACTIONS, type RiskAction } from './rules.js';
import { RestrictionSchema, actorOf, restrictionDto } from './routes.js';
import type { RiskService } from './service.js';

/** The operations console's risk API: rules (admins), the alert queue and restrictions (analysts). */

const tags = ['risk (staff)'];
const analysts = may('risk.alerts');
const admins = may('risk.rules');
const Note = Type.String({ minLength: 3, maxLength: 500 });

const Rule = Type.Object({
  rule: Type.String(),
  version: Type.Integer(),
  enabled: Type.Boolean(),
  action: Type.String(),
  thresholds: Type.Record(Type.String(), Type.Unknown()),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
});
const ruleDto = (row: {
  rule: string;
  version: number;
  enabled: boolean;
  action: string;
  thresholds: Record<string, unknown>;
  updated_by: string;
  updated_at: Date;
}) => ({
  rule: row.rule,
  version: row.version,
  enabled: row.enabled,
  action: row.action,
  thresholds: row.thresholds,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at.toISOString(),
});

const Alert = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  /** The holder's masked name (the queue only; null when the holder is gone). */
  holderName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  kind: Type.String(),
  assessmentId: Type.Union([Type.String(), Type.Null()]),
  riskHoldId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  claimedBy: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
  resolutionNote: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const alertDto = (row: AlertRow) => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  assessmentId: row.assessment_id,
  riskHoldId: row.risk_hold_id,
  status: row.status,
  claimedBy: row.claimed_by,
  resolution: row.resolution,
  resolutionNote: row.resolution_note,
  createdAt: row.created_at.toISOString(),
});

export function riskStaffRoutes(risk: RiskService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/staff/risk/rules',
      {
        config: analysts,
        schema: {
          operationId: 'listRiskRules',
          tags,
          summary: 'The risk rules and their current thresholds',
          response: { 200: Type.Object({ items: Type.Array(Rule) }) },
        },
      },
      async () => ({
        items: (await risk.rules.list()).map(ruleDto),
      }),
    );

    app.put<{
      Params: { rule: string };
      Body: { enabled?: boolean; action?: RiskAction; thresholds?: Record<string, unknown>; reason: string };
    }>(
      '/api/v1/staff/risk/rules/:rule',
      {
        config: admins,
        schema: {
          operationId: 'proposeRiskRuleChange',
          tags,
          summary:
            'Change a rule (a new version, audited; effective without a restart). Weakening it (disable, softer ' +
            'action, looser thresholds) answers 202: it waits for a second admin',
          params: Type.Object({ rule: Type.String({ minLength: 1, maxLength: 40 }) }),
          body: Type.Object(
            {
              enabled: Type.Optional(Type.Boolean()),
              action: Type.Optional(Type.Union(RISK_ACTIONS.map((action) => Type.Literal(action)))),
              thresholds: Type.Optional(
                Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 10 }),
              ),
              reason: Note,
            },
            { additionalProperties: false },
          ),
          problems: ['RISK_RULE_NOT_FOUND', 'RISK_RULE_INVALID', 'APPROVAL_ALREADY_PENDING'],
          response: { 200: Rule, 202: Type.Object({ rule: Type.String(), approval: ApprovalSchema }) },
        },
      },
      async (request, reply) => {
        const proposed = await risk.ruleApprovals.propose(request.params.rule, request.body, partyOf(request));
        if (!proposed.ok) throw problemFrom(proposed.error);
        if (proposed.value.applied) return ruleDto(proposed.value.rule);
        return reply.code(202).send({ rule: request.params.rule, approval: approvalDto(proposed.value.approval) });
      },
    );

    app.get<{ Querystring: { status?: AlertRow['status']; before?: string; limit?: number } }>(
      '/api/v1/staff/risk/alerts',
      {
        config: analysts,
        schema: {
          operationId: 'listRiskAlerts',
          tags,
          summary: 'The alert queue, newest first',
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('resolved')]),
              ),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Alert), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const rows = await risk.analyst.list({
          status: request.query.status ?? null,
          before: request.query.before ?? null,
          limit,
        });
        const names = await risk.analyst.holderNames(rows.map((row) => row.user_id));
        return {
          items: rows.map((row) => ({ ...alertDto(row), holderName: names.get(row.user_id) ?? null })),
          nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
        };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/staff/risk/alerts/:id/claim',
      {
        config: analysts,
        schema: {
          operationId: 'claimRiskAlert',
          tags,
          summary: 'Claim an alert',
          params: Id,
          problems: ['RISK_ALERT_NOT_FOUND', 'RISK_ALERT_CLAIMED', 'RISK_ALERT_RESOLVED'],
          response: { 200: Alert },
        },
      },
      async (request) => {
        const claimed = await risk.analyst.claim(request.params.id, actorOf(request));
        if (!claimed.ok) throw problemFrom(claimed.error);
        return alertDto(claimed.value);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/risk/alerts/:id',
      {
        config: analysts,
        schema: {
          operationId: 'getRiskAlert',
          tags,
          summary: 'An alert with the movement, every rule reason in full, and the holder’s recent activity',
          params: Id,
          problems: ['RISK_ALERT_NOT_FOUND'],
          response: { 200: Type.Unknown() },
        },
      },
      async (request) => {
        const found = await risk.analyst.view(request.params.id, actorOf(request));
        if (!found.ok) throw problemFrom(found.error);
        const { alert, restriction, restrictions, ...rest } = found.value;
        return jsonSafe({
          ...rest,
          alert: alertDto(alert),
          restriction: restriction ? restrictionDto(restriction) : null,
          restrictions: restrictions.map(restrictionDto),
        });
      },
    );

    app.post<{ Params: { id: string }; Body: { resolution: Resolution; note: string; falsePositive?: boolean } }>(
      '/api/v1/staff/risk/alerts/:id/resolve',
      {
        config: { ...analysts, idempotent: true },
        schema: {
          operationId: 'resolveRiskAlert',
          tags,
          summary:
            'Resolve: release (post the held money), void, freeze the wallet, lift the restriction ' +
            '(falsePositive: it should never have been set, so credit treats a repayment it got in the way of ' +
            'as our own fault), or dismiss',
          params: Id,
          body: Type.Object(
            {
              resolution: Type.Union(RESOLUTIONS.map((r) => Type.Literal(r))),
              note: Note,
              falsePositive: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          problems: [
            'RISK_ALERT_NOT_FOUND',
            'RISK_ALERT_CLAIMED',
            'RISK_ALERT_RESOLVED',
            'RISK_ACTION_NOT_APPLICABLE',
            'RISK_HOLD_RESOLVED',
            'RISK_HOLD_EXPIRED',
            'RISK_ALREADY_RESTRICTED',
          ],
          response: { 200: Alert },
        },
      },
      async (request) => {
        const resolved = await risk.analyst.resolve(request.params.id, request.body, actorOf(request));
        if (!resolved.ok) throw problemFrom(resolved.error);
        return alertDto(resolved.value);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/risk/users/:id/restrictions',
      {
        config: analysts,
        schema: {
          operationId: 'listUserRestrictions',
          tags,
          summary: 'A holder’s restrictions',
          params: Id,
          response: {
            200: Type.Object({
              active: Type.Union([RestrictionSchema, Type.Null()]),
              history: Type.Array(RestrictionSchema),
            }),
          },
        },
      },
      async (request) => {
        const { active, history } = await risk.restrictions.ofUser(request.params.id);
        return { active: active ? restrictionDto(active) : null, history: history.map(restrictionDto) };
      },
    );

    app.post<{ Params: { id: string }; Body: { reason: string; liftBy?: 'reverify' | 'support' } }>(
      '/api/v1/staff/risk/users/:id/restrict',
      {
        config: analysts,
        schema: {
          operationId: 'restrictUser',
          tags,
          summary: 'Restrict a holder’s outgoing payments, with a reason',
          params: Id,
          body: Type.Object(
            { reason: Note, liftBy: Type.Optional(Type.Union([Type.Literal('reverify'), Type.Literal('support')])) },
            { additionalProperties: false },
          ),
          problems: ['RISK_USER_NOT_FOUND', 'RISK_ALREADY_RESTRICTED'],
          response: { 201: RestrictionSchema },
        },
      },
      async (request, reply) => {
        const made = await risk.restrictions.restrict(
          request.params.id,
          {
            reasonCode: 'staff',
            details: { reason: request.body.reason },
            liftBy: request.body.liftBy ?? 'support',
            source: 'staff',
          },
          actorOf(request),
        );
        if (!made.ok) throw problemFrom(made.error);
        return reply.code(201).send(restrictionDto(made.value));
      },
    );

    app.post<{ Params: { id: string }; Body: { reason: string; falsePositive?: boolean } }>(
      '/api/v1/staff/risk/users/:id/lift',
      {
        config: analysts,
        schema: {
          operationId: 'liftUserRestriction',
          tags,
          summary:
            'Lift a holder’s restriction, with a reason; falsePositive says it should never have been set ' +
            '(credit then treats a repayment it got in the way of as our own fault)',
          params: Id,
          body: Type.Object(
            { reason: Note, falsePositive: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          problems: ['RISK_NOT_RESTRICTED'],
          response: { 200: RestrictionSchema },
        },
      },
      async (request) => {
        const lifted = await risk.restrictions.lift(request.params.id, request.body.reason, actorOf(request), {
          falsePositive: request.body.falsePositive ?? false,
        });
        if (!lifted.ok) throw problemFrom(lifted.error);
        return restrictionDto(lifted.value);
      },
    );
  };
}
