import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The interbank network adapter (the clearing network that links this bank to every other bank,
 * CNAPS/IBPS-style): it delivers credit transfers other banks send to our holders' receiving
 * accounts, takes refused ones back to the sending bank, and runs online-banking payments (网银支付)
 * at the holder's own bank. The network notifies us by signed POSTs (see signNotification); a
 * sandbox implements it (network-sandbox.ts, state in the database), and the real network the same
 * interface over HTTP (network-http.ts).
 */

/** Why a transfer in is sent back to the paying bank. */
export type ReturnReason =
  | 'UNKNOWN_ACCOUNT'
  | 'NAME_MISMATCH'
  | 'ACCOUNT_FROZEN'
  | 'BALANCE_CAP_EXCEEDED'
  | 'YEARLY_LIMIT_EXCEEDED'
  | 'CURRENCY_NOT_SUPPORTED';

/** A credit transfer another bank sent to one of our receiving account numbers. */
export interface CreditTransferNotice {
  kind: 'credit_transfer';
  /** This delivery's id: a replayed delivery is acknowledged and ignored. */
  notificationId: string;
  /** The network's reference of the transfer: it is credited at most once, whatever the deliveries. */
  networkRef: string;
  accountNumber: string;
  payerName: string;
  /** The paying bank's code (ICBC, CMB, …) and name. */
  payerBank: string;
  payerBankName: string;
  payerAccount: string;
  amountFen: number;
  currency: string;
}

/** The holder's bank tells the outcome of an online-banking payment. */
export interface OnlineBankingNotice {
  kind: 'online_banking_payment';
  notificationId: string;
  /** Our order id. */
  requestId: string;
  networkRef: string;
  status: 'paid' | 'cancelled';
  amountFen: number;
  currency: string;
}

export type NetworkNotice = CreditTransferNotice | OnlineBankingNotice;

export type PaymentStatus =
  | { status: 'created' }
  | { status: 'paid'; networkRef: string; amountFen: bigint }
  | { status: 'cancelled' }
  | { status: 'not_found' };

/** The network cannot be reached (down, timed out, circuit open). */
export class InterbankUnavailable extends Error {
  constructor(message = 'interbank network unavailable') {
    super(message);
    this.name = 'InterbankUnavailable';
  }
}

export interface InterbankNetwork {
  /**
   * Starts an online-banking payment at the holder's bank: the holder is sent to `redirectUrl`, pays
   * there and comes back to `returnUrl`. Idempotent on requestId. Throws InterbankUnavailable.
   */
  startPayment(request: {
    requestId: string;
    bankCode: string;
    amountFen: bigint;
    currency: string;
    returnUrl: string;
  }): Promise<{ networkRef: string; redirectUrl: string }>;
  /** The payment's state, for a notification that never came. Throws InterbankUnavailable. */
  queryPayment(requestId: string): Promise<PaymentStatus>;
  /** Sends a transfer in back to the paying bank. Idempotent on networkRef. Throws InterbankUnavailable. */
  returnTransfer(request: { networkRef: string; reason: ReturnReason }): Promise<void>;
}

/** The banks whose online banking the network reaches (and whose transfers it carries). */
export const ONLINE_BANKS = [
  { code: 'ICBC', nameZh: '中国工商银行', nameEn: 'ICBC' },
  { code: 'CCB', nameZh: '中国建设银行', nameEn: 'China Construction Bank' },
  { code: 'ABC', nameZh: '中国农业银行', nameEn: 'Agricultural Bank of China' },
  { code: 'BOC', nameZh: '中国银行', nameEn: 'Bank of China' },
  { code: 'CMB', nameZh: '招商银行', nameEn: 'China Merchants Bank' },
  { code: 'BOCOM', nameZh: '交通银行', nameEn: 'Bank of Communications' },
] as const;

export const NOTIFICATION_SIGNATURE_HEADER = 'tongbao-interbank-signature';
export const NOTIFICATION_TOLERANCE_MS = 300_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with the shared secret. */
export function signNotification(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
}

/** True when the header signs this body with the secret and its time is within five minutes of now. */
export function verifyNotification(secret: string, rawBody: string, header: string | undefined, now: Date): boolean {
  if (!header || header.length > 500) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isSafeInteger(t) || Math.abs(now.getTime() - t * 1000) > NOTIFICATION_TOLERANCE_MS) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return parts.some(
    ([name, value]) =>
      name === 'v1' &&
      value !== undefined &&
      value.length === expected.length &&
      timingSafeEqual(Buffer.from(value), expected),
  );
}
