import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { merchantActor } from '../payments/merchant-auth.js';
import { merchantAccess } from '../payments/merchant-roles.js';
import { ApiKeySchema, NewApiKeySchema, apiKeyJson } from './dto.js';
import type { MerchantApiService } from './service.js';

/** The merchant pages' side of the API: the owner makes, rolls and revokes API keys (session API). */

const tags = ['merchant'];

export function merchantApiKeyRoutes(service: MerchantApiService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/merchant/api-keys',
      {
        config: merchantAccess('settings'),
        schema: {
          operationId: 'listMerchantApiKeys',
          tags,
          summary: 'API keys of my merchant (never their secrets), with the time each was last used',
          response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }) },
        },
      },
      async (request) => ({
        items: (await service.keys.list(merchantActor(request).merchantId)).map(apiKeyJson),
      }),
    );

    app.post<{ Body: { name: string; mode: 'live' | 'test'; rateLimitPerMinute?: number } }>(
      '/api/v1/merchant/api-keys',
      {
        config: merchantAccess('settings'),
        schema: {
          operationId: 'createMerchantApiKey',
          tags,
          summary: 'Make an API key (sk_live_… or sk_test_…); its secret is in this answer only',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 40 }),
              mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
              rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 6000 })),
            },
            { additionalProperties: false },
          ),
          problems: ['MERCHANT_API_KEY_LIMIT'],
          response: { 201: NewApiKeySchema },
        },
      },
      async (request, reply) => {
        const actor = merchantActor(request);
        const made = await service.keys.create(actor.merchantId, actor.staffId, request.body);
        if (!made.ok) throw problemFrom(made.error);
        return reply.code(201).send({ ...apiKeyJson(made.value), secret: made.value.secret });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/merchant/api-keys/:id/roll',
      {
        config: merchantAccess('settings'),
        schema: {
          operationId: 'rollMerchantApiKey',
          tags,
          summary: 'A new secret for the key; the old one keeps working for 24 hours',
          params: IdParams,
          problems: ['MERCHANT_API_KEY_NOT_FOUND'],
          response: { 201: NewApiKeySchema },
        },
      },
      async (request, reply) => {
        const actor = merchantActor(request);
        const rolled = await service.keys.roll(actor.merchantId, actor.staffId, request.params.id);
        if (!rolled.ok) throw problemFrom(rolled.error);
        return reply.code(201).send({ ...apiKeyJson(rolled.value), secret: rolled.value.secret });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/merchant/api-keys/:id/revoke',
      {
        config: merchantAccess('settings'),
        schema: {
          operationId: 'revokeMerchantApiKey',
          tags,
          summary: 'End the key at once',
          params: IdParams,
          problems: ['MERCHANT_API_KEY_NOT_FOUND'],
          response: { 200: ApiKeySchema },
        },
      },
      async (request) => {
        const actor = merchantActor(request);
        const revoked = await service.keys.revoke(actor.merchantId, actor.staffId, request.params.id);
        if (!revoked.ok) throw problemFrom(revoked.error);
        return apiKeyJson(revoked.value);
      },
    );
  };
}
