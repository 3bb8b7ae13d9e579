import type { Logger } from 'pino';
import type { AuditLog } from '../audit/service.js';
import type { Confirmations } from '../confirmations/service.js';
import type { Pin } from '../identity/pin.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationInput, NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/types.js';
import type { OutgoingRisk } from '../risk/port.js';
import type { BillNetwork } from './network.js';

/** What bills needs from identity: the holder, confirmations (PIN or passkey), the PIN, notices by SMS. */
export interface BillsIdentity {
  profile(userId: string): Promise<{
    id: string;
    phone: string;
    name: string;
    walletAccountId: string;
    frozen: boolean;
    pinSet: boolean;
  } | null>;
  confirmations: Pick<Confirmations, 'create' | 'consume' | 'confirmWithPin'>;
  pin: Pick<Pin, 'verify'>;
  /** In-app notice and the same text by SMS to the holder's phone. */
  notifyHolder(userId: string, notification: Omit<NotificationInput, 'smsTo'>): Promise<void>;
}

/** The password-free allowance (server/payments/password-free.ts) as bills use it. */
export interface BillsPasswordFree {
  take(tx: Tx, userId: string, amountFen: bigint): Promise<boolean>;
}

/** Whether a Tongbao maintenance window is on for a feature (server/maintenance). */
export interface BillsMaintenance {
  activeFor(feature: string): Promise<unknown | null>;
}

export interface BillsDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: BillsIdentity;
  notifications: NotificationService;
  audit: AuditLog;
  maintenance: BillsMaintenance;
  /** The risk engine, channel bill; without it payments are not assessed. */
  risk?: OutgoingRisk<'bill'>;
  passwordFree?: BillsPasswordFree;
  /** The real bill network; absent means the sandbox kept in the database. */
  network?: BillNetwork;
  /** Sandbox latency per call (tests pass 0). */
  sandboxLatencyMs?: number;
  logger?: Logger;
}
