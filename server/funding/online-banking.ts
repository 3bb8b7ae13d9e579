import type { LedgerError } from '../ledger/errors.js';
import type { LedgerCommand } from '../ledger/types.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { FundingContext } from './deps.js';
import { InterbankUnavailable, ONLINE_BANKS, type OnlineBankingNotice } from './network.js';
import * as store from './store.js';

/**
 * Online-banking top-ups (网银支付): the order is recorded pending, the network gives the page of the
 * holder's bank to send them to, and only the bank's signed notification (or, when it never comes,
 * the status query of the job) settles it. Settling locks the order and acts only while it is
 * pending; the ledger reference is derived from the order id, so nothing is credited twice.
 */

/** How long the holder has to pay at their bank. */
export const ORDER_TTL_MS = 30 * 60_000;
const FIRST_CHECK_MS = 2 * 60_000;
const MAX_CHECK_MS = 10 * 60_000;

export type OnlineBankingError =
  | { code: 'UNAUTHENTICATED' }
  | { code: 'RECEIVING_TIER_NOT_ALLOWED'; tier: string }
  | { code: 'ONLINE_BANK_NOT_SUPPORTED'; bankCode: string }
  | { code: 'ONLINE_BANKING_ORDER_NOT_FOUND' }
  | { code: 'INTERBANK_UNAVAILABLE' }
  | Extract<LedgerError, { code: 'LIMIT_EXCEEDED' } | { code: 'ACCOUNT_FROZEN' }>;

export interface OnlineBankingOrderView {
  id: string;
  bankCode: string;
  amountFen: bigint;
  currency: string;
  status: store.OrderStatus;
  redirectUrl: string | null;
  failureReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export const orderView = (row: store.OrderRow): OnlineBankingOrderView => ({
  id: row.id,
  bankCode: row.bank_code,
  amountFen: BigInt(row.amount),
  currency: row.currency,
  status: row.status,
  redirectUrl: row.status === 'pending' ? row.redirect_url : null,
  failureReason: row.failure_reason,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  completedAt: row.completed_at,
});

export type SettleInput =
  { status: 'paid'; networkRef: string; amountFen: bigint } | { status: 'cancelled' | 'expired' | 'not_found' };

const bankName = (code: string) => ONLINE_BANKS.find((bank) => bank.code === code)?.nameZh ?? code;

export function createOnlineBanking(ctx: FundingContext) {
  async function create(
    userId: string,
    input: { bankCode: string; amountFen: bigint; currency: Currency },
  ): Promise<Result<OnlineBankingOrderView, OnlineBankingError>> {
    if (!ONLINE_BANKS.some((bank) => bank.code === input.bankCode))
      return err({ code: 'ONLINE_BANK_NOT_SUPPORTED', bankCode: input.bankCode });
    const holder = await ctx.identity.verifiedIdentity(userId);
    if (!holder) return err({ code: 'UNAUTHENTICATED' });
    if (!ctx.receivingTiers.includes(holder.tier))
      return err({ code: 'RECEIVING_TIER_NOT_ALLOWED', tier: holder.tier });
    const wallet = await ctx.ledger.getAccount(holder.walletAccountId);
    if (!wallet) return err({ code: 'UNAUTHENTICATED' });
    if (wallet.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: wallet.id });
    const now = ctx.clock.now();
    const created = await ctx.db.transaction(async (tx) => {
      // Orders of one wallet take turns here, so the pending ones count against the balance cap.
      await store.lockWalletOrders(tx, wallet.id);
      const cap = wallet.limits.balanceCapFen;
      if (cap !== undefined) {
        const used = wallet.balanceFen + (await store.pendingOrdersTotal(tx, wallet.id));
        if (used + input.amountFen > cap) {
          const remainingFen = cap > used ? cap - used : 0n;
          return err({
            code: 'LIMIT_EXCEEDED' as const,
            accountId: wallet.id,
            limit: 'balanceCapFen' as const,
            limitFen: cap,
            usedFen: used,
            remainingFen,
          });
        }
      }
      return ok(
        await store.insertOrder(tx, {
          id: newId('obk', now.getTime()),
          user_id: userId,
          wallet_account_id: wallet.id,
          bank_code: input.bankCode,
          amount: String(input.amountFen),
          currency: input.currency,
          status: 'pending',
          network_ref: null,
          redirect_url: null,
          failure_reason: null,
          entry_id: null,
          created_at: now,
          expires_at: new Date(now.getTime() + ORDER_TTL_MS),
          completed_at: null,
          next_check_at: new Date(now.getTime() + FIRST_CHECK_MS),
        }),
      );
    });
    if (!created.ok) return created;
    const order = created.value;
    try {
      const started = await ctx.network.startPayment({
        requestId: order.id,
        bankCode: order.bank_code,
        amountFen: input.amountFen,
        currency: order.currency,
        returnUrl: `${ctx.publicUrl}/topup/online/${order.id}`,
      });
      const changes = { network_ref: started.networkRef, redirect_url: started.redirectUrl };
      await store.updateOrder(ctx.db, order.id, changes);
      return ok(orderView({ ...order, ...changes }));
    } catch (error) {
      if (!(error instanceof InterbankUnavailable)) throw error;
      // The holder never got the bank's page, so nothing can be paid on it: the order ends here
      // and stops counting against the balance cap.
      await store.updateOrder(ctx.db, order.id, {
        status: 'failed',
        failure_reason: 'INTERBANK_UNAVAILABLE',
        completed_at: ctx.clock.now(),
        next_check_at: null,
      });
      return err({ code: 'INTERBANK_UNAVAILABLE' });
    }
  }

  async function get(userId: string, id: string): Promise<Result<OnlineBankingOrderView, OnlineBankingError>> {
    const row = await store.findOrder(ctx.db, id);
    if (!row || row.user_id !== userId) return err({ code: 'ONLINE_BANKING_ORDER_NOT_FOUND' });
    return ok(orderView(row));
  }

  /** Applies the bank's final word once; later words change nothing. */
  async function settle(orderId: string, input: SettleInput): Promise<store.OrderRow | null> {
    const now = ctx.clock.now();
    const clearing = await ctx.clearingAccountId();
    const settled = await ctx.db.transaction(async (tx) => {
      const order = await store.findOrder(tx, orderId, true);
      if (!order || order.status !== 'pending') return null;
      if (input.status !== 'paid') {
        const status = input.status === 'cancelled' ? 'failed' : 'expired';
        const reason = input.status === 'cancelled' ? 'CANCELLED_AT_BANK' : 'NOT_PAID_IN_TIME';
        await store.updateOrder(tx, order.id, {
          status,
          failure_reason: reason,
          completed_at: now,
          next_check_at: null,
        });
        return { ...order, status, failure_reason: reason } as store.OrderRow;
      }
      if (input.amountFen !== BigInt(order.amount)) {
        // The bank paid another amount than we asked: nothing is credited; staff settle it by hand.
        ctx.logger?.error({ order: order.id, paid: String(input.amountFen) }, 'online banking amount mismatch');
        const changes = { status: 'failed' as const, failure_reason: 'AMOUNT_MISMATCH', completed_at: now };
        await store.updateOrder(tx, order.id, { ...changes, network_ref: input.networkRef, next_check_at: null });
        return { ...order, ...changes };
      }
      const command: LedgerCommand = {
        type: 'transfer',
        reference: `netbank:${order.id}`,
        currency: order.currency as Currency,
        legs: [{ debitAccountId: clearing, creditAccountId: order.wallet_account_id, amountFen: BigInt(order.amount) }],
        metadata: { kind: 'online_banking', counterparty: `${bankName(order.bank_code)} 网银`, ref: order.id },
      };
      let [outcome] = await ctx.ledger.execute(tx, [command]);
      // The bank has paid: the money is the holder's even past a cap another inflow took meanwhile.
      if (!outcome.ok && outcome.error.code === 'LIMIT_EXCEEDED')
        [outcome] = await ctx.ledger.execute(tx, [{ ...command, limitExempt: true }]);
      if (!outcome.ok || outcome.value.type !== 'transfer')
        throw new Error(`online banking ${order.id} could not be credited: ${outcome.ok ? '' : outcome.error.code}`);
      const changes = { status: 'succeeded' as const, entry_id: outcome.value.entry.id, completed_at: now };
      await store.updateOrder(tx, order.id, { ...changes, network_ref: input.networkRef, next_check_at: null });
      return { ...order, ...changes };
    });
    if (settled?.status === 'succeeded') {
      const money = formatFen(BigInt(settled.amount));
      await ctx.notifications.notify(settled.user_id, {
        kind: 'wallet.online_banking_succeeded',
        titleZh: '网银充值成功',
        titleEn: 'Online banking top-up succeeded',
        bodyZh: `通过${bankName(settled.bank_code)}网银充值的${money}已到账。`,
        bodyEn: `${money} from online banking has been added to your wallet.`,
        data: { orderId: settled.id, amount: fenToJson(BigInt(settled.amount)), currency: settled.currency },
      });
    }
    return settled;
  }

  async function handleNotice(notice: OnlineBankingNotice): Promise<{ settled: boolean }> {
    const input: SettleInput =
      notice.status === 'paid'
        ? { status: 'paid', networkRef: notice.networkRef, amountFen: BigInt(notice.amountFen) }
        : { status: 'cancelled' };
    return { settled: (await settle(notice.requestId, input)) !== null };
  }

  /** The job: asks the network about pending orders whose notification has not come. */
  async function checkPending(limit: number): Promise<number> {
    const now = ctx.clock.now();
    const due = await store.dueOrders(ctx.db, now, limit);
    for (const order of due) {
      let answer: Awaited<ReturnType<typeof ctx.network.queryPayment>> | null = null;
      try {
        answer = await ctx.network.queryPayment(order.id);
      } catch (error) {
        if (!(error instanceof InterbankUnavailable)) throw error;
      }
      if (answer?.status === 'paid') {
        await settle(order.id, answer);
        continue;
      }
      if (answer?.status === 'cancelled') {
        await settle(order.id, { status: 'cancelled' });
        continue;
      }
      // Not paid yet (or no answer): after the payment window it is over, if the bank agrees it never paid.
      if (answer && now >= order.expires_at) {
        await settle(order.id, { status: 'expired' });
        continue;
      }
      const waited = now.getTime() - order.created_at.getTime();
      const wait = Math.min(Math.max(FIRST_CHECK_MS, waited), MAX_CHECK_MS);
      await store.updateOrder(ctx.db, order.id, { next_check_at: new Date(now.getTime() + wait) });
    }
    return due.length;
  }

  return { create, get, settle, handleNotice, checkPending };
}
