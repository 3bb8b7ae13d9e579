import i18n from './i18n';

/**
 * Dates for the wallet and the merchant pages. Times are shown in Asia/Shanghai, the bank's time
 * zone, whatever the device says; dates are unambiguous in each language: "2026年12月3日 14:05"
 * and "3 Dec 2026, 14:05" (never 03/12/2026).
 */
const english = () => i18n.language === 'en';

/** An instant in Beijing time, in the page's language, with the parts asked for; '' for a bad date. */
function shanghai(iso: string, parts: Intl.DateTimeFormatOptions): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(english() ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: english() ? 'short' : 'long',
    day: 'numeric',
    ...parts,
  }).format(date);
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

export function formatDateTime(iso: string): string {
  return shanghai(iso, TIME);
}

/** With seconds, for receipts: "2026年12月3日 14:05:09" / "3 Dec 2026, 14:05:09". */
export function formatDateTimeSeconds(iso: string): string {
  return shanghai(iso, { ...TIME, second: '2-digit' });
}

export function formatDate(iso: string): string {
  return shanghai(iso, {});
}

/** The Asia/Shanghai month of an instant, as YYYY-MM. */
export function shanghaiMonth(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

/** "2026-12" → "2026年12月" / "December 2026". */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(english() ? 'en-GB' : 'zh-CN', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
  }).format(date);
}
