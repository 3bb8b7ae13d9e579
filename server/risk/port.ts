import type { FastifyRequest } from 'fastify';
import type { Currency } from '../platform/money.js';

/**
 * The risk port: what a channel that moves money out of a wallet (transfers, merchant payments,
 * withdrawals, and every domain to come) needs from the risk engine, and the one mapping from its
 * decision to the problem the channel answers with. Channels depend on these types, never on the
 * engine's insides; server/risk's service satisfies `OutgoingRisk`, tests may pass a fake.
 */

export const CHANNELS = ['p2p', 'merchant_qr', 'payment_code', 'withdraw', 'bill', 'mandate'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where the holder's request came from, for the engine's device and network rules. */
export interface RequestOrigin {
  ip?: string;
  deviceId?: string;
}

/** The origin of an HTTP request: its address and the client's device id (X-Device-Id, as at sign-in). */
export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const device = request.headers['x-device-id'];
  const deviceId = typeof device === 'string' && device.length > 0 && device.length <= 128 ? device : undefined;
  return { ip: request.ip, deviceId };
}

/** One outgoing movement, as the calling domain describes it before posting. */
export interface OutgoingInput extends RequestOrigin {
  userId: string;
  walletAccountId: string;
  amountFen: bigint;
  currency: Currency;
  /** A stable id of the payee: `wallet:acc_…`, `merchant:M…`, `card:…`. */
  payeeKey: string;
  /** The payee as the holder may see it, masked: `*三`, `便利店`, `**** 1234`. */
  payeeDisplay: string;
  channel: Channel;
  /** The movement's unique reference; assessing the same reference again returns the same decision. */
  reference: string;
}

/** A reason in plain words for the holder; staff see the rule, thresholds and values too. */
export interface RiskReason {
  code: string;
  zh: string;
  en: string;
}

/** The problem codes a refused movement answers with (server/risk/problems.ts). */
export const RISK_REFUSAL_CODES = [
  'STEP_UP_REQUIRED',
  'RISK_CONFIRMATION_REQUIRED',
  'RISK_BLOCKED',
  'RISK_RESTRICTED',
] as const;
export type RiskRefusalCode = (typeof RISK_REFUSAL_CODES)[number];

/** The part of the engine's decision a channel acts on. */
export interface RiskVerdict {
  outcome: 'allow' | 'step_up' | 'hold' | 'block';
  /** The problem code to answer with when the outcome is not allow. */
  problem: string | null;
  assessmentId?: string;
  reasons?: readonly RiskReason[];
  /** For hold: the held movement the holder is asked to confirm. */
  held?: { riskHoldId: string; expiresAt: Date };
}

/** What the engine tells a channel once a held movement is settled. Handlers must be idempotent. */
export interface RiskResolution {
  userId: string;
  /** The channel's own movement reference, as assessed. */
  reference: string;
  /** posted: the money moved; voided: released to the payer; approved: the channel may now complete it. */
  outcome: 'posted' | 'voided' | 'approved';
  status: string;
}

/** The engine as a channel sees it: absent means every movement is allowed. */
export interface OutgoingRisk<C extends Channel = Channel> {
  assessOutgoing(input: OutgoingInput & { channel: C }): Promise<RiskVerdict>;
  /** Registers the handler told when a movement the channel left waiting is approved or voided. */
  onResolved?(channel: C, handler: (event: RiskResolution) => Promise<void>): void;
}

/** A channel's expected failure for a refused movement; the channel may add its own ids to it. */
export type RiskRefusal = {
  code: RiskRefusalCode;
  outcome: RiskVerdict['outcome'];
  assessmentId?: string;
  reasons?: readonly RiskReason[];
  /** A held movement (RISK_CONFIRMATION_REQUIRED): its id, until when, where to confirm it. */
  holdId?: string;
  expiresAt?: string;
  /** The API resource of the held movement (GET it; challenge, confirm or deny under it). */
  confirmUrl?: string;
  /** The wallet page that confirms it. */
  confirmPath?: string;
};

/**
 * The one mapping from a decision to a channel's answer: null when the movement may go ahead, else
 * the engine's problem code (RISK_BLOCKED if it named none this platform knows) with the
 * assessment and the plain reasons.
 */
export function riskRefusal(verdict: RiskVerdict): RiskRefusal | null {
  if (verdict.outcome === 'allow') return null;
  const known = (RISK_REFUSAL_CODES as readonly string[]).includes(verdict.problem ?? '');
  const code = known ? (verdict.problem as RiskRefusalCode) : 'RISK_BLOCKED';
  const refusal: RiskRefusal = {
    code,
    outcome: verdict.outcome,
    assessmentId: verdict.assessmentId,
    reasons: verdict.reasons,
  };
  if (verdict.outcome === 'hold' && verdict.held) {
    const id = verdict.held.riskHoldId;
    refusal.holdId = id;
    refusal.expiresAt = verdict.held.expiresAt.toISOString();
    refusal.confirmUrl = `/api/v1/risk/confirmations/${id}`;
    refusal.confirmPath = `/risk/confirmations/${id}`;
  }
  return refusal;
}
