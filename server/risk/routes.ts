import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams as Id } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenToJson } from '../platform/money.js';
import type { RestrictionView } from './restrictions.js';
import type { RiskService } from './service.js';
import type { StoredReason } from './store.js';
import { REASON_TEXT } from './text.js';

/** The holder's side: held payments to confirm or deny, step-up codes, and restrictions. */

const tags = ['risk'];
const user = { auth: ['user'] as const, feature: 'payments' };
const money = { auth: ['user'] as const, feature: 'payments', idempotent: true };
const Reason = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

const me = (request: FastifyRequest) => request.principal?.id as string;
export const actorOf = (request: FastifyRequest) => ({
  kind: (request.principal?.kind === 'staff' ? 'staff' : 'user') as 'staff' | 'user',
  id: request.principal?.id as string,
  ip: request.ip,
  requestId: request.id,
});

const plainReasons = (reasons: StoredReason[]) =>
  reasons.map((reason) => {
    const text = REASON_TEXT[reason.rule as keyof typeof REASON_TEXT];
    return { code: reason.code, zh: text?.zh ?? '', en: text?.en ?? '' };
  });

export const RestrictionSchema = Type.Object({
  id: Type.String(),
  reasonCode: Type.String(),
  reasonZh: Type.String(),
  reasonEn: Type.String(),
  liftBy: Type.String(),
  howToLiftZh: Type.String(),
  howToLiftEn: Type.String(),
  source: Type.String(),
  createdAt: Type.String(),
  liftedAt: Type.Union([Type.String(), Type.Null()]),
  falsePositive: Type.Boolean(),
});
export const restrictionDto = (view: RestrictionView) => ({
  ...view,
  createdAt: view.createdAt.toISOString(),
  liftedAt: view.liftedAt?.toISOString() ?? null,
});

const Held = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  payeeDisplay: Type.String(),
  status: Type.String(),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  reasons: Type.Array(Reason),
});

export function riskRoutes(risk: RiskService) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { after?: string; limit?: number } }>(
      '/api/v1/risk/confirmations',
      {
        config: user,
        schema: {
          operationId: 'listMyHeldMovements',
          tags,
          summary: 'Payments on hold waiting for me to say whether they were me',
          querystring: Type.Object(
            {
              after: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Held), nextAfter: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 20;
        const rows = await risk.listPendingConfirmations(me(request), request.query.after ?? null, limit);
        return {
          items: rows.map((row) => ({
            id: row.id,
            channel: row.channel,
            amount: fenToJson(row.amount),
            currency: row.currency,
            payeeDisplay: row.payee_display,
            status: row.status,
            expiresAt: row.expires_at.toISOString(),
            createdAt: row.created_at.toISOString(),
            reasons: plainReasons(row.reasons),
          })),
          nextAfter: rows.length === limit ? rows[rows.length - 1].id : null,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/risk/confirmations/:id',
      {
        config: user,
        schema: {
          operationId: 'getMyHeldMovement',
          tags,
          summary: 'One held payment (the confirmUrl of a RISK_CONFIRMATION_REQUIRED answer), whatever its status',
          params: Id,
          problems: ['RISK_HOLD_NOT_FOUND'],
          response: { 200: Held },
        },
      },
      async (request) => {
        const row = await risk.heldMovement(me(request), request.params.id);
        if (!row) throw problemFrom({ code: 'RISK_HOLD_NOT_FOUND' });
        return {
          id: row.id,
          channel: row.channel,
          amount: fenToJson(row.amount),
          currency: row.currency,
          payeeDisplay: row.payee_display,
          status: row.status,
          expiresAt: row.expires_at.toISOString(),
          createdAt: row.created_at.toISOString(),
          reasons: plainReasons(row.reasons),
        };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/risk/confirmations/:id/challenge',
      {
        config: user,
        schema: {
          operationId: 'challengeHeldMovement',
          tags,
          summary:
            'A confirmation bound to this held amount and payee; approve it with POST ' +
            '/api/v1/confirmations/:confirmationId/pin (or a passkey), then confirm here',
          params: Id,
          problems: ['RISK_HOLD_NOT_FOUND', 'RISK_HOLD_RESOLVED', 'RISK_HOLD_EXPIRED'],
          response: {
            201: Type.Object({
              confirmationId: Type.String(),
              challenge: Type.String(),
              amount: Type.Integer(),
              currency: Type.String(),
              payee: Type.String(),
              expiresAt: Type.String(),
            }),
          },
        },
      },
      async (request, reply) => {
        const made = await risk.challenge(me(request), request.params.id);
        if (!made.ok) throw problemFrom(made.error);
        const c = made.value;
        return reply.code(201).send({
          confirmationId: c.id,
          challenge: c.challenge,
          amount: fenToJson(c.amountFen),
          currency: c.currency,
          payee: c.payee,
          expiresAt: c.expiresAt.toISOString(),
        });
      },
    );

    app.post<{ Params: { id: string }; Body: { confirmationId: string } }>(
      '/api/v1/risk/confirmations/:id/confirm',
      {
        config: money,
        schema: {
          operationId: 'confirmHeldMovement',
          tags,
          summary: 'It was me: post the held payment (with an approved confirmation bound to its amount and payee)',
          params: Id,
          body: Type.Object(
            { confirmationId: Type.String({ minLength: 1, maxLength: 64 }) },
            { additionalProperties: false },
          ),
          problems: [
            'RISK_HOLD_NOT_FOUND',
            'RISK_HOLD_RESOLVED',
            'RISK_HOLD_EXPIRED',
            'RISK_ACTION_NOT_APPLICABLE',
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_EXPIRED',
            'CONFIRMATION_INVALID',
            'PIN_INVALID',
            'PIN_LOCKED',
            'ACCOUNT_FROZEN',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
          ],
          response: {
            200: Type.Object({
              id: Type.String(),
              status: Type.String(),
              entryId: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const confirmed = await risk.confirm(
          me(request),
          request.params.id,
          request.body.confirmationId,
          actorOf(request),
        );
        if (!confirmed.ok) throw problemFrom(confirmed.error);
        return { id: confirmed.value.id, status: confirmed.value.status, entryId: confirmed.value.entry_id };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/risk/confirmations/:id/deny',
      {
        config: money,
        schema: {
          operationId: 'denyHeldMovement',
          tags,
          summary: 'It was not me: cancel the payment, freeze my wallet and open a case',
          params: Id,
          problems: ['RISK_HOLD_NOT_FOUND', 'RISK_HOLD_RESOLVED', 'RISK_HOLD_EXPIRED'],
          response: { 200: Type.Object({ id: Type.String(), status: Type.Literal('denied'), caseId: Type.String() }) },
        },
      },
      async (request) => {
        const denied = await risk.deny(me(request), request.params.id, actorOf(request));
        if (!denied.ok) throw problemFrom(denied.error);
        return { id: request.params.id, status: 'denied' as const, caseId: denied.value.caseId };
      },
    );

    app.get(
      '/api/v1/me/restrictions',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'listMyRestrictions',
          tags,
          summary: 'Restrictions on my outgoing payments: why, and how to lift them',
          response: {
            200: Type.Object({
              active: Type.Union([RestrictionSchema, Type.Null()]),
              history: Type.Array(RestrictionSchema),
            }),
          },
        },
      },
      async (request) => {
        const { active, history } = await risk.restrictions.ofUser(me(request));
        return { active: active ? restrictionDto(active) : null, history: history.map(restrictionDto) };
      },
    );
  };
}
