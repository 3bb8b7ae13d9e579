import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { IdNumber, Password, Phone, requestContext } from './routes-auth.js';
import type { Identity } from './service.js';

/** The recovery e-mail: the holder's own address (security settings) and forgot password by e-mail. */

const me = (request: FastifyRequest) => request.principal?.id as string;
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Code = Type.String({ pattern: '^\\d{6}$' });
const Sent = Type.Object({ expiresInSeconds: Type.Integer() });
const View = Type.Object({
  email: Type.Union([Type.String(), Type.Null()], {
    description: 'Masked; the verified address, else the pending one',
  }),
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  pendingEmail: Type.Union([Type.String(), Type.Null()], {
    description: 'Masked; an address waiting for its code while another stays verified',
  }),
});

export function emailRoutes(identity: Identity) {
  const email = identity.recoveryEmail;
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/me/email',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'getMyRecoveryEmail',
          tags: ['security'],
          summary: 'My recovery e-mail (masked) and whether it is verified',
          response: { 200: View },
        },
      },
      async (request) => email.view(me(request)),
    );

    app.put<{ Body: { email: string } }>(
      '/api/v1/me/email',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'startMyRecoveryEmail',
          tags: ['security'],
          summary: 'Add or change my recovery e-mail: a 6-digit code (15 minutes) is e-mailed to it',
          description:
            'The address becomes the recovery e-mail only once `POST /me/email/verify` proves the code; until ' +
            'then any verified address stays. At most 5 codes an hour per holder and 30 per IP address.',
          body: Type.Object({ email: Email }, { additionalProperties: false }),
          problems: ['EMAIL_INVALID', 'EMAIL_RATE_LIMITED', 'EMAIL_DELIVERY_FAILED'],
          response: { 202: Sent },
        },
      },
      async (request, reply) => {
        const sent = await email.start(me(request), request.body.email, requestContext(request));
        if (!sent.ok) throw problemFrom(sent.error);
        return reply.code(202).send(sent.value);
      },
    );

    app.post<{ Body: { code: string } }>(
      '/api/v1/me/email/verify',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'verifyMyRecoveryEmail',
          tags: ['security'],
          summary: 'Prove the e-mailed code: the address becomes my recovery e-mail',
          description:
            'The holder is told in the app and by SMS; a replaced address is told by e-mail. Three wrong codes use ' +
            'the code up.',
          body: Type.Object({ code: Code }, { additionalProperties: false }),
          problems: ['EMAIL_CODE_INVALID', 'EMAIL_NOT_PENDING'],
          response: { 200: View },
        },
      },
      async (request) => {
        const verified = await email.verify(me(request), request.body.code, requestContext(request));
        if (!verified.ok) throw problemFrom(verified.error);
        return verified.value;
      },
    );

    app.delete(
      '/api/v1/me/email',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'removeMyRecoveryEmail',
          tags: ['security'],
          summary: 'Remove my recovery e-mail (the removed address and I are told)',
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await email.remove(me(request), requestContext(request));
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { phone: string; email: string } }>(
      '/api/v1/auth/email-codes',
      {
        schema: {
          operationId: 'sendRecoveryEmailCode',
          tags: ['identity'],
          summary: 'Forgot password by e-mail: e-mail a code to the wallet’s verified recovery address',
          description:
            'Answers 202 the same way whether or not the phone has a wallet whose verified recovery e-mail is this ' +
            'address (only then is a code e-mailed), so the answer tells nobody who has a wallet or which address ' +
            'it uses. At most 5 requests an hour per phone and 30 per IP address, counted either way.',
          body: Type.Object({ phone: Phone, email: Email }, { additionalProperties: false }),
          problems: ['INVALID_PHONE', 'EMAIL_INVALID', 'EMAIL_RATE_LIMITED'],
          response: { 202: Sent },
        },
      },
      async (request, reply) => {
        const sent = await email.sendRecoveryCode(request.body.phone, request.body.email, requestContext(request));
        if (!sent.ok) throw problemFrom(sent.error);
        return reply.code(202).send(sent.value);
      },
    );

    app.post<{
      Body: { phone: string; email: string; emailCode: string; idNumber: string; name: string; newPassword: string };
    }>(
      '/api/v1/auth/recover/email',
      {
        schema: {
          operationId: 'recoverPasswordByEmail',
          tags: ['identity'],
          summary: 'Forgot password by e-mail: the e-mailed code, ID number and name; every session ends',
          body: Type.Object(
            {
              phone: Phone,
              email: Email,
              emailCode: Code,
              idNumber: IdNumber,
              name: Type.String({ minLength: 1, maxLength: 60 }),
              newPassword: Password,
            },
            { additionalProperties: false },
          ),
          problems: ['EMAIL_CODE_INVALID', 'IDENTITY_MISMATCH', 'PASSWORD_TOO_WEAK'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const recovered = await identity.passwords.recoverByEmail(request.body, requestContext(request));
        if (!recovered.ok) throw problemFrom(recovered.error);
        return reply.code(204).send();
      },
    );
  };
}
