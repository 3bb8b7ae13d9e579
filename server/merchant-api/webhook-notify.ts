import { newId } from '../platform/ids.js';
import { type Result, ok } from '../platform/result.js';
import type { MerchantApiDeps } from './deps.js';
import * as store from './store-webhooks.js';
import type { ApiMode } from './types.js';
import { newWebhookSecret } from './webhook-signing.js';
import { WEBHOOK_EVENT_TYPES, type EndpointRow, type WebhookError } from './webhook-types.js';
import { type EndpointOwner, type EndpointView, type Webhooks, endpointView } from './webhooks.js';

/**
 * The secret that signs deliveries to orders' notify URLs. An order's notifyUrl has no secret of its own
 * (a shop would have to keep one per order), so each merchant has one per mode, held by a hidden endpoint
 * of kind 'notify': its deliveries carry the order's URL, and everything else (Standard Webhooks headers,
 * retries, the delivery log, resend, rotation with 24 hours of both secrets) is an endpoint's. A shop makes
 * it before it creates orders with a notifyUrl; asking again rotates it.
 */
export function createNotifySigning(deps: MerchantApiDeps, webhooks: Webhooks) {
  const { db, clock, cipher, audit } = deps;

  return {
    /** The merchant's notify signers (of one mode for an API key), never their secrets. */
    async list(owner: EndpointOwner): Promise<EndpointView[]> {
      const now = clock.now();
      return (await store.listEndpoints(db, owner.merchantId, owner.mode, 'notify')).map((row) =>
        endpointView(row, now),
      );
    },

    /** Whether orders of this merchant and mode may carry a notifyUrl (a secret exists to sign for them). */
    async ready(merchantId: string, mode: ApiMode): Promise<boolean> {
      return (await store.findNotifyEndpoint(db, merchantId, mode))?.status === 'active';
    },

    /** Makes the notify secret of a mode, or rotates it when there is one; the secret is in this answer only. */
    async make(owner: EndpointOwner, mode: ApiMode): Promise<Result<EndpointView & { secret: string }, WebhookError>> {
      const existing = await store.findNotifyEndpoint(db, owner.merchantId, mode);
      if (existing) return webhooks.rotateSecret({ ...owner, mode }, existing.id);
      const now = clock.now();
      const secret = newWebhookSecret();
      const row: EndpointRow = {
        id: newId('whe', now.getTime()),
        merchant_id: owner.merchantId,
        kind: 'notify',
        mode,
        url: '',
        description: "orders' notify URLs",
        events: [...WEBHOOK_EVENT_TYPES],
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
      try {
        await store.insertEndpoint(db, row);
      } catch (error) {
        // Two first requests at once: the unique index let one in; the other rotates what it made.
        const made = await store.findNotifyEndpoint(db, owner.merchantId, mode);
        if (!made) throw error;
        return webhooks.rotateSecret({ ...owner, mode }, made.id);
      }
      await audit.record(db, {
        actorKind: 'system',
        actorId: owner.actor,
        action: 'merchant_webhook.notify_created',
        subjectType: 'merchant_webhook_endpoint',
        subjectId: row.id,
        details: { merchantId: row.merchant_id, mode },
      });
      return ok({ ...endpointView(row, now), secret });
    },
  };
}

export type NotifySigning = ReturnType<typeof createNotifySigning>;
