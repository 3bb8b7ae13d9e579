import { shanghaiDay } from '../platform/clock.js';

/** Asia/Shanghai days for credit, written YYYY-MM-DD; arithmetic in UTC (a calendar day has no zone). */

const DAY_MS = 24 * 3600_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `months` calendar months after `day`; a day the month lacks becomes its last day (Jan 31 + 1 → Feb 28). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(date, last));
  return first.toISOString().slice(0, 10);
}

/** The Shanghai hour of an instant (0-23). */
export function shanghaiHour(at: Date): number {
  return new Date(at.getTime() + 8 * 3600_000).getUTCHours();
}

/** Collection contact and reminders are not made between 22:00 and 08:00 (domain-rules-2 §9). */
export function inQuietHours(at: Date): boolean {
  const hour = shanghaiHour(at);
  return hour >= 22 || hour < 8;
}

export const today = (at: Date) => shanghaiDay(at);

/** The month (YYYY-MM) of a day. */
export const monthOf = (day: string) => day.slice(0, 7);
