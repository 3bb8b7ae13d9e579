import { shanghaiDay } from '../platform/clock.js';

/** Asia/Shanghai days (UTC+8, no daylight saving): statements, reconciliation, arrival times. */

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC instants where the Asia/Shanghai day of `at` starts and ends (end exclusive). */
export function shanghaiDayBounds(at: Date): { start: Date; end: Date } {
  const start = new Date(`${shanghaiDay(at)}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 24 * 3600_000) };
}

/** A real calendar day written YYYY-MM-DD, or null. */
export function parseDay(day: string): Date | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  const start = new Date(`${day}T00:00:00+08:00`);
  if (Number.isNaN(start.getTime()) || shanghaiDay(start) !== day) return null;
  return start;
}

export function addDays(day: string, days: number): string {
  const start = parseDay(day);
  if (!start) throw new Error(`not a day: ${day}`);
  return shanghaiDay(new Date(start.getTime() + days * 24 * 3600_000));
}
