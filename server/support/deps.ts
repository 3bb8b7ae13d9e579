import type { AuditLog } from '../audit/service.js';
import type { DocumentCipher } from '../kyc/document-cipher.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import type { NotificationInput } from '../notifications/service.js';
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
}

export interface SupportNotifications {
  notify(userId: string, notification: NotificationInput): Promise<void>;
}

/** Whether a record (payment, transfer, ...) is the holder's own: tickets may only link those. */
export interface SupportRecords {
  owns(userId: string, record: LinkedRecord): Promise<boolean>;
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
}
