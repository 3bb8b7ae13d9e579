import type { Logger } from 'pino';
import type { Confirmations } from '../confirmations/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { OutgoingRisk } from '../risk/port.js';
import type { CardNetwork } from './card-network.js';

/** What the wallet needs from identity: the holder's real name (same-name checks) and confirmations. */
export interface WalletIdentity {
  verifiedIdentity(userId: string): Promise<{ name: string; idNumber: string; walletAccountId: string } | null>;
  confirmations: Pick<Confirmations, 'create' | 'consume'>;
}

/** The risk engine as withdrawals see it (server/risk/port.ts): assessed before their hold is placed. */
export type WithdrawRisk = OutgoingRisk<'withdraw'>;

export interface WalletContext {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  identity: WalletIdentity;
  notifications: NotificationService;
  network: CardNetwork;
  /** Signs and checks the network's callbacks. */
  callbackSecret: string;
  logger?: Logger;
  /** The risk engine; without it withdrawals are not assessed. */
  risk?: WithdrawRisk;
  /** The ledger account mirroring our position at the card network (bank_clearing). */
  clearingAccountId(): Promise<string>;
  /** Told after a card becomes active (KYC completes the verified tier); failures are only logged. */
  onCardLinked?: (userId: string) => Promise<void>;
}
