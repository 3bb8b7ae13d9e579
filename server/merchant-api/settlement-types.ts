/** What the daily settlement file (settlement.ts) reads from the payments domain. */

export interface SettlementPayment {
  id: string;
  amount: bigint;
  completed_at: Date | null;
  source: string;
  order_reference: string | null;
}
export interface SettlementRefund {
  id: string;
  payment_id: string;
  amount: bigint;
  created_at: Date;
}

/** The payments domain's records as the settlement file reads them (services.ts passes the real ones). */
export interface SettlementSource {
  /** Completed payments after the cursor, oldest first, a page at a time (empty at the end). */
  completedSince(merchantId: string, since: { at: Date; id: string }): Promise<SettlementPayment[]>;
  refundsSince(merchantId: string, since: { at: Date; id: string }): Promise<SettlementRefund[]>;
}
