import type { Logger } from 'pino';
import type { Approvals } from '../approvals/service.js';
import type { AuditLog } from '../audit/service.js';
import type { Confirmations } from '../confirmations/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { ProblemCode } from '../platform/http/problems.js';
import type { Currency } from '../platform/money.js';
import type { Result } from '../platform/result.js';
import type { CreditBureau } from './bureau.js';

/** What credit needs from identity: who the holder is, their ID for the bureau, confirmations, notices. */
export interface CreditIdentity {
  profile(userId: string): Promise<{
    tier: string;
    walletAccountId: string;
    name: string;
    phone: string;
    frozen: boolean;
    createdAt: Date;
  } | null>;
  /** The decrypted ID number, for the bureau only (never answered or logged). */
  verifiedIdentity(userId: string): Promise<{ idNumber: string; name: string } | null>;
  riskSignals(userId: string): Promise<{ frozen: boolean; credentialResetAt: Date | null } | null>;
  notifyHolder(
    userId: string,
    notice: { kind: string; titleZh: string; titleEn: string; bodyZh: string; bodyEn: string; data?: object },
  ): Promise<void>;
  confirmations: Pick<Confirmations, 'create' | 'get' | 'confirmWithPin' | 'consume'>;
  /** The payment PIN check (tries counted and locked by identity), for revealing a card's number. */
  pin: { verify(userId: string, pin: string): Promise<Result<true, { code: ProblemCode }>> };
}

/** The wallet's linked cards, for auto-repay's fallback to the default card when the holder allowed it. */
export interface CreditWalletCards {
  defaultCard(userId: string): Promise<{ id: string; label: string } | null>;
  /** Tops the wallet up from the card; true once the money is in the wallet. */
  topUp(userId: string, cardId: string, amountFen: bigint, currency: Currency): Promise<boolean>;
}

export interface CreditDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: CreditIdentity;
  approvals: Approvals;
  audit: AuditLog;
  /** Whether a feature is closed by a maintenance window now (our own fault moves due dates). */
  maintenance: { activeFor(feature: string): Promise<{ endsAt: Date } | null> };
  cipher: PiiCipher;
  walletCards?: CreditWalletCards;
  /** The real bureau; the sandbox (state in this database) when absent. */
  bureau?: CreditBureau;
  logger?: Logger;
}

/** A refusal: a problem code from credit or another domain's table, with details for the answer. */
export type CreditError = { code: ProblemCode } & Record<string, string | number | boolean | null>;
