import { newId } from '../platform/ids.js';
import type { Queryable } from '../platform/db/types.js';
import { fenToJson } from '../platform/money.js';
import { orderJson, refundJson } from './dto.js';
import { orderView, refundView } from './order-views.js';
import * as store from './store-webhooks.js';
import type { ApiMode, OrderRow, RefundRow } from './types.js';
import type { EventRow, WebhookEventType } from './webhook-types.js';

/**
 * The outbox: an event is written in the same transaction as the change that causes it (an order paid
 * or closed, a refund, a payout), so it exists exactly when the change does. Its body is fixed here,
 * `{"type", "timestamp", "data"}` as Standard Webhooks recommends, and every delivery sends it unchanged;
 * its id is the `webhook-id` a receiver deduplicates by.
 */

export function eventOf(input: {
  merchantId: string;
  mode: ApiMode;
  type: WebhookEventType;
  subjectId: string;
  data: Record<string, unknown>;
  at: Date;
  notifyUrl?: string | null;
}): EventRow {
  return {
    id: newId('msg', input.at.getTime()),
    merchant_id: input.merchantId,
    mode: input.mode,
    type: input.type,
    subject_id: input.subjectId,
    body: JSON.stringify({ type: input.type, timestamp: input.at.toISOString(), data: input.data }),
    notify_url: input.notifyUrl ?? null,
    created_at: input.at,
    fanned_out_at: null,
  };
}

export const orderEvent = (type: 'order.paid' | 'order.closed', row: OrderRow, at: Date): EventRow =>
  eventOf({
    merchantId: row.merchant_id,
    mode: row.mode,
    type,
    subjectId: row.id,
    data: orderJson(orderView(row, at)),
    at,
    notifyUrl: row.notify_url,
  });

/** A refund's event; it goes to the order's notify URL too (`notifyUrl`, the order's). */
export const refundEvent = (
  type: 'refund.succeeded' | 'refund.failed',
  row: RefundRow,
  at: Date,
  notifyUrl: string | null,
): EventRow =>
  eventOf({
    merchantId: row.merchant_id,
    mode: row.mode,
    type,
    subjectId: row.id,
    data: refundJson(refundView(row)),
    at,
    notifyUrl,
  });

export interface PaidPayout {
  id: string;
  merchantId: string;
  day: string;
  amountFen: bigint;
  railReference: string;
}

export const payoutEvent = (payout: PaidPayout, at: Date): EventRow =>
  eventOf({
    merchantId: payout.merchantId,
    mode: 'live',
    type: 'payout.paid',
    subjectId: payout.id,
    data: {
      id: payout.id,
      object: 'payout',
      day: payout.day,
      amount: fenToJson(payout.amountFen),
      currency: 'CNY',
      railReference: payout.railReference,
      paidAt: at.toISOString(),
    },
    at,
  });

/** Writes events; call it with the transaction that makes the change. */
export async function recordEvents(tx: Queryable, events: EventRow[]): Promise<void> {
  await store.insertEvents(tx, events);
}
