import { shanghaiDay } from '../platform/clock.js';
import type { InsightsDeps, LinkedCard } from './deps.js';
import * as store from './store.js';
import { addMonths } from './views.js';

/**
 * 我的资产: what the holder has here now (the wallet from the ledger, savings from the savings service),
 * what they owe (nothing until loans and credit cards exist), their linked cards, and the last twelve
 * month-ends: each is today's balance minus the net change counted after that month ended.
 */

export const HISTORY_MONTHS = 12;

export interface AssetsView {
  asOf: Date;
  walletFen: bigint;
  savingsFen: bigint;
  owedFen: bigint;
  cards: LinkedCard[];
  history: { month: string; walletFen: bigint; savingsFen: bigint }[];
}

export async function assetsOf(deps: InsightsDeps, userId: string): Promise<AssetsView> {
  const now = deps.clock.now();
  const accounts = await deps.ledger.accountsOwnedBy(userId);
  const walletFen = accounts.filter((a) => a.kind === 'customer_wallet').reduce((t, a) => t + a.balanceFen, 0n);
  const savingsFen = await deps.savingsTotal(userId);
  const thisMonth = shanghaiDay(now).slice(0, 7);
  const first = addMonths(thisMonth, -(HISTORY_MONTHS - 1));
  // Changes after the end of the month before the first point: every point is now minus the changes after it.
  const changes = await store.assetChangesAfter(deps.db, userId, `${addMonths(first, -1)}-31`);
  const history: AssetsView['history'] = [];
  for (let i = 0; i < HISTORY_MONTHS; i++) {
    const month = addMonths(first, i);
    const later = changes.filter((c) => c.month > month);
    const after = (asset: 'wallet' | 'savings') =>
      later.filter((c) => c.asset === asset).reduce((t, c) => t + c.netFen, 0n);
    history.push({ month, walletFen: walletFen - after('wallet'), savingsFen: savingsFen - after('savings') });
  }
  return { asOf: now, walletFen, savingsFen, owedFen: 0n, cards: await deps.linkedCards(userId), history };
}
