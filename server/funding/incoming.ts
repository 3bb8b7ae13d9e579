import type { LedgerCommand } from '../ledger/types.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import { newId } from '../platform/ids.js';
import type { FundingContext } from './deps.js';
import { type CreditTransferNotice, InterbankUnavailable, type ReturnReason } from './network.js';
import * as store from './store.js';

/**
 * Transfers in from other banks: the network delivers each one (perhaps late, perhaps more than
 * once); it is matched by the receiving account number and credited to the wallet through the
 * ledger, or returned to the paying bank (unknown account, a payer name that is not the holder's
 * real name, the tier's balance cap or yearly figure). One row per network reference, inserted in
 * the transaction that credits: a second delivery finds the row and changes nothing.
 */

const RETURN_RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];

export type IncomingOutcome =
  | { outcome: 'credited'; id: string }
  | { outcome: 'returned'; id: string; reason: ReturnReason }
  | { outcome: 'duplicate'; id: string };

/** Names compared as written on ID cards: full-width forms folded, spaces and middle dots ignored. */
export function sameName(a: string, b: string): boolean {
  const fold = (name: string) =>
    name
      .normalize('NFKC')
      .replace(/[\s·•・.]/g, '')
      .toLowerCase();
  return fold(a) !== '' && fold(a) === fold(b);
}

export const maskAccount = (account: string) => `**** ${account.replace(/\D/g, '').slice(-4)}`;

/** 00:00 on 1 January, Asia/Shanghai, of the year `at` falls in. */
function shanghaiYearStart(at: Date): Date {
  const year = new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
  return new Date(`${year}-01-01T00:00:00+08:00`);
}

export function createIncoming(ctx: FundingContext) {
  /** Decides, without writing, whether a transfer to this holder can be credited. */
  async function refusal(
    notice: CreditTransferNotice,
    account: store.ReceivingAccountRow | null,
    now: Date,
  ): Promise<ReturnReason | null> {
    if (notice.currency !== 'CNY') return 'CURRENCY_NOT_SUPPORTED';
    if (!account) return 'UNKNOWN_ACCOUNT';
    const holder = await ctx.identity.verifiedIdentity(account.user_id);
    if (!holder || !ctx.receivingTiers.includes(holder.tier)) return 'UNKNOWN_ACCOUNT';
    if (!sameName(notice.payerName, holder.name)) return 'NAME_MISMATCH';
    const wallet = await ctx.ledger.getAccount(account.wallet_account_id);
    if (!wallet) return 'UNKNOWN_ACCOUNT';
    if (wallet.frozen) return 'ACCOUNT_FROZEN';
    const amount = BigInt(notice.amountFen);
    const cap = wallet.limits.balanceCapFen;
    if (cap !== undefined && wallet.balanceFen + amount > cap) return 'BALANCE_CAP_EXCEEDED';
    const yearly = wallet.limits.yearlyFen;
    if (yearly !== undefined) {
      const credited = await store.creditedSince(ctx.db, account.user_id, shanghaiYearStart(now));
      if (credited + amount > yearly) return 'YEARLY_LIMIT_EXCEEDED';
    }
    return null;
  }

  /** Sends a refused transfer back; when the network is down it stays 'returning' and the job tries again. */
  async function sendBack(row: store.IncomingRow): Promise<boolean> {
    const now = ctx.clock.now();
    try {
      await ctx.network.returnTransfer({ networkRef: row.network_ref, reason: row.return_reason as ReturnReason });
    } catch (error) {
      if (!(error instanceof InterbankUnavailable)) throw error;
      const wait = RETURN_RETRY_MS[Math.min(row.attempts, RETURN_RETRY_MS.length - 1)];
      await store.updateIncoming(ctx.db, row.id, {
        attempts: row.attempts + 1,
        next_attempt_at: new Date(now.getTime() + wait),
      });
      ctx.logger?.warn({ incoming: row.id, attempts: row.attempts + 1 }, 'interbank return failed; will retry');
      return false;
    }
    await store.updateIncoming(ctx.db, row.id, {
      status: 'returned',
      returned_at: now,
      next_attempt_at: null,
      attempts: row.attempts + 1,
    });
    return true;
  }

  async function receive(notice: CreditTransferNotice): Promise<IncomingOutcome> {
    const now = ctx.clock.now();
    const existing = await store.findIncomingByRef(ctx.db, notice.networkRef);
    if (existing) return { outcome: 'duplicate', id: existing.id };
    const account = await store.receivingAccountByNumber(ctx.db, notice.accountNumber);
    const refused = await refusal(notice, account, now);
    const clearing = await ctx.clearingAccountId();
    const amount = BigInt(notice.amountFen);
    const counterparty = `${notice.payerBankName} ${maskAccount(notice.payerAccount)}`;
    const result = await ctx.db.transaction(async (tx) => {
      // The unique network reference makes a racing second delivery wait here, then insert nothing.
      const row = await store.insertIncoming(tx, {
        id: newId('bki', now.getTime()),
        network_ref: notice.networkRef,
        account_number: notice.accountNumber,
        user_id: account?.user_id ?? null,
        payer_name_enc: ctx.cipher.encrypt(notice.payerName),
        payer_bank: notice.payerBank,
        payer_account_last4: notice.payerAccount.replace(/\D/g, '').slice(-4),
        amount: String(amount),
        currency: notice.currency,
        status: refused ? 'returning' : 'credited',
        return_reason: refused,
        entry_id: null,
        received_at: now,
        returned_at: null,
        next_attempt_at: refused ? now : null,
      });
      if (!row) return null;
      if (refused || !account) return row;
      const command: LedgerCommand = {
        type: 'transfer',
        reference: `bankin:${notice.networkRef}`,
        currency: notice.currency as Currency,
        legs: [{ debitAccountId: clearing, creditAccountId: account.wallet_account_id, amountFen: amount }],
        metadata: { kind: 'bank_in', counterparty, ref: row.id },
      };
      const [outcome] = await ctx.ledger.execute(tx, [command]);
      if (outcome.ok && outcome.value.type === 'transfer') {
        await store.updateIncoming(tx, row.id, { entry_id: outcome.value.entry.id });
        return { ...row, entry_id: outcome.value.entry.id };
      }
      // The ledger checks the cap again under the account's lock: a racing credit may have taken it.
      const code = outcome.ok ? 'UNEXPECTED' : outcome.error.code;
      const reason: ReturnReason | null =
        code === 'LIMIT_EXCEEDED' ? 'BALANCE_CAP_EXCEEDED' : code === 'ACCOUNT_FROZEN' ? 'ACCOUNT_FROZEN' : null;
      if (!reason) throw new Error(`transfer in ${notice.networkRef} could not be credited: ${code}`);
      await store.updateIncoming(tx, row.id, { status: 'returning', return_reason: reason, next_attempt_at: now });
      return { ...row, status: 'returning' as const, return_reason: reason, next_attempt_at: now };
    });
    if (!result) {
      const winner = await store.findIncomingByRef(ctx.db, notice.networkRef);
      return { outcome: 'duplicate', id: winner?.id ?? '' };
    }
    if (result.status === 'credited' && result.user_id) {
      await notifyHolder(result.user_id, 'wallet.bank_in_credited', amount, notice.payerBankName, null, result.id);
      return { outcome: 'credited', id: result.id };
    }
    if (result.user_id)
      await notifyHolder(
        result.user_id,
        'wallet.bank_in_returned',
        amount,
        notice.payerBankName,
        result.return_reason,
        result.id,
      );
    await sendBack(result);
    return { outcome: 'returned', id: result.id, reason: result.return_reason as ReturnReason };
  }

  async function notifyHolder(
    userId: string,
    kind: string,
    amount: bigint,
    bank: string,
    reason: string | null,
    id: string,
  ): Promise<void> {
    const money = formatFen(amount);
    const credited = reason === null;
    await ctx.notifications.notify(userId, {
      kind,
      titleZh: credited ? '他行转入到账' : '他行转入已退回',
      titleEn: credited ? 'Transfer from another bank received' : 'Transfer from another bank returned',
      bodyZh: credited ? `${bank}转入的${money}已存入您的钱包。` : `${bank}转入的${money}未能入账，已退回付款银行。`,
      bodyEn: credited
        ? `${money} from ${bank} has been added to your wallet.`
        : `${money} from ${bank} could not be credited and was sent back to the paying bank.`,
      data: { incomingId: id, amount: fenToJson(amount), currency: 'CNY', reason },
    });
  }

  /** The job: returns the network could not take before. */
  async function retryReturns(limit: number): Promise<number> {
    const due = await store.dueReturns(ctx.db, ctx.clock.now(), limit);
    for (const row of due) await sendBack(row);
    return due.length;
  }

  async function list(userId: string, limit = 50) {
    return (await store.incomingOf(ctx.db, userId, limit)).map((row) => ({
      id: row.id,
      payerBank: row.payer_bank,
      payerAccount: maskAccount(row.payer_account_last4),
      amountFen: BigInt(row.amount),
      currency: row.currency,
      status: row.status,
      returnReason: row.return_reason,
      receivedAt: row.received_at,
    }));
  }

  return { receive, retryReturns, list };
}
