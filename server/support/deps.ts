import type { AuditLog } from '../audit/service.js';
import type { DocumentCipher } from '../kyc/document-cipher.js';
import type { Clock } from '../platform/clock.js';
import type { LedgerService } from '../ledger/service.js';
import type { MerchantActor } from '../payments/types.js';
import type { Db, Tx } from '../platform/db/types.js';
import type { ProblemCode } from '../platform/http/problems.js';
import type { Result } from '../platform/result.js';
import type { NotificationInput } from '../notifications/service.js';
import type { HolderState, RecordFacts } from './explain.js';
import type { TicketLive } from './live.js';
import type { LinkedRecord } from './types.js';

/** What customer service needs from outside, as narrow interfaces (docs/architecture.md). */

export interface SupportHolders {
  /** Masked name and phone of a holder, and their wallet account; null when there is none. */
  findParty(by: {
    userId: string;
  }): Promise<{ userId: string; walletAccountId: string; name: string; phone: string } | null>;
}

export interface SupportStaff {
  profile(staffId: string): Promise<{ id: string; name: string } | null>;
  /** How many staff with one of these roles have used the console within the last `withinMs`. */
  countSeenWithin(roles: readonly ('support' | 'admin')[], withinMs: number): Promise<number>;
}

export interface SupportNotifications {
  notify(userId: string, notification: NotificationInput): Promise<void>;
}

/**
 * The holder's records as the domains that keep them report them (null when not the holder's:
 * tickets may only link their own), and the holder's state now, for "why did this fail?".
 */
export interface SupportRecords {
  find(userId: string, record: LinkedRecord): Promise<RecordFacts | null>;
  state(userId: string): HolderState;
}

export type DomainFailure = { code: ProblemCode } & Record<string, unknown>;

/** The payments a dispute is about, and the two ways its money goes back. */
export interface SupportPayments {
  /** The holder's own payment; null when it is not theirs. */
  paymentOf(
    userId: string,
    paymentId: string,
  ): Promise<{
    id: string;
    merchantId: string;
    merchantName: string | null;
    amountFen: bigint;
    refundedFen: bigint;
    status: string;
  } | null>;
  /** The merchant's ordinary refund (their staff password, their role's limits). */
  refundAsMerchant(
    actor: MerchantActor,
    paymentId: string,
    input: { amountFen: bigint; reason: string; password: string },
  ): Promise<Result<{ id: string; amountFen: bigint; createdAt: Date }, DomainFailure>>;
  /** The bank's refund on a dispute, inside the caller's transaction, referenced `dispute:<id>`. */
  refundForDispute(
    tx: Tx,
    input: { paymentId: string; amountFen: bigint; disputeId: string; decidedBy: string },
  ): Promise<Result<{ id: string; entryId: string }, DomainFailure>>;
}

/** Security cases (theft reports) as account safety keeps them. */
export interface SupportCases {
  getCase(
    caseId: string,
  ): Promise<{ id: string; userId: string; kind: string; status: string; createdAt: Date } | null>;
  listCases(filter: {
    userId: string;
    limit: number;
  }): Promise<{ id: string; userId: string; kind: string; status: string; createdAt: Date }[]>;
}

/** A transfer as its payer sees it: who received it, into which wallet. */
export interface SupportTransfers {
  get(
    userId: string,
    transferId: string,
  ): Promise<{
    id: string;
    payer_user_id: string;
    payer_account_id: string;
    payee_user_id: string;
    payee_account_id: string;
    amount: bigint;
    status: string;
  } | null>;
}

export interface SupportDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  notifications: SupportNotifications;
  holders: SupportHolders;
  staff: SupportStaff;
  records: SupportRecords;
  /** Seals attachments at rest, bound to their id (a key of its own, derived from the personal-data key). */
  cipher: DocumentCipher;
  live: TicketLive;
  payments: SupportPayments;
  cases: SupportCases;
  transfers: SupportTransfers;
  ledger: Pick<LedgerService, 'execute' | 'getHold' | 'voidHold'>;
}
