import type { Logger } from 'pino';
import type { AccountSafety } from '../account-safety/service.js';
import type { Approvals } from '../approvals/service.js';
import type { AuditLog } from '../audit/service.js';
import type { Identity } from '../identity/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';

/** What the risk engine is built from. Identity is reached only through its service. */
export interface RiskDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  /** Freezes a wallet when the holder denies a payment or an analyst decides so. */
  accountSafety: Pick<AccountSafety, 'freezeFor'>;
  notifications: NotificationService;
  audit: AuditLog;
  /** Maker-checker for weakening a rule. */
  approvals: Approvals;
  logger?: Logger;
  /** HMAC key for step-up SMS code hashes, so a stored hash does not give the 6-digit code away. */
  stepUpCodeKey: Buffer;
  /**
   * Told after a restriction is lifted as a false positive (services.ts wires credit here, so credit
   * treats what the restriction got in the way of as Tongbao's own fault). Must be idempotent.
   */
  onFalsePositiveLift?: (lift: { userId: string; restrictedAt: Date; liftedAt: Date }) => Promise<void>;
}
