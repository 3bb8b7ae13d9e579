import type { LedgerCommand } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { assert } from '../platform/result.js';
import { addDays } from './calendar.js';
import type { SavingsContext } from './deps.js';
import { IN_TRANSIT_ACCOUNT, type Posting, fundIncomeAccount, orderReference } from './posting.js';
import type { Products } from './products.js';
import { earningShares, fundIncome } from './rules.js';
import * as orders from './store-orders.js';
import * as shares from './store-shares.js';
import * as store from './store.js';
import type { FundDayRow, ProductRow } from './store.js';

/**
 * The daily fund work, each step safe to run again and after a crash:
 * - collect the fund company's figures day by day, in order, stopping at the first unpublished day;
 * - pay each holder the income of every day not yet paid, in order: earning shares × income per
 *   10,000 units, to the fen, from the fund's account, one unique ledger reference per holder and
 *   day (a rerun finds it and pays nothing twice); a day is closed once every holder is paid;
 * - ordinary redemptions whose business day has come arrive in the wallet.
 */

/** How far back the first collection reaches, so the yield chart has three months. */
export const FIRST_COLLECTION_DAYS = 100;
const HOLDERS_PER_TRANSACTION = 100;

export const incomeReference = (userId: string, productId: string, day: string) =>
  `savings:income:${productId}:${userId}:${day}`;

export function createIncome(ctx: SavingsContext, deps: { products: Products; posting: Posting }) {
  const { db, clock, ledger } = ctx;

  async function collect(product: ProductRow): Promise<number> {
    const fundCode = product.fund_code;
    if (!fundCode) return 0;
    const yesterday = addDays(shanghaiDay(clock.now()), -1);
    const latest = await store.latestFundDay(db, fundCode);
    let day = latest ? addDays(latest.day, 1) : addDays(yesterday, 1 - FIRST_COLLECTION_DAYS);
    let collected = 0;
    for (; day <= yesterday; day = addDays(day, 1)) {
      const answer = await ctx.fundCompany.dayFigures(fundCode, day);
      if (!answer.ok) {
        ctx.logger?.warn({ fundCode, day, error: answer.error }, 'fund company unavailable');
        break;
      }
      if (!answer.value) break;
      await store.insertFundDay(db, { ...answer.value, fetchedAt: clock.now() });
      collected++;
    }
    return collected;
  }

  /** Pays one day's income to every holder not yet paid; answers the credits made. */
  async function payDay(product: ProductRow, figures: FundDayRow): Promise<{ credits: number; total: bigint }> {
    const day = figures.day;
    const creditDay = addDays(day, 1);
    const source = await ctx.systemAccount(fundIncomeAccount(product.fund_code as string));
    const accounts = new Map(
      (await store.allHoldings(db)).filter((h) => h.product_id === product.id).map((h) => [h.user_id, h.account_id]),
    );
    const due = (await shares.holdersOnDay(db, product.id, day))
      .filter((holder) => !holder.paid)
      .map((holder) => ({
        userId: holder.user_id,
        eligible: earningShares(holder.added_earning, holder.balance),
      }))
      .map((holder) => ({ ...holder, income: fundIncome(holder.eligible, figures.per10k_e4) }))
      .filter((holder) => holder.income > 0n);
    let credits = 0;
    let total = 0n;
    for (let i = 0; i < due.length; i += HOLDERS_PER_TRANSACTION) {
      const batch = due.slice(i, i + HOLDERS_PER_TRANSACTION);
      await db.transaction(async (tx) => {
        const now = clock.now();
        const commands: LedgerCommand[] = [];
        const recorded: typeof batch = [];
        for (const holder of batch) {
          const account = accounts.get(holder.userId);
          assert(account, `holder ${holder.userId} of ${product.id} has an account`);
          const reference = incomeReference(holder.userId, product.id, day);
          commands.push({
            type: 'transfer',
            reference,
            currency: 'CNY',
            legs: [{ debitAccountId: source, creditAccountId: account, amountFen: holder.income }],
            metadata: { kind: 'savings_income', ref: `${product.id}:${day}`, product: product.code, day },
            limitExempt: true,
          });
          recorded.push(holder);
        }
        const outcomes = await ledger.execute(tx, commands);
        for (let k = 0; k < recorded.length; k++) {
          const outcome = outcomes[k];
          if (!outcome.ok) throw new Error(`income credit refused: ${outcome.error.code}`);
          assert(outcome.value.type === 'transfer', 'a transfer answers with an entry');
          if (outcome.value.replayed) continue;
          const holder = recorded[k];
          const inserted = await shares.insertShareMove(tx, {
            id: newId('svm', now.getTime()),
            user_id: holder.userId,
            product_id: product.id,
            kind: 'income',
            amount: holder.income,
            day: creditDay,
            earns_from: creditDay,
            income_day: day,
            eligible: holder.eligible,
            per10k_e4: figures.per10k_e4,
            order_id: null,
            entry_id: outcome.value.entry.id,
            created_at: now,
          });
          assert(inserted, `income of ${holder.userId} for ${day} recorded once`);
          credits++;
          total += holder.income;
        }
      });
    }
    return { credits, total };
  }

  /** Every unpaid day of one fund up to yesterday, in order; stops at a day without figures. */
  async function payFund(product: ProductRow): Promise<{ days: number; credits: number }> {
    const fundCode = product.fund_code;
    if (!fundCode) return { days: 0, credits: 0 };
    const yesterday = addDays(shanghaiDay(clock.now()), -1);
    const paidThrough = await shares.lastIncomeDay(db, product.id);
    const first = await shares.firstMoveDay(db, product.id);
    if (!first) return { days: 0, credits: 0 };
    let day = paidThrough ? addDays(paidThrough, 1) : first;
    let days = 0;
    let credits = 0;
    if (day > yesterday) return { days, credits };
    const figures = new Map((await store.fundDays(db, fundCode, day, yesterday)).map((row) => [row.day, row]));
    for (; day <= yesterday; day = addDays(day, 1)) {
      const published = figures.get(day);
      if (!published) break;
      const paid = await payDay(product, published);
      await shares.insertIncomeDay(db, {
        productId: product.id,
        day,
        holders: paid.credits,
        total: paid.total,
        at: clock.now(),
      });
      days++;
      credits += paid.credits;
    }
    return { days, credits };
  }

  /** Ordinary redemptions due today or earlier arrive in their wallets. */
  async function settleRedemptions(walletOf: (userId: string) => Promise<string | null>, limit = 200): Promise<number> {
    const today = shanghaiDay(clock.now());
    let settled = 0;
    for (const row of await orders.dueRedemptions(db, today, limit)) {
      const wallet = await walletOf(row.user_id);
      if (!wallet) continue;
      const transit = await ctx.systemAccount(IN_TRANSIT_ACCOUNT);
      await db.transaction(async (tx) => {
        const order = await orders.findOrder(tx, row.id, true);
        if (order?.status !== 'processing') return;
        const now = clock.now();
        // Money returning from the holder's own fund cannot be refused by wallet limits.
        const [outcome] = await ledger.execute(tx, [
          {
            type: 'transfer',
            reference: `${orderReference(order.id)}:arrival`,
            currency: 'CNY',
            legs: [{ debitAccountId: transit, creditAccountId: wallet, amountFen: order.amount }],
            metadata: { kind: 'savings_redeem', ref: order.id },
            limitExempt: true,
          },
        ]);
        if (!outcome.ok) throw new Error(`redemption arrival refused: ${outcome.error.code}`);
        await orders.updateOrder(tx, order.id, { status: 'completed', completed_at: now });
        settled++;
      });
    }
    return settled;
  }

  async function run(walletOf: (userId: string) => Promise<string | null>) {
    let incomeDays = 0;
    let incomeCredits = 0;
    for (const product of await deps.products.list()) {
      if (product.kind !== 'fund') continue;
      await collect(product);
      const paid = await payFund(product);
      incomeDays += paid.days;
      incomeCredits += paid.credits;
    }
    const redemptionsSettled = await settleRedemptions(walletOf);
    return { incomeDays, incomeCredits, redemptionsSettled };
  }

  return { collect, payFund, settleRedemptions, run };
}

export type Income = ReturnType<typeof createIncome>;
