import type { Currency } from '../platform/money.js';

export const ACCOUNT_KINDS = [
  'customer_wallet',
  'merchant_settlement',
  'bank_clearing',
  'fee_income',
  'suspense',
  /** Tongbao's own costs (e.g. a late fee it bears); may go below zero like clearing accounts. */
  'expense',
  // Savings (server/savings/): a holder's fund shares or one deposit; a product's own account.
  'savings_holding',
  'savings_product',
  // Credit (server/credit/): what a holder owes on one loan or card (below zero), the bank's credit income.
  'credit_receivable',
  'credit_income',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * Kinds whose available balance (balance − pending debits) may never go below zero. Clearing and
 * suspense accounts mirror the outside world and may go negative.
 */
export const NON_NEGATIVE_KINDS: ReadonlySet<AccountKind> = new Set([
  'customer_wallet',
  'merchant_settlement',
  'fee_income',
  'savings_holding',
]);

/** Per-account limits, checked inside the transaction that moves the money. All optional. */
export interface AccountLimits {
  perMovementFen?: bigint;
  /** Outgoing per Asia/Shanghai day. */
  dailyFen?: bigint;
  /** Outgoing per Asia/Shanghai calendar year. */
  yearlyFen?: bigint;
  /** Outgoing since the account was opened. */
  lifetimeFen?: bigint;
  /** The posted balance may not rise above this. */
  balanceCapFen?: bigint;
}
export type LimitName = keyof AccountLimits;
export const LIMIT_NAMES: readonly LimitName[] = [
  'perMovementFen',
  'dailyFen',
  'yearlyFen',
  'lifetimeFen',
  'balanceCapFen',
];

export type Metadata = Record<string, string | number | boolean | null>;

export interface AccountView {
  id: string;
  kind: AccountKind;
  currency: Currency;
  ownerRef: string | null;
  balanceFen: bigint;
  pendingDebitsFen: bigint;
  pendingCreditsFen: bigint;
  availableFen: bigint;
  frozen: boolean;
  limits: AccountLimits;
  version: bigint;
  createdAt: Date;
}

export interface PostingView {
  accountId: string;
  /** Positive credits, negative debits; an entry's postings sum to zero. */
  amountFen: bigint;
}

export type EntryKind = 'transfer' | 'hold_post' | 'reversal';

export interface EntryView {
  id: string;
  seq: bigint;
  reference: string;
  kind: EntryKind;
  currency: Currency;
  postings: PostingView[];
  metadata: Metadata;
  holdId: string | null;
  reversesEntryId: string | null;
  createdAt: Date;
  prevHash: string;
  hash: string;
}

export type HoldStatus = 'pending' | 'posted' | 'voided' | 'expired';

export interface HoldView {
  id: string;
  reference: string;
  debitAccountId: string;
  creditAccountId: string;
  currency: Currency;
  amountFen: bigint;
  status: HoldStatus;
  postedAmountFen: bigint | null;
  metadata: Metadata;
  expiresAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface TransferLeg {
  debitAccountId: string;
  creditAccountId: string;
  amountFen: bigint;
}

/** Every command carries a unique reference: the same reference never posts twice. */
export type LedgerCommand =
  | {
      type: 'transfer';
      reference: string;
      currency: Currency;
      legs: TransferLeg[];
      metadata?: Metadata;
      /** Skip tier limits, e.g. for a withdrawal to the holder's own same-name bank account. */
      limitExempt?: boolean;
    }
  | {
      type: 'hold';
      reference: string;
      currency: Currency;
      debitAccountId: string;
      creditAccountId: string;
      amountFen: bigint;
      expiresAt: Date;
      metadata?: Metadata;
      limitExempt?: boolean;
    }
  | { type: 'post_hold'; reference: string; holdId: string; amountFen?: bigint; metadata?: Metadata }
  | { type: 'void_hold'; reference: string; holdId: string; expired?: boolean }
  | { type: 'reverse'; reference: string; entryId: string; metadata?: Metadata };

export type CommandResult =
  | { type: 'transfer'; entry: EntryView; replayed: boolean }
  | { type: 'hold'; hold: HoldView; replayed: boolean }
  | { type: 'post_hold'; hold: HoldView; entry: EntryView; replayed: boolean }
  | { type: 'void_hold'; hold: HoldView; replayed: boolean }
  | { type: 'reverse'; entry: EntryView; replayed: boolean };

export type ResultOf<C extends LedgerCommand> = Extract<CommandResult, { type: C['type'] }>;
