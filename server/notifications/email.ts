import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { findEmailOutboxMessages, insertEmailOutboxMessage } from './store.js';

/** The e-mail gateway adapter. The sandbox is the default; the HTTP adapter (`email-http.ts`) is the real one. */
export interface EmailGateway {
  send(message: { to: string; subject: string; text: string; purpose: string }): Promise<{ id: string }>;
}

export class EmailDeliveryError extends Error {}

/**
 * Sandbox behaviour (docs/support.md): every address at `bounce.example` bounces (EmailDeliveryError),
 * as a real provider's hard bounce would; everything else is "delivered" into the development outbox.
 */
export const SANDBOX_BOUNCING_DOMAIN = 'bounce.example';

/** Lower-cased and trimmed: the form an address is compared, hashed and stored in. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A plain address check: one @, a dotted domain, no spaces, at most 254 characters. */
export function isEmailAddress(email: string): boolean {
  return email.length <= 254 && /^[^@\s"<>(),;:]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(email);
}

const outboxAddressHash = (cipher: PiiCipher, to: string) => cipher.lookupHash(`email-outbox:${normalizeEmail(to)}`);

/**
 * The sandbox writes what it would have sent to `email_outbox`, sealed like other personal data:
 * the address and the body (codes!) with the personal-data key, the address also as a keyed hash.
 * Only the development outbox pages and tests read them back.
 */
export function createSandboxEmail(deps: { db: Queryable; clock: Clock; cipher: PiiCipher }): EmailGateway {
  return {
    async send(message) {
      if (normalizeEmail(message.to).endsWith(`@${SANDBOX_BOUNCING_DOMAIN}`))
        throw new EmailDeliveryError('sandbox mailbox bounced the message');
      const now = deps.clock.now();
      const id = newId('eml', now.getTime());
      await insertEmailOutboxMessage(deps.db, {
        id,
        to_hash: outboxAddressHash(deps.cipher, message.to),
        to_enc: deps.cipher.encrypt(normalizeEmail(message.to)),
        subject: message.subject,
        body_enc: deps.cipher.encrypt(message.text),
        purpose: message.purpose,
        created_at: now,
      });
      return { id };
    },
  };
}

export interface EmailOutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  purpose: string;
  createdAt: Date;
}

/** The newest e-mails first, unsealed; of one address when given. */
export async function readEmailOutbox(
  db: Queryable,
  cipher: PiiCipher,
  options: { to?: string; limit: number },
): Promise<EmailOutboxMessage[]> {
  const rows = await findEmailOutboxMessages(db, {
    toHash: options.to === undefined ? null : outboxAddressHash(cipher, options.to),
    limit: Math.min(Math.max(options.limit, 1), 200),
  });
  return rows.map((row) => ({
    id: row.id,
    to: cipher.decrypt(row.to_enc),
    subject: row.subject,
    text: cipher.decrypt(row.body_enc),
    purpose: row.purpose,
    createdAt: row.created_at,
  }));
}
