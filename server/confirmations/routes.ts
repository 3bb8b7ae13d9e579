import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams as Id, Pin } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenToJson } from '../platform/money.js';
import type { Confirmations } from './service.js';
import type { StepUps } from './step-ups.js';

/** The holder's side of confirmations: a movement to confirm with the payment PIN, and step-up codes. */

const user = { auth: ['user'] as const };
const stepUpUser = { auth: ['user'] as const, feature: 'payments' };

const me = (request: FastifyRequest) => request.principal?.id as string;

export function confirmationRoutes(confirmations: Confirmations, stepUps: StepUps) {
  return async (app: FastifyInstance) => {
    const ConfirmationSchema = Type.Object({
      id: Type.String(),
      reference: Type.String(),
      amount: Type.Integer(),
      currency: Type.String(),
      payee: Type.String(),
      challenge: Type.String(),
      status: Type.String(),
      expiresAt: Type.String(),
    });
    const confirmationDto = (c: {
      id: string;
      reference: string;
      amountFen: bigint;
      currency: string;
      payee: string;
      challenge: string;
      status: string;
      expiresAt: Date;
    }) => ({ ...c, amountFen: undefined, amount: fenToJson(c.amountFen), expiresAt: c.expiresAt.toISOString() });

    app.get<{ Params: { id: string } }>(
      '/api/v1/confirmations/:id',
      {
        config: user,
        schema: {
          operationId: 'getConfirmation',
          tags: ['confirmations'],
          summary: 'A movement waiting for my confirmation',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          problems: ['CONFIRMATION_NOT_FOUND'],
          response: { 200: ConfirmationSchema },
        },
      },
      async (request) => {
        const found = await confirmations.get(me(request), request.params.id);
        if (!found) throw problemFrom({ code: 'CONFIRMATION_NOT_FOUND' });
        return confirmationDto(found);
      },
    );

    app.post<{ Params: { id: string }; Body: { pin: string } }>(
      '/api/v1/confirmations/:id/pin',
      {
        config: user,
        schema: {
          operationId: 'confirmWithPin',
          tags: ['confirmations'],
          summary: 'Confirm a movement with my payment PIN',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ pin: Pin }, { additionalProperties: false }),
          problems: [
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
            'PIN_INVALID',
            'PIN_LOCKED',
            'PIN_NOT_SET',
          ],
          response: { 200: ConfirmationSchema },
        },
      },
      async (request) => {
        const confirmed = await confirmations.confirmWithPin(me(request), request.params.id, request.body.pin);
        if (!confirmed.ok) throw problemFrom(confirmed.error);
        return confirmationDto(confirmed.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/risk/step-ups/:id/sms',
      {
        config: stepUpUser,
        schema: {
          operationId: 'sendStepUpCode',
          tags: ['risk'],
          summary: 'Text me a code bound to this payment (step-up)',
          params: Id,
          problems: ['RISK_STEP_UP_NOT_FOUND', 'RATE_LIMITED'],
          response: { 202: Type.Object({ expiresInSeconds: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const sent = await stepUps.sendCode(me(request), request.params.id);
        if (!sent.ok) throw problemFrom(sent.error);
        return reply.code(202).send(sent.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { smsCode: string } }>(
      '/api/v1/risk/step-ups/:id/verify',
      {
        config: stepUpUser,
        schema: {
          operationId: 'verifyStepUp',
          tags: ['risk'],
          summary: 'Verify the step-up code; then retry the payment',
          params: Id,
          body: Type.Object({ smsCode: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false }),
          problems: ['RISK_STEP_UP_NOT_FOUND', 'RISK_STEP_UP_CODE_INVALID', 'RATE_LIMITED'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const verified = await stepUps.verify(me(request), request.params.id, request.body.smsCode);
        if (!verified.ok) throw problemFrom(verified.error);
        return reply.code(204).send();
      },
    );
  };
}
