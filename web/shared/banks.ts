/**
 * Bank names inside server text (a card order's counterparty "招商银行 **** 8899", a demo top-up's
 * "演示银行 **** 8888") in the reader's language, so English text never carries Chinese names. The
 * names are server/wallet/bin-table.ts's (banks.test.ts checks they match).
 */
export const BANK_NAMES_EN: Record<string, string> = {
  中国工商银行: 'ICBC',
  中国建设银行: 'China Construction Bank',
  中国农业银行: 'Agricultural Bank of China',
  中国邮政储蓄银行: 'Postal Savings Bank of China',
  中国银行: 'Bank of China',
  招商银行: 'China Merchants Bank',
  交通银行: 'Bank of Communications',
  演示银行: 'Demo Bank',
};

// Longest first, so 中国工商银行 is not read as 中国 + something.
const NAMES = Object.keys(BANK_NAMES_EN).sort((a, b) => b.length - a.length);

export function localBankText(text: string, english: boolean): string {
  if (!english) return text;
  let out = text;
  for (const name of NAMES) out = out.split(name).join(`${BANK_NAMES_EN[name]} `);
  return out.replace(/ {2,}/g, ' ').replace(/ \*/g, ' *').trim();
}
