import { describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { createAccounts, groupDigits, luhnCheckDigit, luhnValid, newAccountNumber } from './accounts.js';
import type { FundingContext } from './deps.js';

describe('receiving account numbers', () => {
  it('are 19 digits of the bank prefix with a Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    for (let i = 0; i < 200; i++) {
      const number = newAccountNumber();
      expect(number).toMatch(/^623688\d{13}$/);
      expect(luhnValid(number)).toBe(true);
      expect(luhnValid(number.slice(0, -1) + String((Number(number.at(-1)) + 1) % 10))).toBe(false);
    }
    expect(groupDigits('6236881234567890123')).toBe('6236 8812 3456 7890 123');
  });

  it('are refused at a tier that may not receive, before anything is written', async () => {
    const db = {
      query: () => {
        throw new Error('nothing may be read or written');
      },
    } as unknown as Db;
    const ctx = {
      db,
      clock: manualClock(),
      receivingTiers: ['verified', 'full'],
      identity: { verifiedIdentity: async () => ({ name: '张三', tier: 'basic', walletAccountId: 'acc_1' }) },
    } as unknown as FundingContext;
    const found = await createAccounts(ctx).of('usr_1');
    expect(found).toEqual({ ok: false, error: { code: 'RECEIVING_TIER_NOT_ALLOWED', tier: 'basic' } });
  });
});
