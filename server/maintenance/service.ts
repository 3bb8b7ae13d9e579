import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import * as store from './store.js';
import type { MaintenanceWindow } from './store.js';

export type { MaintenanceWindow } from './store.js';

/** Feature tags that routes carry; 'all' closes every tagged feature. */
export const FEATURES = [
  'all',
  'ledger',
  'wallet',
  'topup',
  'withdraw',
  'transfers',
  'payments',
  'bills',
  'products',
  'kyc',
  'credit',
] as const;
export type Feature = (typeof FEATURES)[number];

export interface ScheduleInput {
  feature: Feature;
  startsAt: Date;
  endsAt: Date;
  titleZh: string;
  titleEn: string;
  messageZh: string;
  messageEn: string;
  createdBy: string;
}

export type MaintenanceError = { code: 'VALIDATION_FAILED'; field: string; message: string };

/** Windows change rarely and are read on every tagged request: each process caches them briefly. */
const CACHE_MS = 2_000;
const MAX_WINDOWS = 200;

export function createMaintenanceService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  let cache: { loadedAt: number; windows: MaintenanceWindow[] } | null = null;

  async function windows(): Promise<MaintenanceWindow[]> {
    const nowMs = clock.now().getTime();
    if (!cache || nowMs - cache.loadedAt > CACHE_MS || nowMs < cache.loadedAt) {
      cache = { loadedAt: nowMs, windows: await store.listCurrentAndUpcoming(db, clock.now(), MAX_WINDOWS) };
    }
    return cache.windows;
  }

  return {
    async schedule(input: ScheduleInput): Promise<Result<MaintenanceWindow, MaintenanceError>> {
      if (!(FEATURES as readonly string[]).includes(input.feature))
        return err({ code: 'VALIDATION_FAILED', field: 'feature', message: 'unknown feature' });
      if (input.endsAt <= input.startsAt)
        return err({ code: 'VALIDATION_FAILED', field: 'endsAt', message: 'must be after startsAt' });
      if (input.endsAt <= clock.now())
        return err({ code: 'VALIDATION_FAILED', field: 'endsAt', message: 'must be in the future' });
      const now = clock.now();
      const window = await store.insertWindow(db, { ...input, id: newId('mnt', now.getTime()), createdAt: now });
      cache = null;
      return ok(window);
    },

    async endEarly(id: string): Promise<MaintenanceWindow | null> {
      const window = await store.endWindowEarly(db, id, clock.now());
      cache = null;
      return window;
    },

    /** The open window that closes this feature now, if any. */
    async activeFor(feature: string): Promise<MaintenanceWindow | null> {
      const now = clock.now().getTime();
      return (
        (await windows()).find(
          (window) =>
            (window.feature === feature || window.feature === 'all') &&
            window.startsAt.getTime() <= now &&
            now < window.endsAt.getTime(),
        ) ?? null
      );
    },

    /** Announcements users see: windows open now and those still to come. */
    async announcements(): Promise<MaintenanceWindow[]> {
      const now = clock.now().getTime();
      return (await windows()).filter((window) => window.endsAt.getTime() > now);
    },
  };
}

export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
