import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db, Queryable } from '../platform/db/types.js';
import type { LedgerService } from '../ledger/service.js';
import type { Identity } from '../identity/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { AuditLog } from '../audit/service.js';
import type { PayoutRail } from './rail.js';
import type { LiveFeed } from './live.js';
import { type OutgoingRisk, type RequestOrigin, riskRefusal } from '../risk/port.js';
import type { MerchantRow, PaymentError, PaymentRow } from './types.js';

/** What the payments domain is built from (the dependency bag). */
export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  notifications: NotificationService;
  audit: AuditLog;
  cipher: PiiCipher;
  rail: PayoutRail;
  live: LiveFeed;
  /** The risk engine (server/risk), asked before money moves; absent means allow. */
  risk?: PaymentRisk;
  /** Told inside the transaction that pays dynamic codes or payouts (online checkout's webhooks); absent: nobody. */
  events?: PaymentEvents;
}

/**
 * What other domains learn from payments inside the very transaction of the change (an outbox: the
 * merchant API records its webhook events there), and `committed` once that transaction has committed.
 */
export interface PaymentEvents {
  codesPaid(tx: Queryable, codes: readonly { qrId: string; paymentId: string }[], at: Date): Promise<unknown>;
  payoutPaid(
    tx: Queryable,
    payout: { id: string; merchantId: string; day: string; amountFen: bigint; railReference: string },
    at: Date,
  ): Promise<void>;
  committed(): void;
}

/** The risk engine as merchant payments see it (server/risk/port.ts). */
export type PaymentRisk = OutgoingRisk<'merchant_qr' | 'payment_code' | 'mandate'>;
export type { RequestOrigin };

/**
 * Asks the risk engine about a payment before it is posted (outside any transaction); null means
 * go ahead. Assessing the same reference again answers the same decision.
 */
export async function assessPayment(
  deps: PaymentsDeps,
  payment: PaymentRow,
  merchant: MerchantRow,
  channel: 'merchant_qr' | 'payment_code' | 'mandate',
  origin: RequestOrigin = {},
): Promise<PaymentError | null> {
  if (!deps.risk) return null;
  const verdict = await deps.risk.assessOutgoing({
    userId: payment.user_id,
    walletAccountId: payment.wallet_account_id,
    amountFen: payment.amount,
    currency: 'CNY',
    payeeKey: `merchant:${merchant.merchant_number}`,
    payeeDisplay: merchant.name,
    channel,
    reference: `payment:${payment.id}`,
    ip: origin.ip,
    deviceId: origin.deviceId,
  });
  return riskRefusal(verdict);
}
