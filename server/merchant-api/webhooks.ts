import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { MerchantApiDeps } from './deps.js';
import * as store from './store-webhooks.js';
import type { ApiMode } from './types.js';
import { newWebhookSecret, signWebhook } from './webhook-signing.js';
import { sendWebhookHttp } from './webhook-sender.js';
import { checkWebhookTarget } from './webhook-targets.js';
import type {
  AttemptRow,
  DeliveryRow,
  EndpointRow,
  EventRow,
  WebhookError,
  WebhookEventType,
  WebhookSettings,
} from './webhook-types.js';

export type { WebhookSettings } from './webhook-types.js';

/**
 * Webhook endpoints and the delivery of the events the outbox recorded (Standard Webhooks 1.0, domain
 * rules §10). A run (the pg-boss job `merchant-api-webhooks`, woken after each commit that recorded
 * events and every minute besides) first fans each new event out to the endpoints that listen for it
 * (one delivery each), then sends the deliveries that are due. Any 2xx acknowledges; anything else, or
 * no answer, is tried again on the schedule below (about three days); an endpoint that has answered
 * nothing but failures for three days is disabled and the merchant told. Times come from the clock.
 */

/** The wait before each retry: 10 attempts over about 3 days 3 hours. */
export const RETRY_SCHEDULE_MS = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  14 * 3600_000,
  20 * 3600_000,
  24 * 3600_000,
];
/** An endpoint failing (no 2xx) for this long since its first failure is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 3600_000;
/** After a rotation the previous secret signs too, this long. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
export const MAX_ENDPOINTS = 10;
const SEND_TIMEOUT_MS = 10_000;
/** A claimed delivery is not claimed again this long (a worker that died mid-send). */
const CLAIM_LEASE_MS = 2 * 60_000;

export interface EndpointView {
  id: string;
  mode: ApiMode;
  url: string;
  description: string;
  events: WebhookEventType[];
  status: 'active' | 'disabled';
  rotatingUntil: Date | null;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

export interface AttemptView {
  id: string;
  at: Date;
  url: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseBody: string | null;
  latencyMs: number;
  error: string | null;
  manual: boolean;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  /** Where it goes: the endpoint's URL, or the order's notify URL. */
  url: string;
  eventId: string;
  eventType: string;
  body: string;
  status: DeliveryRow['status'];
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  createdAt: Date;
  log: AttemptView[];
}

export const endpointView = (row: EndpointRow, now: Date): EndpointView => ({
  id: row.id,
  mode: row.mode,
  url: row.url,
  description: row.description,
  events: row.events,
  status: row.status === 'disabled' ? 'disabled' : 'active',
  rotatingUntil:
    row.previous_secret_expires_at && row.previous_secret_expires_at > now ? row.previous_secret_expires_at : null,
  failingSince: row.failing_since,
  disabledAt: row.disabled_at,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
});

const attemptView = (row: AttemptRow): AttemptView => ({
  id: row.id,
  at: row.at,
  url: row.url,
  requestHeaders: row.request_headers,
  responseStatus: row.response_status,
  responseBody: row.response_body,
  latencyMs: row.latency_ms,
  error: row.error,
  manual: row.manual,
});

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

/** Who manages endpoints: a merchant (pages: both modes) or an API key (its own mode only). */
export interface EndpointOwner {
  merchantId: string;
  mode: ApiMode | null;
  actor: string;
}

export function createWebhooks(deps: MerchantApiDeps, settings: WebhookSettings) {
  const { db, clock, cipher, audit } = deps;
  const send = settings.send ?? sendWebhookHttp;
  let wake: () => void = () => {};

  const target = (url: string, mode: ApiMode) =>
    checkWebhookTarget(url, { mode, allowPrivate: settings.allowPrivate, resolve: settings.resolve });

  /** The owner's endpoint; the notify endpoint (orders' notify URLs) only where `notify` allows it. */
  async function own(owner: EndpointOwner, id: string, notify = false): Promise<EndpointRow | null> {
    const row = await store.findEndpoint(db, id);
    if (!row || (row.kind === 'notify' && !notify)) return null;
    return row.merchant_id === owner.merchantId && (owner.mode === null || row.mode === owner.mode) ? row : null;
  }

  async function note(owner: EndpointOwner, action: string, row: EndpointRow, details: Record<string, unknown> = {}) {
    await audit.record(db, {
      actorKind: 'system',
      actorId: owner.actor,
      action,
      subjectType: 'merchant_webhook_endpoint',
      subjectId: row.id,
      details: { merchantId: row.merchant_id, mode: row.mode, url: row.url, ...details },
    });
  }

  /** Fans new events out to the endpoints listening then: one delivery each, due now. */
  async function fanOut(limit = 200): Promise<number> {
    return db.transaction(async (tx) => {
      const events = await store.lockUnfannedEvents(tx, limit);
      const now = clock.now();
      for (const event of events) {
        const targets = (await store.listeningEndpoints(tx, event.merchant_id, event.mode, event.type)).map(
          (endpoint) => ({ endpoint, url: null as string | null }),
        );
        // An order's notify URL gets all of the order's events, signed with the merchant's notify secret.
        if (event.notify_url) {
          const notify = await store.findNotifyEndpoint(tx, event.merchant_id, event.mode);
          if (notify?.status === 'active') targets.push({ endpoint: notify, url: event.notify_url });
        }
        for (const { endpoint, url } of targets) {
          await store.insertDelivery(tx, {
            id: newId('dlv', now.getTime()),
            event_id: event.id,
            endpoint_id: endpoint.id,
            merchant_id: event.merchant_id,
            url,
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            last_attempt_at: null,
            last_status_code: null,
            created_at: now,
          });
        }
      }
      if (events.length > 0)
        await store.markEventsFannedOut(
          tx,
          events.map((event) => event.id),
          now,
        );
      return events.length;
    });
  }

  function secretsOf(endpoint: EndpointRow, now: Date): string[] {
    const secrets = [cipher.decrypt(endpoint.secret_enc)];
    if (
      endpoint.previous_secret_enc &&
      endpoint.previous_secret_expires_at &&
      endpoint.previous_secret_expires_at > now
    )
      secrets.push(cipher.decrypt(endpoint.previous_secret_enc));
    return secrets;
  }

  /** One attempt of a delivery: signs, checks the target, sends, logs, and decides what comes next. */
  async function attempt(delivery: DeliveryRow, endpoint: EndpointRow, event: EventRow, manual: boolean) {
    const now = clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Tongbao-Webhooks/1.0',
      ...signWebhook({ id: event.id, at: now, body: event.body, secrets: secretsOf(endpoint, now) }),
    };
    const url = delivery.url ?? endpoint.url;
    const checked = await target(url, endpoint.mode);
    const refusePrivate = endpoint.mode === 'live' && !settings.allowPrivate;
    const outcome = checked.ok
      ? await send(checked.value, { headers, body: event.body }, { refusePrivate, timeoutMs: SEND_TIMEOUT_MS })
      : { ok: false as const, error: checked.error.reason, latencyMs: 0 };
    const acknowledged = outcome.ok && outcome.status >= 200 && outcome.status < 300;
    const attempts = delivery.attempts + 1;
    const retryIn = RETRY_SCHEDULE_MS[attempts - 1];
    let disabled = false;
    await db.transaction(async (tx) => {
      await store.insertAttempt(tx, {
        id: newId('wat', now.getTime()),
        delivery_id: delivery.id,
        endpoint_id: endpoint.id,
        merchant_id: endpoint.merchant_id,
        url,
        // The signature is kept: it proves nothing without the secret, and shows what the shop should have checked.
        request_headers: headers,
        response_status: outcome.ok ? outcome.status : null,
        response_body: outcome.ok ? outcome.body : null,
        latency_ms: outcome.latencyMs,
        error: outcome.ok ? null : outcome.error,
        manual,
        at: now,
      });
      const statusCode = outcome.ok ? outcome.status : null;
      if (acknowledged) {
        await store.recordDeliveryOutcome(tx, delivery.id, {
          status: 'succeeded',
          attempts,
          nextAttemptAt: null,
          at: now,
          statusCode,
        });
        await store.endpointSucceeded(tx, endpoint.id);
        return;
      }
      if (manual) {
        // A resend by hand that fails leaves the schedule as it was.
        await store.recordDeliveryOutcome(tx, delivery.id, {
          status: delivery.status,
          attempts,
          nextAttemptAt: delivery.status === 'pending' ? (delivery.next_attempt_at ?? now) : null,
          at: now,
          statusCode,
        });
        return;
      }
      await store.recordDeliveryOutcome(tx, delivery.id, {
        status: retryIn === undefined ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: retryIn === undefined ? null : new Date(now.getTime() + retryIn),
        at: now,
        statusCode,
      });
      // One order's notify URL failing says nothing about the others': the notify endpoint is never disabled.
      if (endpoint.kind === 'notify') return;
      const failingSince = await store.endpointFailed(tx, endpoint.id, now);
      if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS) {
        disabled = await store.disableEndpoint(tx, endpoint.id, now, 'failing');
        if (disabled) await store.failPendingDeliveries(tx, endpoint.id);
      }
    });
    if (disabled) {
      await note(
        { merchantId: endpoint.merchant_id, mode: null, actor: 'system:webhooks' },
        'merchant_webhook.disabled',
        endpoint,
        {
          failingSinceDays: DISABLE_AFTER_MS / 86_400_000,
        },
      );
      await settings.notifyMerchant?.(endpoint.merchant_id, {
        zh: `您的 Webhook 地址 ${endpoint.url} 已连续 3 天无法送达，已停用。请在商户端检查后重新启用。`,
        en:
          `Your webhook endpoint ${endpoint.url} has failed for 3 days and was disabled. ` +
          'Check it and enable it again in the merchant pages.',
      });
    }
    return { acknowledged, statusCode: outcome.ok ? outcome.status : null };
  }

  /** Sends the deliveries that are due now; answers how many were tried. */
  async function deliverDue(limit = 50): Promise<number> {
    const now = clock.now();
    const due = await store.claimDueDeliveries(db, now, new Date(now.getTime() + CLAIM_LEASE_MS), limit);
    // A few at a time: one slow shop does not hold up the others for long.
    for (let at = 0; at < due.length; at += 8) {
      await Promise.all(
        due.slice(at, at + 8).map(async (delivery) => {
          const endpoint = await store.findEndpoint(db, delivery.endpoint_id);
          const event = await store.findEvent(db, delivery.event_id);
          if (!endpoint || !event || endpoint.status !== 'active') {
            await store.recordDeliveryOutcome(db, delivery.id, {
              status: 'failed',
              attempts: delivery.attempts,
              nextAttemptAt: null,
              at: now,
              statusCode: delivery.last_status_code,
            });
            return;
          }
          await attempt(delivery, endpoint, event, false);
        }),
      );
    }
    return due.length;
  }

  return {
    /** The job wakes itself when events were recorded (set by the process that runs pg-boss). */
    setWake(fn: () => void) {
      wake = fn;
    },
    eventsRecorded() {
      wake();
    },

    /** One run of the delivery job: fan out new events, then send what is due, in bounded rounds. */
    async runDue(): Promise<{ events: number; attempts: number }> {
      let events = 0;
      let attempts = 0;
      for (let round = 0; round < 20; round++) {
        const fanned = await fanOut();
        events += fanned;
        if (fanned < 200) break;
      }
      for (let round = 0; round < 20; round++) {
        const tried = await deliverDue();
        attempts += tried;
        if (tried === 0) break;
      }
      return { events, attempts };
    },

    async list(owner: EndpointOwner): Promise<EndpointView[]> {
      const now = clock.now();
      return (await store.listEndpoints(db, owner.merchantId, owner.mode)).map((row) => endpointView(row, now));
    },

    async get(owner: EndpointOwner, id: string): Promise<EndpointView | null> {
      const row = await own(owner, id);
      return row ? endpointView(row, clock.now()) : null;
    },

    /** A new endpoint; its secret is in this answer only (the pages show it once). */
    async create(
      owner: EndpointOwner,
      mode: ApiMode,
      input: EndpointInput,
    ): Promise<Result<EndpointView & { secret: string }, WebhookError>> {
      const checked = await target(input.url, mode);
      if (!checked.ok) return err(checked.error);
      if ((await store.countEndpoints(db, owner.merchantId)) >= MAX_ENDPOINTS)
        return err({ code: 'MERCHANT_API_WEBHOOK_LIMIT', max: MAX_ENDPOINTS });
      const now = clock.now();
      const secret = newWebhookSecret();
      const row: EndpointRow = {
        id: newId('whe', now.getTime()),
        merchant_id: owner.merchantId,
        kind: 'endpoint',
        mode,
        url: input.url,
        description: input.description ?? '',
        events: [...new Set(input.events)],
        status: 'active',
        secret_enc: cipher.encrypt(secret),
        previous_secret_enc: null,
        previous_secret_expires_at: null,
        failing_since: null,
        disabled_at: null,
        disabled_reason: null,
        created_by: owner.actor,
        created_at: now,
        updated_at: now,
      };
      await store.insertEndpoint(db, row);
      await note(owner, 'merchant_webhook.created', row, { events: row.events });
      return ok({ ...endpointView(row, now), secret });
    },

    async update(
      owner: EndpointOwner,
      id: string,
      input: Partial<EndpointInput>,
    ): Promise<Result<EndpointView, WebhookError>> {
      const row = await own(owner, id);
      if (!row) return err({ code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' });
      const url = input.url ?? row.url;
      if (input.url !== undefined) {
        const checked = await target(url, row.mode);
        if (!checked.ok) return err(checked.error);
      }
      const now = clock.now();
      const events = input.events ? [...new Set(input.events)] : row.events;
      const description = input.description ?? row.description;
      await store.updateEndpoint(db, id, { url, description, events, at: now });
      await note(owner, 'merchant_webhook.updated', row, { newUrl: url, events });
      return ok(endpointView({ ...row, url, description, events, updated_at: now }, now));
    },

    /** A new secret; the previous one keeps signing beside it for 24 hours. */
    async rotateSecret(
      owner: EndpointOwner,
      id: string,
    ): Promise<Result<EndpointView & { secret: string }, WebhookError>> {
      const now = clock.now();
      const rotated = await db.transaction(async (tx) => {
        const row = await store.findEndpoint(tx, id, true);
        // The notify endpoint's secret rotates like any endpoint's.
        if (!row || row.merchant_id !== owner.merchantId || (owner.mode !== null && row.mode !== owner.mode))
          return null;
        const secret = newWebhookSecret();
        const until = new Date(now.getTime() + ROTATION_OVERLAP_MS);
        const secretEnc = cipher.encrypt(secret);
        await store.rotateEndpointSecret(tx, id, secretEnc, row.secret_enc, until, now);
        return {
          secret,
          row: {
            ...row,
            secret_enc: secretEnc,
            previous_secret_enc: row.secret_enc,
            previous_secret_expires_at: until,
          },
        };
      });
      if (!rotated) return err({ code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' });
      await note(owner, 'merchant_webhook.secret_rotated', rotated.row);
      return ok({ ...endpointView(rotated.row, now), secret: rotated.secret });
    },

    async setEnabled(owner: EndpointOwner, id: string, enabled: boolean): Promise<Result<EndpointView, WebhookError>> {
      const row = await own(owner, id);
      if (!row) return err({ code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' });
      const now = clock.now();
      await db.transaction(async (tx) => {
        await store.setEndpointStatus(tx, id, enabled ? 'active' : 'disabled', now, enabled ? null : 'by_merchant');
        if (!enabled) await store.failPendingDeliveries(tx, id);
      });
      await note(owner, enabled ? 'merchant_webhook.enabled' : 'merchant_webhook.disabled', row);
      const changed = await store.findEndpoint(db, id);
      return ok(endpointView(changed as EndpointRow, now));
    },

    async remove(owner: EndpointOwner, id: string): Promise<Result<null, WebhookError>> {
      const row = await own(owner, id);
      if (!row) return err({ code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' });
      await db.transaction(async (tx) => {
        await store.setEndpointStatus(tx, id, 'deleted', clock.now(), null);
        await store.failPendingDeliveries(tx, id);
      });
      await note(owner, 'merchant_webhook.deleted', row);
      return ok(null);
    },

    /** The delivery log of an endpoint: deliveries newest first, each with its attempts. */
    async deliveries(
      owner: EndpointOwner,
      id: string,
      q: { limit: number; startingAfter?: string },
    ): Promise<Result<{ items: DeliveryView[]; nextCursor: string | null }, WebhookError>> {
      const endpoint = await own(owner, id, true);
      if (!endpoint) return err({ code: 'MERCHANT_API_WEBHOOK_NOT_FOUND' });
      const rows = await store.listDeliveries(db, id, q.startingAfter ?? null, q.limit + 1);
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const attempts = await store.listAttempts(
        db,
        page.map((row) => row.id),
      );
      const items = page.map((row) => ({
        id: row.id,
        endpointId: row.endpoint_id,
        url: row.url ?? endpoint.url,
        eventId: row.event_id,
        eventType: row.event_type,
        body: row.body,
        status: row.status,
        attempts: row.attempts,
        nextAttemptAt: row.next_attempt_at,
        lastAttemptAt: row.last_attempt_at,
        lastStatusCode: row.last_status_code,
        createdAt: row.created_at,
        log: attempts.filter((a) => a.delivery_id === row.id).map(attemptView),
      }));
      return ok({ items, nextCursor: more ? page[page.length - 1].id : null });
    },

    /** Sends a delivery again now, by hand (whatever its state); answers the attempt's outcome. */
    async resend(
      owner: EndpointOwner,
      deliveryId: string,
    ): Promise<Result<{ acknowledged: boolean; statusCode: number | null }, WebhookError>> {
      const delivery = await store.findDelivery(db, deliveryId);
      const endpoint = delivery ? await own(owner, delivery.endpoint_id, true) : null;
      if (!delivery || !endpoint) return err({ code: 'MERCHANT_API_WEBHOOK_DELIVERY_NOT_FOUND' });
      if (endpoint.status !== 'active') return err({ code: 'MERCHANT_API_WEBHOOK_DISABLED' });
      const event = (await store.findEvent(db, delivery.event_id)) as EventRow;
      const outcome = await attempt(delivery, endpoint, event, true);
      return ok(outcome);
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
