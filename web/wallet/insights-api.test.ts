import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_COLORS,
  changePercent,
  formatShare,
  isMonth,
  shiftMonth,
  thisMonth,
} from './insights-api';

describe('insights helpers', () => {
  it('moves months across year ends', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-11', -13)).toBe('2025-10');
    expect(shiftMonth('2026-06', 0)).toBe('2026-06');
  });

  it('takes this month in Asia/Shanghai, not in UTC', () => {
    // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    expect(thisMonth(Date.parse('2026-11-30T17:00:00Z'))).toBe('2026-12');
    expect(thisMonth(Date.parse('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });

  it('accepts only YYYY-MM months', () => {
    expect(isMonth('2026-12')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '26-11', '2026-1', '', null, undefined]) expect(isMonth(bad)).toBe(false);
  });

  it('writes shares and changes as a person reads them', () => {
    expect(formatShare(3692)).toBe('37%');
    expect(formatShare(845)).toBe('8.5%');
    expect(changePercent(116, 100)).toBe(16);
    expect(changePercent(95, 100)).toBe(-5);
    expect(changePercent(100, 0)).toBeNull();
  });

  it('gives every category its own colour', () => {
    const colours = CATEGORIES.map((c) => CATEGORY_COLORS[c]);
    expect(colours.every(Boolean)).toBe(true);
    expect(new Set(colours).size).toBe(CATEGORIES.length);
  });
});
