import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { systemAccounts } from '../ledger/system-accounts.js';
import { createAccounts } from './accounts.js';
import type { FundingContext, FundingIdentity } from './deps.js';
import { createIncoming } from './incoming.js';
import type { InterbankNetwork } from './network.js';
import { type InterbankSandbox, createInterbankSandbox } from './network-sandbox.js';
import { createNotices } from './notifications.js';
import { createOnlineBanking } from './online-banking.js';
import * as store from './store.js';

export interface FundingDeps {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  identity: FundingIdentity;
  notifications: Pick<NotificationService, 'notify'>;
  publicUrl: string;
  /** The real interbank network; the sandbox (state in this database) when absent. */
  network?: InterbankNetwork;
  /** The secret the network signs notifications with; derived from the personal-data key when absent. */
  notificationSecret?: string;
  /** The tiers whose holders may receive from other banks; every tier by default (docs/funding.md). */
  receivingTiers?: readonly string[];
  logger?: Logger;
}

const CLEARING = 'interbank_clearing';

/** Funding from other banks: receiving account numbers, transfers in, online-banking top-ups. */
export function createFundingService(deps: FundingDeps) {
  const notificationSecret =
    deps.notificationSecret ??
    createHmac('sha256', deps.cipher.lookupHash('tongbao-interbank')).update('notification-secret').digest('hex');
  const sandbox: InterbankSandbox | null = deps.network
    ? null
    : createInterbankSandbox({ db: deps.db, clock: deps.clock, secret: notificationSecret });
  const network = deps.network ?? (sandbox as InterbankSandbox).network;

  /** The clearing account is created once per database; processes racing to create it agree on one. */
  const systemAccount = systemAccounts<typeof CLEARING>(
    deps.db,
    deps.ledger,
    { find: store.systemAccount, insert: store.insertSystemAccount },
    () => ({ kind: 'bank_clearing', ownerRef: 'system:interbank-network' }),
  );
  const clearingAccountId = () => systemAccount(CLEARING);

  const ctx: FundingContext = {
    db: deps.db,
    clock: deps.clock,
    cipher: deps.cipher,
    ledger: deps.ledger,
    identity: deps.identity,
    notifications: deps.notifications,
    network,
    notificationSecret,
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
    receivingTiers: deps.receivingTiers ?? ['basic', 'verified', 'full'],
    logger: deps.logger,
    clearingAccountId,
  };
  const incoming = createIncoming(ctx);
  const onlineBanking = createOnlineBanking(ctx);
  const handleNotification = createNotices(ctx, { incoming, onlineBanking });
  // The sandbox hands its signed notifications to the same handler the HTTP route uses.
  sandbox?.setReceiver(async (rawBody, signature) => {
    const handled = await handleNotification(rawBody, signature);
    if (!handled.ok) throw new Error(`interbank notification refused: ${handled.error.code}`);
    return handled.value;
  });

  return {
    ctx,
    network,
    sandbox,
    accounts: createAccounts(ctx),
    incoming,
    onlineBanking,
    handleNotification,
    clearingAccountId,
  };
}

export type FundingService = ReturnType<typeof createFundingService>;
