import { describe, expect, it } from 'vitest';
import { BANKS } from '../../server/wallet/bin-table';
import { BANK_NAMES_EN, localBankText } from './banks';

describe('bank names in English text', () => {
  it('replaces a Chinese bank name in a counterparty', () => {
    expect(localBankText('中国工商银行 **** 1230', true)).toBe('ICBC **** 1230');
    expect(localBankText('招商银行 **** 8899', true)).toBe('China Merchants Bank **** 8899');
    expect(localBankText('演示银行 **** 8888', true)).toBe('Demo Bank **** 8888');
    expect(localBankText('中国银行 **** 0001', true)).toBe('Bank of China **** 0001');
  });

  it('leaves Chinese text alone in Chinese, and other text alone in English', () => {
    expect(localBankText('中国工商银行 **** 1230', false)).toBe('中国工商银行 **** 1230');
    expect(localBankText('*四 137****0002', true)).toBe('*四 137****0002');
  });

  it("knows every bank of the server's table", () => {
    for (const bank of Object.values(BANKS)) expect(BANK_NAMES_EN[bank.nameZh]).toBe(bank.nameEn);
  });
});
