import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  METHODS,
  TERMS,
  aprBp,
  buildSchedule,
  equalInstallment,
  flatFeePayments,
  monthlyIrr,
  scheduleApr,
  totals,
} from './schedule.js';

describe('loan schedules', () => {
  it('computes the worked example: ¥10,000 over 12 months at 7.2 % is ¥866.19 a month', () => {
    expect(equalInstallment(1_000_000n, 12, 720)).toBe(86_619n);
    const rows = buildSchedule({
      principalFen: 1_000_000n,
      termMonths: 12,
      method: 'equal_installment',
      annualRateBp: 720,
      startDay: '2026-01-15',
    });
    expect(rows[0]).toMatchObject({ interestFen: 6_000n, principalFen: 80_619n, dueDay: '2026-02-15' });
    expect(rows[11].dueDay).toBe('2027-01-15');
    expect(scheduleApr(1_000_000n, rows)).toBe(720);
  });

  it('prices the flat-fee example at an annualised 13.03 %, not 7.2 %', () => {
    const payments = flatFeePayments(1_000_000n, 12, 60);
    expect(payments[0]).toBe(89_333n);
    expect(aprBp(1_000_000n, payments)).toBe(1303);
  });

  it('keeps due days in short months', () => {
    const rows = buildSchedule({
      principalFen: 300_000n,
      termMonths: 3,
      method: 'equal_principal',
      annualRateBp: 1000,
      startDay: '2026-01-31',
    });
    expect(rows.map((row) => row.dueDay)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
    expect(rows.map((row) => row.principalFen)).toEqual([100_000n, 100_000n, 100_000n]);
  });

  it('interest first pays only interest until the last month', () => {
    const rows = buildSchedule({
      principalFen: 500_000n,
      termMonths: 6,
      method: 'interest_first',
      annualRateBp: 1200,
      startDay: '2026-03-01',
    });
    expect(rows.slice(0, 5).every((row) => row.principalFen === 0n && row.interestFen === 5_000n)).toBe(true);
    expect(rows[5]).toMatchObject({ principalFen: 500_000n, interestFen: 5_000n });
  });

  it('principal parts sum exactly to the loan and the IRR matches the displayed rate (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 100_000n, max: 20_000_000n }),
        fc.constantFrom(...TERMS),
        fc.constantFrom(...METHODS),
        fc.integer({ min: 360, max: 2400 }),
        (principalFen, termMonths, method, annualRateBp) => {
          const rows = buildSchedule({ principalFen, termMonths, method, annualRateBp, startDay: '2026-05-20' });
          expect(rows).toHaveLength(termMonths);
          expect(totals(rows).principalFen).toBe(principalFen);
          expect(rows.every((row) => row.principalFen >= 0n && row.interestFen >= 0n)).toBe(true);
          // Within 0.01 percentage point (1 bp) of the contract rate: monthly interest on the balance is an IRR of r.
          expect(Math.abs(scheduleApr(principalFen, rows) - annualRateBp)).toBeLessThanOrEqual(1);
          if (method === 'equal_installment') {
            const installment = rows[0].principalFen + rows[0].interestFen;
            for (const row of rows.slice(0, -1)) expect(row.principalFen + row.interestFen).toBe(installment);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the IRR of simple flows', () => {
    expect(monthlyIrr([-100, 110])).toBeCloseTo(0.1, 9);
  });
});
