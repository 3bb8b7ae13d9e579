import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PinKey, PinKeyRing } from '../platform/pin-keys.js';
import { verifySecret } from './deps.js';

/**
 * Payment PIN hashes: HMAC-SHA256 under a key held outside the database (docs/security.md, "Payment
 * PIN"). A stored hash reads `hmac-sha256$<keyId>$<base64url mac>`; the key id says which key of
 * the ring made it. The holder's id is part of the message, so equal PINs of two holders do not
 * give equal hashes. Hashes from before (argon2id, `$argon2id$...`) are still accepted, and a
 * successful check of one asks for it to be replaced, as does a hash under an earlier key.
 */

const SCHEME = 'hmac-sha256';

export interface PinCheck {
  matches: boolean;
  /** The PIN matched a hash that is not under the current key: store `hash()` in its place. */
  rehash: boolean;
}

export function createPinHasher(ring: PinKeyRing) {
  const keys = new Map<string, PinKey>([ring.current, ...ring.previous].map((key) => [key.id, key]));
  const mac = (key: PinKey, userId: string, pin: string) =>
    createHmac('sha256', key.key).update(`tongbao-pin-v1\0${userId}\0${pin}`).digest();

  return {
    hash(userId: string, pin: string): string {
      return `${SCHEME}$${ring.current.id}$${mac(ring.current, userId, pin).toString('base64url')}`;
    },

    /** Compares in constant time; a hash under a key id this process does not hold never matches. */
    async check(userId: string, pin: string, stored: string): Promise<PinCheck> {
      if (stored.startsWith('$argon2')) {
        const matches = await verifySecret(stored, pin);
        return { matches, rehash: matches };
      }
      const [scheme, keyId, encoded, extra] = stored.split('$');
      const key = keys.get(keyId ?? '');
      if (scheme !== SCHEME || !key || encoded === undefined || extra !== undefined) {
        return { matches: false, rehash: false };
      }
      const expected = mac(key, userId, pin);
      const actual = Buffer.from(encoded, 'base64url');
      const matches = actual.length === expected.length && timingSafeEqual(actual, expected);
      return { matches, rehash: matches && key.id !== ring.current.id };
    },
  };
}

export type PinHasher = ReturnType<typeof createPinHasher>;
