import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** Time-ordered random ids with a type prefix (`acc_`, `ent_`, `usr_`): 10 chars of time, 16 of randomness. */
export function newId(prefix: string, nowMs = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32] + ALPHABET[(byte >> 5) % 32];
  return `${prefix}_${time}${random.slice(0, 16)}`;
}
