/**
 * Amounts travel as integer fen (JSON numbers, or strings past 2^53) and are formatted only here,
 * at display: `123450` → `¥1,234.50`. No floats touch an amount.
 */

export type FenLike = number | string | bigint;

export function toFen(value: FenLike): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`amount ${value} is not an integer number of fen`);
    return BigInt(value);
  }
  if (!/^-?\d{1,20}$/.test(value)) throw new Error(`amount "${value}" is not an integer number of fen`);
  return BigInt(value);
}

export function formatFen(value: FenLike, options: { sign?: boolean } = {}): string {
  const fen = toFen(value);
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  const sign = negative ? '-' : options.sign && fen > 0n ? '+' : '';
  return `${sign}¥${yuan}.${cents}`;
}

/**
 * Parses what a person typed (`88`, `88.5`, `1,234.50`) into fen, or null when it is not a
 * positive amount with at most two decimals.
 */
export function parseYuan(input: string): bigint | null {
  const text = input.replace(/[,\s¥]/g, '');
  const match = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  const fen = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return fen > 0n ? fen : null;
}

/** For request bodies: the API takes amounts as JSON integers. */
export function fenToJson(fen: bigint): number {
  if (fen > BigInt(Number.MAX_SAFE_INTEGER) || fen < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error('amount out of range');
  return Number(fen);
}
