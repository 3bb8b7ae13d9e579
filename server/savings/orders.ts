import { CONFIRMATION_TTL_MS, type ConfirmationView } from '../confirmations/service.js';
import { shanghaiDay } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { Rollback, inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { SavingsContext, SavingsError } from './deps.js';
import { type OrderContext, type Posting, orderOperation } from './posting.js';
import type { Products } from './products.js';
import { FAST_REDEEM_CAP_FEN } from './rules.js';
import * as deposits from './store-deposits.js';
import * as orders from './store-orders.js';
import type { OrderRow, OrderType } from './store-orders.js';
import * as shares from './store-shares.js';
import * as store from './store.js';
import type { ProductRow } from './store.js';
import type { SuitabilityService } from './suitability.js';

/**
 * Holder orders, confirmed like transfers: prepare (checks everything, writes the order and a
 * confirmation bound to it), the holder approves the confirmation with the PIN or a passkey, then
 * complete (the money moves, posting.ts). `submit` does the three in one request.
 */

export const CONFIRM_WINDOW_MS = 5 * 60_000;

export type OrderInput =
  | {
      type: 'subscribe';
      productId: string;
      amountFen: bigint;
      acknowledgeRisk?: boolean;
      maturityChoice?: 'rollover' | 'to_wallet';
      clientKey: string | null;
    }
  | { type: 'redeem'; productId: string; amountFen: bigint; speed: 'fast' | 'ordinary'; clientKey: string | null }
  | { type: 'early_withdrawal'; depositId: string; clientKey: string | null };

export interface Prepared {
  order: OrderRow;
  confirmation: ConfirmationView | null;
}

/** Refusals that end an order (its money was refused), as opposed to a confirmation to retry. */
const ENDING = new Set([
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'ACCOUNT_FROZEN',
  'SAVINGS_INSUFFICIENT_SHARES',
  'SAVINGS_FAST_REDEEM_CAP',
  'SAVINGS_DEPOSIT_NOT_OPEN',
  'SAVINGS_DEPOSIT_NOT_FOUND',
]);

export function createOrders(
  ctx: SavingsContext,
  deps: { products: Products; suitability: SuitabilityService; posting: Posting },
) {
  const { db, clock, ledger, identity } = ctx;
  const { products, suitability, posting } = deps;

  async function ensureHolding(userId: string, productId: string): Promise<string> {
    const found = await store.findHolding(db, userId, productId);
    if (found) return found.account_id;
    try {
      return await db.transaction(async (tx) => {
        const account = await ledger.createAccountInTx(tx, {
          kind: 'savings_holding',
          currency: 'CNY',
          ownerRef: userId,
        });
        await store.insertHolding(tx, { user_id: userId, product_id: productId, account_id: account.id }, clock.now());
        return account.id;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const again = await store.findHolding(db, userId, productId);
      if (!again) throw error;
      return again.account_id;
    }
  }

  async function holdingBalance(userId: string, productId: string): Promise<bigint> {
    const holding = await store.findHolding(db, userId, productId);
    if (!holding) return 0n;
    return (await ledger.getAccount(holding.account_id))?.availableFen ?? 0n;
  }

  /** Every check of a new order, with nothing written; answers what to record. */
  async function plan(
    userId: string,
    input: OrderInput,
  ): Promise<
    Result<
      {
        product: ProductRow;
        type: OrderType;
        amount: bigint;
        depositId: string | null;
        suitable: Awaited<ReturnType<typeof suitability.check>> | null;
      },
      SavingsError
    >
  > {
    const profile = await identity.profile(userId);
    if (!profile) return err({ code: 'SAVINGS_ORDER_NOT_FOUND' });
    if (input.type === 'early_withdrawal') {
      const deposit = await deposits.findDeposit(db, input.depositId);
      if (!deposit || deposit.user_id !== userId) return err({ code: 'SAVINGS_DEPOSIT_NOT_FOUND' });
      if (deposit.status !== 'open') return err({ code: 'SAVINGS_DEPOSIT_NOT_OPEN', status: deposit.status });
      const product = await products.get(deposit.product_id);
      if (!product) return err({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
      return ok({
        product,
        type: 'deposit_early_withdrawal',
        amount: deposit.principal,
        depositId: deposit.id,
        suitable: null,
      });
    }
    const product = await products.get(input.productId);
    if (!product) return err({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
    const terms = product.terms;
    if (input.type === 'redeem') {
      if (product.kind !== 'fund') return err({ code: 'SAVINGS_WRONG_PRODUCT_KIND', kind: product.kind });
      if (input.speed === 'fast' && !terms.fastRedeem)
        return err({ code: 'SAVINGS_WRONG_PRODUCT_KIND', speed: 'fast' });
      const available = await holdingBalance(userId, product.id);
      if (input.amountFen > available)
        return err({ code: 'SAVINGS_INSUFFICIENT_SHARES', available: Number(available) });
      if (input.speed === 'fast') {
        const used = await shares.fastRedeemedOn(db, userId, product.id, shanghaiDay(clock.now()));
        if (used + input.amountFen > FAST_REDEEM_CAP_FEN)
          return err({ code: 'SAVINGS_FAST_REDEEM_CAP', remainingToday: Number(FAST_REDEEM_CAP_FEN - used) });
      }
      const type = input.speed === 'fast' ? 'redeem_fast' : 'redeem_ordinary';
      return ok({ product, type, amount: input.amountFen, depositId: null, suitable: null });
    }
    if (terms.status !== 'on_sale') return err({ code: 'SAVINGS_PRODUCT_CLOSED' });
    if (input.amountFen < BigInt(terms.minimumFen))
      return err({ code: 'SAVINGS_BELOW_MINIMUM', minimum: Number(terms.minimumFen) });
    if (product.kind === 'term_deposit' && !input.maturityChoice)
      return err({ code: 'SAVINGS_MATURITY_CHOICE_REQUIRED' });
    if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: profile.walletAccountId });
    const suitable = await suitability.check(userId, profile.tier, product, input.acknowledgeRisk === true);
    if (!suitable.ok) return suitable;
    const wallet = await ledger.getAccount(profile.walletAccountId);
    if (!wallet || wallet.availableFen < input.amountFen)
      return err({ code: 'INSUFFICIENT_FUNDS', available: Number(wallet?.availableFen ?? 0n) });
    const type = product.kind === 'fund' ? 'subscribe' : 'deposit_open';
    return ok({ product, type, amount: input.amountFen, depositId: null, suitable });
  }

  async function withConfirmation(userId: string, order: OrderRow): Promise<Prepared> {
    const confirmation =
      order.status === 'awaiting_confirmation' && order.confirmation_id
        ? await identity.confirmations.get(userId, order.confirmation_id)
        : null;
    return { order, confirmation };
  }

  async function prepare(userId: string, input: OrderInput): Promise<Result<Prepared, SavingsError>> {
    if (input.clientKey) {
      const existing = await orders.findOrderByClientKey(db, userId, input.clientKey);
      if (existing) return ok(await withConfirmation(userId, existing));
    }
    const planned = await plan(userId, input);
    if (!planned.ok) return planned;
    const { product, type, amount, depositId, suitable } = planned.value;
    if (type === 'subscribe' || type.startsWith('redeem')) await ensureHolding(userId, product.id);
    const now = clock.now();
    const id = newId('svo', now.getTime());
    const confirmation = await identity.confirmations.create(
      userId,
      orderOperation({ id, amount, currency: 'CNY', type }, product.code),
    );
    const inserted = await db
      .transaction(async (tx) => {
        const ackId = suitable?.ok
          ? await suitability.recordAcknowledgement(tx, userId, product, suitable.value)
          : null;
        const row = await orders.insertOrder(tx, {
          id,
          user_id: userId,
          product_id: product.id,
          product_version: product.version,
          type,
          status: 'awaiting_confirmation',
          amount,
          currency: 'CNY',
          deposit_id: depositId,
          maturity_choice:
            input.type === 'subscribe' && product.kind === 'term_deposit' ? (input.maturityChoice ?? null) : null,
          risk_ack_id: ackId,
          confirmation_id: confirmation.id,
          client_key: input.clientKey,
          created_at: now,
          // On the savings clock, like the expiry job that ends it: the confirmation's own expiry is
          // on identity's clock, which a development or test clock moved ahead does not move.
          expires_at: new Date(now.getTime() + CONFIRMATION_TTL_MS),
        });
        if (!row) throw new Rollback(null);
        return row;
      })
      .catch((error) => {
        if (error instanceof Rollback) return null;
        throw error;
      });
    if (inserted) return ok({ order: inserted, confirmation });
    // A retry with the same key raced this one: answer the order that won.
    const winner = await orders.findOrderByClientKey(db, userId, input.clientKey as string);
    if (!winner) return err({ code: 'SAVINGS_ORDER_NOT_FOUND' });
    return ok(await withConfirmation(userId, winner));
  }

  async function contextOf(order: OrderRow): Promise<OrderContext | null> {
    const versions = await products.versions(order.product_id);
    const version = versions.find((row) => row.version === order.product_version);
    const profile = await identity.profile(order.user_id);
    if (!version || !profile) return null;
    return {
      order,
      terms: version.terms,
      productCode: version.code,
      fundCode: version.fund_code,
      walletAccountId: profile.walletAccountId,
    };
  }

  /** Completes a confirmed order: the money moves. Completing a finished order answers it again. */
  async function complete(
    userId: string,
    orderId: string,
    confirmationId: string,
  ): Promise<Result<OrderRow, SavingsError>> {
    const found = await orders.findOrder(db, orderId);
    if (!found || found.user_id !== userId) return err({ code: 'SAVINGS_ORDER_NOT_FOUND' });
    if (found.status !== 'awaiting_confirmation') {
      if (
        ['completed', 'processing', 'pending_review'].includes(found.status) &&
        found.confirmation_id === confirmationId
      )
        return ok(found);
      return err({ code: 'SAVINGS_ORDER_NOT_PENDING', status: found.status });
    }
    const context = await contextOf(found);
    if (!context) return err({ code: 'SAVINGS_ORDER_NOT_FOUND' });
    await posting.ensureAccounts();
    const done = await inTransaction<OrderRow, SavingsError>(db, async (tx, rollback) => {
      const order = await orders.findOrder(tx, orderId, true);
      if (!order || order.status !== 'awaiting_confirmation')
        return rollback({ code: 'SAVINGS_ORDER_NOT_PENDING', status: order?.status ?? 'unknown' });
      if (order.confirmation_id !== confirmationId) return rollback({ code: 'CONFIRMATION_INVALID' });
      const consumed = await identity.confirmations.consume(
        tx,
        userId,
        confirmationId,
        orderOperation(order, context.productCode),
      );
      if (!consumed.ok) return rollback(consumed.error);
      return posting.execute(tx, { ...context, order });
    });
    if (!done.ok && ENDING.has(done.error.code)) {
      await orders.updateOrder(db, orderId, { status: 'failed', failure_code: done.error.code });
    }
    return done;
  }

  /** One request: prepare, confirm with the PIN, complete. */
  async function submit(userId: string, input: OrderInput, pin: string): Promise<Result<OrderRow, SavingsError>> {
    const prepared = await prepare(userId, input);
    if (!prepared.ok) return prepared;
    const { order, confirmation } = prepared.value;
    if (order.status !== 'awaiting_confirmation' || !confirmation) return ok(order);
    if (confirmation.status === 'pending') {
      const confirmed = await identity.confirmations.confirmWithPin(userId, confirmation.id, pin);
      if (!confirmed.ok) return err(confirmed.error as SavingsError);
    }
    return complete(userId, order.id, confirmation.id);
  }

  async function get(userId: string, id: string): Promise<Prepared | null> {
    const order = await orders.findOrder(db, id);
    if (!order || order.user_id !== userId) return null;
    return withConfirmation(userId, order);
  }

  async function list(userId: string, page: { before?: string; limit?: number }) {
    const limit = Math.min(Math.max(page.limit ?? 20, 1), 100);
    const rows = await orders.listOrders(db, { userId, before: page.before, limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }

  /** Ends orders nobody confirmed in time, and lapses reviews staff did not decide; run by a job. */
  async function expire(limit = 200): Promise<number> {
    const now = clock.now();
    let ended = 0;
    for (const row of await orders.lapsedOrders(db, 'awaiting_confirmation', now, limit)) {
      await db.transaction(async (tx) => {
        const order = await orders.findOrder(tx, row.id, true);
        if (order?.status !== 'awaiting_confirmation') return;
        await orders.updateOrder(tx, row.id, { status: 'expired' });
        ended++;
      });
    }
    for (const row of await orders.lapsedOrders(db, 'pending_review', now, limit)) {
      await db.transaction(async (tx) => {
        const order = await orders.findOrder(tx, row.id, true);
        if (order?.status !== 'pending_review') return;
        await posting.releaseHold(tx, order);
        await orders.updateOrder(tx, row.id, { status: 'expired', failure_code: 'SAVINGS_REVIEW_LAPSED' });
        ended++;
      });
    }
    return ended;
  }

  return { prepare, complete, submit, get, list, expire, contextOf, ensureHolding };
}

export type Orders = ReturnType<typeof createOrders>;
