/** Time comes from a clock passed in, so tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export function manualClock(
  start: Date | string = '2026-11-23T02:00:00Z',
): Clock & { set(at: Date | string): void; advanceMs(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
    advanceMs(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // Asia/Shanghai has no daylight saving time

/** The Asia/Shanghai calendar day of an instant, as YYYY-MM-DD. Limits and statements use these days. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai wall-clock time of an instant, as YYYY-MM-DD HH:MM:SS (receipts, development pages). */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
