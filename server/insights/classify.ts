import type { EntryView } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import { type Category, categoryOfMcc } from './categories.js';
import { CATEGORISABLE_KINDS, type CategorySource, type MovementKind } from './types.js';

/**
 * Turns one ledger entry into what insights counts, by the wallet history's metadata convention
 * (docs/wallet.md: kind, counterparty, ref, note; merchant payments and refunds also name merchantId
 * and paymentId). Pure: the accounts and merchant codes are looked up by the caller.
 */

export interface AccountInfo {
  kind: string;
  ownerRef: string | null;
}

/** A movement before rules and refunds are resolved against what is already counted. */
export interface Draft {
  userId: string;
  entryId: string;
  entrySeq: bigint;
  occurredAt: Date;
  day: string;
  kind: MovementKind;
  amountFen: bigint;
  counterparty: string | null;
  note: string | null;
  mcc: string | null;
  businessRef: string | null;
  /** A refund: how to find its payment (by the payment's business reference, or by entry id for a reversal). */
  refundKey: { businessRef: string } | { entryId: string } | null;
  autoCategory: Category | null;
  autoSource: CategorySource;
  categorisable: boolean;
}

export interface AssetDelta {
  userId: string;
  day: string;
  /** `debt`: what the holder owes on loans and cards, up when they borrow or buy, down when they repay. */
  asset: 'wallet' | 'savings' | 'debt';
  amountFen: bigint;
}

/** A credit receivable is owned by `credit:loan:<user>` or `credit:card:<user>`; its holder, or null. */
export function debtorOf(ownerRef: string): string | null {
  const match = /^credit:(?:loan|card):(.+)$/.exec(ownerRef);
  return match ? match[1] : null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function kindOf(entry: EntryView, amountFen: bigint): MovementKind {
  const out = amountFen < 0n;
  const kind = text(entry.metadata.kind) ?? '';
  const merchant = text(entry.metadata.merchantId) !== null;
  if (entry.kind === 'reversal' && entry.reversesEntryId) return out ? 'other_out' : 'refund';
  if (kind === 'refund' || kind === 'bill_late_fee_refund') return out ? 'other_out' : 'refund';
  if (kind === 'bill_payment') return out ? 'bill' : 'refund';
  if (kind === 'merchant_payment' || merchant) return out ? 'payment' : 'refund';
  if (kind === 'p2p') return out ? 'transfer_out' : 'transfer_in';
  if (kind === 'topup') return out ? 'other_out' : 'topup';
  if (kind === 'withdraw') return out ? 'withdraw' : 'other_in';
  if (kind.startsWith('savings')) return out ? 'savings_out' : 'savings_in';
  if (kind === 'interest' || kind === 'income' || kind === 'salary') return out ? 'other_out' : 'income';
  return out ? 'other_out' : 'other_in';
}

/** Every wallet and savings account of a holder the entry moves, as drafts and asset deltas. */
export function classifyEntry(
  entry: EntryView,
  accounts: ReadonlyMap<string, AccountInfo>,
  mccOf: ReadonlyMap<string, string | null>,
): { drafts: Draft[]; assets: AssetDelta[] } {
  const wallets = new Map<string, bigint>();
  const savings = new Map<string, bigint>();
  const debts = new Map<string, bigint>();
  for (const posting of entry.postings) {
    const account = accounts.get(posting.accountId);
    if (!account?.ownerRef) continue;
    // Accounts are credit-normal (credits positive): lending debits the receivable, so the debt is its negative.
    const debtor = account.kind === 'credit_receivable' ? debtorOf(account.ownerRef) : null;
    if (debtor) debts.set(debtor, (debts.get(debtor) ?? 0n) - posting.amountFen);
    const into = account.kind === 'customer_wallet' ? wallets : account.kind === 'savings_holding' ? savings : null;
    if (into) into.set(account.ownerRef, (into.get(account.ownerRef) ?? 0n) + posting.amountFen);
  }
  const day = shanghaiDay(entry.createdAt);
  const assets: AssetDelta[] = [];
  for (const [userId, amountFen] of wallets)
    if (amountFen !== 0n) assets.push({ userId, day, asset: 'wallet', amountFen });
  for (const [userId, amountFen] of savings)
    if (amountFen !== 0n) assets.push({ userId, day, asset: 'savings', amountFen });
  for (const [userId, amountFen] of debts) if (amountFen !== 0n) assets.push({ userId, day, asset: 'debt', amountFen });

  const drafts: Draft[] = [];
  for (const [userId, amountFen] of wallets) {
    if (amountFen === 0n) continue;
    const kind = kindOf(entry, amountFen);
    const out = amountFen < 0n;
    const meta = entry.metadata;
    const merchantId = text(meta.merchantId);
    // The merchant's code from the payments service; a movement whose merchant lives elsewhere may carry it.
    const known = merchantId ? mccOf.get(merchantId) : undefined;
    const mcc = known ?? text(meta.mcc);
    const counterparty = text(out ? meta.counterpartyOut : meta.counterpartyIn) ?? text(meta.counterparty);
    const paymentRef = text(meta.paymentId) ?? text(meta.ref);
    let autoCategory: Category | null = null;
    let autoSource: CategorySource = 'none';
    if (kind === 'payment') [autoCategory, autoSource] = [categoryOfMcc(mcc), 'mcc'];
    if (kind === 'bill') [autoCategory, autoSource] = ['utilities', 'bill'];
    let refundKey: Draft['refundKey'] = null;
    if (kind === 'refund') {
      if (entry.kind === 'reversal' && entry.reversesEntryId) refundKey = { entryId: entry.reversesEntryId };
      else if (paymentRef) refundKey = { businessRef: paymentRef };
      // Until its payment is found, a refund counts in its merchant's category (or a bill's).
      if (merchantId || mcc) [autoCategory, autoSource] = [categoryOfMcc(mcc), 'mcc'];
      else if (text(meta.kind)?.startsWith('bill')) [autoCategory, autoSource] = ['utilities', 'bill'];
    }
    drafts.push({
      userId,
      entryId: entry.id,
      entrySeq: entry.seq,
      occurredAt: entry.createdAt,
      day,
      kind,
      amountFen,
      counterparty,
      note: text(meta.note),
      mcc,
      businessRef: kind === 'payment' || kind === 'bill' ? paymentRef : null,
      refundKey,
      autoCategory,
      autoSource,
      categorisable: CATEGORISABLE_KINDS.has(kind),
    });
  }
  return { drafts, assets };
}

/** Merchant ids an entry names, so their codes can be looked up before classifying. */
export function merchantIdOf(entry: EntryView): string | null {
  return text(entry.metadata.merchantId);
}
