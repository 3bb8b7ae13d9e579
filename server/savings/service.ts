import type { Clock } from '../platform/clock.js';
import { systemAccounts } from '../ledger/system-accounts.js';
import { createApplications } from './applications.js';
import type { SavingsContext, SavingsDeps } from './deps.js';
import { createDeposits } from './deposits.js';
import { type FundSandbox, createFundSandbox } from './fund-sandbox.js';
import { createHoldings } from './holdings.js';
import { createIncome } from './income.js';
import { createOrders } from './orders.js';
import { createPosting } from './posting.js';
import { createProducts } from './products.js';
import * as store from './store.js';
import { createSuitability } from './suitability.js';

/**
 * Savings and wealth (docs/savings.md): the catalogue, suitability, orders confirmed like
 * transfers, the money-market sweep's daily income, term deposits and the staff queue.
 *
 * The domain reads time from its own clock: the injected clock plus a whole number of days that
 * only the development hook (`advanceDays`, never registered in production) moves, so a browser
 * test can see tomorrow's income without touching sessions or other domains.
 */
export function createSavingsService(deps: SavingsDeps) {
  let offsetDays = 0;
  const clock: Clock = { now: () => new Date(deps.clock.now().getTime() + offsetDays * 86_400_000) };
  const sandbox: FundSandbox | null = deps.fundCompany ? null : createFundSandbox({ db: deps.db, clock });

  /** Bank-side product accounts are created once per database; processes racing agree on one. */
  const systemAccount = systemAccounts<string>(
    deps.db,
    deps.ledger,
    { find: store.systemAccount, insert: store.insertSystemAccount },
    (name) => ({ kind: 'savings_product', ownerRef: `system:savings:${name}` }),
  );

  const ctx: SavingsContext = {
    db: deps.db,
    clock,
    ledger: deps.ledger,
    identity: deps.identity,
    approvals: deps.approvals,
    audit: deps.audit,
    fundCompany: deps.fundCompany ?? (sandbox as FundSandbox).company,
    logger: deps.logger,
    systemAccount,
  };
  const products = createProducts(ctx);
  const suitability = createSuitability(ctx);
  const posting = createPosting(ctx);
  const orders = createOrders(ctx, { products, suitability, posting });
  const income = createIncome(ctx, { products, posting });
  const deposits = createDeposits(ctx, { products, posting });
  const holdings = createHoldings(ctx, { products });
  const applications = createApplications(ctx, { orders, posting });

  const walletOf = async (userId: string) => (await deps.identity.profile(userId))?.walletAccountId ?? null;

  /** The daily work, safe to run any number of times: figures, income, arrivals, maturities. */
  async function runDaily() {
    const paid = await income.run(walletOf);
    const depositsMatured = await deposits.matureDue(walletOf);
    return { ...paid, depositsMatured };
  }

  return {
    ctx,
    clock,
    sandbox,
    products,
    suitability,
    orders,
    income,
    deposits,
    holdings,
    applications,
    runDaily,
    /** Development and tests only (the route is not registered in production). */
    async advanceDays(days: number) {
      offsetDays += days;
      const jobs = await runDaily();
      await orders.expire();
      return { offsetDays, jobs };
    },
  };
}

export type SavingsService = ReturnType<typeof createSavingsService>;
