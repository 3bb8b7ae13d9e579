import { shanghaiDay } from '../platform/clock.js';
import { addDays } from './calendar.js';
import type { SavingsContext } from './deps.js';
import { expectedInterest } from './deposits.js';
import type { Products } from './products.js';
import { FAST_REDEEM_CAP_FEN, earningShares } from './rules.js';
import * as deposits from './store-deposits.js';
import type { DepositRow } from './store-deposits.js';
import * as shares from './store-shares.js';
import type { ShareMoveRow } from './store-shares.js';
import * as store from './store.js';
import type { FundDayRow, ProductRow } from './store.js';

/**
 * What a holder owns, read from the ledger (share and deposit accounts) with the savings records
 * beside it; and `verify`, which re-derives every holding from the share movements and deposits and
 * compares it with the ledger account.
 */

export interface FundHolding {
  product: ProductRow;
  shares: bigint;
  earningShares: bigint;
  pendingShares: bigint;
  yesterdayIncome: bigint;
  lastIncome: ShareMoveRow | null;
  totalIncome: bigint;
  fastRedeemRemainingToday: bigint;
  latestYield: FundDayRow | null;
}

export interface HoldingsView {
  today: string;
  totalAssets: bigint;
  funds: FundHolding[];
  deposits: DepositRow[];
}

export function createHoldings(ctx: SavingsContext, deps: { products: Products }) {
  const { db, clock, ledger } = ctx;

  async function of(userId: string): Promise<HoldingsView> {
    const today = shanghaiDay(clock.now());
    const yesterday = addDays(today, -1);
    const funds: FundHolding[] = [];
    for (const holding of await store.holdingsOf(db, userId)) {
      const product = await deps.products.get(holding.product_id);
      if (!product) continue;
      const account = await ledger.getAccount(holding.account_id);
      const balance = account?.balanceFen ?? 0n;
      const figures = await shares.holderOnDay(db, userId, product.id, today);
      const earning = earningShares(figures.added_earning, balance);
      const [last] = await shares.incomeMoves(db, { userId, productId: product.id, limit: 1 });
      const used = await shares.fastRedeemedOn(db, userId, product.id, today);
      funds.push({
        product,
        shares: balance,
        earningShares: earning,
        pendingShares: balance - earning,
        yesterdayIncome: last?.income_day === yesterday ? last.amount : 0n,
        lastIncome: last ?? null,
        totalIncome: figures.total_income,
        fastRedeemRemainingToday: product.terms.fastRedeem ? FAST_REDEEM_CAP_FEN - used : 0n,
        latestYield: await deps.products.latestYield(product),
      });
    }
    const open = await deposits.listDeposits(db, userId, 'open');
    const totalAssets =
      funds.reduce((sum, fund) => sum + fund.shares, 0n) + open.reduce((sum, deposit) => sum + deposit.principal, 0n);
    return { today, totalAssets, funds, deposits: open };
  }

  async function income(userId: string, filter: { productId?: string; beforeDay?: string; limit?: number }) {
    const limit = Math.min(Math.max(filter.limit ?? 30, 1), 100);
    const rows = await shares.incomeMoves(db, {
      userId,
      productId: filter.productId,
      beforeDay: filter.beforeDay,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return { items, nextBefore: rows.length > limit ? (items[items.length - 1].income_day as string) : null };
  }

  /**
   * Re-derives holdings: each fund account's ledger balance equals the sum of its share movements,
   * each open deposit's account holds its principal and each closed one nothing. Read-only.
   */
  async function verify(): Promise<{ ok: boolean; problems: string[] }> {
    const problems: string[] = [];
    const moved = new Map(
      (await shares.shareBalances(db)).map((row) => [`${row.user_id}|${row.product_id}`, row.balance]),
    );
    for (const holding of await store.allHoldings(db)) {
      const account = await ledger.getAccount(holding.account_id);
      const expected = moved.get(`${holding.user_id}|${holding.product_id}`) ?? 0n;
      if (account?.balanceFen !== expected)
        problems.push(
          `fund account ${holding.account_id}: ledger ${account?.balanceFen} ≠ share movements ${expected}`,
        );
    }
    for (const deposit of await deposits.allDeposits(db)) {
      const account = await ledger.getAccount(deposit.account_id);
      const expected = deposit.status === 'open' ? deposit.principal : 0n;
      if (account?.balanceFen !== expected)
        problems.push(`deposit ${deposit.id}: ledger ${account?.balanceFen} ≠ ${expected} (${deposit.status})`);
      if (deposit.status === 'matured' && deposit.interest_paid !== expectedInterest(deposit))
        problems.push(`deposit ${deposit.id}: interest ${deposit.interest_paid} ≠ ${expectedInterest(deposit)}`);
    }
    return { ok: problems.length === 0, problems };
  }

  return { of, income, verify };
}

export type Holdings = ReturnType<typeof createHoldings>;
