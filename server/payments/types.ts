import type { LedgerError } from '../ledger/errors.js';
import type { ConfirmationError } from '../confirmations/service.js';
import type { RiskRefusal } from '../risk/port.js';
import type { MerchantRole } from './merchant-roles.js';

/** Our merchant account template GUID (tag 26.00 of every code we issue). */
import type { QrScheme } from './emv/schemes.js';

export const TONGBAO_GUID = 'cn.tongbao.wallet';
/** A payment waiting for its payer's confirmation lapses after this long (the confirmation's own TTL). */
export const PAYMENT_TTL_MS = 5 * 60_000;
/** PBOC 银发〔2017〕296号: payments by static code are limited to ¥500 a day per payer. */
export const STATIC_QR_DAILY_CAP_FEN = 50_000n;

export type MerchantStatus = 'pending' | 'active' | 'suspended' | 'rejected';

export interface MerchantRow {
  id: string;
  merchant_number: string;
  name: string;
  mcc: string;
  city: string;
  /** Tags 59 and 60 (printable ASCII); null for merchants from before they were asked, then pinyin is written. */
  latin_name: string | null;
  latin_city: string | null;
  status: MerchantStatus;
  settlement_account_id: string | null;
  payout_bank_name: string;
  payout_account_enc: string;
  payout_account_last4: string;
  contact_phone_enc: string;
  status_reason: string | null;
  created_by: string;
  created_at: Date;
  decided_at: Date | null;
}

export type PaymentSource = 'static_qr' | 'dynamic_qr' | 'merchant_number' | 'payment_code' | 'mandate';
export type PaymentStatus = 'awaiting_confirmation' | 'completed' | 'failed' | 'expired' | 'declined';

export interface PaymentRow {
  id: string;
  merchant_id: string;
  user_id: string;
  wallet_account_id: string;
  amount: bigint;
  currency: string;
  source: PaymentSource;
  qr_code_id: string | null;
  dynamic_qr_id: string | null;
  order_reference: string | null;
  note: string | null;
  status: PaymentStatus;
  confirmation_id: string | null;
  password_free: boolean;
  failure_code: string | null;
  entry_id: string | null;
  refunded_amount: bigint;
  created_by: string;
  expires_at: Date;
  completed_at: Date | null;
  created_at: Date;
  /** The payer's Idempotency-Key of a one-step payment (pay now with the PIN), unique per payer. */
  client_key?: string | null;
}

export interface QrCodeRow {
  id: string;
  merchant_id: string;
  kind: 'static' | 'dynamic';
  label: string;
  amount: bigint | null;
  order_reference: string | null;
  terminal_label: string | null;
  payload: string;
  status: 'active' | 'paid' | 'revoked';
  paid_payment_id: string | null;
  expires_at: Date | null;
  created_at: Date;
}

/** What a merchant staff member acts as: resolved from the merchant session on every request. */
export interface MerchantActor {
  staffId: string;
  merchantId: string;
  role: MerchantRole;
}

/** Expected failures of this domain, plus the ledger's and identity's that pass through. */
export type PaymentError =
  | { code: 'QR_PAYLOAD_INVALID'; reason: string; position: number; tag?: string; detail: string }
  | { code: 'QR_NOT_SUPPORTED'; guids: (string | null)[] }
  | { code: 'QR_SCHEME_NOT_SUPPORTED'; scheme: QrScheme; detail: string; detailZh: string }
  | { code: 'QR_NOT_FOUND' | 'QR_EXPIRED' | 'QR_ALREADY_PAID' | 'AMOUNT_REQUIRED' | 'STATIC_QR_DAILY_LIMIT' }
  | { code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' }
  | { code: 'AMOUNT_MISMATCH'; expectedFen: bigint }
  | {
      code:
        | 'MERCHANT_NOT_FOUND'
        | 'MERCHANT_NOT_ACTIVE'
        | 'MERCHANT_STATUS_CONFLICT'
        | 'MERCHANT_STAFF_PHONE_TAKEN'
        | 'MERCHANT_NAME_INVALID';
    }
  | { code: 'PAYMENT_NOT_FOUND' | 'PAYMENT_NOT_PENDING' | 'PAYMENT_EXPIRED' | 'PAYMENT_NOT_REFUNDABLE' }
  | {
      code:
        | 'PAYMENT_CODE_INVALID'
        | 'PAYMENT_CODE_EXPIRED'
        | 'PAYMENT_CODE_USED'
        | 'PAYMENT_CODE_LOCKED'
        | 'PAYMENT_CODE_REVOKED';
    }
  | { code: 'PAYMENT_CODE_AUTH_REQUIRED' | 'PAYMENT_CODE_DEVICE_NOT_FOUND' }
  | { code: 'REFUND_EXCEEDS_PAYMENT'; refundableFen: bigint }
  | { code: 'REFUND_ABOVE_ROLE_LIMIT'; limitFen: bigint; alreadyRefundedFen: bigint }
  | { code: 'MERCHANT_STAFF_NOT_FOUND' | 'MERCHANT_STAFF_PROTECTED' }
  | { code: 'REFUND_PASSWORD_INCORRECT'; triesLeft: number }
  | { code: 'REFUND_PASSWORD_LOCKED'; retryAfterSeconds: number }
  | RiskRefusal
  | { code: 'INVALID_PHONE' | 'UNAUTHENTICATED' | 'INVALID_CREDENTIALS' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'ACCOUNT_FROZEN'; accountId?: string }
  | ConfirmationError
  | LedgerError;
