import type { Operation } from '../confirmations/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { LedgerCommand, Metadata } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { Rollback } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import type { Currency } from '../platform/money.js';
import { assert } from '../platform/result.js';
import { addMonths, daysBetween, earnsFrom, nextBusinessDay, tradeDay } from './calendar.js';
import type { ProductTerms } from './catalogue.js';
import type { SavingsContext, SavingsError } from './deps.js';
import { FAST_REDEEM_CAP_FEN, depositInterest } from './rules.js';
import * as deposits from './store-deposits.js';
import type { DepositRow } from './store-deposits.js';
import * as orders from './store-orders.js';
import type { OrderRow } from './store-orders.js';
import * as shares from './store-shares.js';
import * as store from './store.js';

/**
 * The money of each order, inside the transaction that completes it: one ledger movement between
 * the holder's wallet and a product account, and the savings record of it, commit together. A
 * refusal throws Rollback with the savings error, so nothing is written.
 */

export const INTEREST_ACCOUNT = 'deposit-interest';
export const IN_TRANSIT_ACCOUNT = 'redemptions-in-transit';
export const fundIncomeAccount = (fundCode: string) => `fund-income:${fundCode}`;

/** Orders above the threshold wait this long for staff before they lapse. */
export const REVIEW_WINDOW_MS = 3 * 24 * 3600_000;

export const orderReference = (orderId: string) => `savings:${orderId}`;

/** The operation an order's confirmation is bound to: built here only, when made and when spent. */
export function orderOperation(order: Pick<OrderRow, 'id' | 'amount' | 'currency' | 'type'>, code: string): Operation {
  const buying = order.type === 'subscribe' || order.type === 'deposit_open';
  return {
    reference: orderReference(order.id),
    amountFen: order.amount,
    currency: order.currency,
    payee: buying ? `savings:${code}` : 'wallet:own',
  };
}

/** A ledger refusal as a savings error (no bigints in answers). */
export function fromLedger(error: LedgerError, holdingAccountId?: string): SavingsError {
  if (error.code === 'INSUFFICIENT_FUNDS' && error.accountId === holdingAccountId)
    return { code: 'SAVINGS_INSUFFICIENT_SHARES', available: Number(error.availableFen) };
  const details: SavingsError = { code: error.code };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'code') continue;
    details[key] = typeof value === 'bigint' ? Number(value) : (value as string);
  }
  return details;
}

export interface OrderContext {
  order: OrderRow;
  terms: ProductTerms;
  productCode: string;
  fundCode: string | null;
  walletAccountId: string;
}

export function createPosting(ctx: SavingsContext) {
  const { clock, ledger } = ctx;

  /** One ledger command, last in the caller's transaction; a refusal rolls everything back. */
  async function post(tx: Tx, command: LedgerCommand, holdingAccountId?: string) {
    const [outcome] = await ledger.execute(tx, [command]);
    if (!outcome.ok) throw new Rollback(fromLedger(outcome.error, holdingAccountId));
    return outcome.value;
  }

  async function transfer(
    tx: Tx,
    reference: string,
    legs: { from: string; to: string; amount: bigint }[],
    metadata: Metadata,
    options: { limitExempt?: boolean; holding?: string } = {},
  ): Promise<string> {
    const result = await post(
      tx,
      {
        type: 'transfer',
        reference,
        currency: 'CNY',
        legs: legs
          .filter((leg) => leg.amount > 0n)
          .map((leg) => ({ debitAccountId: leg.from, creditAccountId: leg.to, amountFen: leg.amount })),
        metadata,
        limitExempt: options.limitExempt,
      },
      options.holding,
    );
    assert(result.type === 'transfer', 'a transfer answers with an entry');
    return result.entry.id;
  }

  const meta = (o: OrderContext, kind: string): Metadata => ({
    kind,
    ref: o.order.id,
    product: o.productCode,
    counterparty: o.terms.name.zh,
  });

  async function holdingOf(tx: Tx, order: OrderRow): Promise<string> {
    const holding = await store.findHolding(tx, order.user_id, order.product_id);
    assert(holding, `holding of ${order.user_id} in ${order.product_id} made before the order`);
    return holding.account_id;
  }

  /** Shares bought: the savings record once the money is in the holding account. */
  async function finishSubscribe(tx: Tx, order: OrderRow, entryId: string): Promise<OrderRow> {
    const now = clock.now();
    const earns = earnsFrom(now);
    await shares.insertShareMove(tx, {
      id: newId('svm', now.getTime()),
      user_id: order.user_id,
      product_id: order.product_id,
      kind: 'subscribe',
      amount: order.amount,
      day: shanghaiDay(now),
      earns_from: earns,
      income_day: null,
      eligible: null,
      per10k_e4: null,
      order_id: order.id,
      entry_id: entryId,
      created_at: now,
    });
    return orders.updateOrder(tx, order.id, {
      status: 'completed',
      entry_id: entryId,
      earns_from: earns,
      completed_at: now,
    });
  }

  /** A deposit opened today at the order's rate, once its principal is in its account. */
  async function finishDepositOpen(
    tx: Tx,
    order: OrderRow,
    terms: ProductTerms,
    accountId: string,
    entryId: string,
  ): Promise<OrderRow> {
    const now = clock.now();
    const today = shanghaiDay(now);
    assert(terms.termMonths && terms.rateE4 && terms.demandRateE4, 'a term deposit product has a term and rates');
    const deposit = await deposits.insertDeposit(tx, {
      id: newId('svd', now.getTime()),
      user_id: order.user_id,
      product_id: order.product_id,
      account_id: accountId,
      principal: order.amount,
      currency: order.currency,
      term_months: terms.termMonths,
      rate_e4: BigInt(terms.rateE4),
      demand_rate_e4: BigInt(terms.demandRateE4),
      opened_on: today,
      matures_on: addMonths(today, terms.termMonths),
      maturity_choice: order.maturity_choice ?? 'to_wallet',
      rolled_from: null,
      order_id: order.id,
      open_entry_id: entryId,
      created_at: now,
    });
    return orders.updateOrder(tx, order.id, {
      status: 'completed',
      entry_id: entryId,
      deposit_id: deposit.id,
      completed_at: now,
    });
  }

  /** Above the review threshold: the money is held until staff decide. */
  async function holdForReview(tx: Tx, o: OrderContext, targetAccountId: string): Promise<OrderRow> {
    const now = clock.now();
    const deadline = new Date(now.getTime() + REVIEW_WINDOW_MS);
    const held = await post(tx, {
      type: 'hold',
      reference: `${orderReference(o.order.id)}:hold`,
      currency: o.order.currency as Currency,
      debitAccountId: o.walletAccountId,
      creditAccountId: targetAccountId,
      amountFen: o.order.amount,
      // The ledger's own expiry is a backstop; the savings job lapses the order first.
      expiresAt: new Date(deadline.getTime() + 24 * 3600_000),
      metadata: meta(o, 'savings_buy'),
      limitExempt: true,
    });
    assert(held.type === 'hold', 'a hold answers with a hold');
    return orders.updateOrder(tx, o.order.id, {
      status: 'pending_review',
      hold_id: held.hold.id,
      target_account_id: targetAccountId,
      expires_at: deadline,
    });
  }

  /** Moves the money of a confirmed order and records it; throws Rollback on a refusal. */
  async function execute(tx: Tx, o: OrderContext): Promise<OrderRow> {
    const { order } = o;
    const reference = orderReference(order.id);
    const now = clock.now();
    const above = order.amount > BigInt(o.terms.reviewThresholdFen);
    switch (order.type) {
      case 'subscribe': {
        const holding = await holdingOf(tx, order);
        if (above) return holdForReview(tx, o, holding);
        // Buying the bank's own savings products is not a payment: the wallet's payment limits do
        // not apply (the holder's frozen state was checked when the order was made).
        const entryId = await transfer(
          tx,
          reference,
          [{ from: o.walletAccountId, to: holding, amount: order.amount }],
          meta(o, 'savings_buy'),
          { limitExempt: true },
        );
        return finishSubscribe(tx, order, entryId);
      }
      case 'deposit_open': {
        const account = await ledger.createAccountInTx(tx, {
          kind: 'savings_holding',
          currency: order.currency as Currency,
          ownerRef: order.user_id,
        });
        if (above) return holdForReview(tx, o, account.id);
        const entryId = await transfer(
          tx,
          reference,
          [{ from: o.walletAccountId, to: account.id, amount: order.amount }],
          meta(o, 'savings_deposit'),
          { limitExempt: true },
        );
        return finishDepositOpen(tx, order, o.terms, account.id, entryId);
      }
      case 'redeem_fast':
      case 'redeem_ordinary': {
        const holding = await holdingOf(tx, order);
        const day = shanghaiDay(now);
        if (order.type === 'redeem_fast') {
          const counted = await shares.addFastRedemption(tx, {
            userId: order.user_id,
            productId: order.product_id,
            day,
            amount: order.amount,
            cap: FAST_REDEEM_CAP_FEN,
          });
          if (!counted) {
            const used = await shares.fastRedeemedOn(tx, order.user_id, order.product_id, day);
            throw new Rollback({ code: 'SAVINGS_FAST_REDEEM_CAP', remainingToday: Number(FAST_REDEEM_CAP_FEN - used) });
          }
        }
        const to = order.type === 'redeem_fast' ? o.walletAccountId : await ctx.systemAccount(IN_TRANSIT_ACCOUNT);
        const entryId = await transfer(
          tx,
          reference,
          [{ from: holding, to, amount: order.amount }],
          meta(o, 'savings_redeem'),
          { holding },
        );
        await shares.insertShareMove(tx, {
          id: newId('svm', now.getTime()),
          user_id: order.user_id,
          product_id: order.product_id,
          kind: 'redeem',
          amount: -order.amount,
          day,
          earns_from: null,
          income_day: null,
          eligible: null,
          per10k_e4: null,
          order_id: order.id,
          entry_id: entryId,
          created_at: now,
        });
        if (order.type === 'redeem_fast')
          return orders.updateOrder(tx, order.id, { status: 'completed', entry_id: entryId, completed_at: now });
        return orders.updateOrder(tx, order.id, {
          status: 'processing',
          entry_id: entryId,
          arrives_on: nextBusinessDay(tradeDay(now)),
        });
      }
      case 'deposit_early_withdrawal': {
        const deposit = order.deposit_id ? await deposits.findDeposit(tx, order.deposit_id, true) : null;
        if (!deposit || deposit.user_id !== order.user_id) throw new Rollback({ code: 'SAVINGS_DEPOSIT_NOT_FOUND' });
        if (deposit.status !== 'open') throw new Rollback({ code: 'SAVINGS_DEPOSIT_NOT_OPEN', status: deposit.status });
        const today = shanghaiDay(now);
        const interest = depositInterest(
          deposit.principal,
          deposit.demand_rate_e4,
          daysBetween(deposit.opened_on, today),
        );
        const entryId = await transfer(
          tx,
          reference,
          [
            { from: deposit.account_id, to: o.walletAccountId, amount: deposit.principal },
            { from: await ctx.systemAccount(INTEREST_ACCOUNT), to: o.walletAccountId, amount: interest },
          ],
          { ...meta(o, 'savings_deposit_withdrawal'), interest: Number(interest) },
        );
        await deposits.closeDeposit(tx, deposit.id, {
          status: 'withdrawn_early',
          interest_paid: interest,
          closed_on: today,
          close_entry_id: entryId,
          rolled_into: null,
        });
        return orders.updateOrder(tx, order.id, {
          status: 'completed',
          entry_id: entryId,
          interest,
          completed_at: now,
        });
      }
    }
  }

  /** Staff approved an order waiting for review: the held money is posted and the order takes effect. */
  async function postReviewed(tx: Tx, o: OrderContext): Promise<OrderRow> {
    const { order } = o;
    assert(order.hold_id && order.target_account_id, 'an order under review holds its money');
    const posted = await post(tx, { type: 'post_hold', reference: orderReference(order.id), holdId: order.hold_id });
    assert(posted.type === 'post_hold', 'posting a hold answers with an entry');
    if (order.type === 'deposit_open')
      return finishDepositOpen(tx, order, o.terms, order.target_account_id, posted.entry.id);
    return finishSubscribe(tx, order, posted.entry.id);
  }

  /** Releases an order's held money; a hold the ledger already expired or resolved needs nothing. */
  async function releaseHold(tx: Tx, order: OrderRow): Promise<void> {
    if (!order.hold_id) return;
    const [outcome] = await ledger.execute(tx, [
      { type: 'void_hold', reference: `${orderReference(order.id)}:void`, holdId: order.hold_id },
    ]);
    if (outcome.ok || outcome.error.code === 'HOLD_ALREADY_RESOLVED' || outcome.error.code === 'HOLD_EXPIRED') return;
    throw new Rollback(fromLedger(outcome.error));
  }

  /**
   * Creates the bank-side accounts an order may use, before its transaction: creating one inside it
   * would need a second connection (PGlite has one).
   */
  async function ensureAccounts(): Promise<void> {
    await ctx.systemAccount(IN_TRANSIT_ACCOUNT);
    await ctx.systemAccount(INTEREST_ACCOUNT);
  }

  return { execute, postReviewed, releaseHold, transfer, finishDepositOpen, ensureAccounts };
}

export type Posting = ReturnType<typeof createPosting>;
export type { DepositRow };
