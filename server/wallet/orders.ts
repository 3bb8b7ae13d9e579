import type { ConfirmationError, Operation } from '../confirmations/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { AccountView } from '../ledger/types.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import type { Tx } from '../platform/db/types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { type Arrival, type CallbackEvent, verifyCallbackSignature } from './card-network.js';
import { cardCounterparty } from './cards.js';
import type { WalletContext } from './deps.js';
import { type RequestOrigin, type WithdrawRiskError, createWithdrawAssessor } from './orders-risk.js';
import { type SettleOutcome, callNetwork, movementMetadata, settleOrder } from './orders-settle.js';
import { recordBreak } from './store-reconciliation.js';
import * as store from './store.js';

/**
 * Top-ups and withdrawals, two-phase: record the order, call the network outside any database
 * transaction, then settle it from the answer, a callback or the status query, whichever comes
 * first (server/wallet/orders-settle.ts).
 */

export type { SettleOutcome };

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

type Prepared = Result<{ card: store.CardRow; wallet: AccountView }, OrderError>;

/** The holder's active card and verified wallet in the order's currency; the checks every order starts with. */
async function cardAndWallet(
  ctx: WalletContext,
  userId: string,
  input: { cardId: string; currency: Currency },
  cardOk: (card: store.CardRow) => OrderError | null,
): Promise<Prepared> {
  const card = await store.findCard(ctx.db, userId, input.cardId);
  if (!card || card.status !== 'active') return err({ code: 'CARD_NOT_FOUND' });
  const refused = cardOk(card);
  if (refused) return err(refused);
  const walletId = (await ctx.identity.verifiedIdentity(userId))?.walletAccountId;
  if (!walletId) return err({ code: 'UNAUTHENTICATED' });
  const wallet = await ctx.ledger.getAccount(walletId);
  if (!wallet) return err({ code: 'ACCOUNT_NOT_FOUND', accountId: walletId });
  if (wallet.currency !== input.currency)
    return err({ code: 'CURRENCY_MISMATCH', accountId: walletId, expected: wallet.currency, actual: input.currency });
  return ok({ card, wallet });
}

/** Records a processing top-up unless it (with those in flight) would take the wallet past its balance cap. */
async function recordTopUp(
  tx: Tx,
  userId: string,
  card: store.CardRow,
  wallet: AccountView,
  input: { amountFen: bigint; currency: Currency },
  now: Date,
): Promise<Result<store.OrderRow, OrderError>> {
  // Top-ups of one wallet take turns here, so those in flight count against the balance cap.
  await store.lockWalletTopUps(tx, wallet.id);
  const cap = wallet.limits.balanceCapFen;
  if (cap !== undefined) {
    const used = wallet.balanceFen + (await store.topUpsInFlight(tx, wallet.id));
    if (used + input.amountFen > cap) {
      const remainingFen = cap > used ? cap - used : 0n;
      const limit = 'balanceCapFen' as const;
      return err({ code: 'LIMIT_EXCEEDED', accountId: wallet.id, limit, limitFen: cap, usedFen: used, remainingFen });
    }
  }
  const order = await store.insertOrder(tx, {
    id: newId('top', now.getTime()),
    kind: 'topup',
    user_id: userId,
    wallet_account_id: wallet.id,
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
}

async function topUp(
  ctx: WalletContext,
  userId: string,
  input: { cardId: string; amountFen: bigint; currency: Currency },
): Promise<Result<OrderView, OrderError>> {
  const bound = (card: store.CardRow): OrderError | null => (card.agreement_id ? null : { code: 'CARD_NOT_FOUND' });
  const prepared = await cardAndWallet(ctx, userId, input, bound);
  if (!prepared.ok) return prepared;
  const { card, wallet } = prepared.value;
  const agreementId = card.agreement_id as string;
  const now = ctx.clock.now();
  const created = await ctx.db.transaction((tx) => recordTopUp(tx, userId, card, wallet, input, now));
  if (!created.ok) return created;
  return ok(orderView(await callNetwork(ctx, created.value, agreementId)));
}

type PreparedWithdrawal = { order: OrderView; confirmation: { id: string; challenge: string; expiresAt: Date } };

/** Prepares a withdrawal and the confirmation the holder must approve (PIN or passkey). */
async function prepareWithdrawal(
  ctx: WalletContext,
  userId: string,
  input: { cardId: string; amountFen: bigint; currency: Currency; arrival: Arrival },
): Promise<Result<PreparedWithdrawal, OrderError>> {
  const debitOnly = (card: store.CardRow): OrderError | null =>
    card.card_type !== 'debit' ? { code: 'CREDIT_CARD_NOT_ALLOWED' } : null;
  const prepared = await cardAndWallet(ctx, userId, input, debitOnly);
  if (!prepared.ok) return prepared;
  const { card, wallet } = prepared.value;
  // Early answers for the obvious refusals; the hold checks them again under the account lock.
  if (wallet.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: wallet.id });
  if (wallet.availableFen < input.amountFen) {
    const { availableFen } = wallet;
    return err({ code: 'INSUFFICIENT_FUNDS', accountId: wallet.id, availableFen, requiredFen: input.amountFen });
  }
  const now = ctx.clock.now();
  const id = newId('wdr', now.getTime());
  const operation = withdrawOperation({ id, amount: input.amountFen, currency: input.currency, card_id: card.id });
  const confirmation = await ctx.identity.confirmations.create(userId, operation);
  const order = await store.insertOrder(ctx.db, {
    id,
    kind: 'withdraw',
    user_id: userId,
    wallet_account_id: wallet.id,
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
  const { challenge, expiresAt } = confirmation;
  return ok({ order: orderView(order), confirmation: { id: confirmation.id, challenge, expiresAt } });
}

/** Spends the withdrawal's confirmation and holds its money, in the caller's transaction. */
async function holdWithdrawal(
  ctx: WalletContext,
  tx: Tx,
  rollback: RollbackWith<OrderError>,
  request: { userId: string; orderId: string; clearing: string; now: Date },
) {
  const { userId, orderId, clearing, now } = request;
  const order = await store.findOrder(tx, orderId, true);
  if (!order || order.user_id !== userId) return rollback({ code: 'ORDER_NOT_FOUND' });
  if (order.status !== 'awaiting_confirmation' || !order.confirmation_id)
    return rollback({ code: 'ORDER_NOT_AWAITING_CONFIRMATION', status: order.status });
  const card = await store.findCard(tx, userId, order.card_id);
  if (!card || card.status !== 'active' || !card.agreement_id) return rollback({ code: 'CARD_NOT_FOUND' });
  const operation = withdrawOperation(order);
  const consumed = await ctx.identity.confirmations.consume(tx, userId, order.confirmation_id, operation);
  if (!consumed.ok) return rollback(consumed.error);
  const nextCheckAt = new Date(now.getTime() + FIRST_CHECK_MS);
  await store.updateOrder(tx, order.id, { status: 'processing', submitted_at: now, next_check_at: nextCheckAt });
  const [hold] = await ctx.ledger.execute(tx, [
    {
      type: 'hold',
      reference: `withdraw-hold:${order.id}`,
      currency: order.currency as Currency,
      debitAccountId: order.wallet_account_id,
      creditAccountId: clearing,
      amountFen: BigInt(order.amount),
      expiresAt: new Date(now.getTime() + WITHDRAW_HOLD_TTL_MS),
      metadata: movementMetadata(order),
    },
  ]);
  if (!hold.ok) return rollback(hold.error);
  assert(hold.value.type === 'hold', 'a hold result');
  await store.updateOrder(tx, order.id, { hold_id: hold.value.hold.id });
  return [(await store.findOrder(tx, order.id)) as store.OrderRow, card.agreement_id] as const;
}

/** A withdrawal with delayed arrival is on its way: the holder is told when to expect it. */
async function notifyWithdrawalOnItsWay(ctx: WalletContext, userId: string, order: store.OrderRow): Promise<void> {
  const amount = formatFen(BigInt(order.amount), order.currency as Currency);
  const [whenZh, whenEn] = order.arrival === 'within_2h' ? ['2小时内', 'within 2 hours'] : ['次日', 'tomorrow'];
  await ctx.notifications.notify(userId, {
    kind: 'wallet.withdraw_processing',
    titleZh: '提现处理中',
    titleEn: 'Withdrawal on its way',
    bodyZh: `提现${amount}至${order.counterparty}已受理，预计${whenZh}到账，资金已冻结。到账前可撤销。`,
    bodyEn:
      `Your withdrawal of ${amount} to ${order.counterparty} is on its way and should arrive ${whenEn}; ` +
      'the money is held. You can cancel it until it arrives.',
    data: { orderId: order.id, amount: fenToJson(order.amount), currency: order.currency, arrival: order.arrival },
  });
}

/** Asks the risk engine, spends the confirmation and holds the money in one transaction, then pays out through the
 * network. */
async function submitWithdrawal(
  ctx: WalletContext,
  assessWithdrawal: ReturnType<typeof createWithdrawAssessor>,
  userId: string,
  orderId: string,
  origin: RequestOrigin = {},
): Promise<Result<OrderView, OrderError>> {
  const refused = await assessWithdrawal(userId, orderId, origin);
  if (refused) return err(refused);
  const now = ctx.clock.now();
  const clearing = await ctx.clearingAccountId();
  const submitted = await inTransaction(ctx.db, (tx, rollback: RollbackWith<OrderError>) =>
    holdWithdrawal(ctx, tx, rollback, { userId, orderId, clearing, now }),
  );
  if (!submitted.ok) return submitted;
  const [held, agreementId] = submitted.value;
  const after = await callNetwork(ctx, held, agreementId);
  if (after.status === 'processing' && after.arrival && after.arrival !== 'realtime')
    await notifyWithdrawalOnItsWay(ctx, userId, after);
  return ok(orderView(after));
}

/** Takes back a withdrawal with delayed arrival before it arrives; the hold is voided. */
async function cancelWithdrawal(
  ctx: WalletContext,
  userId: string,
  orderId: string,
): Promise<Result<OrderView, OrderError>> {
  const order = await store.findUserOrder(ctx.db, userId, orderId);
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
    return ok(orderView(await settleOrder(ctx, order.id, { status: 'failed', reason: 'CANCELLED' })));
  const final = answer.outcome;
  const settled =
    final.status === 'succeeded' || final.status === 'failed' ? await settleOrder(ctx, order.id, final) : order;
  return err({ code: 'WITHDRAWAL_NOT_CANCELLABLE', status: settled.status });
}

type CallbackError = { code: 'CALLBACK_SIGNATURE_INVALID' } | { code: 'VALIDATION_FAILED' };

/** The network's callback: checked signature, then the same settle as every other path. */
async function handleCallback(
  ctx: WalletContext,
  rawBody: string,
  signature: string | undefined,
): Promise<Result<{ settled: boolean }, CallbackError>> {
  if (!verifyCallbackSignature(ctx.callbackSecret, rawBody, signature, ctx.clock.now()))
    return err({ code: 'CALLBACK_SIGNATURE_INVALID' });
  let event: CallbackEvent;
  try {
    event = JSON.parse(rawBody) as CallbackEvent;
  } catch {
    return err({ code: 'VALIDATION_FAILED' });
  }
  if (typeof event.requestId !== 'string' || (event.status !== 'succeeded' && event.status !== 'failed'))
    return err({ code: 'VALIDATION_FAILED' });
  const order = await store.findOrder(ctx.db, event.requestId);
  // Callbacks for requests we never made are acknowledged and ignored, as networks expect.
  if (!order) return ok({ settled: false });
  if (BigInt(event.amountFen) !== BigInt(order.amount) || event.currency !== order.currency) {
    await recordBreak(ctx.db, {
      day: null,
      at: ctx.clock.now(),
      kind: 'amount_mismatch',
      reference: order.id,
      networkAmountFen: BigInt(event.amountFen),
      ledgerAmountFen: BigInt(order.amount),
      details: { source: 'callback' },
    });
    return ok({ settled: false });
  }
  const before = order.status;
  const after = await settleOrder(
    ctx,
    order.id,
    event.status === 'succeeded'
      ? { status: 'succeeded', networkRef: event.networkRef }
      : { status: 'failed', reason: event.reason ?? 'BANK_SYSTEM_ERROR', networkRef: event.networkRef },
  );
  return ok({ settled: before === 'processing' && after.status !== 'processing' });
}

/** One order due for a check: expired if nobody confirmed it, else asked about; true when it was settled. */
async function checkOrder(ctx: WalletContext, order: store.OrderRow, now: Date): Promise<boolean> {
  if (order.status === 'awaiting_confirmation')
    return (await store.endAwaitingOrder(ctx.db, order.id, { status: 'expired' }, now)) > 0;
  const answer = await ctx.network.query(order.id).catch(() => ({ status: 'processing' as const }));
  if (answer.status === 'succeeded' || answer.status === 'failed') {
    await settleOrder(ctx, order.id, answer);
    return true;
  }
  if (answer.status === 'not_found' && (order.submitted_at?.getTime() ?? 0) + NOT_FOUND_GRACE_MS <= now.getTime()) {
    await settleOrder(ctx, order.id, { status: 'failed', reason: 'NOT_RECEIVED' });
    return true;
  }
  const backoffMs = Math.min(FIRST_CHECK_MS * 2 ** Math.min(order.checks, 10), MAX_CHECK_INTERVAL_MS);
  await store.updateOrder(ctx.db, order.id, { next_check_at: new Date(now.getTime() + backoffMs) });
  return false;
}

/**
 * Finishes what was left halfway (run by a job): asks the network about processing orders whose
 * answer never came, and expires withdrawals nobody confirmed. Returns how many it settled.
 */
async function checkPending(ctx: WalletContext, limit = 100): Promise<number> {
  const now = ctx.clock.now();
  const due = await store.claimOrdersToCheck(ctx.db, now, new Date(now.getTime() + FIRST_CHECK_MS), limit);
  let settledCount = 0;
  for (const order of due) if (await checkOrder(ctx, order, now)) settledCount++;
  return settledCount;
}

export function createOrders(ctx: WalletContext) {
  const assessWithdrawal = createWithdrawAssessor(ctx);
  return {
    settle: (orderId: string, outcome: SettleOutcome) => settleOrder(ctx, orderId, outcome),
    topUp: (userId: string, input: { cardId: string; amountFen: bigint; currency: Currency }) =>
      topUp(ctx, userId, input),
    prepareWithdrawal: (
      userId: string,
      input: { cardId: string; amountFen: bigint; currency: Currency; arrival: Arrival },
    ) => prepareWithdrawal(ctx, userId, input),
    submitWithdrawal: (userId: string, orderId: string, origin?: RequestOrigin) =>
      submitWithdrawal(ctx, assessWithdrawal, userId, orderId, origin),
    cancelWithdrawal: (userId: string, orderId: string) => cancelWithdrawal(ctx, userId, orderId),
    async get(userId: string, orderId: string): Promise<OrderView | null> {
      const order = await store.findUserOrder(ctx.db, userId, orderId);
      return order ? orderView(order) : null;
    },
    handleCallback: (rawBody: string, signature: string | undefined) => handleCallback(ctx, rawBody, signature),
    checkPending: (limit?: number) => checkPending(ctx, limit),
  };
}

export type Orders = ReturnType<typeof createOrders>;
