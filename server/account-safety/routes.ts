import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdNumber, Password, Phone, SmsCode, requestContext } from '../identity/routes-auth.js';
import { problemFrom } from '../platform/http/problem-error.js';
import type { AccountSafety } from './service.js';

/** Freezing, unfreezing and reporting theft: signed in, or with an SMS code when the phone is lost. */

const meTags = ['security'];
const authTags = ['identity'];
const user = { auth: ['user'] as const };
const Empty = { 204: Type.Null() };

const me = (request: FastifyRequest) => request.principal?.id as string;

export function accountSafetyRoutes(
  accountSafety: AccountSafety,
  clearCookies: (reply: FastifyReply, kind: 'user') => void,
) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/me/freeze',
      {
        config: user,
        schema: {
          operationId: 'freezeMyWallet',
          tags: meTags,
          summary: 'Freeze my wallet now',
          problems: ['ALREADY_FROZEN'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const frozen = await accountSafety.freeze(me(request), requestContext(request));
        if (!frozen.ok) throw problemFrom(frozen.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { smsCode: string; password: string; idNumber: string } }>(
      '/api/v1/me/unfreeze',
      {
        config: user,
        schema: {
          operationId: 'unfreezeMyWallet',
          tags: meTags,
          summary: 'Unfreeze: SMS code, password and ID number',
          body: Type.Object(
            { smsCode: SmsCode, password: Password, idNumber: IdNumber },
            { additionalProperties: false },
          ),
          problems: ['NOT_FROZEN', 'SMS_CODE_INVALID', 'IDENTITY_MISMATCH'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const lifted = await accountSafety.unfreeze(me(request), request.body, requestContext(request));
        if (!lifted.ok) throw problemFrom(lifted.error);
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/me/report-theft',
      {
        config: user,
        schema: {
          operationId: 'reportMyPhoneStolen',
          tags: meTags,
          summary: 'Report theft: freeze, sign out everywhere, remove passkeys, void holds, open a case',
          response: { 201: Type.Object({ caseId: Type.String(), voidedHolds: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const reported = await accountSafety.reportTheft(me(request), requestContext(request));
        clearCookies(reply, 'user');
        return reply.code(201).send(reported);
      },
    );

    app.post<{ Body: { phone: string; smsCode: string } }>(
      '/api/v1/auth/freeze',
      {
        schema: {
          operationId: 'freezeWalletSignedOut',
          tags: authTags,
          summary: 'Freeze a wallet at once with an SMS code (phone lost, no session)',
          body: Type.Object({ phone: Phone, smsCode: SmsCode }, { additionalProperties: false }),
          problems: ['ALREADY_FROZEN', 'SMS_CODE_INVALID', 'IDENTITY_MISMATCH'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const frozen = await accountSafety.freezeBySms(request.body, requestContext(request));
        if (!frozen.ok) throw problemFrom(frozen.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { phone: string; smsCode: string; idNumber: string } }>(
      '/api/v1/auth/report-theft',
      {
        schema: {
          operationId: 'reportPhoneStolenSignedOut',
          tags: authTags,
          summary: 'Report theft without a session: SMS code and ID number',
          body: Type.Object({ phone: Phone, smsCode: SmsCode, idNumber: IdNumber }, { additionalProperties: false }),
          problems: ['SMS_CODE_INVALID', 'IDENTITY_MISMATCH'],
          response: { 201: Type.Object({ caseId: Type.String(), voidedHolds: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const reported = await accountSafety.reportTheftBySms(request.body, requestContext(request));
        if (!reported.ok) throw problemFrom(reported.error);
        return reply.code(201).send(reported.value);
      },
    );
  };
}
