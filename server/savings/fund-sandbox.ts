import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { ok } from '../platform/result.js';
import { addDays, dayStart, nextBusinessDay } from './calendar.js';
import type { FundCompany } from './fund-company.js';
import { sevenDayYieldE4 } from './rules.js';
import * as store from './store-sandbox.js';

/**
 * The fund company sandbox: a believable daily series per fund, kept in the database once made.
 * Annual yield = the fund's base + two slow waves + a little noise from a hash of fund and day
 * (never below zero); income per 10,000 units = 10,000 × yield / 365; the 7-day yield is worked out
 * from the last seven days as the company would. A day's figures come out at 00:00 of the next
 * business day. On request (`setMode`) a fund publishes `late` (lateDays later) or is `silent`.
 */

interface Shape {
  basePct: number;
  slow: number;
  fast: number;
  noise: number;
}

const SHAPES: Record<string, Shape> = {
  'TB-MMF': { basePct: 1.55, slow: 0.18, fast: 0.06, noise: 0.03 },
  'TB-BOND': { basePct: 2.4, slow: 0.4, fast: 0.2, noise: 0.15 },
  'TB-MIX': { basePct: 4, slow: 2.5, fast: 1.2, noise: 1.5 },
};
const DEFAULT_SHAPE: Shape = { basePct: 1.8, slow: 0.2, fast: 0.1, noise: 0.05 };

function unit(fundCode: string, day: string): number {
  const digest = createHash('sha256').update(`${fundCode}|${day}`).digest();
  return digest.readUInt32BE(0) / 0xffffffff;
}

/** Income per 10,000 units of one day, in 1/10,000 yuan. */
export function sandboxPer10kE4(fundCode: string, day: string): bigint {
  const shape = SHAPES[fundCode] ?? DEFAULT_SHAPE;
  const t = (Date.parse(`${day}T00:00:00Z`) - Date.parse('2020-01-01T00:00:00Z')) / 86_400_000;
  const phase = unit(fundCode, 'phase') * 2 * Math.PI;
  const pct =
    shape.basePct +
    shape.slow * Math.sin((2 * Math.PI * t) / 97 + phase) +
    shape.fast * Math.sin((2 * Math.PI * t) / 29 + 2 * phase) +
    shape.noise * (unit(fundCode, day) * 2 - 1);
  return BigInt(Math.max(0, Math.round((Math.max(0, pct) / 100 / 365) * 10_000 * 10_000)));
}

export function sandboxYield7dE4(fundCode: string, day: string): bigint {
  return sevenDayYieldE4([0, 1, 2, 3, 4, 5, 6].map((back) => sandboxPer10kE4(fundCode, addDays(day, -back))));
}

export type SandboxMode = 'normal' | 'late' | 'silent';

export function createFundSandbox(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const company: FundCompany = {
    async dayFigures(fundCode, day) {
      const setting = await store.findSandboxFund(db, fundCode);
      if (setting?.mode === 'silent') return ok(null);
      const lateDays = setting?.mode === 'late' ? setting.late_days : 0;
      const publishedAt = dayStart(addDays(nextBusinessDay(day), lateDays));
      if (clock.now() < publishedAt) return ok(null);
      let stored = await store.findSandboxDay(db, fundCode, day);
      if (!stored) {
        await store.insertSandboxDay(db, {
          fundCode,
          day,
          per10kE4: sandboxPer10kE4(fundCode, day),
          yield7dE4: sandboxYield7dE4(fundCode, day),
        });
        stored = await store.findSandboxDay(db, fundCode, day);
      }
      if (!stored) return ok(null);
      return ok({ fundCode, day, per10kE4: stored.per10k_e4, yield7dE4: stored.yield7d_e4, publishedAt });
    },
  };
  return {
    company,
    /** Misbehave on request: publish `late` by lateDays, stay `silent`, or back to `normal`. */
    async setMode(fundCode: string, mode: SandboxMode, lateDays = 0): Promise<void> {
      await store.upsertSandboxFund(db, { fund_code: fundCode, mode, late_days: lateDays }, clock.now());
    },
  };
}

export type FundSandbox = ReturnType<typeof createFundSandbox>;
