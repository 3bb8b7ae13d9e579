/** Amounts are integer fen as bigint. These helpers are for the edges: parsing input, formatting output. */

export const MAX_API_AMOUNT_FEN = BigInt(Number.MAX_SAFE_INTEGER);
export const CURRENCIES = ['CNY'] as const;
export type Currency = (typeof CURRENCIES)[number];

export function isCurrency(value: string): value is Currency {
  return (CURRENCIES as readonly string[]).includes(value);
}

/** `8850n` → `¥88.50`; negative amounts keep their sign before the symbol. */
export function formatFen(amountFen: bigint, currency: Currency = 'CNY'): string {
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  const negative = amountFen < 0n;
  const abs = negative ? -amountFen : amountFen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fen = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${symbol}${yuan}.${fen}`;
}

/** JSON has no bigint: amounts travel as integers, already checked by the route schema to be safe. */
export function fenFromJson(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new Error(`amount ${value} is not a safe integer`);
  return BigInt(value);
}

export function fenToJson(value: bigint): number {
  if (value > MAX_API_AMOUNT_FEN || value < -MAX_API_AMOUNT_FEN) throw new Error('amount out of JSON range');
  return Number(value);
}
