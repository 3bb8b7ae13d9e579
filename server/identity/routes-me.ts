import { deviceName, readableLabel } from '../platform/device-name.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { Pin } from '../platform/http/schemas.js';
import { IdNumber, Password, SmsCode, requestContext } from './routes-auth.js';
import type { Identity } from './service.js';

/** The signed-in holder's own security: profile, sessions, devices, password, PIN, TOTP. */

const tags = ['security'];
const user = { auth: ['user'] as const };
const Totp = Type.String({ pattern: '^\\d{6}$' });
const Empty = { 204: Type.Null() };

const me = (request: FastifyRequest) => request.principal?.id as string;

export function meRoutes(identity: Identity) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/me',
      {
        config: user,
        schema: {
          operationId: 'getMe',
          tags,
          summary: 'My profile, masked',
          response: {
            200: Type.Object({
              id: Type.String(),
              phone: Type.String(),
              name: Type.String(),
              idNumber: Type.String(),
              tier: Type.String(),
              walletAccountId: Type.String(),
              frozen: Type.Boolean(),
              pinSet: Type.Boolean(),
              totpEnabled: Type.Boolean(),
              createdAt: Type.String({ format: 'date-time' }),
            }),
          },
        },
      },
      async (request) => {
        const profile = await identity.profile(me(request));
        if (!profile) throw problemFrom({ code: 'UNAUTHENTICATED' });
        return { ...profile, createdAt: profile.createdAt.toISOString() };
      },
    );

    app.get(
      '/api/v1/me/sessions',
      {
        config: user,
        schema: {
          operationId: 'listMySessions',
          tags,
          summary: 'My signed-in sessions',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  deviceId: Type.Union([Type.String(), Type.Null()]),
                  ip: Type.String(),
                  userAgent: Type.String(),
                  deviceName: Type.Union([Type.String(), Type.Null()]),
                  createdAt: Type.String(),
                  lastSeenAt: Type.String(),
                  current: Type.Boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: (await identity.sessions.list('user', me(request), request.principal?.sessionId)).map((s) => ({
          ...s,
          deviceName: deviceName(s.userAgent),
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
        })),
      }),
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/me/sessions/:id',
      {
        config: user,
        schema: {
          operationId: 'revokeMySession',
          tags,
          summary: 'Sign out one of my sessions',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          problems: ['SESSION_NOT_FOUND'],
          response: Empty,
        },
      },
      async (request, reply) => {
        if (!(await identity.sessions.revoke('user', me(request), request.params.id)))
          throw problemFrom({ code: 'SESSION_NOT_FOUND' });
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/me/sessions/revoke-others',
      {
        config: user,
        schema: {
          operationId: 'revokeMyOtherSessions',
          tags,
          summary: 'Sign out everywhere else; every payment-code device is removed too',
          response: { 200: Type.Object({ ended: Type.Integer() }) },
        },
      },
      async (request) =>
        identity.passwords.signOutOthers(me(request), request.principal?.sessionId, requestContext(request)),
    );

    app.get(
      '/api/v1/me/devices',
      {
        config: user,
        schema: {
          operationId: 'listMyDevices',
          tags,
          summary: 'Devices that have signed in',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  label: Type.String(),
                  firstSeenAt: Type.String(),
                  lastSeenAt: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: (await identity.devices(me(request))).map((d) => ({
          id: d.id,
          label: readableLabel(d.label),
          firstSeenAt: d.first_seen_at.toISOString(),
          lastSeenAt: d.last_seen_at.toISOString(),
        })),
      }),
    );

    app.post<{ Body: { currentPassword: string; newPassword: string } }>(
      '/api/v1/me/password',
      {
        config: user,
        schema: {
          operationId: 'changeMyPassword',
          tags,
          summary: 'Change my password; other sessions end',
          body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
          problems: ['PASSWORD_INVALID', 'PASSWORD_TOO_WEAK', 'ACCOUNT_LOCKED'],
          response: { 200: Type.Object({ otherSessionsEnded: Type.Integer() }) },
        },
      },
      async (request) => {
        const changed = await identity.passwords.changePassword(
          me(request),
          request.body,
          request.principal?.sessionId,
          requestContext(request),
        );
        if (!changed.ok) throw problemFrom(changed.error);
        return changed.value;
      },
    );

    app.put<{ Body: { newPin: string; password?: string; currentPin?: string } }>(
      '/api/v1/me/pin',
      {
        config: user,
        schema: {
          operationId: 'setMyPin',
          tags,
          summary: 'Set my payment PIN (with my password) or change it (with the current PIN)',
          body: Type.Object(
            { newPin: Pin, password: Type.Optional(Password), currentPin: Type.Optional(Pin) },
            { additionalProperties: false },
          ),
          problems: ['PIN_INVALID', 'PIN_LOCKED', 'PIN_TOO_WEAK', 'PASSWORD_INVALID'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const set = await identity.pin.set(me(request), request.body);
        if (!set.ok) throw problemFrom(set.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { smsCode: string; idNumber: string; newPin: string } }>(
      '/api/v1/me/pin/reset',
      {
        config: user,
        schema: {
          operationId: 'resetMyPin',
          tags,
          summary: 'Reset a forgotten PIN with an SMS code and my ID number',
          body: Type.Object({ smsCode: SmsCode, idNumber: IdNumber, newPin: Pin }, { additionalProperties: false }),
          problems: ['SMS_CODE_INVALID', 'IDENTITY_MISMATCH', 'PASSWORD_INVALID', 'PIN_TOO_WEAK', 'ACCOUNT_LOCKED'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const reset = await identity.pin.reset(me(request), request.body);
        if (!reset.ok) throw problemFrom(reset.error);
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/me/totp/setup',
      {
        config: user,
        schema: {
          operationId: 'startTotpSetup',
          tags,
          summary:
            'Start TOTP: a secret for an authenticator app (refused while TOTP is on: turn it off with a code first)',
          problems: ['TOTP_ALREADY_ENABLED'],
          response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }) },
        },
      },
      async (request) => {
        const started = await identity.totp.setup(me(request), requestContext(request));
        if (!started.ok) throw problemFrom(started.error);
        return started.value;
      },
    );

    app.post<{ Body: { code: string } }>(
      '/api/v1/me/totp/enable',
      {
        config: user,
        schema: {
          operationId: 'enableTotp',
          tags,
          summary: 'Turn TOTP on with a first code',
          body: Type.Object({ code: Totp }, { additionalProperties: false }),
          problems: ['TOTP_ALREADY_ENABLED', 'TOTP_INVALID'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const enabled = await identity.totp.enable(me(request), request.body.code, requestContext(request));
        if (!enabled.ok) throw problemFrom(enabled.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { code: string } }>(
      '/api/v1/me/totp/disable',
      {
        config: user,
        schema: {
          operationId: 'disableTotp',
          tags,
          summary: 'Turn TOTP off with a current code',
          body: Type.Object({ code: Totp }, { additionalProperties: false }),
          problems: ['TOTP_NOT_ENABLED', 'TOTP_INVALID'],
          response: Empty,
        },
      },
      async (request, reply) => {
        const disabled = await identity.totp.disable(me(request), request.body.code, requestContext(request));
        if (!disabled.ok) throw problemFrom(disabled.error);
        return reply.code(204).send();
      },
    );
  };
}
