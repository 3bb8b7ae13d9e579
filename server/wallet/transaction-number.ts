/**
 * The transaction number (交易号) a holder sees, copies and quotes to support: digits only, like
 * Alipay's, never an internal id. Derived, not stored, so every movement already has one:
 *
 * - a posted ledger movement: its Asia/Shanghai day `YYYYMMDD`, `1`, then the ledger sequence
 *   number padded to 19 digits (28 digits; unique because the sequence is);
 * - a card order that has not posted (processing or failed): its day, `2`, then the 80 random bits
 *   of its id as 19 decimal digits (a clash needs two orders the same day with the same 63+ random
 *   bits). When the order posts, its movement carries the ledger number.
 */

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DIGITS = 19;
const MODULUS = 10n ** BigInt(DIGITS);

const shanghaiDay = (at: Date) =>
  new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');

export function entryTransactionNumber(seq: bigint, at: Date): string {
  if (seq < 0n || seq >= MODULUS) throw new Error(`ledger sequence ${seq} out of range`);
  return `${shanghaiDay(at)}1${seq.toString().padStart(DIGITS, '0')}`;
}

export function orderTransactionNumber(orderId: string, at: Date): string {
  const random = orderId.slice(orderId.indexOf('_') + 1).slice(10);
  let value = 0n;
  for (const char of random.toLowerCase()) {
    const digit = ALPHABET.indexOf(char);
    value = value * 32n + BigInt(digit < 0 ? 0 : digit);
  }
  return `${shanghaiDay(at)}2${(value % MODULUS).toString().padStart(DIGITS, '0')}`;
}

/** A string has the shape of a transaction number (28 digits). */
export const isTransactionNumber = (text: string) => /^\d{8}[12]\d{19}$/.test(text);
