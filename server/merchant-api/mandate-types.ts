import type { Queryable, Tx } from '../platform/db/types.js';
import type { Result } from '../platform/result.js';
import type { PaymentError } from '../payments/types.js';
import type { MandateChargeInput } from '../payments/mandate-charges.js';
import type { ApiMode } from './types.js';

/** Agreement payments (签约代扣): mandates, their monthly use and their charges (docs/merchant-api.md). */

export type MandateStatus = 'pending' | 'active' | 'revoked' | 'cancelled';

export interface MandateRow {
  id: string;
  merchant_id: string;
  mode: ApiMode;
  shop_mandate_number: string;
  description: string;
  cap_per_charge: bigint;
  cap_per_month: bigint;
  currency: string;
  return_url: string | null;
  status: MandateStatus;
  user_id: string | null;
  wallet_account_id: string | null;
  signed_with: 'confirmation' | 'test' | null;
  request_expires_at: Date;
  signed_at: Date | null;
  ended_at: Date | null;
  created_by_key: string;
  created_at: Date;
}

export interface MandateChargeRow {
  id: string;
  mandate_id: string;
  merchant_id: string;
  mode: ApiMode;
  user_id: string | null;
  amount: bigint;
  currency: string;
  description: string;
  month: string;
  payment_id: string | null;
  created_by_key: string;
  created_at: Date;
}

export type MandateError =
  | { code: 'MERCHANT_API_MANDATE_NOT_FOUND' }
  | { code: 'MERCHANT_API_MANDATE_NUMBER_TAKEN'; mandateId: string }
  | { code: 'MERCHANT_API_MANDATE_CAPS_INVALID'; maxFen: bigint }
  | { code: 'MERCHANT_API_MANDATE_NOT_PENDING'; status: string }
  | { code: 'MERCHANT_API_MANDATE_NOT_SIGNED'; status: string }
  | { code: 'MERCHANT_API_MANDATE_REVOKED'; status: string }
  | { code: 'MERCHANT_API_MANDATE_CHARGE_CAP_EXCEEDED'; capPerChargeFen: bigint }
  | { code: 'MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED'; capPerMonthFen: bigint; remainingFen: bigint }
  | { code: 'MERCHANT_API_URL_INVALID'; field: string; reason: string }
  | { code: 'MERCHANT_API_EXPIRY_INVALID'; minSeconds: number; maxSeconds: number }
  | { code: 'MERCHANT_API_TEST_MODE_ONLY' }
  | PaymentError;

/** What a holder's wallet is, as signing a mandate needs it. */
export interface MandateHolder {
  walletAccountId: string;
  frozen: boolean;
}

/**
 * The other domains as agreement payments use them: the holder (identity: profile, confirmations,
 * notices) and the payments domain's mandate charges. services.ts passes the real methods.
 */
export interface MandateDeps {
  holder(userId: string): Promise<MandateHolder | null>;
  confirmations: {
    create(userId: string, operation: MandateOperation): Promise<{ id: string; challenge: string; expiresAt: Date }>;
    consume(q: Queryable, userId: string, id: string, operation: MandateOperation): Promise<Result<true, PaymentError>>;
  };
  notify(
    userId: string,
    notice: {
      kind: string;
      titleZh: string;
      titleEn: string;
      bodyZh: string;
      bodyEn: string;
      data?: Record<string, unknown>;
    },
  ): Promise<unknown>;
  charge<E>(
    input: MandateChargeInput,
    within: (tx: Tx, paymentId: string) => Promise<E | null>,
  ): Promise<Result<{ paymentId: string; completedAt: Date }, PaymentError | E>>;
}

/** The operation a signing confirmation is bound to (dynamic linking: shop, caps, mandate). */
export interface MandateOperation {
  reference: string;
  amountFen: bigint;
  currency: string;
  payee: string;
}
