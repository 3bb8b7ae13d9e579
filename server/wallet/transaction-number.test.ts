import { describe, expect, it } from 'vitest';
import { entryTransactionNumber, isTransactionNumber, orderTransactionNumber } from './transaction-number.js';

describe('transaction numbers', () => {
  it('a ledger movement: its Shanghai day, 1, the sequence padded', () => {
    // 2026-12-02 20:30 UTC is already 3 December in Beijing.
    const number = entryTransactionNumber(42n, new Date('2026-12-02T20:30:00Z'));
    expect(number).toBe('2026120310000000000000000042');
    expect(isTransactionNumber(number)).toBe(true);
  });

  it('different sequences give different numbers, the same entry the same number', () => {
    const at = new Date('2026-12-03T02:00:00Z');
    expect(entryTransactionNumber(7n, at)).toBe(entryTransactionNumber(7n, at));
    expect(entryTransactionNumber(7n, at)).not.toBe(entryTransactionNumber(8n, at));
  });

  it('an open card order: its day, 2, and digits from its random part', () => {
    const at = new Date('2026-12-03T02:00:00Z');
    const a = orderTransactionNumber('top_01kbqz7x2m0000000000000001', at);
    const b = orderTransactionNumber('top_01kbqz7x2m0000000000000002', at);
    expect(a).toMatch(/^202612032\d{19}$/);
    expect(a).toBe('2026120320000000000000000001');
    expect(b).toBe('2026120320000000000000000002');
    expect(isTransactionNumber(a)).toBe(true);
  });

  it('digits only, never an internal id', () => {
    expect(isTransactionNumber('trf_01m8abc')).toBe(false);
  });
});
