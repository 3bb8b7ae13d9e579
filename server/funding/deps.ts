import type { Logger } from 'pino';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { InterbankNetwork } from './network.js';

/** What funding needs from identity: the holder's real name, tier and wallet account. */
export interface FundingIdentity {
  verifiedIdentity(userId: string): Promise<{ name: string; tier: string; walletAccountId: string } | null>;
}

export interface FundingContext {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  identity: FundingIdentity;
  notifications: Pick<NotificationService, 'notify'>;
  network: InterbankNetwork;
  /** The secret the network signs its notifications with. */
  notificationSecret: string;
  /** Where the holder comes back to after paying at their bank: `${publicUrl}/topup/online/<order id>`. */
  publicUrl: string;
  /** The tiers whose holders have a receiving account. */
  receivingTiers: readonly string[];
  logger?: Logger;
  /** The ledger account mirroring our position at the interbank network (bank_clearing). */
  clearingAccountId(): Promise<string>;
}

/** The bank that runs the wallet, as a receiving account's holder sees it. */
export const RECEIVING_BANK = {
  nameZh: '通宝银行',
  nameEn: 'Tongbao Bank',
  branchZh: '通宝银行电子账户中心',
  branchEn: 'Tongbao Bank e-account centre',
  /** The six-digit prefix of the bank's virtual receiving accounts. */
  prefix: '623688',
} as const;
