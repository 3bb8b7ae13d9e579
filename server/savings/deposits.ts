import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { assert } from '../platform/result.js';
import { addMonths, dayStart, daysBetween } from './calendar.js';
import type { SavingsContext } from './deps.js';
import { INTEREST_ACCOUNT, type Posting } from './posting.js';
import type { Products } from './products.js';
import { depositInterest } from './rules.js';
import * as deposits from './store-deposits.js';
import type { DepositRow } from './store-deposits.js';

/**
 * Term deposits at maturity (run by the daily job, earliest first, so a backlog is caught up in
 * order): interest = principal × rate × days / 360, to the fen, half up, paid from the bank's
 * interest account. `to_wallet` returns principal and interest to the wallet; `rollover` opens a
 * new deposit of principal + interest for the same term at the rate in effect on the maturity day
 * (or returns the money if the product is no longer on sale). One unique ledger reference per
 * deposit, so a rerun pays once.
 */

export const maturityReference = (depositId: string) => `savings:maturity:${depositId}`;

export function expectedInterest(
  deposit: Pick<DepositRow, 'principal' | 'rate_e4' | 'opened_on' | 'matures_on'>,
): bigint {
  return depositInterest(deposit.principal, deposit.rate_e4, daysBetween(deposit.opened_on, deposit.matures_on));
}

export function createDeposits(ctx: SavingsContext, deps: { products: Products; posting: Posting }) {
  const { db, clock, ledger } = ctx;

  async function mature(row: DepositRow, walletAccountId: string): Promise<boolean> {
    const interestAccount = await ctx.systemAccount(INTEREST_ACCOUNT);
    const product = await deps.products.get(row.product_id, dayStart(row.matures_on));
    return db.transaction(async (tx) => {
      const deposit = await deposits.findDeposit(tx, row.id, true);
      if (deposit?.status !== 'open') return false;
      const now = clock.now();
      const interest = expectedInterest(deposit);
      const terms = product?.terms;
      const rolls =
        deposit.maturity_choice === 'rollover' &&
        terms?.status === 'on_sale' &&
        terms.rateE4 !== null &&
        terms.demandRateE4 !== null &&
        terms.termMonths !== null;
      const metadata = { kind: 'savings_deposit_maturity', ref: deposit.id, interest: Number(interest) };
      if (!rolls) {
        const entryId = await deps.posting.transfer(
          tx,
          maturityReference(deposit.id),
          [
            { from: deposit.account_id, to: walletAccountId, amount: deposit.principal },
            { from: interestAccount, to: walletAccountId, amount: interest },
          ],
          metadata,
          { limitExempt: true },
        );
        await deposits.closeDeposit(tx, deposit.id, {
          status: 'matured',
          interest_paid: interest,
          closed_on: deposit.matures_on,
          close_entry_id: entryId,
          rolled_into: null,
        });
        return true;
      }
      assert(terms && terms.termMonths && terms.rateE4 && terms.demandRateE4, 'checked above');
      const account = await ledger.createAccountInTx(tx, {
        kind: 'savings_holding',
        currency: 'CNY',
        ownerRef: deposit.user_id,
      });
      const entryId = await deps.posting.transfer(
        tx,
        maturityReference(deposit.id),
        [
          { from: deposit.account_id, to: account.id, amount: deposit.principal },
          { from: interestAccount, to: account.id, amount: interest },
        ],
        { ...metadata, kind: 'savings_deposit_rollover' },
        { limitExempt: true },
      );
      const next = await deposits.insertDeposit(tx, {
        id: newId('svd', now.getTime()),
        user_id: deposit.user_id,
        product_id: deposit.product_id,
        account_id: account.id,
        principal: deposit.principal + interest,
        currency: deposit.currency,
        term_months: terms.termMonths,
        rate_e4: BigInt(terms.rateE4),
        demand_rate_e4: BigInt(terms.demandRateE4),
        opened_on: deposit.matures_on,
        matures_on: addMonths(deposit.matures_on, terms.termMonths),
        maturity_choice: 'rollover',
        rolled_from: deposit.id,
        order_id: null,
        open_entry_id: entryId,
        created_at: now,
      });
      await deposits.closeDeposit(tx, deposit.id, {
        status: 'rolled_over',
        interest_paid: interest,
        closed_on: deposit.matures_on,
        close_entry_id: entryId,
        rolled_into: next.id,
      });
      return true;
    });
  }

  /** Matures every deposit due by today, earliest first, until none is left. */
  async function matureDue(walletOf: (userId: string) => Promise<string | null>): Promise<number> {
    const today = shanghaiDay(clock.now());
    let matured = 0;
    for (let round = 0; round < 1000; round++) {
      const due = await deposits.dueDeposits(db, today, 100);
      if (due.length === 0) break;
      let progressed = false;
      for (const row of due) {
        const wallet = await walletOf(row.user_id);
        if (!wallet) continue;
        if (await mature(row, wallet)) {
          matured++;
          progressed = true;
        }
      }
      if (!progressed) break;
    }
    return matured;
  }

  async function get(userId: string, id: string): Promise<DepositRow | null> {
    const row = await deposits.findDeposit(db, id);
    return row && row.user_id === userId ? row : null;
  }

  /** What a deposit certificate shows: the deposit and its holder, masked. */
  async function certificate(userId: string, id: string) {
    const deposit = await get(userId, id);
    const profile = deposit ? await ctx.identity.profile(userId) : null;
    if (!deposit || !profile) return null;
    return {
      certificateNo: `TBD-${deposit.opened_on.replaceAll('-', '')}-${deposit.id.slice(-8).toUpperCase()}`,
      deposit,
      holder: { name: profile.name, idNumber: profile.idNumber },
    };
  }

  return {
    matureDue,
    get,
    certificate,
    list: (userId: string, status: 'open' | 'closed' | 'all') => deposits.listDeposits(db, userId, status),
  };
}

export type Deposits = ReturnType<typeof createDeposits>;
