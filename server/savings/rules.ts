/**
 * The money rules of savings, as pure functions (docs/savings.md, domain-rules-2 §8). Rates and
 * yields are integers in 1/10,000: `rateE4` 14500 is 1.4500 % a year, `per10kE4` 4921 is ¥0.4921
 * of income per 10,000 units. Amounts are fen; a fund unit is ¥1 (NAV fixed at 1.00).
 */

/** a / b rounded half up, for non-negative a and positive b. */
export function divHalfUp(a: bigint, b: bigint): bigint {
  return (a * 2n + b) / (2n * b);
}

/** Interest on a deposit: principal × rate × days / 360, to the fen, half up (人民币利率管理规定). */
export function depositInterest(principalFen: bigint, rateE4: bigint, days: number): bigint {
  if (days <= 0) return 0n;
  return divHalfUp(principalFen * rateE4 * BigInt(days), 100n * 10_000n * 360n);
}

/** A day's fund income on `sharesFen` of earning shares: shares/100 units × per10k / 10,000, to the fen. */
export function fundIncome(sharesFen: bigint, per10kE4: bigint): bigint {
  if (sharesFen <= 0n) return 0n;
  return divHalfUp(sharesFen * per10kE4, 100_000_000n);
}

/** Shares earning on a day: additions earning by then, but never more than the balance at its end. */
export function earningShares(addedEarningFen: bigint, balanceFen: bigint): bigint {
  const earning = addedEarningFen < balanceFen ? addedEarningFen : balanceFen;
  return earning > 0n ? earning : 0n;
}

/** The 7-day annualised yield from the last seven days' income per 10,000 units: Σ/10,000 × 365/7. */
export function sevenDayYieldE4(lastSevenPer10kE4: readonly bigint[]): bigint {
  const sum = lastSevenPer10kE4.reduce((total, value) => total + value, 0n);
  // percent e4 = (sum e4 / 10,000 yuan / 10,000 units) × 365/7 × 100 % × 10,000
  return divHalfUp(sum * 365n * 100n, 7n * 10_000n);
}

/** `14500n` → `"1.4500"`. */
export function formatE4(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`;
}

/** `"1.45"` → `14500n`; null unless a non-negative decimal with at most four places. */
export function parseE4(text: string): bigint | null {
  const match = /^(\d{1,6})(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) return null;
  return BigInt(match[1]) * 10_000n + BigInt((match[2] ?? '').padEnd(4, '0'));
}

/** The fast (T+0) redemption cap per holder, fund and day: ¥10,000 (CSRC/PBOC 2018). */
export const FAST_REDEEM_CAP_FEN = 1_000_000n;
