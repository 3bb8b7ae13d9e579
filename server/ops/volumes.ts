import type { LedgerService } from '../ledger/service.js';
import { type Clock, shanghaiDay } from '../platform/clock.js';

/**
 * Today's money volumes for the console's overview, in Beijing days: how many payments, transfers,
 * top-ups and withdrawals the ledger recorded since midnight in Asia/Shanghai, and their totals.
 * Each figure groups the movement kinds of the history convention (docs/wallet.md).
 */
export const VOLUME_KINDS = {
  payments: ['merchant_payment'],
  transfers: ['p2p'],
  topups: ['topup', 'online_banking', 'bank_in'],
  withdrawals: ['withdraw'],
} as const;

export type VolumeName = keyof typeof VOLUME_KINDS;

export interface DayVolumes {
  day: string;
  from: Date;
  volumes: Record<VolumeName, { count: number; totalFen: bigint }>;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export async function todayVolumes(deps: { ledger: LedgerService; clock: Clock }): Promise<DayVolumes> {
  const now = deps.clock.now();
  const day = shanghaiDay(now);
  const from = new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
  const to = new Date(from.getTime() + 86_400_000);
  const found = await deps.ledger.volumesBetween(from, to, Object.values(VOLUME_KINDS).flat());
  const volumes = {} as DayVolumes['volumes'];
  for (const [name, kinds] of Object.entries(VOLUME_KINDS) as [VolumeName, readonly string[]][]) {
    volumes[name] = { count: 0, totalFen: 0n };
    for (const kind of kinds) {
      const figure = found.get(kind);
      if (!figure) continue;
      volumes[name].count += figure.count;
      volumes[name].totalFen += figure.totalFen;
    }
  }
  return { day, from, volumes };
}
