import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { SmsGateway } from '../notifications/sms.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { systemAccounts } from '../ledger/system-accounts.js';
import type { CardNetwork } from './card-network.js';
import { type CardNetworkSandbox, createCardNetworkSandbox } from './card-network-sandbox.js';
import { createCards } from './cards.js';
import type { WalletContext, WalletIdentity, WithdrawRisk } from './deps.js';
import { createHistory } from './history.js';
import { createOrders } from './orders.js';
import { createReconciliation } from './reconciliation.js';
import { createStatements } from './statements.js';
import * as store from './store.js';

export interface WalletDeps {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  identity: WalletIdentity;
  notifications: NotificationService;
  sms: SmsGateway;
  /** The card network; the sandbox (with its state in this database) when absent. */
  network?: CardNetwork;
  /** Key the network signs callbacks with; derived from the personal-data key when absent. */
  callbackSecret?: string;
  /** Sandbox latency per call, in milliseconds. */
  sandboxLatencyMs?: number;
  logger?: Logger;
  /** The risk engine, asked before a withdrawal's money is held. */
  risk?: WithdrawRisk;
  /**
   * Told after a card becomes active, so KYC can complete the verified tier at once; KYC's job
   * stays the safety net when this fails.
   */
  onCardLinked?: (userId: string) => Promise<void>;
}

const CLEARING = 'card_network_clearing';

/** Wallets: linked cards, top-up, withdraw, history, statements and the daily reconciliation. */
export function createWalletService(deps: WalletDeps) {
  const callbackSecret =
    deps.callbackSecret ??
    createHmac('sha256', deps.cipher.lookupHash('tongbao-card-network')).update('callback-secret').digest('hex');
  const sandbox: CardNetworkSandbox | null = deps.network
    ? null
    : createCardNetworkSandbox({
        db: deps.db,
        clock: deps.clock,
        sms: deps.sms,
        cipher: deps.cipher,
        secret: callbackSecret,
        latencyMs: deps.sandboxLatencyMs,
      });
  const network = deps.network ?? (sandbox as CardNetworkSandbox);

  /** The clearing account is created once per database; processes racing to create it agree on one. */
  const systemAccount = systemAccounts<typeof CLEARING>(
    deps.db,
    deps.ledger,
    { find: store.systemAccount, insert: store.insertSystemAccount },
    () => ({ kind: 'bank_clearing', ownerRef: 'system:card-network' }),
  );
  const clearingAccountId = () => systemAccount(CLEARING);

  const ctx: WalletContext = {
    db: deps.db,
    clock: deps.clock,
    cipher: deps.cipher,
    ledger: deps.ledger,
    identity: deps.identity,
    notifications: deps.notifications,
    network,
    callbackSecret,
    logger: deps.logger,
    risk: deps.risk,
    clearingAccountId,
    onCardLinked: deps.onCardLinked,
  };
  const orders = createOrders(ctx);
  const cards = createCards(ctx);
  // The sandbox delivers its callbacks straight to the same handler the HTTP callback route uses.
  sandbox?.setReceiver(async (rawBody, signature) => {
    const handled = await orders.handleCallback(rawBody, signature);
    if (!handled.ok) throw new Error(`callback refused: ${handled.error.code}`);
  });

  return {
    ctx,
    network,
    sandbox,
    cards,
    orders,
    history: createHistory(ctx),
    statements: createStatements(ctx),
    reconciliation: createReconciliation(ctx),
    clearingAccountId,
    /** For the KYC tiers: whether the holder has linked a bank card in their own name. */
    hasSameNameCard: (userId: string) => cards.hasSameNameCard(userId),
  };
}

export type WalletService = ReturnType<typeof createWalletService>;
