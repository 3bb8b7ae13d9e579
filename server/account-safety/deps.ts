import type { AuditLog } from '../audit/service.js';
import type { Holders } from '../identity/holders.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';

/** What account safety is built from. Holders are reached only through identity's `holders` port. */
export interface AccountSafetyDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  notifications: NotificationService;
  audit: AuditLog;
  holders: Holders;
}

/** Who acts, and the request it came with (for the audit log). */
export type Actor = { kind: 'user' | 'staff' | 'system'; id: string };
export type RequestInfo = { ip?: string; requestId?: string; userAgent?: string };
