import type { Logger } from 'pino';
import type { LedgerService } from '../ledger/service.js';
import type { Clock } from '../platform/clock.js';
import type { RollbackWith } from '../platform/db/transaction-result.js';
import type { Db, Tx } from '../platform/db/types.js';
import type { Result } from '../platform/result.js';

/** What insights needs from outside, as narrow interfaces; app.ts passes the real services. */

/** The ledger's public reads: the entry feed after a watermark, accounts, a holder's accounts. */
export type InsightsLedger = Pick<LedgerService, 'listEntriesAfter' | 'getAccounts' | 'accountsOwnedBy'>;

export interface InsightsNotice {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  data?: Record<string, unknown>;
}

export interface LinkedCard {
  id: string;
  bankName: string;
  bankNameEn: string;
  last4: string;
}

export interface OwedLine {
  id: string;
  owedFen: bigint;
}

export interface InsightsDeps {
  db: Db;
  clock: Clock;
  ledger: InsightsLedger;
  /** A merchant's ISO 18245 code (the payments service); null when unknown. */
  merchantMcc(merchantId: string): Promise<string | null>;
  /** In-app notices (the notifications service). */
  notify(userId: string, notice: InsightsNotice): Promise<void>;
  linkedCards(userId: string): Promise<LinkedCard[]>;
  /** What the holder has in savings: funds and deposits (the savings service). */
  savingsTotal(userId: string): Promise<bigint>;
  /** What the holder owes today on each open loan and card (the credit service). */
  debts(userId: string): Promise<{ loans: OwedLine[]; cards: OwedLine[] }>;
  logger?: Logger;
}

/** Runs a transaction holding the watermark lock, so the feed and every category change take turns. */
export type Locked = <T, E>(fn: (tx: Tx, rollback: RollbackWith<E>) => Promise<T>) => Promise<Result<T, E>>;
