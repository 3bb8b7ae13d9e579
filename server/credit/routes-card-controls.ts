import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../platform/http/problem-error.js';
import { Id } from '../platform/http/schemas.js';
import { REVEAL_SECONDS, STATEMENT_DAY_CHANGE_MONTHS } from './card-controls.js';
import { maskPan } from './cards.js';
import { fail, me } from './routes.js';
import type { CreditService } from './service.js';

/** The holder's own card controls: freeze, unfreeze, reveal with the PIN, the statement day. Thin handlers. */

const tags = ['credit'];
const user = { auth: ['user'] as const, feature: 'credit' };
const Params = Type.Object({ id: Id });
const Day = Type.String({ format: 'date' });
const NullableDay = Type.Union([Day, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

const ControlsSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'active or frozen' }),
  frozenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  statementDay: Type.Integer(),
  dueDay: Type.Integer(),
  nextStatementOn: Day,
  pendingStatementDay: NullableInt,
  pendingDueDay: NullableInt,
  pendingFrom: NullableDay,
  changeAllowedFrom: NullableDay,
  changeEveryMonths: Type.Integer(),
});

const who = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });

export function creditCardControlRoutes(credit: CreditService) {
  const controls = credit.cardControls;
  return async (app: FastifyInstance) => {
    async function answer(userId: string, cardId: string) {
      const card = await controls.ownCard(userId, cardId);
      if (!card) throw new Problem('CREDIT_CARD_NOT_FOUND');
      const plan = await controls.statementDayPlan(card);
      return {
        id: card.id,
        status: card.status,
        frozenAt: card.frozen_at ? card.frozen_at.toISOString() : null,
        ...plan,
        changeEveryMonths: STATEMENT_DAY_CHANGE_MONTHS,
      };
    }

    app.get<{ Params: { id: string } }>(
      '/api/v1/credit/cards/:id/controls',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditGetCardControls',
          summary: 'The card’s controls: frozen or not, its statement day and a change waiting for the next cycle',
          problems: ['CREDIT_CARD_NOT_FOUND'],
          params: Params,
          response: { 200: ControlsSchema },
        },
      },
      async (request) => answer(me(request), request.params.id),
    );

    for (const [path, frozen] of [
      ['freeze', true],
      ['unfreeze', false],
    ] as const)
      app.post<{ Params: { id: string } }>(
        `/api/v1/credit/cards/:id/${path}`,
        {
          config: user,
          schema: {
            tags,
            operationId: frozen ? 'creditFreezeCard' : 'creditUnfreezeCard',
            summary: frozen
              ? 'Freeze my card: purchases are declined until I unfreeze it (repayments still work)'
              : 'Unfreeze my card: purchases work again',
            problems: ['CREDIT_CARD_NOT_FOUND'],
            params: Params,
            response: { 200: ControlsSchema },
          },
        },
        async (request) => {
          const done = await controls.setFrozen(me(request), request.params.id, frozen, who(request));
          if (!done.ok) throw fail(done.error);
          return answer(me(request), request.params.id);
        },
      );

    app.post<{ Params: { id: string }; Body: { pin: string } }>(
      '/api/v1/credit/cards/:id/reveal',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditRevealCard',
          summary: 'The full card number and CVV, after the payment PIN (never cached; every reveal is audited)',
          problems: ['CREDIT_CARD_NOT_FOUND', 'PIN_INVALID', 'PIN_LOCKED', 'PIN_NOT_SET'],
          params: Params,
          body: Type.Object({ pin: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              number: Type.String(),
              maskedNumber: Type.String(),
              cvv: Type.String(),
              expiry: Type.String(),
              maskAfterSeconds: Type.Integer(),
            }),
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        const shown = await controls.reveal(me(request), request.params.id, request.body.pin, who(request));
        if (!shown.ok) throw fail(shown.error);
        return {
          ...shown.value,
          maskedNumber: maskPan(shown.value.number.slice(-4)),
          maskAfterSeconds: REVEAL_SECONDS,
        };
      },
    );

    app.put<{ Params: { id: string }; Body: { statementDay: number } }>(
      '/api/v1/credit/cards/:id/statement-day',
      {
        config: user,
        schema: {
          tags,
          operationId: 'creditChangeStatementDay',
          summary: 'Choose a new statement day (1–28): it takes effect from the next cycle, once every 12 months',
          problems: [
            'CREDIT_CARD_NOT_FOUND',
            'CREDIT_STATEMENT_DAY_INVALID',
            'CREDIT_STATEMENT_DAY_UNCHANGED',
            'CREDIT_STATEMENT_DAY_CHANGED_RECENTLY',
          ],
          params: Params,
          body: Type.Object(
            { statementDay: Type.Integer({ minimum: 1, maximum: 28 }) },
            { additionalProperties: false },
          ),
          response: { 200: ControlsSchema },
        },
      },
      async (request) => {
        const done = await controls.changeStatementDay(
          me(request),
          request.params.id,
          request.body.statementDay,
          who(request),
        );
        if (!done.ok) throw fail(done.error);
        return answer(me(request), request.params.id);
      },
    );
  };
}
