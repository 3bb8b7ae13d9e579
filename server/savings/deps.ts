import type { Logger } from 'pino';
import type { Approvals } from '../approvals/service.js';
import type { AuditLog } from '../audit/service.js';
import type { Confirmations } from '../confirmations/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import type { ProblemCode } from '../platform/http/problems.js';
import type { FundCompany } from './fund-company.js';

/** What savings needs from identity: who the holder is (tier, wallet, masked name) and confirmations. */
export interface SavingsIdentity {
  profile(userId: string): Promise<{
    tier: string;
    walletAccountId: string;
    name: string;
    phone: string;
    idNumber: string;
    frozen: boolean;
  } | null>;
  confirmations: Pick<Confirmations, 'create' | 'get' | 'confirmWithPin' | 'consume'>;
}

export interface SavingsDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: SavingsIdentity;
  approvals: Approvals;
  audit: AuditLog;
  /** The real fund company; the sandbox (state in this database) when absent. */
  fundCompany?: FundCompany;
  logger?: Logger;
}

/** The dependency bag every savings topic file receives. `clock` is the savings clock (dev hook). */
export interface SavingsContext {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: SavingsIdentity;
  approvals: Approvals;
  audit: AuditLog;
  fundCompany: FundCompany;
  logger?: Logger;
  /** A bank-side product account, created once per database. */
  systemAccount(name: string): Promise<string>;
}

/** A refusal: a problem code from savings or another domain's table, with details for the answer. */
export type SavingsError = { code: ProblemCode } & Record<string, string | number | boolean | null>;
