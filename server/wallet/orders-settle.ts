import type { LedgerCommand, Metadata } from '../ledger/types.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import type { Tx } from '../platform/db/types.js';
import { assert } from '../platform/result.js';
import { CardNetworkTimeout, type DeclineReason, type NetworkOutcome } from './card-network.js';
import type { WalletContext } from './deps.js';
import { recordBreak } from './store-reconciliation.js';
import * as store from './store.js';

/**
 * Settling a card order from the network's final answer (its reply, a callback or the status
 * query, whichever comes first). Settling locks the order and acts only while it is processing, and
 * every ledger command carries a reference derived from the order id, so nothing is ever credited
 * or paid twice.
 */

export type SettleOutcome =
  | { status: 'succeeded'; networkRef?: string }
  | { status: 'failed'; reason: DeclineReason | string; networkRef?: string };

/** The ledger metadata every wallet movement carries (docs/wallet.md: the history convention). */
export function movementMetadata(order: store.OrderRow): Metadata {
  return { kind: order.kind, counterparty: order.counterparty, ref: order.id };
}

/** An answer that contradicts the one already applied is a break for staff; it changes nothing. */
async function recordLateResult(tx: Tx, order: store.OrderRow, outcome: SettleOutcome, at: Date): Promise<void> {
  const finished = order.status === 'succeeded' || order.status === 'failed';
  if (!finished || (order.status === 'succeeded') === (outcome.status === 'succeeded')) return;
  await recordBreak(tx, {
    day: null,
    at,
    kind: 'late_network_result',
    reference: order.id,
    networkAmountFen: outcome.status === 'succeeded' ? BigInt(order.amount) : null,
    ledgerAmountFen: order.status === 'succeeded' ? BigInt(order.amount) : null,
    details: { recorded: order.status, network: outcome.status },
  });
}

/** Applies the network's final answer once; later answers change nothing (a contradicting one is a break for staff). */
export async function settleOrder(
  ctx: WalletContext,
  orderId: string,
  outcome: SettleOutcome,
): Promise<store.OrderRow> {
  const now = ctx.clock.now();
  const clearing = await ctx.clearingAccountId();
  const settled = await ctx.db.transaction(async (tx) => {
    const order = await store.findOrder(tx, orderId, true);
    assert(order, `order ${orderId} exists`);
    if (order.status !== 'processing') {
      await recordLateResult(tx, order, outcome, now);
      return { order, changed: false };
    }
    const changes =
      outcome.status === 'succeeded'
        ? await post(ctx, tx, order, clearing)
        : await release(ctx, tx, order, outcome.reason);
    await store.updateOrder(tx, order.id, {
      ...changes,
      network_ref: outcome.networkRef ?? order.network_ref,
      completed_at: now,
      next_check_at: null,
    });
    return { order: (await store.findOrder(tx, order.id)) as store.OrderRow, changed: true };
  });
  if (settled.changed) await notifySettled(ctx, settled.order);
  return settled.order;
}

/** Credits a top-up the bank has paid: the money is the holder's even past the balance cap (a break for staff). */
async function creditTopUp(
  ctx: WalletContext,
  tx: Tx,
  order: store.OrderRow,
  clearing: string,
): Promise<Partial<store.OrderRow>> {
  const command: LedgerCommand = {
    type: 'transfer',
    reference: `topup:${order.id}`,
    currency: order.currency as Currency,
    legs: [{ debitAccountId: clearing, creditAccountId: order.wallet_account_id, amountFen: BigInt(order.amount) }],
    metadata: movementMetadata(order),
  };
  let [outcome] = await ctx.ledger.execute(tx, [command]);
  if (!outcome.ok && outcome.error.code === 'LIMIT_EXCEEDED') {
    // The bank has already paid us: the money is the holder's. Another inflow raced past the
    // balance cap checked before charging, so credit it anyway and tell staff.
    [outcome] = await ctx.ledger.execute(tx, [{ ...command, limitExempt: true }]);
    await recordBreak(tx, {
      day: null,
      at: ctx.clock.now(),
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

async function post(
  ctx: WalletContext,
  tx: Tx,
  order: store.OrderRow,
  clearing: string,
): Promise<Partial<store.OrderRow>> {
  if (order.kind === 'topup') return creditTopUp(ctx, tx, order, clearing);
  assert(order.hold_id, `withdrawal ${order.id} has a hold`);
  const [outcome] = await ctx.ledger.execute(tx, [
    {
      type: 'post_hold',
      reference: `withdraw-post:${order.id}`,
      holdId: order.hold_id,
      metadata: movementMetadata(order),
    },
  ]);
  if (!outcome.ok) throw new Error(`withdrawal ${order.id} could not be posted: ${outcome.error.code}`);
  assert(outcome.value.type === 'post_hold', 'a post result');
  return { status: 'succeeded', entry_id: outcome.value.entry.id };
}

async function release(
  ctx: WalletContext,
  tx: Tx,
  order: store.OrderRow,
  reason: string,
): Promise<Partial<store.OrderRow>> {
  if (order.kind === 'withdraw' && order.hold_id) {
    const [outcome] = await ctx.ledger.execute(tx, [
      { type: 'void_hold', reference: `withdraw-void:${order.id}`, holdId: order.hold_id },
    ]);
    if (!outcome.ok && outcome.error.code !== 'HOLD_ALREADY_RESOLVED')
      throw new Error(`withdrawal ${order.id} hold could not be voided: ${outcome.error.code}`);
  }
  return { status: 'failed', failure_reason: reason };
}

/** The holder's notice of a settled order: [title, body] in Chinese and in English. */
function settledTexts(order: store.OrderRow): { zh: [string, string]; en: [string, string] } {
  const amount = formatFen(BigInt(order.amount), order.currency as Currency);
  const card = order.counterparty;
  const succeeded = order.status === 'succeeded';
  if (order.kind === 'topup')
    return succeeded
      ? {
          zh: ['充值成功', `您已从${card}充值${amount}到钱包。`],
          en: ['Top-up received', `${amount} was added to your wallet from ${card}.`],
        }
      : {
          zh: ['充值失败', `从${card}充值${amount}未成功，资金未扣划。`],
          en: ['Top-up failed', `Your top-up of ${amount} from ${card} did not go through.`],
        };
  if (succeeded)
    return {
      zh: ['提现成功', `您从钱包提现${amount}至${card}已到账。`],
      en: ['Withdrawal paid', `${amount} was paid from your wallet to ${card}.`],
    };
  if (order.failure_reason === 'CANCELLED')
    return {
      zh: ['提现已撤销', `您已撤销提现${amount}至${card}，资金已退回钱包。`],
      en: [
        'Withdrawal cancelled',
        `You cancelled the withdrawal of ${amount} to ${card}; the money is back in your wallet.`,
      ],
    };
  return {
    zh: ['提现失败', `提现${amount}至${card}未成功，资金已退回钱包。`],
    en: ['Withdrawal failed', `Your withdrawal of ${amount} to ${card} failed; the money is back in your wallet.`],
  };
}

async function notifySettled(ctx: WalletContext, order: store.OrderRow): Promise<void> {
  const texts = settledTexts(order);
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
export async function callNetwork(
  ctx: WalletContext,
  order: store.OrderRow,
  agreementId: string,
): Promise<store.OrderRow> {
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
    return (await store.findOrder(ctx.db, order.id)) as store.OrderRow;
  }
  if (outcome.status === 'processing') {
    if (outcome.networkRef) await store.updateOrder(ctx.db, order.id, { network_ref: outcome.networkRef });
    return (await store.findOrder(ctx.db, order.id)) as store.OrderRow;
  }
  return settleOrder(ctx, order.id, outcome);
}
