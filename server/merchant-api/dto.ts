import { Type } from 'typebox';
import { fenToJson } from '../platform/money.js';
import type { ApiKeyView } from './keys.js';
import type { OrderView, RefundView } from './order-views.js';

/** JSON shapes of the merchant API: amounts as integer fen named `amount`, times as ISO 8601. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Mode = Type.Union([Type.Literal('live'), Type.Literal('test')]);

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mode: Mode,
  prefix: Type.String({ description: 'The first characters of the secret, to tell keys apart' }),
  status: Type.String({ description: 'active, expiring (rolled, still working until expiresAt), expired or revoked' }),
  rateLimitPerMinute: Type.Integer(),
  expiresAt: Nullable(Time),
  lastUsedAt: Nullable(Time),
  createdAt: Time,
});

export const NewApiKeySchema = Type.Intersect([
  ApiKeySchema,
  Type.Object({ secret: Type.String({ description: 'Shown this once; only its hash is kept' }) }),
]);

export const apiKeyJson = (k: ApiKeyView) => ({
  id: k.id,
  name: k.name,
  mode: k.mode,
  prefix: k.prefix,
  status: k.status,
  rateLimitPerMinute: k.rateLimitPerMinute,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  createdAt: k.createdAt.toISOString(),
});

export const OrderSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('order'),
  mode: Mode,
  shopOrderNumber: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  description: Type.String(),
  status: Type.String({ description: 'open, paid, closed or expired' }),
  returnUrl: Nullable(Type.String()),
  notifyUrl: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
  paymentId: Nullable(Type.String()),
  refundedAmount: Type.Integer(),
  payUrl: Type.String({ description: 'The hosted pay page, relative to the server' }),
  expiresAt: Time,
  paidAt: Nullable(Time),
  closedAt: Nullable(Time),
  createdAt: Time,
});

export const orderJson = (o: OrderView) => ({
  id: o.id,
  object: 'order' as const,
  mode: o.mode,
  shopOrderNumber: o.shopOrderNumber,
  amount: fenToJson(o.amountFen),
  currency: o.currency,
  description: o.description,
  status: o.status,
  returnUrl: o.returnUrl,
  notifyUrl: o.notifyUrl,
  metadata: o.metadata,
  paymentId: o.paymentId,
  refundedAmount: fenToJson(o.refundedFen),
  payUrl: o.payUrl,
  expiresAt: o.expiresAt.toISOString(),
  paidAt: o.paidAt?.toISOString() ?? null,
  closedAt: o.closedAt?.toISOString() ?? null,
  createdAt: o.createdAt.toISOString(),
});

export const RefundSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('refund'),
  orderId: Type.String(),
  mode: Mode,
  amount: Type.Integer(),
  reason: Nullable(Type.String()),
  status: Type.String({ description: 'succeeded, or failed: the money could not move (see failureCode)' }),
  failureCode: Nullable(Type.String({ description: "On a failed refund, the ledger's reason" })),
  createdAt: Time,
});

export const refundJson = (r: RefundView) => ({
  id: r.id,
  object: 'refund' as const,
  orderId: r.orderId,
  mode: r.mode,
  amount: fenToJson(r.amountFen),
  reason: r.reason,
  status: r.status,
  failureCode: r.failureCode,
  createdAt: r.createdAt.toISOString(),
});

/** A page of a list: pass `nextCursor` as `startingAfter` for the next one; null on the last page. */
export const pageSchema = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const CheckoutSchema = Type.Object({
  id: Type.String(),
  mode: Mode,
  merchantName: Type.String({ description: "The shop's name as the bank verified it" }),
  merchantNumber: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  description: Type.String(),
  shopOrderNumber: Type.String(),
  status: Type.String(),
  payload: Nullable(Type.String({ description: 'The QR payload the wallet pays, while a live order is open' })),
  returnUrl: Nullable(Type.String()),
  expiresAt: Time,
});
