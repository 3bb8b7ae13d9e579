import { shanghaiDay } from '../platform/clock.js';

/**
 * Asia/Shanghai days and business days for savings. A business day is a weekday that is not a
 * public holiday in HOLIDAYS. The list is data and only partial (New Year's Day and the National
 * Day week, whose dates do not move); the State Council's yearly calendar, with its make-up
 * working weekends, has to be loaded before production (docs/savings.md).
 */

export const HOLIDAYS: ReadonlySet<string> = new Set(
  ['2025', '2026', '2027', '2028'].flatMap((year) => [
    `${year}-01-01`,
    ...[1, 2, 3, 4, 5, 6, 7].map((day) => `${year}-10-0${day}`),
  ]),
);

const DAY_MS = 24 * 3600_000;

/** Days written YYYY-MM-DD; arithmetic in UTC (a calendar day has no zone). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function isBusinessDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(day);
}

/** The first business day strictly after `day`. */
export function nextBusinessDay(day: string): string {
  let next = addDays(day, 1);
  while (!isBusinessDay(next)) next = addDays(next, 1);
  return next;
}

/** Fund orders placed before 15:00 on a business day trade that day; later ones the next business day. */
export const TRADE_CUTOFF_HOUR = 15;

export function tradeDay(at: Date): string {
  const day = shanghaiDay(at);
  const hour = new Date(at.getTime() + 8 * 3600_000).getUTCHours();
  return isBusinessDay(day) && hour < TRADE_CUTOFF_HOUR ? day : nextBusinessDay(day);
}

/** Shares bought at `at` earn from the business day after their trade day. */
export function earnsFrom(at: Date): string {
  return nextBusinessDay(tradeDay(at));
}

/** The start of a Shanghai day as an instant. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** `months` calendar months after `day`; a day the month lacks becomes its last day (Jan 31 + 1 → Feb 28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
