import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks 1.0 signatures (domain rules §10): `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature`, space-separated `v1,<base64>` entries, each an HMAC-SHA256 of
 * `<id>.<timestamp>.<raw body>` under an endpoint secret `whsec_<base64 key>`. During a secret
 * rotation the message carries one signature per secret. Checked in tests against the official
 * `standardwebhooks` package.
 */

const PREFIX = 'whsec_';

/** A new endpoint secret: 32 random bytes (the spec allows 24 to 64), base64, `whsec_`-prefixed. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

/** The headers of one webhook message, signed with every given secret (two during a rotation). */
export function signWebhook(message: { id: string; at: Date; body: string; secrets: readonly string[] }) {
  const timestamp = String(Math.floor(message.at.getTime() / 1000));
  const signed = `${message.id}.${timestamp}.${message.body}`;
  const signatures = message.secrets.map(
    (secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed).digest('base64')}`,
  );
  return {
    'webhook-id': message.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  };
}
