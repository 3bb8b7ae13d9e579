import type { Category } from './categories.js';

/** What a movement is, seen from the holder's wallet. Only categorised movements are spending. */
export const MOVEMENT_KINDS = [
  'payment',
  'bill',
  'refund',
  'transfer_out',
  'transfer_in',
  'topup',
  'withdraw',
  'savings_out',
  'savings_in',
  'income',
  'other_out',
  'other_in',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Outgoing kinds the holder may put in a category by hand or by a rule. */
export const CATEGORISABLE_KINDS: ReadonlySet<MovementKind> = new Set(['payment', 'bill', 'transfer_out', 'other_out']);

export type CategorySource = 'mcc' | 'bill' | 'rule' | 'manual' | 'refund' | 'none';

/** One ledger entry seen from one holder's wallet (a row of insights_movements). */
export interface Movement {
  userId: string;
  entryId: string;
  entrySeq: bigint;
  occurredAt: Date;
  /** The day it counts on: its own, or for a refund the day of the payment it reduces. */
  day: string;
  kind: MovementKind;
  /** Signed from the wallet: negative out, positive in. */
  amountFen: bigint;
  counterparty: string | null;
  note: string | null;
  mcc: string | null;
  /** The business record (payment, bill payment) a refund names to find its payment. */
  businessRef: string | null;
  refundOf: string | null;
  autoCategory: Category | null;
  autoSource: CategorySource;
  /** Set by hand; beats rules and the automatic category. */
  manualCategory: Category | null;
  ruleId: string | null;
  category: Category | null;
  categorySource: CategorySource;
  categorisable: boolean;
}

export interface Rule {
  id: string;
  userId: string;
  pattern: string;
  category: Category;
  createdAt: Date;
}

export interface Budget {
  id: string;
  userId: string;
  /** null: the overall monthly budget. */
  category: Category | null;
  amountFen: bigint;
  previousAmountFen: bigint | null;
  /** The month of the last change (YYYY-MM); before it, previousAmountFen was in force. */
  changedMonth: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface BudgetAlert {
  budgetId: string;
  month: string;
  level: 80 | 100;
  userId: string;
  category: Category | null;
  spentFen: bigint;
  amountFen: bigint;
  at: Date;
}
