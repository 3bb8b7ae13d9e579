import type { OrderRow, RefundRow } from './types.js';

/** What the API shows of an order and of a refund (the JSON shapes are in dto.ts). */

export type OrderViewStatus = 'open' | 'paid' | 'closed' | 'expired';

export interface OrderView {
  id: string;
  mode: OrderRow['mode'];
  shopOrderNumber: string;
  amountFen: bigint;
  currency: string;
  description: string;
  status: OrderViewStatus;
  returnUrl: string | null;
  notifyUrl: string | null;
  metadata: Record<string, string>;
  paymentId: string | null;
  refundedFen: bigint;
  payUrl: string;
  expiresAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
}

export interface RefundView {
  id: string;
  orderId: string;
  mode: RefundRow['mode'];
  amountFen: bigint;
  reason: string | null;
  status: RefundRow['status'];
  failureCode: string | null;
  createdAt: Date;
}

export const statusOf = (row: OrderRow, now: Date): OrderViewStatus =>
  row.status === 'open' && row.expires_at <= now ? 'expired' : row.status;

export const orderView = (row: OrderRow, now: Date): OrderView => ({
  id: row.id,
  mode: row.mode,
  shopOrderNumber: row.shop_order_number,
  amountFen: row.amount,
  currency: row.currency,
  description: row.description,
  status: statusOf(row, now),
  returnUrl: row.return_url,
  notifyUrl: row.notify_url,
  metadata: row.metadata,
  paymentId: row.payment_id,
  refundedFen: row.refunded_amount,
  payUrl: `/pay/${row.id}`,
  expiresAt: row.expires_at,
  paidAt: row.paid_at,
  closedAt: row.closed_at,
  createdAt: row.created_at,
});

export const refundView = (row: RefundRow): RefundView => ({
  id: row.id,
  orderId: row.order_id,
  mode: row.mode,
  amountFen: row.amount,
  reason: row.reason,
  status: row.status,
  failureCode: row.failure_code ?? null,
  createdAt: row.created_at,
});
