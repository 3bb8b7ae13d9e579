import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Id, IdParams } from '../platform/http/schemas.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import { merchantActor } from '../payments/merchant-auth.js';
import { merchantAccess } from '../payments/merchant-roles.js';
import { apiCaller } from './keys.js';
import { MERCHANT_API_PREFIX } from './routes-api.js';
import type { MerchantApiService } from './service.js';
import {
  DeliverySchema,
  EndpointSchema,
  EventTypes,
  NewEndpointSchema,
  ResendSchema,
  deliveryJson,
  endpointJson,
} from './webhook-dto.js';
import type { EndpointOwner } from './webhooks.js';
import type { WebhookEventType } from './webhook-types.js';

/**
 * Webhook endpoints, their secrets and delivery logs, twice: in the merchant pages' session API
 * (`/api/v1/merchant/webhooks`, the owner, both modes) and in the public API
 * (`/api/merchant/v1/webhook-endpoints`, an API key, its own mode).
 */

interface Surface {
  prefix: string;
  op: string;
  tags: string[];
  read: object;
  /** POSTs (the API: an Idempotency-Key required). */
  write: object;
  /** PATCH and DELETE (repeatable as they are). */
  change: object;
  security?: { merchantApiKey: [] }[];
  owner(request: FastifyRequest): EndpointOwner;
  /** The mode of a new endpoint: the key's, or the body's in the pages. */
  modeOf(request: FastifyRequest, body: { mode?: 'live' | 'test' }): 'live' | 'test';
  /** The pages name the mode; the API takes the key's. */
  modeField: boolean;
}

const Url = Type.String({ minLength: 8, maxLength: 2048, description: 'https (http only in test mode)' });
const Description = Type.Optional(Type.String({ maxLength: 100 }));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 20)' }));

function routesOn(service: MerchantApiService, surface: Surface) {
  const { webhooks } = service;
  const { prefix, op, tags, security } = surface;
  const base = `${prefix}`;
  return async (app: FastifyInstance) => {
    app.get(
      base,
      {
        config: surface.read,
        schema: {
          operationId: `list${op}WebhookEndpoints`,
          tags,
          summary: 'Webhook endpoints (never their secrets)',
          security,
          response: { 200: Type.Object({ items: Type.Array(EndpointSchema) }) },
        },
      },
      async (request) => ({ items: (await webhooks.list(surface.owner(request))).map(endpointJson) }),
    );

    app.post<{ Body: { url: string; events: WebhookEventType[]; description?: string; mode?: 'live' | 'test' } }>(
      base,
      {
        config: surface.write,
        schema: {
          operationId: `create${op}WebhookEndpoint`,
          tags,
          summary: 'Add a webhook endpoint; its whsec_ secret is in this answer only',
          security,
          body: Type.Object(
            {
              url: Url,
              events: EventTypes,
              description: Description,
              ...(surface.modeField ? { mode: Type.Union([Type.Literal('live'), Type.Literal('test')]) } : {}),
            },
            { additionalProperties: false },
          ),
          problems: ['MERCHANT_API_URL_INVALID', 'MERCHANT_API_WEBHOOK_LIMIT'],
          response: { 201: NewEndpointSchema },
        },
      },
      async (request, reply) => {
        const { mode: _mode, ...input } = request.body;
        const made = await webhooks.create(surface.owner(request), surface.modeOf(request, request.body), input);
        if (!made.ok) throw problemFrom(made.error);
        return reply.code(201).send({ ...endpointJson(made.value), secret: made.value.secret });
      },
    );

    app.get<{ Params: { id: string } }>(
      `${base}/:id`,
      {
        config: surface.read,
        schema: {
          operationId: `get${op}WebhookEndpoint`,
          tags,
          summary: 'A webhook endpoint',
          security,
          params: IdParams,
          problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND'],
          response: { 200: EndpointSchema },
        },
      },
      async (request) => {
        const found = await webhooks.get(surface.owner(request), request.params.id);
        if (!found) throw new Problem('MERCHANT_API_WEBHOOK_NOT_FOUND');
        return endpointJson(found);
      },
    );

    app.patch<{ Params: { id: string }; Body: { url?: string; events?: WebhookEventType[]; description?: string } }>(
      `${base}/:id`,
      {
        config: surface.change,
        schema: {
          operationId: `update${op}WebhookEndpoint`,
          tags,
          summary: 'Change the URL, the events or the description of an endpoint',
          security,
          params: IdParams,
          body: Type.Object(
            { url: Type.Optional(Url), events: Type.Optional(EventTypes), description: Description },
            { additionalProperties: false },
          ),
          problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND', 'MERCHANT_API_URL_INVALID'],
          response: { 200: EndpointSchema },
        },
      },
      async (request) => {
        const changed = await webhooks.update(surface.owner(request), request.params.id, request.body);
        if (!changed.ok) throw problemFrom(changed.error);
        return endpointJson(changed.value);
      },
    );

    app.delete<{ Params: { id: string } }>(
      `${base}/:id`,
      {
        config: surface.change,
        schema: {
          operationId: `delete${op}WebhookEndpoint`,
          tags,
          summary: 'Delete an endpoint; its pending deliveries end',
          security,
          params: IdParams,
          problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const removed = await webhooks.remove(surface.owner(request), request.params.id);
        if (!removed.ok) throw problemFrom(removed.error);
        return reply.code(204).send();
      },
    );

    app.post<{ Params: { id: string } }>(
      `${base}/:id/rotate-secret`,
      {
        config: surface.write,
        schema: {
          operationId: `rotate${op}WebhookSecret`,
          tags,
          summary: 'A new secret; messages are signed with the old one too for 24 hours',
          security,
          params: IdParams,
          problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND'],
          response: { 201: NewEndpointSchema },
        },
      },
      async (request, reply) => {
        const rotated = await webhooks.rotateSecret(surface.owner(request), request.params.id);
        if (!rotated.ok) throw problemFrom(rotated.error);
        return reply.code(201).send({ ...endpointJson(rotated.value), secret: rotated.value.secret });
      },
    );

    for (const [action, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post<{ Params: { id: string } }>(
        `${base}/:id/${action}`,
        {
          config: surface.write,
          schema: {
            operationId: `${action}${op}WebhookEndpoint`,
            tags,
            summary: enabled
              ? 'Enable an endpoint again (after it was disabled for failing, or by hand)'
              : 'Disable an endpoint: nothing is sent to it until it is enabled again',
            security,
            params: IdParams,
            problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND'],
            response: { 200: EndpointSchema },
          },
        },
        async (request) => {
          const changed = await webhooks.setEnabled(surface.owner(request), request.params.id, enabled);
          if (!changed.ok) throw problemFrom(changed.error);
          return endpointJson(changed.value);
        },
      );
    }

    app.get<{ Params: { id: string }; Querystring: { limit?: number; startingAfter?: string } }>(
      `${base}/:id/deliveries`,
      {
        config: surface.read,
        schema: {
          operationId: `list${op}WebhookDeliveries`,
          tags,
          summary: 'The delivery log of an endpoint, newest first: each event, its state and every attempt',
          security,
          params: IdParams,
          querystring: Type.Object({ limit: Limit, startingAfter: Type.Optional(Id) }, { additionalProperties: false }),
          problems: ['MERCHANT_API_WEBHOOK_NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(DeliverySchema),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { limit = 20, startingAfter } = request.query;
        const listed = await webhooks.deliveries(surface.owner(request), request.params.id, { limit, startingAfter });
        if (!listed.ok) throw problemFrom(listed.error);
        return { items: listed.value.items.map(deliveryJson), nextCursor: listed.value.nextCursor };
      },
    );

    const notifyPath = `${prefix.replace(/\/[^/]+$/, '')}/webhook-notify`;
    app.get(
      notifyPath,
      {
        config: surface.read,
        schema: {
          operationId: `list${op}WebhookNotifySigners`,
          tags,
          summary: "The secrets that sign deliveries to orders' notify URLs (one per mode; never the secret)",
          security,
          response: { 200: Type.Object({ items: Type.Array(EndpointSchema) }) },
        },
      },
      async (request) => ({ items: (await service.notify.list(surface.owner(request))).map(endpointJson) }),
    );

    app.post<{ Body: { mode?: 'live' | 'test' } | undefined }>(
      notifyPath,
      {
        config: surface.write,
        schema: {
          operationId: `make${op}WebhookNotifySecret`,
          tags,
          summary:
            "Make the secret that signs deliveries to orders' notify URLs, or rotate it (24 hours of both); " +
            'it is in this answer only',
          security,
          ...(surface.modeField
            ? {
                body: Type.Object(
                  { mode: Type.Union([Type.Literal('live'), Type.Literal('test')]) },
                  { additionalProperties: false },
                ),
              }
            : {}),
          response: { 201: NewEndpointSchema },
        },
      },
      async (request, reply) => {
        const made = await service.notify.make(surface.owner(request), surface.modeOf(request, request.body ?? {}));
        if (!made.ok) throw problemFrom(made.error);
        return reply.code(201).send({ ...endpointJson(made.value), secret: made.value.secret });
      },
    );

    app.post<{ Params: { id: string } }>(
      `${prefix.replace(/\/[^/]+$/, '')}/webhook-deliveries/:id/resend`,
      {
        config: surface.write,
        schema: {
          operationId: `resend${op}WebhookDelivery`,
          tags,
          summary: 'Send a delivery again now (whatever its state); answers what the endpoint said',
          security,
          params: IdParams,
          problems: ['MERCHANT_API_WEBHOOK_DELIVERY_NOT_FOUND', 'MERCHANT_API_WEBHOOK_DISABLED'],
          response: { 200: ResendSchema },
        },
      },
      async (request) => {
        const sent = await webhooks.resend(surface.owner(request), request.params.id);
        if (!sent.ok) throw problemFrom(sent.error);
        return sent.value;
      },
    );
  };
}

/** The merchant pages: the owner (permission `settings`) manages endpoints of both modes. */
export function merchantWebhookRoutes(service: MerchantApiService) {
  return routesOn(service, {
    prefix: '/api/v1/merchant/webhooks',
    op: 'Merchant',
    tags: ['merchant'],
    read: merchantAccess('settings'),
    write: merchantAccess('settings'),
    change: merchantAccess('settings'),
    owner: (request) => {
      const actor = merchantActor(request);
      return { merchantId: actor.merchantId, mode: null, actor: `merchant_staff:${actor.staffId}` };
    },
    modeOf: (_request, body) => body.mode ?? 'live',
    modeField: true,
  });
}

/** The public API: an API key manages its own mode's endpoints. */
export function apiWebhookRoutes(service: MerchantApiService) {
  return routesOn(service, {
    prefix: `${MERCHANT_API_PREFIX}/webhook-endpoints`,
    op: 'Api',
    tags: ['merchant-api'],
    read: { auth: ['merchant_api'] as const },
    write: { auth: ['merchant_api'] as const, idempotent: true },
    change: { auth: ['merchant_api'] as const },
    security: [{ merchantApiKey: [] }],
    owner: (request) => {
      const caller = apiCaller(request.principal);
      return { merchantId: caller.merchantId, mode: caller.mode, actor: `merchant_api_key:${caller.keyId}` };
    },
    modeOf: (request) => apiCaller(request.principal).mode,
    modeField: false,
  });
}
