import { afterAll, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDateTimeSeconds } from './dates';
import i18n from './i18n';

describe('dates, unambiguous in each language, in Beijing time', () => {
  afterAll(() => i18n.changeLanguage('zh-CN'));

  it('writes 3 Dec 2026 in English and 2026年12月3日 in Chinese, never 03/12/2026', async () => {
    const iso = '2026-12-03T06:05:09Z'; // 14:05:09 in Beijing
    await i18n.changeLanguage('en');
    expect(formatDate(iso)).toBe('3 Dec 2026');
    expect(formatDateTime(iso)).toBe('3 Dec 2026, 14:05');
    expect(formatDateTimeSeconds(iso)).toBe('3 Dec 2026, 14:05:09');
    await i18n.changeLanguage('zh-CN');
    expect(formatDate(iso)).toBe('2026年12月3日');
    expect(formatDateTime(iso)).toBe('2026年12月3日 14:05');
    for (const text of [formatDate(iso), formatDateTime(iso)]) expect(text).not.toMatch(/\d{2}\/\d{2}/);
  });
});
