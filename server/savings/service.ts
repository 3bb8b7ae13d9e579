import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/types.js';
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

  const systemAccounts = new Map<string, string>();
  /** Bank-side product accounts are created once per database; processes racing agree on one. */
  async function systemAccount(name: string): Promise<string> {
    const known = systemAccounts.get(name) ?? (await store.systemAccount(deps.db, name));
    if (known) {
      systemAccounts.set(name, known);
      return known;
    }
    try {
      const id = await deps.db.transaction(async (tx) => {
        const account = await deps.ledger.createAccountInTx(tx, {
          kind: 'savings_product',
          currency: 'CNY',
          ownerRef: `system:savings:${name}`,
        });
        await store.insertSystemAccount(tx, name, account.id);
        return account.id;
      });
      systemAccounts.set(name, id);
      return id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return systemAccount(name);
    }
  }

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
