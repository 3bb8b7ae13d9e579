import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../server/risk/port';
import { RISK_ACTIONS, RULE_NAMES, THRESHOLD_SPEC } from '../../server/risk/rules';
import { join } from 'node:path';
import { serverAuditActions } from './audit-actions';
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

  it('names every audit action the server writes, and shows an unknown one as its code', () => {
    const { actions, templates } = serverAuditActions(join(import.meta.dirname, '..', '..', 'server'));
    // Actions built from templates, expanded by hand: a new template fails here until it is listed.
    const expanded: Record<string, string[]> = {
      '${row.kind}_${action}': [
        'kyc.tier_change',
        'risk.rule_change',
        'ledger.operator_movement',
        'savings.product_change',
        'credit.referral_decision',
        'credit.write_off',
      ].flatMap((kind) => ['requested', 'approved', 'rejected', 'failed'].map((step) => `${kind}_${step}`)),
      'bills.autopay_${outcome}': [
        'paid',
        'failed',
        'tongbao_fault',
        'biller_unavailable',
        'over_cap',
        'over_month_cap',
        'insufficient_funds',
      ].map((outcome) => `bills.autopay_${outcome}`),
      'bills.autopay_${to}': ['paused', 'active', 'cancelled'].map((to) => `bills.autopay_${to}`),
      'merchant.${to}': ['active', 'suspended', 'rejected'].map((to) => `merchant.${to}`),
      'risk.hold_${options.status}': ['confirmed', 'denied', 'released', 'voided', 'expired'].map(
        (status) => `risk.hold_${status}`,
      ),
    };
    expect([...templates].sort()).toEqual(Object.keys(expanded).sort());
    expect(actions.size).toBeGreaterThan(90);
    const missing = [...actions, ...Object.values(expanded).flat()].filter((a) => !hasLabel('auditAction', a));
    expect(missing).toEqual([]);
    expect(label('auditAction', 'kyc.approved', false)).toBe('实名认证通过');
    expect(label('auditAction', 'kyc.approved', true)).toBe('Identity approved');
    expect(label('auditAction', 'ledger.operator_movement_approved', true)).toBe('Operator ledger movement approved');
    expect(label('auditAction', 'something.new', true)).toBe('something.new');
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
