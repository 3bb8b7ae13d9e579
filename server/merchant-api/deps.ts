import type { AuditLog } from '../audit/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { Result } from '../platform/result.js';
import type { PaymentError } from '../payments/types.js';
import type { WebhookSettings } from './webhook-types.js';
import type { MandateDeps } from './mandate-types.js';
import type { SettlementSource } from './settlement-types.js';

/**
 * The payments domain as online checkout uses it: a live order is a dynamic QR code of the merchant
 * (issued with the order's amount, number and expiry), paid through the wallet's ordinary payment path;
 * refunds go back through the payments domain's refunds. app.ts passes the real methods.
 */
export interface CheckoutPayments {
  /** The merchant as the bank verified it; null when unknown. */
  merchant(merchantId: string): Promise<{ id: string; name: string; status: string; merchantNumber: string } | null>;
  issueCode(
    merchantId: string,
    input: { amountFen: bigint; orderReference: string; expiresInSeconds: number },
  ): Promise<Result<{ id: string; payload: string }, PaymentError>>;
  codeState(
    qrId: string,
  ): Promise<{ status: 'active' | 'paid' | 'revoked'; paidPaymentId: string | null; payload: string } | null>;
  /** Revokes an unpaid code; false when it was paid first (the code's row lock decides). */
  revokeCode(qrId: string): Promise<boolean>;
  refund(
    merchantId: string,
    paymentId: string,
    input: { amountFen: bigint; reason?: string; keyId: string },
  ): Promise<Result<{ id: string }, PaymentError>>;
}

/** What the merchant API is built from. */
export interface MerchantApiDeps {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  audit: AuditLog;
  payments: CheckoutPayments;
  /** Webhook delivery: the development override, and what tests replace (name resolution, sending). */
  webhooks?: WebhookSettings;
  /** Agreement payments: the holder and the payments domain's mandate charges (mandates.ts). */
  mandates: MandateDeps;
  /** The payments domain's records the daily settlement file reads (settlement.ts). */
  settlement: SettlementSource;
}
