import type { ConfirmationError, Operation } from '../confirmations/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { LedgerCommand, Metadata } from '../ledger/types.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import type { Tx } from '../platform/db/types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import {
  type Arrival,
  type CallbackEvent,
  CardNetworkTimeout,
  type DeclineReason,
  type NetworkOutcome,
  verifyCallbackSignature,
} from './card-network.js';
import { cardCounterparty } from './cards.js';
import type { WalletContext } from './deps.js';
import { type RequestOrigin, type WithdrawRiskError, createWithdrawAssessor } from './orders-risk.js';
import { recordBreak } from './store-reconciliation.js';
import * as store from './store.js';

/**
 * Top-ups and withdrawals, two-phase: record the order, call the network outside any database
 * transaction, then settle it from the answer, a callback or the status query, whichever comes
 * first. Settling locks the order and acts only while it is processing, and every ledger command
 * carries a reference derived from the order id, so nothing is ever credited or paid twice.
 */

/** Withdrawal holds outlive any arrival option by far, so a slow network never finds its hold expired. */
export const WITHDRAW_HOLD_TTL_MS = 30 * 24 * 3600_000;
/** How long after submitting an order the network may still say it never saw it. */
export const NOT_FOUND_GRACE_MS = 2 * 60_000;
const FIRST_CHECK_MS = 30_000;
const MAX_CHECK_INTERVAL_MS = 3600_000;

export type OrderError =
  | LedgerError
  | ConfirmationError
  | { code: 'CARD_NOT_FOUND' }
  | { code: 'CREDIT_CARD_NOT_ALLOWED' }
  | { code: 'ORDER_NOT_FOUND' }
  | { code: 'ORDER_NOT_AWAITING_CONFIRMATION'; status: string }
  | { code: 'WITHDRAWAL_NOT_CANCELLABLE'; status: string }
  | { code: 'UNAUTHENTICATED' }
  | WithdrawRiskError;

export interface OrderView {
  id: string;
  kind: store.OrderKind;
  status: store.OrderStatus;
  amountFen: bigint;
  currency: string;
  cardId: string;
  counterparty: string;
  arrival: Arrival | null;
  failureReason: string | null;
  networkRef: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export const orderView = (row: store.OrderRow): OrderView => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  amountFen: BigInt(row.amount),
  currency: row.currency,
  cardId: row.card_id,
  counterparty: row.counterparty,
  arrival: row.arrival,
  failureReason: row.failure_reason,
  networkRef: row.network_ref,
  createdAt: row.created_at,
  completedAt: row.completed_at,
});

/**
 * The operation a withdrawal's confirmation is bound to: built here only, when the confirmation is
 * made and when it is spent, so the two cannot drift apart.
 */
export function withdrawOperation(order: Pick<store.OrderRow, 'id' | 'amount' | 'currency' | 'card_id'>): Operation {
  const payee = `card:${order.card_id}`;
  return { reference: order.id, amountFen: BigInt(order.amount), currency: order.currency, payee };
}

/** The ledger metadata every wallet movement carries (docs/wallet.md: the history convention). */
function movementMetadata(order: store.OrderRow): Metadata {
  return { kind: order.kind, counterparty: order.counterparty, ref: order.id };
}

export type SettleOutcome =
  | { status: 'succeeded'; networkRef?: string }
  | { status: 'failed'; reason: DeclineReason | string; networkRef?: string };

export function createOrders(ctx: WalletContext) {
  const { db, clock, ledger } = ctx;
  const assessWithdrawal = createWithdrawAssessor(ctx);

  async function walletOf(userId: string): Promise<string | null> {
    return (await ctx.identity.verifiedIdentity(userId))?.walletAccountId ?? null;
  }

  /** Applies the network's final answer once; later answers change nothing (a contradicting one is a break for staff). */
  async function settle(orderId: string, outcome: SettleOutcome): Promise<store.OrderRow> {
    const now = clock.now();
    const clearing = await ctx.clearingAccountId();
    const settled = await db.transaction(async (tx) => {
      const order = await store.findOrder(tx, orderId, true);
      assert(order, `order ${orderId} exists`);
      if (order.status !== 'processing') {
        if (
          (order.status === 'succeeded') !== (outcome.status === 'succeeded') &&
          (order.status === 'succeeded' || order.status === 'failed')
        ) {
          await recordBreak(tx, {
            day: null,
            at: now,
            kind: 'late_network_result',
            reference: order.id,
            networkAmountFen: outcome.status === 'succeeded' ? BigInt(order.amount) : null,
            ledgerAmountFen: order.status === 'succeeded' ? BigInt(order.amount) : null,
            details: { recorded: order.status, network: outcome.status },
          });
        }
        return { order, changed: false };
      }
      const changes =
        outcome.status === 'succeeded' ? await post(tx, order, clearing) : await release(tx, order, outcome.reason);
      await store.updateOrder(tx, order.id, {
        ...changes,
        network_ref: outcome.networkRef ?? order.network_ref,
        completed_at: now,
        next_check_at: null,
      });
      return { order: (await store.findOrder(tx, order.id)) as store.OrderRow, changed: true };
    });
    if (settled.changed) await notifySettled(settled.order);
    return settled.order;
  }

  async function post(tx: Tx, order: store.OrderRow, clearing: string): Promise<Partial<store.OrderRow>> {
    const metadata = movementMetadata(order);
    if (order.kind === 'topup') {
      const command: LedgerCommand = {
        type: 'transfer',
        reference: `topup:${order.id}`,
        currency: order.currency as Currency,
        legs: [{ debitAccountId: clearing, creditAccountId: order.wallet_account_id, amountFen: BigInt(order.amount) }],
        metadata,
      };
      let [outcome] = await ledger.execute(tx, [command]);
      if (!outcome.ok && outcome.error.code === 'LIMIT_EXCEEDED') {
        // The bank has already paid us: the money is the holder's. Another inflow raced past the
        // balance cap checked before charging, so credit it anyway and tell staff.
        [outcome] = await ledger.execute(tx, [{ ...command, limitExempt: true }]);
        await recordBreak(tx, {
          day: null,
          at: clock.now(),
          kind: 'balance_cap_exceeded',
          reference: order.id,
          networkAmountFen: BigInt(order.amount),
          ledgerAmountFen: BigInt(order.amount),
          details: {},
        });
      }
      if (!outcome.ok) throw new Error(`top-up ${order.id} could not be credited: ${outcome.error.code}`);
      assert(outcome.value.type === 'transfer', 'a transfer result');
      return { status: 'succeeded', entry_id: outcome.value.entry.id };
    }
    assert(order.hold_id, `withdrawal ${order.id} has a hold`);
    const [outcome] = await ledger.execute(tx, [
      { type: 'post_hold', reference: `withdraw-post:${order.id}`, holdId: order.hold_id, metadata },
    ]);
    if (!outcome.ok) throw new Error(`withdrawal ${order.id} could not be posted: ${outcome.error.code}`);
    assert(outcome.value.type === 'post_hold', 'a post result');
    return { status: 'succeeded', entry_id: outcome.value.entry.id };
  }

  async function release(tx: Tx, order: store.OrderRow, reason: string): Promise<Partial<store.OrderRow>> {
    if (order.kind === 'withdraw' && order.hold_id) {
      const [outcome] = await ledger.execute(tx, [
        { type: 'void_hold', reference: `withdraw-void:${order.id}`, holdId: order.hold_id },
      ]);
      if (!outcome.ok && outcome.error.code !== 'HOLD_ALREADY_RESOLVED')
        throw new Error(`withdrawal ${order.id} hold could not be voided: ${outcome.error.code}`);
    }
    return { status: 'failed', failure_reason: reason };
  }

  async function notifySettled(order: store.OrderRow): Promise<void> {
    const amount = formatFen(BigInt(order.amount), order.currency as Currency);
    const card = order.counterparty;
    const succeeded = order.status === 'succeeded';
    const texts =
      order.kind === 'topup'
        ? succeeded
          ? {
              zh: ['充值成功', `您已从${card}充值${amount}到钱包。`],
              en: ['Top-up received', `${amount} was added to your wallet from ${card}.`],
            }
          : {
              zh: ['充值失败', `从${card}充值${amount}未成功，资金未扣划。`],
              en: ['Top-up failed', `Your top-up of ${amount} from ${card} did not go through.`],
            }
        : succeeded
          ? {
              zh: ['提现成功', `您从钱包提现${amount}至${card}已到账。`],
              en: ['Withdrawal paid', `${amount} was paid from your wallet to ${card}.`],
            }
          : order.failure_reason === 'CANCELLED'
            ? {
                zh: ['提现已撤销', `您已撤销提现${amount}至${card}，资金已退回钱包。`],
                en: [
                  'Withdrawal cancelled',
                  `You cancelled the withdrawal of ${amount} to ${card}; the money is back in your wallet.`,
                ],
              }
            : {
                zh: ['提现失败', `提现${amount}至${card}未成功，资金已退回钱包。`],
                en: [
                  'Withdrawal failed',
                  `Your withdrawal of ${amount} to ${card} failed; the money is back in your wallet.`,
                ],
              };
    await ctx.notifications.notify(order.user_id, {
      kind: `wallet.${order.kind}_${order.status}`,
      titleZh: texts.zh[0],
      titleEn: texts.en[0],
      bodyZh: texts.zh[1],
      bodyEn: texts.en[1],
      data: { orderId: order.id, amount: fenToJson(order.amount), currency: order.currency, status: order.status },
    });
  }

  /** Calls the network for a processing order and settles it if the answer is final. */
  async function callNetwork(order: store.OrderRow, agreementId: string): Promise<store.OrderRow> {
    let outcome: NetworkOutcome;
    try {
      const request = { requestId: order.id, agreementId, amountFen: BigInt(order.amount), currency: order.currency };
      outcome =
        order.kind === 'topup'
          ? await ctx.network.charge(request)
          : await ctx.network.payout({ ...request, arrival: order.arrival ?? 'realtime' });
    } catch (error) {
      // Unknown outcome: the order stays processing; a callback or the status query settles it.
      if (!(error instanceof CardNetworkTimeout))
        ctx.logger?.warn({ err: error, orderId: order.id }, 'card network call failed');
      return (await store.findOrder(db, order.id)) as store.OrderRow;
    }
    if (outcome.status === 'processing') {
      if (outcome.networkRef) await store.updateOrder(db, order.id, { network_ref: outcome.networkRef });
      return (await store.findOrder(db, order.id)) as store.OrderRow;
    }
    return settle(order.id, outcome);
  }

  return {
    settle,

    async topUp(
      userId: string,
      input: { cardId: string; amountFen: bigint; currency: Currency },
    ): Promise<Result<OrderView, OrderError>> {
      const card = await store.findCard(db, userId, input.cardId);
      if (!card || card.status !== 'active' || !card.agreement_id) return err({ code: 'CARD_NOT_FOUND' });
      const walletId = await walletOf(userId);
      if (!walletId) return err({ code: 'UNAUTHENTICATED' });
      const wallet = await ledger.getAccount(walletId);
      if (!wallet) return err({ code: 'ACCOUNT_NOT_FOUND', accountId: walletId });
      if (wallet.currency !== input.currency)
        return err({
          code: 'CURRENCY_MISMATCH',
          accountId: walletId,
          expected: wallet.currency,
          actual: input.currency,
        });
      const now = clock.now();
      const created = await db.transaction(async (tx) => {
        // Top-ups of one wallet take turns here, so those in flight count against the balance cap.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`wallet-topup:${walletId}`]);
        const cap = wallet.limits.balanceCapFen;
        if (cap !== undefined) {
          const { rows } = await tx.query<{ total: bigint | null }>(
            `SELECT sum(amount) AS total FROM wallet_card_orders WHERE wallet_account_id = $1 AND kind = 'topup' AND status = 'processing'`,
            [walletId],
          );
          const inFlight = BigInt(rows[0].total ?? 0);
          if (wallet.balanceFen + inFlight + input.amountFen > cap) {
            const used = wallet.balanceFen + inFlight;
            return err({
              code: 'LIMIT_EXCEEDED' as const,
              accountId: walletId,
              limit: 'balanceCapFen' as const,
              limitFen: cap,
              usedFen: used,
              remainingFen: cap > used ? cap - used : 0n,
            });
          }
        }
        const order = await store.insertOrder(tx, {
          id: newId('top', now.getTime()),
          kind: 'topup',
          user_id: userId,
          wallet_account_id: walletId,
          card_id: card.id,
          counterparty: cardCounterparty(card),
          amount: input.amountFen,
          currency: input.currency,
          arrival: null,
          status: 'processing',
          confirmation_id: null,
          next_check_at: new Date(now.getTime() + FIRST_CHECK_MS),
          created_at: now,
          submitted_at: now,
        });
        return ok(order);
      });
      if (!created.ok) return created;
      return ok(orderView(await callNetwork(created.value, card.agreement_id)));
    },

    /** Prepares a withdrawal and the confirmation the holder must approve (PIN or passkey). */
    async prepareWithdrawal(
      userId: string,
      input: { cardId: string; amountFen: bigint; currency: Currency; arrival: Arrival },
    ): Promise<
      Result<{ order: OrderView; confirmation: { id: string; challenge: string; expiresAt: Date } }, OrderError>
    > {
      const card = await store.findCard(db, userId, input.cardId);
      if (!card || card.status !== 'active') return err({ code: 'CARD_NOT_FOUND' });
      if (card.card_type !== 'debit') return err({ code: 'CREDIT_CARD_NOT_ALLOWED' });
      const walletId = await walletOf(userId);
      if (!walletId) return err({ code: 'UNAUTHENTICATED' });
      const wallet = await ledger.getAccount(walletId);
      if (!wallet) return err({ code: 'ACCOUNT_NOT_FOUND', accountId: walletId });
      if (wallet.currency !== input.currency)
        return err({
          code: 'CURRENCY_MISMATCH',
          accountId: walletId,
          expected: wallet.currency,
          actual: input.currency,
        });
      // Early answers for the obvious refusals; the hold checks them again under the account lock.
      if (wallet.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: walletId });
      if (wallet.availableFen < input.amountFen)
        return err({
          code: 'INSUFFICIENT_FUNDS',
          accountId: walletId,
          availableFen: wallet.availableFen,
          requiredFen: input.amountFen,
        });
      const now = clock.now();
      const id = newId('wdr', now.getTime());
      const operation = withdrawOperation({ id, amount: input.amountFen, currency: input.currency, card_id: card.id });
      const confirmation = await ctx.identity.confirmations.create(userId, operation);
      const order = await store.insertOrder(db, {
        id,
        kind: 'withdraw',
        user_id: userId,
        wallet_account_id: walletId,
        card_id: card.id,
        counterparty: cardCounterparty(card),
        amount: input.amountFen,
        currency: input.currency,
        arrival: input.arrival,
        status: 'awaiting_confirmation',
        confirmation_id: confirmation.id,
        next_check_at: new Date(confirmation.expiresAt.getTime() + 60_000),
        created_at: now,
        submitted_at: null,
      });
      return ok({
        order: orderView(order),
        confirmation: { id: confirmation.id, challenge: confirmation.challenge, expiresAt: confirmation.expiresAt },
      });
    },

    /** Asks the risk engine, spends the confirmation and holds the money in one transaction, then pays out through the network. */
    async submitWithdrawal(
      userId: string,
      orderId: string,
      origin: RequestOrigin = {},
    ): Promise<Result<OrderView, OrderError>> {
      const refused = await assessWithdrawal(userId, orderId, origin);
      if (refused) return err(refused);
      const now = clock.now();
      const clearing = await ctx.clearingAccountId();
      const submitted = await inTransaction(db, async (tx, rollback: RollbackWith<OrderError>) => {
        const order = await store.findOrder(tx, orderId, true);
        if (!order || order.user_id !== userId) return rollback({ code: 'ORDER_NOT_FOUND' });
        if (order.status !== 'awaiting_confirmation' || !order.confirmation_id)
          return rollback({ code: 'ORDER_NOT_AWAITING_CONFIRMATION', status: order.status });
        const card = await store.findCard(tx, userId, order.card_id);
        if (!card || card.status !== 'active' || !card.agreement_id) return rollback({ code: 'CARD_NOT_FOUND' });
        const amountFen = BigInt(order.amount);
        const consumed = await ctx.identity.confirmations.consume(
          tx,
          userId,
          order.confirmation_id,
          withdrawOperation(order),
        );
        if (!consumed.ok) return rollback(consumed.error);
        await store.updateOrder(tx, order.id, {
          status: 'processing',
          submitted_at: now,
          next_check_at: new Date(now.getTime() + FIRST_CHECK_MS),
        });
        const [hold] = await ledger.execute(tx, [
          {
            type: 'hold',
            reference: `withdraw-hold:${order.id}`,
            currency: order.currency as Currency,
            debitAccountId: order.wallet_account_id,
            creditAccountId: clearing,
            amountFen,
            expiresAt: new Date(now.getTime() + WITHDRAW_HOLD_TTL_MS),
            metadata: movementMetadata(order),
          },
        ]);
        if (!hold.ok) return rollback(hold.error);
        assert(hold.value.type === 'hold', 'a hold result');
        await store.updateOrder(tx, order.id, { hold_id: hold.value.hold.id });
        return [(await store.findOrder(tx, order.id)) as store.OrderRow, card.agreement_id] as const;
      });
      if (!submitted.ok) return submitted;
      const [held, agreementId] = submitted.value;
      const after = await callNetwork(held, agreementId);
      if (after.status === 'processing' && after.arrival && after.arrival !== 'realtime') {
        const amount = formatFen(BigInt(after.amount), after.currency as Currency);
        const [whenZh, whenEn] = after.arrival === 'within_2h' ? ['2小时内', 'within 2 hours'] : ['次日', 'tomorrow'];
        await ctx.notifications.notify(userId, {
          kind: 'wallet.withdraw_processing',
          titleZh: '提现处理中',
          titleEn: 'Withdrawal on its way',
          bodyZh: `提现${amount}至${after.counterparty}已受理，预计${whenZh}到账，资金已冻结。到账前可撤销。`,
          bodyEn: `Your withdrawal of ${amount} to ${after.counterparty} is on its way and should arrive ${whenEn}; the money is held. You can cancel it until it arrives.`,
          data: {
            orderId: after.id,
            amount: fenToJson(after.amount),
            currency: after.currency,
            arrival: after.arrival,
          },
        });
      }
      return ok(orderView(after));
    },

    /** Takes back a withdrawal with delayed arrival before it arrives; the hold is voided. */
    async cancelWithdrawal(userId: string, orderId: string): Promise<Result<OrderView, OrderError>> {
      const order = await store.findUserOrder(db, userId, orderId);
      if (!order || order.kind !== 'withdraw') return err({ code: 'ORDER_NOT_FOUND' });
      if (order.status !== 'processing' || order.arrival === 'realtime')
        return err({ code: 'WITHDRAWAL_NOT_CANCELLABLE', status: order.status });
      let answer: Awaited<ReturnType<typeof ctx.network.cancelPayout>>;
      try {
        answer = await ctx.network.cancelPayout(order.id);
      } catch (error) {
        ctx.logger?.warn({ err: error, orderId }, 'card network cancel failed');
        return err({ code: 'WITHDRAWAL_NOT_CANCELLABLE', status: order.status });
      }
      if (answer.status === 'cancelled')
        return ok(orderView(await settle(order.id, { status: 'failed', reason: 'CANCELLED' })));
      const final = answer.outcome;
      const settled = final.status === 'succeeded' || final.status === 'failed' ? await settle(order.id, final) : order;
      return err({ code: 'WITHDRAWAL_NOT_CANCELLABLE', status: settled.status });
    },

    async get(userId: string, orderId: string): Promise<OrderView | null> {
      const order = await store.findUserOrder(db, userId, orderId);
      return order ? orderView(order) : null;
    },

    /** The network's callback: checked signature, then the same settle as every other path. */
    async handleCallback(
      rawBody: string,
      signature: string | undefined,
    ): Promise<Result<{ settled: boolean }, { code: 'CALLBACK_SIGNATURE_INVALID' } | { code: 'VALIDATION_FAILED' }>> {
      if (!verifyCallbackSignature(ctx.callbackSecret, rawBody, signature, clock.now()))
        return err({ code: 'CALLBACK_SIGNATURE_INVALID' });
      let event: CallbackEvent;
      try {
        event = JSON.parse(rawBody) as CallbackEvent;
      } catch {
        return err({ code: 'VALIDATION_FAILED' });
      }
      if (typeof event.requestId !== 'string' || (event.status !== 'succeeded' && event.status !== 'failed'))
        return err({ code: 'VALIDATION_FAILED' });
      const order = await store.findOrder(db, event.requestId);
      // Callbacks for requests we never made are acknowledged and ignored, as networks expect.
      if (!order) return ok({ settled: false });
      if (BigInt(event.amountFen) !== BigInt(order.amount) || event.currency !== order.currency) {
        await recordBreak(db, {
          day: null,
          at: clock.now(),
          kind: 'amount_mismatch',
          reference: order.id,
          networkAmountFen: BigInt(event.amountFen),
          ledgerAmountFen: BigInt(order.amount),
          details: { source: 'callback' },
        });
        return ok({ settled: false });
      }
      const before = order.status;
      const after = await settle(
        order.id,
        event.status === 'succeeded'
          ? { status: 'succeeded', networkRef: event.networkRef }
          : { status: 'failed', reason: event.reason ?? 'BANK_SYSTEM_ERROR', networkRef: event.networkRef },
      );
      return ok({ settled: before === 'processing' && after.status !== 'processing' });
    },

    /**
     * Finishes what was left halfway (run by a job): asks the network about processing orders whose
     * answer never came, and expires withdrawals nobody confirmed. Returns how many it settled.
     */
    async checkPending(limit = 100): Promise<number> {
      const now = clock.now();
      const due = await store.claimOrdersToCheck(db, now, new Date(now.getTime() + FIRST_CHECK_MS), limit);
      let settledCount = 0;
      for (const order of due) {
        if (order.status === 'awaiting_confirmation') {
          const { rowCount } = await db.query(
            `UPDATE wallet_card_orders SET status = 'expired', next_check_at = NULL, completed_at = $2 WHERE id = $1 AND status = 'awaiting_confirmation'`,
            [order.id, now],
          );
          settledCount += rowCount;
          continue;
        }
        const answer = await ctx.network.query(order.id).catch(() => ({ status: 'processing' as const }));
        if (answer.status === 'succeeded' || answer.status === 'failed') {
          await settle(order.id, answer);
          settledCount++;
        } else if (
          answer.status === 'not_found' &&
          (order.submitted_at?.getTime() ?? 0) + NOT_FOUND_GRACE_MS <= now.getTime()
        ) {
          await settle(order.id, { status: 'failed', reason: 'NOT_RECEIVED' });
          settledCount++;
        } else {
          const backoffMs = Math.min(FIRST_CHECK_MS * 2 ** Math.min(order.checks, 10), MAX_CHECK_INTERVAL_MS);
          await store.updateOrder(db, order.id, { next_check_at: new Date(now.getTime() + backoffMs) });
        }
      }
      return settledCount;
    },
  };
}

export type Orders = ReturnType<typeof createOrders>;
