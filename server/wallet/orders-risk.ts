import { type RequestOrigin, type RiskRefusal, riskRefusal } from '../risk/port.js';
import type { WalletContext } from './deps.js';
import * as store from './store.js';

/**
 * Withdrawals and the risk engine (channel withdraw): assessed before the money is held. A block
 * ends the order as failed with the engine's problem; a step-up or a hold ("was this you?") leaves
 * it waiting, and once verified or confirmed the engine answers allow for the same order, so the
 * holder's next submit proceeds. Denied, expired or voided by staff: the order fails.
 */

/** A refused withdrawal: the risk engine's answer (server/risk/port.ts) and the order it concerns. */
export type WithdrawRiskError = RiskRefusal & { orderId: string };

/** The reference a withdrawal is assessed under; assessing it again answers the same decision. */
export const withdrawRiskReference = (orderId: string) => `withdraw:${orderId}`;

export type { RequestOrigin };

export function createWithdrawAssessor(ctx: WalletContext) {
  const { db, clock } = ctx;

  /** Ends a withdrawal while it still awaits confirmation; no money was held for it. */
  async function failAwaiting(orderId: string, reason: string): Promise<void> {
    await store.endAwaitingOrder(db, orderId, { status: 'failed', reason }, clock.now());
  }

  ctx.risk?.onResolved?.('withdraw', async (event) => {
    if (event.outcome !== 'voided' || !event.reference.startsWith('withdraw:')) return;
    const order = await store.findOrder(db, event.reference.slice('withdraw:'.length));
    if (order && order.user_id === event.userId && order.kind === 'withdraw')
      await failAwaiting(order.id, 'RISK_BLOCKED');
  });

  /** Null: go ahead (allowed, no engine, or nothing submittable: the submit's own checks answer). */
  return async function assessWithdrawal(
    userId: string,
    orderId: string,
    origin: RequestOrigin,
  ): Promise<WithdrawRiskError | null> {
    if (!ctx.risk) return null;
    const order = await store.findOrder(db, orderId);
    if (!order || order.user_id !== userId || order.kind !== 'withdraw' || order.status !== 'awaiting_confirmation')
      return null;
    const verdict = await ctx.risk.assessOutgoing({
      userId,
      walletAccountId: order.wallet_account_id,
      amountFen: BigInt(order.amount),
      currency: order.currency as 'CNY',
      payeeKey: `card:${order.card_id}`,
      payeeDisplay: order.counterparty,
      channel: 'withdraw',
      reference: withdrawRiskReference(order.id),
      ip: origin.ip,
      deviceId: origin.deviceId,
    });
    const refused = riskRefusal(verdict);
    if (!refused) return null;
    if (refused.outcome === 'block') await failAwaiting(order.id, refused.code);
    return { ...refused, orderId: order.id };
  };
}
