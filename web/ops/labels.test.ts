import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../server/risk/port';
import { RISK_ACTIONS, RULE_NAMES, THRESHOLD_SPEC } from '../../server/risk/rules';
import { hasLabel, label } from './labels';
import { detailPairs, duration, thresholdSentence } from './rule-text';

describe('console labels', () => {
  it('names every rule, channel and risk action the server knows, in both languages', () => {
    for (const rule of RULE_NAMES) expect(hasLabel('rule', rule), rule).toBe(true);
    for (const channel of CHANNELS) expect(hasLabel('channel', channel), channel).toBe(true);
    for (const action of RISK_ACTIONS) expect(hasLabel('riskAction', action), action).toBe(true);
    for (const kind of ['hold', 'block', 'denial', 'restriction']) expect(hasLabel('alertKind', kind)).toBe(true);
    expect(label('movement', 'p2p', false)).toBe('转账');
    expect(label('movement', 'p2p', true)).toBe('Transfer');
    expect(label('documentType', 'resident_id', true)).toBe('Resident ID card');
    expect(label('movement', 'something_new', true)).toBe('something_new');
  });

  it('writes every rule’s thresholds as a sentence with amounts in yuan and times in words', () => {
    const sample = (kind: string) =>
      ({ ms: 600_000, fen: 300_000, count: 5, hour: 1, number: 3, prefixes: ['10.'] })[kind];
    for (const rule of RULE_NAMES) {
      const thresholds = Object.fromEntries(
        Object.entries(THRESHOLD_SPEC[rule]).map(([key, kind]) => [key, key === 'toHour' ? 5 : sample(kind)]),
      );
      for (const english of [false, true]) {
        const sentence = thresholdSentence(rule, thresholds, english);
        expect(sentence, rule).not.toMatch(/[{}"]|Fen|Ms\b|undefined|NaN/);
        if (Object.values(THRESHOLD_SPEC[rule]).includes('ms'))
          expect(sentence).toContain(english ? '10 minutes' : '10 分钟');
        if (Object.values(THRESHOLD_SPEC[rule]).includes('fen')) expect(sentence).toContain('¥3,000.00');
      }
    }
    expect(thresholdSentence('night_large', { fromHour: 0, toHour: 5, minAmountFen: 200_000 }, true)).toBe(
      '¥2,000.00 or more between 00:00 and 05:00 Beijing time.',
    );
  });

  it('writes a finding’s details as labelled values', () => {
    expect(detailPairs({ windowMs: 3_600_000, windowTotalFen: 150_000, maxCount: 5 }, true)).toBe(
      'window: 1 hour; total in the window: ¥1,500.00; count limit: 5',
    );
    expect(duration(2 * 86_400_000, false)).toBe('2 天');
  });
});
