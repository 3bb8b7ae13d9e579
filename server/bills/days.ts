import { shanghaiDay } from '../platform/clock.js';

/** Asia/Shanghai days and months (UTC+8, no daylight saving) for due dates, reminders and reconciliation. */

const DAY_MS = 86_400_000;

/** The instant a Shanghai day (YYYY-MM-DD) starts. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** The UTC instants where a Shanghai day starts and ends (end exclusive). */
export function shanghaiDayBounds(day: string): { start: Date; end: Date } {
  const start = dayStart(day);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

export const addDays = (day: string, days: number) => shanghaiDay(new Date(dayStart(day).getTime() + days * DAY_MS));

/** The instant the Shanghai month of `at` began. */
export const monthStart = (at: Date) => dayStart(`${shanghaiDay(at).slice(0, 7)}-01`);

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export const daysBetween = (from: string, to: string) =>
  Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS);

/** The month before a YYYY-MM month. */
export function previousPeriod(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** A real calendar day written YYYY-MM-DD, or null. */
export function parseDay(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const start = dayStart(day);
  return Number.isNaN(start.getTime()) || shanghaiDay(start) !== day ? null : start;
}

/** The hour of the day in Asia/Shanghai. */
export const shanghaiHour = (at: Date) => new Date(at.getTime() + 8 * 3600_000).getUTCHours();

/**
 * Reminders are never sent between 22:00 and 08:00 Asia/Shanghai: an instant in those hours moves
 * to the next 08:00 (deferred, not dropped).
 */
export function outsideQuietHours(at: Date): Date {
  const hour = shanghaiHour(at);
  if (hour >= 8 && hour < 22) return at;
  const day = shanghaiDay(at);
  return new Date(dayStart(hour >= 22 ? addDays(day, 1) : day).getTime() + 8 * 3600_000);
}
