import type { ApiMode } from './types.js';
import type { WebhookSender } from './webhook-sender.js';
import type { Resolver } from './webhook-targets.js';

/** Webhooks of the merchant API: endpoints, events (the outbox), deliveries and their attempts. */

export const WEBHOOK_EVENT_TYPES = [
  'order.paid',
  'order.closed',
  'refund.succeeded',
  'refund.failed',
  'payout.paid',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface EndpointRow {
  id: string;
  merchant_id: string;
  /** 'notify': the hidden endpoint whose secret signs the deliveries to orders' notify URLs. */
  kind: 'endpoint' | 'notify';
  mode: ApiMode;
  url: string;
  description: string;
  events: WebhookEventType[];
  status: 'active' | 'disabled' | 'deleted';
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface EventRow {
  id: string;
  merchant_id: string;
  mode: ApiMode;
  type: WebhookEventType;
  subject_id: string;
  body: string;
  /** The notify URL of the order the event is about, when it has one. */
  notify_url: string | null;
  created_at: Date;
  fanned_out_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  merchant_id: string;
  /** The target when it is not the endpoint's URL: an order's notify URL. */
  url: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  created_at: Date;
}

export interface AttemptRow {
  id: string;
  delivery_id: string;
  endpoint_id: string;
  merchant_id: string;
  url: string;
  request_headers: Record<string, string>;
  response_status: number | null;
  response_body: string | null;
  latency_ms: number;
  error: string | null;
  manual: boolean;
  at: Date;
}

export type WebhookError =
  | { code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' | 'MERCHANT_API_WEBHOOK_DELIVERY_NOT_FOUND' }
  | { code: 'MERCHANT_API_WEBHOOK_LIMIT'; max: number }
  | { code: 'MERCHANT_API_WEBHOOK_DISABLED' }
  | { code: 'MERCHANT_API_URL_INVALID'; field: string; reason: string };

export interface WebhookSettings {
  /** The development override (TONGBAO_WEBHOOK_ALLOW_PRIVATE): live endpoints may be private and http. */
  allowPrivate: boolean;
  /** Name resolution for the check when saving and before each delivery (tests pass their own). */
  resolve?: Resolver;
  send?: WebhookSender;
  /** Tells the merchant (outside the app: an SMS to the registered contact) that an endpoint was disabled. */
  notifyMerchant?: (merchantId: string, text: { zh: string; en: string }) => Promise<void>;
}
