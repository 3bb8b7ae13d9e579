import type { Logger } from 'pino';
import type { Confirmations } from '../identity/confirmation.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { CardNetwork } from './card-network.js';

/** What the wallet needs from identity: the holder's real name (same-name checks) and confirmations. */
export interface WalletIdentity {
  verifiedIdentity(userId: string): Promise<{ name: string; idNumber: string; walletAccountId: string } | null>;
  confirmations: Pick<Confirmations, 'create' | 'consume'>;
}

/** The shape of server/risk's engine the wallet uses: withdrawals are assessed before their hold is placed. */
export interface WithdrawRisk {
  assessOutgoing(input: {
    userId: string;
    walletAccountId: string;
    amountFen: bigint;
    currency: 'CNY';
    payeeKey: string;
    payeeDisplay: string;
    channel: 'withdraw';
    reference: string;
    ip?: string;
    deviceId?: string;
  }): Promise<{ outcome: string; problem: string | null; assessmentId?: string; reasons?: readonly { code: string; zh: string; en: string }[] }>;
  /** Told when a held withdrawal is confirmed (approved) or not (voided: denied, expired, voided by staff). */
  onResolved?(channel: 'withdraw', handler: (event: { userId: string; reference: string; outcome: 'posted' | 'voided' | 'approved' }) => Promise<void>): void;
}

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
}
