import { describe, expect, it } from 'vitest';
import { prng } from '../../test/ledger-factories.js';
import { cardInterestThrough } from './card-interest.js';
import {
  type CardEvent as Event,
  type CardStatement as Statement,
  naiveInterest,
} from '../../test/card-interest-naive.js';

/**
 * Card interest per posting date, against a calculation written independently: day by day, a
 * queue of debts paid oldest first, each day's unpaid purchases of statements that lost their
 * interest-free period summed, one rounding at the end. Plus a worked example done by hand.
 */

const RATE_BP = 1825; // 18.25 % a year: 0.05 % a day over 365, the product's card rate
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let ids = 0;
const event = (kind: Event['kind'], day: string, amount: bigint, statementId: string | null): Event => ({
  id: `crt_${String(++ids).padStart(6, '0')}`,
  kind,
  amount,
  day,
  statement_id: statementId,
});

describe('card interest per posting date', () => {
  const april = { id: 'crs_apr', statement_day: '2026-04-10', due_day: '2026-04-30', autopay_tried_on: '2026-04-30' };
  const may = { id: 'crs_may', statement_day: '2026-05-10', due_day: '2026-05-30', autopay_tried_on: '2026-05-30' };

  it('computes the worked example by hand: ¥1,000 on 12 March, ¥100 repaid on 20 April, the rest on 20 May', () => {
    const events = [
      event('purchase', '2026-03-12', 100_000n, april.id),
      event('repayment', '2026-04-20', 10_000n, may.id),
      event('repayment', '2026-05-20', 90_000n, null),
    ];
    // 100,000 fen for 39 days (12 March to 19 April) and 90,000 fen for 30 days (20 April to 19 May):
    // 6,600,000 fen-days × 18.25 % / 360 = 3,345.83 → ¥33.45.
    expect(cardInterestThrough(events, [april, may], RATE_BP, '2026-06-30')).toBe(3_345n);
    expect(naiveInterest(events, [april, may], RATE_BP, '2026-06-30')).toBe(3_345n);
    // Before the due day is over nothing is owed; the day after, everything back to 12 March at once.
    expect(cardInterestThrough(events, [april, may], RATE_BP, '2026-04-29')).toBe(0n);
    expect(cardInterestThrough(events, [april, may], RATE_BP, '2026-04-30')).toBe(
      ((100_000n * 39n + 90_000n * 11n) * 1825n) / 3_600_000n,
    );
  });

  it('charges nothing when the statement is paid in full by its due day, everything when a day late', () => {
    const onTime = [
      event('purchase', '2026-03-12', 100_000n, april.id),
      event('repayment', '2026-04-30', 100_000n, null),
    ];
    expect(cardInterestThrough(onTime, [april], RATE_BP, '2026-06-30')).toBe(0n);
    const late = [
      event('purchase', '2026-03-12', 100_000n, april.id),
      event('repayment', '2026-05-01', 100_000n, null),
    ];
    // Every day from 12 March to 30 April: 50 days.
    expect(cardInterestThrough(late, [april], RATE_BP, '2026-06-30')).toBe((100_000n * 50n * 1825n) / 3_600_000n);
    // Our own fault: the automatic repayment was never tried on the due day, so no grace is lost yet.
    expect(cardInterestThrough(late, [{ ...april, autopay_tried_on: null }], RATE_BP, '2026-06-30')).toBe(0n);
  });

  it('pays the oldest debt first: a repayment leaves the newest purchase bearing interest', () => {
    const events = [
      event('purchase', '2026-03-12', 60_000n, april.id),
      event('purchase', '2026-04-01', 40_000n, april.id),
      event('repayment', '2026-04-20', 60_000n, may.id),
    ];
    // The 12 March purchase is repaid on 20 April (39 days); the 1 April one runs to 30 June (91 days).
    const expected = ((60_000n * 39n + 40_000n * 91n) * 1825n) / 3_600_000n;
    expect(cardInterestThrough(events, [april, may], RATE_BP, '2026-06-30')).toBe(expected);
    expect(naiveInterest(events, [april, may], RATE_BP, '2026-06-30')).toBe(expected);
  });

  it('matches the independent calculation on random histories, to the fen (property)', () => {
    const random = prng(17);
    let charged = 0;
    for (let round = 0; round < 60; round++) {
      const start = '2026-01-05';
      const statements: Statement[] = [];
      for (let m = 0; m < 6; m++) {
        const statementDay = addDays(start, 30 * (m + 1));
        statements.push({
          id: `crs_${m}`,
          statement_day: statementDay,
          due_day: addDays(statementDay, 20),
          autopay_tried_on: random() < 0.9 ? addDays(statementDay, 20) : null,
        });
      }
      const statementFor = (day: string) => statements.find((s) => s.statement_day >= day)?.id ?? null;
      const events: Event[] = [];
      let owed = 0n;
      for (let index = 0; index < 200; index++) {
        const day = addDays(start, index);
        if (random() < 0.08) {
          const amount = BigInt(1 + Math.floor(random() * 200_000));
          events.push(event('purchase', day, amount, statementFor(day)));
          owed += amount;
        }
        if (random() < 0.03 && owed > 0n) {
          const amount = BigInt(1 + Math.floor(random() * 2_000));
          events.push(event('interest', day, amount, statementFor(day)));
          owed += amount;
        }
        if (random() < 0.06 && owed > 0n) {
          const amount = random() < 0.3 ? owed : 1n + BigInt(Math.floor(random() * Number(owed)));
          events.push(event(random() < 0.9 ? 'repayment' : 'refund', day, amount, statementFor(day)));
          owed -= amount;
        }
      }
      for (const to of ['2026-03-01', '2026-05-15', '2026-07-24']) {
        const interest = cardInterestThrough(events, statements, RATE_BP, to);
        expect(interest, `round ${round} to ${to}`).toBe(naiveInterest(events, statements, RATE_BP, to));
        if (interest > 0n) charged++;
      }
    }
    // Most histories lose some grace: the comparison is not between zeros.
    expect(charged).toBeGreaterThan(60);
  });
});
