import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { findOutboxMessages, insertOutboxMessage } from './store.js';

/** The SMS gateway adapter. The sandbox is the default; a real gateway implements the same interface. */
export interface SmsGateway {
  send(message: { phone: string; text: string; purpose: string }): Promise<{ id: string }>;
}

export class SmsDeliveryError extends Error {}

/**
 * Sandbox magic numbers (documented in docs/sandboxes.md):
 * - 13900000000: the gateway refuses the message (SmsDeliveryError);
 * - 13900000001: the gateway answers after 2 seconds.
 * Everything else is delivered after a short latency into the dev outbox.
 */
export const SANDBOX_FAILING_PHONE = '13900000000';
export const SANDBOX_SLOW_PHONE = '13900000001';

/**
 * The sandbox writes what it would have delivered to `sms_outbox`, sealed like other personal data:
 * the phone and the text (codes!) with the personal-data key, the phone also as a keyed hash to
 * find a phone's messages. Only the development outbox page and tests read them back.
 */
const outboxPhoneHash = (cipher: PiiCipher, phone: string) => cipher.lookupHash(`sms-outbox:${phone}`);

export function createSandboxSms(deps: {
  db: Queryable;
  clock: Clock;
  cipher: PiiCipher;
  latencyMs?: number;
}): SmsGateway {
  const latencyMs = deps.latencyMs ?? 5;
  return {
    async send(message) {
      const delay = message.phone === SANDBOX_SLOW_PHONE ? 2_000 : latencyMs;
      await new Promise((done) => setTimeout(done, delay));
      if (message.phone === SANDBOX_FAILING_PHONE) throw new SmsDeliveryError('sandbox gateway refused the message');
      const id = newId('sms', deps.clock.now().getTime());
      await insertOutboxMessage(deps.db, {
        id,
        phone_hash: outboxPhoneHash(deps.cipher, message.phone),
        phone_enc: deps.cipher.encrypt(message.phone),
        text_enc: deps.cipher.encrypt(message.text),
        purpose: message.purpose,
        created_at: deps.clock.now(),
      });
      return { id };
    },
  };
}

export interface OutboxMessage {
  id: string;
  phone: string;
  text: string;
  purpose: string;
  createdAt: Date;
}

/** The newest messages first, unsealed; of one phone, and of one purpose, when given. */
export async function readOutbox(
  db: Queryable,
  cipher: PiiCipher,
  options: { phone?: string; purpose?: string; limit: number },
): Promise<OutboxMessage[]> {
  const rows = await findOutboxMessages(db, {
    phoneHash: options.phone === undefined ? null : outboxPhoneHash(cipher, options.phone),
    purpose: options.purpose ?? null,
    limit: Math.min(Math.max(options.limit, 1), 200),
  });
  return rows.map((row) => ({
    id: row.id,
    phone: cipher.decrypt(row.phone_enc),
    text: cipher.decrypt(row.text_enc),
    purpose: row.purpose,
    createdAt: row.created_at,
  }));
}
