import type { LedgerError } from '../ledger/errors.js';
import type { PaymentError } from '../payments/types.js';

/** Online checkout's merchant API: keys, orders and refunds (docs/merchant-api.md). */

export type ApiMode = 'live' | 'test';

export interface ApiKeyRow {
  id: string;
  merchant_id: string;
  name: string;
  mode: ApiMode;
  prefix: string;
  secret_hash: string;
  rate_limit_per_minute: number;
  status: 'active' | 'revoked';
  expires_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

export type OrderStatus = 'open' | 'paid' | 'closed';

export interface OrderRow {
  id: string;
  merchant_id: string;
  mode: ApiMode;
  shop_order_number: string;
  amount: bigint;
  currency: string;
  description: string;
  return_url: string | null;
  notify_url: string | null;
  metadata: Record<string, string>;
  status: OrderStatus;
  qr_code_id: string | null;
  payment_id: string | null;
  refunded_amount: bigint;
  expires_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
  created_by_key: string;
  created_at: Date;
}

export interface RefundRow {
  id: string;
  order_id: string;
  merchant_id: string;
  mode: ApiMode;
  amount: bigint;
  reason: string | null;
  status: 'succeeded' | 'failed';
  /** Why the money could not move (the ledger's code), on a failed refund. */
  failure_code: string | null;
  payment_refund_id: string | null;
  created_by_key: string;
  created_at: Date;
}

/** Who calls the merchant API: resolved from the key on every request. */
export interface ApiCaller {
  merchantId: string;
  keyId: string;
  mode: ApiMode;
}

/** A page of a cursor-paginated list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type MerchantApiError =
  | { code: 'MERCHANT_API_KEY_NOT_FOUND' | 'MERCHANT_API_KEY_LIMIT' }
  | { code: 'MERCHANT_API_ORDER_NOT_FOUND' | 'MERCHANT_API_REFUND_NOT_FOUND' }
  | { code: 'MERCHANT_API_ORDER_NUMBER_TAKEN'; orderId: string }
  | { code: 'MERCHANT_API_ORDER_NOT_OPEN'; status: string }
  | { code: 'MERCHANT_API_ORDER_NOT_PAID'; status: string }
  | { code: 'MERCHANT_API_REFUND_EXCEEDS_PAID'; refundableFen: bigint }
  | { code: 'MERCHANT_API_REFUND_FAILED'; refundId: string; reason: string }
  | { code: 'MERCHANT_API_NOTIFY_SECRET_MISSING' }
  | { code: 'MERCHANT_API_URL_INVALID'; field: string; reason: string }
  | { code: 'MERCHANT_API_TEST_MODE_ONLY' }
  | { code: 'MERCHANT_API_EXPIRY_INVALID'; minSeconds: number; maxSeconds: number }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number }
  | PaymentError
  | LedgerError;
