import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The bank card network adapter (UnionPay-style quick payments): binding a card with a code the
 * bank texts to the card's reserved phone, charging it (top-up), paying out to it (withdraw),
 * asking for a request's status, and the daily settlement file. A sandbox implements it
 * (card-network-sandbox.ts); a real network implements the same interface.
 */

export type DeclineReason =
  | 'BANK_INSUFFICIENT_FUNDS'
  | 'CARD_BLOCKED'
  | 'RESERVED_PHONE_MISMATCH'
  | 'HOLDER_MISMATCH'
  | 'BANK_SYSTEM_ERROR'
  | 'BIND_CODE_INVALID'
  | 'BIND_EXPIRED'
  | 'NOT_RECEIVED'
  | 'CANCELLED';

export const DECLINE_REASONS: readonly DeclineReason[] = [
  'BANK_INSUFFICIENT_FUNDS',
  'CARD_BLOCKED',
  'RESERVED_PHONE_MISMATCH',
  'HOLDER_MISMATCH',
  'BANK_SYSTEM_ERROR',
  'BIND_CODE_INVALID',
  'BIND_EXPIRED',
  'NOT_RECEIVED',
  'CANCELLED',
];

export type Arrival = 'realtime' | 'within_2h' | 'next_day';

/** What the network answered; `processing` means it will say later (callback or status query). */
export type NetworkOutcome =
  | { status: 'succeeded'; networkRef: string }
  | { status: 'failed'; reason: DeclineReason; networkRef?: string }
  | { status: 'processing'; networkRef?: string };

export type StatusAnswer = NetworkOutcome | { status: 'not_found' };

export interface SettlementLine {
  requestId: string;
  kind: 'charge' | 'payout';
  amountFen: bigint;
  currency: string;
  networkRef: string;
  completedAt: Date;
}

/** The body the network posts to our callback URL (signed, see signCallback). */
export interface CallbackEvent {
  eventId: string;
  requestId: string;
  kind: 'charge' | 'payout';
  status: 'succeeded' | 'failed';
  reason?: DeclineReason;
  networkRef: string;
  amountFen: number;
  currency: string;
}

/** The network did not answer in time: the request may or may not have been carried out. */
export class CardNetworkTimeout extends Error {
  constructor(readonly requestId: string) {
    super(`card network timed out on ${requestId}`);
    this.name = 'CardNetworkTimeout';
  }
}

export interface CardNetwork {
  startBinding(request: {
    cardNumber: string;
    holderName: string;
    idNumber: string;
    phone: string;
  }): Promise<
    { status: 'code_sent'; bindingId: string; expiresAt: Date } | { status: 'declined'; reason: DeclineReason }
  >;
  confirmBinding(request: {
    bindingId: string;
    code: string;
  }): Promise<{ status: 'bound'; agreementId: string } | { status: 'declined'; reason: DeclineReason }>;
  /** Pulls money from the card (top-up). Idempotent on requestId. May throw CardNetworkTimeout. */
  charge(request: {
    requestId: string;
    agreementId: string;
    amountFen: bigint;
    currency: string;
  }): Promise<NetworkOutcome>;
  /** Pays money to the card (withdraw). Idempotent on requestId. May throw CardNetworkTimeout. */
  payout(request: {
    requestId: string;
    agreementId: string;
    amountFen: bigint;
    currency: string;
    arrival: Arrival;
  }): Promise<NetworkOutcome>;
  query(requestId: string): Promise<StatusAnswer>;
  /**
   * Revokes a payout that has not arrived yet (delayed arrival exists so the holder can take a
   * payment back from a fraudster). `too_late` carries the final answer when it already completed.
   */
  cancelPayout(requestId: string): Promise<{ status: 'cancelled' } | { status: 'too_late'; outcome: StatusAnswer }>;
  /** Succeeded movements completed on an Asia/Shanghai day. */
  settlementFile(day: string): Promise<SettlementLine[]>;
}

export const CALLBACK_SIGNATURE_HEADER = 'tongbao-network-signature';
export const CALLBACK_TOLERANCE_MS = 300_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as card networks and Stripe sign webhooks. */
export function signCallback(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export function verifyCallbackSignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
  now: Date,
): boolean {
  if (!header || header.length > 500) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isSafeInteger(t) || Math.abs(now.getTime() - t * 1000) > CALLBACK_TOLERANCE_MS) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return parts.some(
    ([name, value]) =>
      name === 'v1' &&
      value !== undefined &&
      value.length === expected.length &&
      timingSafeEqual(Buffer.from(value), expected),
  );
}
