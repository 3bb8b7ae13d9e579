import { Type } from 'typebox';
import type { DeliveryView, EndpointView } from './webhooks.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-types.js';

/** JSON shapes of webhook endpoints and their delivery log; times as ISO 8601. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Mode = Type.Union([Type.Literal('live'), Type.Literal('test')]);

export const EventType = Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)));
export const EventTypes = Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length });

export const EndpointSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('webhook_endpoint'),
  mode: Mode,
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  status: Type.String({ description: 'active or disabled' }),
  rotatingUntil: Nullable(Time),
  failingSince: Nullable(Time),
  disabledAt: Nullable(Time),
  disabledReason: Nullable(Type.String({ description: 'failing (3 days without a 2xx) or by_merchant' })),
  createdAt: Time,
});

export const NewEndpointSchema = Type.Intersect([
  EndpointSchema,
  Type.Object({ secret: Type.String({ description: 'whsec_…: shown this once' }) }),
]);

export const endpointJson = (e: EndpointView) => ({
  id: e.id,
  object: 'webhook_endpoint' as const,
  mode: e.mode,
  url: e.url,
  description: e.description,
  events: e.events,
  status: e.status,
  rotatingUntil: e.rotatingUntil?.toISOString() ?? null,
  failingSince: e.failingSince?.toISOString() ?? null,
  disabledAt: e.disabledAt?.toISOString() ?? null,
  disabledReason: e.disabledReason,
  createdAt: e.createdAt.toISOString(),
});

const AttemptSchema = Type.Object({
  id: Type.String(),
  at: Time,
  url: Type.String(),
  requestHeaders: Type.Record(Type.String(), Type.String()),
  responseStatus: Nullable(Type.Integer()),
  responseBody: Nullable(Type.String()),
  latencyMs: Type.Integer(),
  error: Nullable(Type.String()),
  manual: Type.Boolean(),
});

export const DeliverySchema = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  url: Type.String({ description: "Where it goes: the endpoint's URL, or the order's notify URL" }),
  eventId: Type.String({ description: 'The webhook-id header' }),
  eventType: Type.String(),
  body: Type.String({ description: 'The exact body sent (and signed)' }),
  status: Type.String({ description: 'pending, succeeded or failed' }),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Time),
  lastAttemptAt: Nullable(Time),
  lastStatusCode: Nullable(Type.Integer()),
  createdAt: Time,
  log: Type.Array(AttemptSchema),
});

export const deliveryJson = (d: DeliveryView) => ({
  ...d,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  log: d.log.map((a) => ({ ...a, at: a.at.toISOString() })),
});

export const ResendSchema = Type.Object({
  acknowledged: Type.Boolean({ description: 'The endpoint answered 2xx' }),
  statusCode: Nullable(Type.Integer()),
});
