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
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[nextRandomByte() & 31];
  return `${prefix}_${time}${random}`;
}

// Random bytes are drawn from a pool refilled 4 KiB at a time: one system call per 256 ids.
let pool = Buffer.alloc(0);
let poolAt = 0;
function nextRandomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++];
}
