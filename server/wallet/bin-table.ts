/**
 * Card numbers: the Luhn check, and the BIN table of the banks the sandbox network serves.
 * Prefixes are the six-digit issuer numbers those banks use for UnionPay debit and credit cards.
 */

export type CardType = 'debit' | 'credit';

export interface Bank {
  code: string;
  nameZh: string;
  nameEn: string;
}

export const BANKS: Record<string, Bank> = {
  ICBC: { code: 'ICBC', nameZh: '中国工商银行', nameEn: 'ICBC' },
  CCB: { code: 'CCB', nameZh: '中国建设银行', nameEn: 'China Construction Bank' },
  ABC: { code: 'ABC', nameZh: '中国农业银行', nameEn: 'Agricultural Bank of China' },
  BOC: { code: 'BOC', nameZh: '中国银行', nameEn: 'Bank of China' },
  CMB: { code: 'CMB', nameZh: '招商银行', nameEn: 'China Merchants Bank' },
  BOCOM: { code: 'BOCOM', nameZh: '交通银行', nameEn: 'Bank of Communications' },
  PSBC: { code: 'PSBC', nameZh: '中国邮政储蓄银行', nameEn: 'Postal Savings Bank of China' },
};

export interface BinEntry {
  bin: string;
  bankCode: keyof typeof BANKS;
  cardType: CardType;
  /** Valid lengths of card numbers with this prefix. */
  lengths: readonly number[];
}

export const BIN_TABLE: readonly BinEntry[] = [
  { bin: '622202', bankCode: 'ICBC', cardType: 'debit', lengths: [19] },
  { bin: '621226', bankCode: 'ICBC', cardType: 'debit', lengths: [19] },
  { bin: '625330', bankCode: 'ICBC', cardType: 'credit', lengths: [16] },
  { bin: '621700', bankCode: 'CCB', cardType: 'debit', lengths: [19] },
  { bin: '436742', bankCode: 'CCB', cardType: 'debit', lengths: [19] },
  { bin: '622166', bankCode: 'CCB', cardType: 'credit', lengths: [16] },
  { bin: '622848', bankCode: 'ABC', cardType: 'debit', lengths: [19] },
  { bin: '623052', bankCode: 'ABC', cardType: 'debit', lengths: [19] },
  { bin: '622836', bankCode: 'ABC', cardType: 'credit', lengths: [16] },
  { bin: '621661', bankCode: 'BOC', cardType: 'debit', lengths: [19] },
  { bin: '621785', bankCode: 'BOC', cardType: 'debit', lengths: [19] },
  { bin: '625907', bankCode: 'BOC', cardType: 'credit', lengths: [16] },
  { bin: '621483', bankCode: 'CMB', cardType: 'debit', lengths: [16] },
  { bin: '622588', bankCode: 'CMB', cardType: 'debit', lengths: [16] },
  { bin: '622575', bankCode: 'CMB', cardType: 'credit', lengths: [16] },
  { bin: '439225', bankCode: 'CMB', cardType: 'credit', lengths: [16] },
  { bin: '622262', bankCode: 'BOCOM', cardType: 'debit', lengths: [19] },
  { bin: '521899', bankCode: 'BOCOM', cardType: 'credit', lengths: [16] },
  { bin: '621799', bankCode: 'PSBC', cardType: 'debit', lengths: [19] },
  { bin: '622188', bankCode: 'PSBC', cardType: 'debit', lengths: [19] },
];

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `body + digit` pass the Luhn check. */
export function luhnCheckDigit(body: string): string {
  for (let digit = 0; digit <= 9; digit++) if (luhnValid(`${body}${digit}`)) return String(digit);
  throw new Error('unreachable: some check digit always fits');
}

/** Removes the spaces and dashes people type between groups of digits. */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export type CardNumberProblem = 'format' | 'luhn' | 'unsupported_bin' | 'length';

export function lookupCard(
  input: string,
): { ok: true; number: string; entry: BinEntry; bank: Bank } | { ok: false; problem: CardNumberProblem } {
  const number = normalizeCardNumber(input);
  if (!/^\d{16,19}$/.test(number)) return { ok: false, problem: 'format' };
  if (!luhnValid(number)) return { ok: false, problem: 'luhn' };
  const entry = BIN_TABLE.find((candidate) => number.startsWith(candidate.bin));
  if (!entry) return { ok: false, problem: 'unsupported_bin' };
  if (!entry.lengths.includes(number.length)) return { ok: false, problem: 'length' };
  return { ok: true, number, entry, bank: BANKS[entry.bankCode] };
}

/**
 * A Luhn-valid card number with the given BIN that ends in `last4` (the sandbox chooses its
 * behaviour by the last four digits). A middle digit absorbs the check.
 */
export function sandboxCardNumber(bin: string, last4: string, serial = 0): string {
  const entry = BIN_TABLE.find((candidate) => candidate.bin === bin);
  if (!entry) throw new Error(`unknown sandbox BIN ${bin}`);
  const length = entry.lengths[0];
  const middleLength = length - bin.length - last4.length - 1;
  const middle = String(serial).padStart(middleLength, '0').slice(-middleLength);
  for (let fix = 0; fix <= 9; fix++) {
    const candidate = `${bin}${middle}${fix}${last4}`;
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable: some digit always fits');
}

export const maskCard = (last4: string) => `**** ${last4}`;
