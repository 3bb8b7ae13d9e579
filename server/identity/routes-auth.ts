import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import type { RequestContext } from './deps.js';
import { normalizeMobile } from './phone.js';
import type { Identity } from './service.js';
import { SMS_PURPOSES, type SmsPurpose } from './sms-codes.js';
import { STAFF_ROLES } from './staff.js';

/** Routes used before signing in: codes, registration, sign-in and recovery. */

export const Phone = Type.String({ minLength: 5, maxLength: 20 });
export const SmsCode = Type.String({ pattern: '^\\d{6}$' });
export const Password = Type.String({ minLength: 1, maxLength: 256 });
export const IdNumber = Type.String({ minLength: 15, maxLength: 18 });
const Client = Type.Optional(
  Type.Union([Type.Literal('web'), Type.Literal('api')], {
    description: "'web' (default): session in an httpOnly cookie; 'api': bearer token in the body",
  }),
);
const DeviceId = Type.Optional(
  Type.String({ minLength: 8, maxLength: 128, description: 'A stable random id the client keeps for this device' }),
);

export const SessionAnswer = Type.Object({
  userId: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  csrfToken: Type.String(),
  token: Type.Optional(Type.String()),
});

export function requestContext(request: FastifyRequest, deviceId?: string): RequestContext {
  return {
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? ''),
    requestId: request.id,
    deviceId:
      deviceId ?? (typeof request.headers['x-device-id'] === 'string' ? request.headers['x-device-id'] : undefined),
  };
}

export function sessionAnswer(
  identity: Identity,
  reply: FastifyReply,
  kind: 'user' | 'staff',
  principalId: string,
  session: { token: string; csrfToken: string; expiresAt: Date },
  client: 'web' | 'api' | undefined,
) {
  if (client === 'api')
    return {
      userId: principalId,
      expiresAt: session.expiresAt.toISOString(),
      csrfToken: session.csrfToken,
      token: session.token,
    };
  identity.sessions.setCookies(reply, kind, session);
  return { userId: principalId, expiresAt: session.expiresAt.toISOString(), csrfToken: session.csrfToken };
}

const tags = ['identity'];

export function authRoutes(identity: Identity) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { phone: string; purpose: SmsPurpose } }>(
      '/api/v1/auth/sms-codes',
      {
        schema: {
          operationId: 'sendSignInCode',
          tags,
          summary: 'Text a 6-digit code (5 minutes, one use) to a phone',
          body: Type.Object(
            { phone: Phone, purpose: Type.Union(SMS_PURPOSES.map((purpose) => Type.Literal(purpose))) },
            { additionalProperties: false },
          ),
          problems: ['INVALID_PHONE', 'SMS_RATE_LIMITED', 'SMS_DELIVERY_FAILED'],
          response: { 202: Type.Object({ expiresInSeconds: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const phone = normalizeMobile(request.body.phone);
        if (!phone) throw problemFrom({ code: 'INVALID_PHONE' });
        const sent = await identity.smsCodes.send(phone, request.body.purpose, request.ip);
        if (!sent.ok) throw problemFrom(sent.error);
        return reply.code(202).send(sent.value);
      },
    );

    app.post<{
      Body: {
        phone: string;
        smsCode: string;
        idNumber: string;
        name: string;
        password: string;
        deviceId?: string;
        client?: 'web' | 'api';
      };
    }>(
      '/api/v1/auth/register',
      {
        schema: {
          operationId: 'register',
          tags,
          summary: 'Open a wallet: phone, SMS code, resident ID, real name, password',
          description:
            'Answers 202 the same way whether a wallet was opened or the phone or ID number already has one (that ' +
            'holder is texted), ' +
            ('so the answer does not tell who has a wallet. Then sign in with the phone and password: the ' +
              'registering ' +
              '`deviceId` is trusted. ') +
            '`client` is accepted and ignored (registration no longer starts a session).',
          body: Type.Object(
            {
              phone: Phone,
              smsCode: SmsCode,
              idNumber: IdNumber,
              name: Type.String({ minLength: 1, maxLength: 60 }),
              password: Password,
              deviceId: DeviceId,
              client: Client,
            },
            { additionalProperties: false },
          ),
          problems: [
            'INVALID_PHONE',
            'INVALID_NAME',
            'INVALID_ID_NUMBER',
            'UNDERAGE',
            'PASSWORD_TOO_WEAK',
            'SMS_CODE_INVALID',
            'RATE_LIMITED',
          ],
          response: { 202: Type.Object({ status: Type.Literal('submitted') }) },
        },
      },
      async (request, reply) => {
        const registered = await identity.registration.register(
          request.body,
          requestContext(request, request.body.deviceId),
        );
        if (!registered.ok) throw problemFrom(registered.error);
        return reply.code(202).send({ status: 'submitted' as const });
      },
    );

    app.post<{
      Body: {
        phone: string;
        password: string;
        smsCode?: string;
        totpCode?: string;
        deviceId?: string;
        client?: 'web' | 'api';
      };
    }>(
      '/api/v1/auth/login',
      {
        schema: {
          operationId: 'signIn',
          tags,
          summary: 'Sign in with phone and password (plus an SMS code on a new device, and TOTP when enabled)',
          body: Type.Object(
            {
              phone: Phone,
              password: Password,
              smsCode: Type.Optional(SmsCode),
              totpCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
              deviceId: DeviceId,
              client: Client,
            },
            { additionalProperties: false },
          ),
          problems: [
            'INVALID_CREDENTIALS',
            'ACCOUNT_LOCKED',
            'RATE_LIMITED',
            'DEVICE_VERIFICATION_REQUIRED',
            'SMS_CODE_INVALID',
            'SMS_RATE_LIMITED',
            'SMS_DELIVERY_FAILED',
            'TOTP_REQUIRED',
            'TOTP_INVALID',
          ],
          response: { 200: SessionAnswer },
        },
      },
      async (request, reply) => {
        const signedIn = await identity.login.login(request.body, requestContext(request, request.body.deviceId));
        if (!signedIn.ok) throw problemFrom(signedIn.error);
        return sessionAnswer(
          identity,
          reply,
          'user',
          signedIn.value.userId,
          signedIn.value.session,
          request.body.client,
        );
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { auth: ['user'] },
        schema: { operationId: 'signOut', tags, summary: 'End this session', response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.sessionId) await identity.sessions.revoke('user', principal.id, principal.sessionId);
        identity.sessions.clearCookies(reply, 'user');
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { phone: string; smsCode: string; idNumber: string; name: string; newPassword: string } }>(
      '/api/v1/auth/recover',
      {
        schema: {
          operationId: 'recoverPassword',
          tags,
          summary: 'Forgot password: SMS code, ID number and name; every session ends',
          body: Type.Object(
            {
              phone: Phone,
              smsCode: SmsCode,
              idNumber: IdNumber,
              name: Type.String({ minLength: 1, maxLength: 60 }),
              newPassword: Password,
            },
            { additionalProperties: false },
          ),
          problems: ['SMS_CODE_INVALID', 'IDENTITY_MISMATCH', 'PASSWORD_TOO_WEAK', 'ACCOUNT_LOCKED'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const recovered = await identity.passwords.recover(request.body, requestContext(request));
        if (!recovered.ok) throw problemFrom(recovered.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { phone: string; password: string; totpCode: string; client?: 'web' | 'api' } }>(
      '/api/v1/staff/auth/login',
      {
        schema: {
          operationId: 'signInStaff',
          tags: ['staff'],
          summary: 'Staff sign-in: password and TOTP',
          body: Type.Object(
            { phone: Phone, password: Password, totpCode: Type.String({ pattern: '^\\d{6}$' }), client: Client },
            { additionalProperties: false },
          ),
          problems: ['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED'],
          response: {
            200: Type.Object({
              userId: Type.String(),
              roles: Type.Array(Type.String()),
              expiresAt: Type.String(),
              csrfToken: Type.String(),
              token: Type.Optional(Type.String()),
            }),
          },
        },
      },
      async (request, reply) => {
        const signedIn = await identity.staff.login(request.body, requestContext(request));
        if (!signedIn.ok) throw problemFrom(signedIn.error);
        return {
          ...sessionAnswer(
            identity,
            reply,
            'staff',
            signedIn.value.staffId,
            signedIn.value.session,
            request.body.client,
          ),
          roles: signedIn.value.roles,
        };
      },
    );

    app.get(
      '/api/v1/staff/me',
      {
        config: { auth: ['staff'] },
        schema: {
          operationId: 'getStaffMe',
          tags: ['staff'],
          summary: 'The signed-in staff member',
          response: {
            200: Type.Object({
              id: Type.String(),
              name: Type.String(),
              roles: Type.Array(Type.Union(STAFF_ROLES.map((role) => Type.Literal(role)))),
            }),
          },
        },
      },
      async (request) => {
        const profile = await identity.staff.profile(request.principal?.id as string);
        if (!profile) throw problemFrom({ code: 'UNAUTHENTICATED' });
        return profile;
      },
    );
  };
}
