import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Id } from '../platform/http/schemas.js';
import { fenToJson } from '../platform/money.js';
import { problemFrom } from '../platform/http/problem-error.js';
import type { PasskeyView } from './passkeys.js';
import { Password, Phone, SessionAnswer, requestContext, sessionAnswer } from './routes-auth.js';
import type { Identity } from './service.js';

/** Passkeys: adding, naming and removing them, signing in, and confirming payments with one. */

const tags = ['passkeys'];
const user = { auth: ['user'] as const };
const me = (request: FastifyRequest) => request.principal?.id as string;

const B64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9_-]*={0,2}$', minLength: 1, maxLength });
const Name = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });
const ClientFields = {
  authenticatorAttachment: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')])),
  clientExtensionResults: Type.Record(Type.String(), Type.Unknown()),
  type: Type.Literal('public-key'),
};

/** A browser's RegistrationResponseJSON (navigator.credentials.create(...).toJSON()). */
const RegistrationResponse = Type.Object({
  id: B64(1024),
  rawId: B64(1024),
  response: Type.Object({
    clientDataJSON: B64(4096),
    attestationObject: B64(16_384),
    authenticatorData: Type.Optional(B64(8192)),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(B64(4096)),
  }),
  ...ClientFields,
});

/** A browser's AuthenticationResponseJSON (navigator.credentials.get(...).toJSON()). */
const AuthenticationResponse = Type.Object({
  id: B64(1024),
  rawId: B64(1024),
  response: Type.Object({
    clientDataJSON: B64(4096),
    authenticatorData: B64(8192),
    signature: B64(1024),
    userHandle: Type.Optional(Type.String({ maxLength: 256 })),
  }),
  ...ClientFields,
});

// The options are the WebAuthn JSON the browser passes to navigator.credentials; its shape is the spec's.
const Options = Type.Record(Type.String(), Type.Unknown());

const PasskeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  deviceType: Type.String(),
  backedUp: Type.Boolean(),
  transports: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const dto = (p: PasskeyView) => ({
  ...p,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

export function passkeyRoutes(identity: Identity) {
  const passkeys = identity.passkeys;
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/me/passkeys',
      {
        config: user,
        schema: {
          operationId: 'listMyPasskeys',
          tags,
          summary: 'My passkeys',
          response: { 200: Type.Object({ items: Type.Array(PasskeySchema) }) },
        },
      },
      async (request) => ({
        items: (await passkeys.list(me(request))).map(dto),
      }),
    );

    app.post<{ Body: { password: string } }>(
      '/api/v1/me/passkeys/registration-options',
      {
        config: user,
        schema: {
          operationId: 'startPasskeyRegistration',
          tags,
          summary: 'Start adding a passkey (needs my password): options for navigator.credentials.create',
          body: Type.Object({ password: Password }, { additionalProperties: false }),
          problems: ['PASSKEY_LIMIT_REACHED', 'PASSWORD_INVALID', 'RATE_LIMITED'],
          response: { 200: Options },
        },
      },
      async (request) => {
        const options = await passkeys.registrationOptions(me(request), request.body.password, requestContext(request));
        if (!options.ok) throw problemFrom(options.error);
        return options.value;
      },
    );

    app.post<{ Body: { name?: string; response: RegistrationResponseJSON } }>(
      '/api/v1/me/passkeys',
      {
        config: user,
        schema: {
          operationId: 'addPasskey',
          tags,
          summary: 'Add a passkey: the authenticator’s answer to the registration options',
          body: Type.Object(
            { name: Type.Optional(Name), response: RegistrationResponse },
            { additionalProperties: false },
          ),
          problems: ['PASSKEY_CHALLENGE_INVALID', 'PASSKEY_INVALID', 'PASSKEY_LIMIT_REACHED'],
          response: { 201: PasskeySchema },
        },
      },
      async (request, reply) => {
        const added = await passkeys.register(me(request), request.body, requestContext(request));
        if (!added.ok) throw problemFrom(added.error);
        return reply.code(201).send(dto(added.value));
      },
    );

    app.patch<{ Params: { id: string }; Body: { name: string } }>(
      '/api/v1/me/passkeys/:id',
      {
        config: user,
        schema: {
          operationId: 'renamePasskey',
          tags,
          summary: 'Rename a passkey',
          params: Type.Object({ id: Id }),
          body: Type.Object({ name: Name }, { additionalProperties: false }),
          problems: ['PASSKEY_NOT_FOUND'],
          response: { 200: PasskeySchema },
        },
      },
      async (request) => {
        const renamed = await passkeys.rename(me(request), request.params.id, request.body.name);
        if (!renamed.ok) throw problemFrom(renamed.error);
        return dto(renamed.value);
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/me/passkeys/:id',
      {
        config: user,
        schema: {
          operationId: 'removePasskey',
          tags,
          summary: 'Remove a passkey',
          params: Type.Object({ id: Id }),
          problems: ['PASSKEY_NOT_FOUND'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const removed = await passkeys.remove(me(request), request.params.id, requestContext(request));
        if (!removed.ok) throw problemFrom(removed.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Body: { phone?: string } }>(
      '/api/v1/auth/passkey/options',
      {
        schema: {
          operationId: 'startPasskeySignIn',
          tags,
          summary:
            'Start signing in with a passkey: options for navigator.credentials.get (no phone: discoverable passkeys)',
          body: Type.Object({ phone: Type.Optional(Phone) }, { additionalProperties: false }),
          problems: ['RATE_LIMITED'],
          response: { 200: Options },
        },
      },
      async (request) => {
        const options = await passkeys.signInOptions(request.body, requestContext(request));
        if (!options.ok) throw problemFrom(options.error);
        return options.value;
      },
    );

    app.post<{ Body: { response: AuthenticationResponseJSON; deviceId?: string; client?: 'web' | 'api' } }>(
      '/api/v1/auth/passkey/login',
      {
        schema: {
          operationId: 'signInWithPasskey',
          tags,
          summary: 'Sign in with a passkey assertion',
          body: Type.Object(
            {
              response: AuthenticationResponse,
              deviceId: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
              client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('api')])),
            },
            { additionalProperties: false },
          ),
          problems: ['PASSKEY_CHALLENGE_INVALID', 'PASSKEY_INVALID', 'PASSKEY_NOT_FOUND', 'RATE_LIMITED'],
          response: { 200: SessionAnswer },
        },
      },
      async (request, reply) => {
        const signedIn = await passkeys.signIn(request.body.response, requestContext(request, request.body.deviceId));
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

    app.post<{ Params: { id: string } }>(
      '/api/v1/confirmations/:id/passkey/options',
      {
        config: user,
        schema: {
          operationId: 'startPasskeyConfirmation',
          tags: ['confirmations'],
          summary: 'Options to approve this movement with a passkey (the challenge is bound to it)',
          params: Type.Object({ id: Id }),
          problems: ['CONFIRMATION_NOT_FOUND', 'CONFIRMATION_INVALID', 'CONFIRMATION_EXPIRED', 'PASSKEY_NOT_FOUND'],
          response: { 200: Options },
        },
      },
      async (request) => {
        const options = await passkeys.confirmationOptions(me(request), request.params.id);
        if (!options.ok) throw problemFrom(options.error);
        return options.value;
      },
    );

    app.post<{ Params: { id: string }; Body: { response: AuthenticationResponseJSON } }>(
      '/api/v1/confirmations/:id/passkey',
      {
        config: user,
        schema: {
          operationId: 'confirmWithPasskey',
          tags: ['confirmations'],
          summary: 'Approve a movement with a passkey assertion over its challenge',
          params: Type.Object({ id: Id }),
          body: Type.Object({ response: AuthenticationResponse }, { additionalProperties: false }),
          problems: [
            'CONFIRMATION_NOT_FOUND',
            'CONFIRMATION_INVALID',
            'CONFIRMATION_EXPIRED',
            'PASSKEY_CHALLENGE_INVALID',
            'PASSKEY_INVALID',
            'PASSKEY_NOT_FOUND',
          ],
          response: {
            200: Type.Object({
              id: Type.String(),
              reference: Type.String(),
              amount: Type.Integer(),
              currency: Type.String(),
              payee: Type.String(),
              challenge: Type.String(),
              status: Type.String(),
              expiresAt: Type.String(),
            }),
          },
        },
      },
      async (request) => {
        const confirmed = await passkeys.confirm(
          me(request),
          request.params.id,
          request.body.response,
          requestContext(request),
        );
        if (!confirmed.ok) throw problemFrom(confirmed.error);
        const c = confirmed.value;
        return {
          id: c.id,
          reference: c.reference,
          amount: fenToJson(c.amountFen),
          currency: c.currency,
          payee: c.payee,
          challenge: c.challenge,
          status: c.status,
          expiresAt: c.expiresAt.toISOString(),
        };
      },
    );
  };
}
