import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOfBp } from './contract.js';

describe('percentOfBp', () => {
  it('writes basis points as a percentage with two decimals, without floating point', () => {
    expect([percentOfBp(1525), percentOfBp(1303), percentOfBp(5), percentOfBp(0), percentOfBp(-250)]).toEqual([
      '15.25',
      '13.03',
      '0.05',
      '0.00',
      '-2.50',
    ]);
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (bp) => {
        expect(percentOfBp(bp)).toBe((bp / 100).toFixed(2));
      }),
    );
  });
});
