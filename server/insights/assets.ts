import { shanghaiDay } from '../platform/clock.js';
import type { InsightsDeps, LinkedCard, OwedLine } from './deps.js';
import * as store from './store.js';
import { addMonths } from './views.js';

/**
 * 我的资产: what the holder has here now (the wallet from the ledger, savings from the savings service),
 * what they owe today on each loan and card (the credit service), their linked cards, and the last
 * twelve month-ends of each: a month-end is now minus the net change counted after that month ended.
 * The debt's month-ends start from the debt the feed counted from the ledger's receivables (interest
 * posted up to the last daily run); today's lines are each loan's payoff, with interest to today.
 */

export const HISTORY_MONTHS = 12;

export interface AssetsView {
  asOf: Date;
  walletFen: bigint;
  savingsFen: bigint;
  loans: OwedLine[];
  cards: OwedLine[];
  owedFen: bigint;
  linkedCards: LinkedCard[];
  history: { month: string; walletFen: bigint; savingsFen: bigint; debtFen: bigint }[];
}

const sum = (lines: readonly OwedLine[]) => lines.reduce((t, line) => t + line.owedFen, 0n);

export async function assetsOf(deps: InsightsDeps, userId: string): Promise<AssetsView> {
  const now = deps.clock.now();
  const accounts = await deps.ledger.accountsOwnedBy(userId);
  const walletFen = accounts.filter((a) => a.kind === 'customer_wallet').reduce((t, a) => t + a.balanceFen, 0n);
  const savingsFen = await deps.savingsTotal(userId);
  const debts = await deps.debts(userId);
  const debtCountedFen = await store.debtCounted(deps.db, userId);
  const thisMonth = shanghaiDay(now).slice(0, 7);
  const first = addMonths(thisMonth, -(HISTORY_MONTHS - 1));
  // Changes after the end of the month before the first point: every point is now minus the changes after it.
  const changes = await store.assetChangesAfter(deps.db, userId, `${addMonths(first, -1)}-31`);
  const history: AssetsView['history'] = [];
  for (let i = 0; i < HISTORY_MONTHS; i++) {
    const month = addMonths(first, i);
    const later = changes.filter((c) => c.month > month);
    const after = (asset: 'wallet' | 'savings' | 'debt') =>
      later.filter((c) => c.asset === asset).reduce((t, c) => t + c.netFen, 0n);
    history.push({
      month,
      walletFen: walletFen - after('wallet'),
      savingsFen: savingsFen - after('savings'),
      debtFen: debtCountedFen - after('debt'),
    });
  }
  return {
    asOf: now,
    walletFen,
    savingsFen,
    loans: debts.loans,
    cards: debts.cards,
    owedFen: sum(debts.loans) + sum(debts.cards),
    linkedCards: await deps.linkedCards(userId),
    history,
  };
}
