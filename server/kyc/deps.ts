import type { Logger } from 'pino';
import type { Approvals } from '../approvals/service.js';
import type { AuditLog } from '../audit/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationInput } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { DocumentCheckAdapter } from './adapter.js';
import type { DocumentCipher } from './document-cipher.js';
import * as store from './store.js';
import { type Tier, type TierTable, isTier, tierRank } from './tiers.js';

/** What kyc needs from identity: it goes through identity's service, never its tables. */
export interface KycIdentity {
  verifiedIdentity(userId: string): Promise<{
    id: string;
    name: string;
    idNumber: string;
    birthDate: string;
    tier: string;
    walletAccountId: string;
  } | null>;
  setTier(tx: Tx, userId: string, tier: string): Promise<{ previousTier: string; walletAccountId: string } | null>;
  profile(userId: string): Promise<{ tier: string; walletAccountId: string } | null>;
}

export interface KycDeps {
  db: Db;
  clock: Clock;
  identity: KycIdentity;
  ledger: LedgerService;
  notifications: { notify(userId: string, notification: NotificationInput): Promise<void> };
  audit: AuditLog;
  /** Maker-checker for manual tier changes. */
  approvals: Approvals;
  cipher: DocumentCipher;
  adapter: DocumentCheckAdapter;
  tiers: TierTable;
  /**
   * Whether the holder has a linked bank card in their own name. The verified tier needs one once
   * cards exist; until this is wired, document and face verification alone give the verified tier.
   */
  hasSameNameCard?: (userId: string) => Promise<boolean>;
  logger?: Logger;
}

export type TierChangeSource = 'verification' | 'staff' | 'card';

export type TierChangeError =
  | { code: 'USER_NOT_FOUND' }
  | { code: 'TIER_UNCHANGED'; tier: string }
  | { code: 'ACCOUNT_NOT_FOUND'; accountId: string };

/**
 * Moves a holder to a tier: users.tier (through identity) and the wallet's ledger limits change
 * in the caller's transaction, so the next movement already sees the new limits.
 */
export async function changeTierInTx(
  deps: KycDeps,
  tx: Tx,
  change: {
    userId: string;
    tier: Tier;
    source: TierChangeSource;
    actorId: string;
    reason: string | null;
    submissionId: string | null;
    raiseOnly?: boolean;
  },
): Promise<Result<{ previousTier: string; walletAccountId: string }, TierChangeError>> {
  const changed = await deps.identity.setTier(tx, change.userId, change.tier);
  if (!changed) return err({ code: 'USER_NOT_FOUND' });
  if (changed.previousTier === change.tier) return err({ code: 'TIER_UNCHANGED', tier: change.tier });
  if (change.raiseOnly && tierRank(changed.previousTier) > tierRank(change.tier)) {
    // Verification never lowers a tier staff raised meanwhile; the row is still locked by setTier.
    await deps.identity.setTier(tx, change.userId, changed.previousTier);
    return err({ code: 'TIER_UNCHANGED', tier: changed.previousTier });
  }
  const limited = await deps.ledger.setLimits(tx, changed.walletAccountId, deps.tiers[change.tier].limits);
  if (!limited.ok) return err({ code: 'ACCOUNT_NOT_FOUND', accountId: changed.walletAccountId });
  const now = deps.clock.now();
  await store.insertTierChange(tx, {
    id: newId('tch', now.getTime()),
    userId: change.userId,
    fromTier: changed.previousTier,
    toTier: change.tier,
    source: change.source,
    actorId: change.actorId,
    reason: change.reason,
    submissionId: change.submissionId,
    now,
  });
  return ok(changed);
}

/** A tier's limits in words, for notifications. */
export function describeLimits(deps: KycDeps, tier: string): { zh: string; en: string } {
  if (!isTier(tier)) return { zh: '', en: '' };
  const { dailyFen, yearlyFen, balanceCapFen } = deps.tiers[tier].limits;
  const zh: string[] = [];
  const en: string[] = [];
  if (dailyFen !== undefined) {
    zh.push(`每日支出限额${formatFen(dailyFen)}`);
    en.push(`${formatFen(dailyFen)} a day`);
  }
  if (yearlyFen !== undefined) {
    zh.push(`每年支出限额${formatFen(yearlyFen)}`);
    en.push(`${formatFen(yearlyFen)} a year`);
  }
  if (balanceCapFen !== undefined) {
    zh.push(`余额上限${formatFen(balanceCapFen)}`);
    en.push(`balance up to ${formatFen(balanceCapFen)}`);
  }
  return zh.length
    ? { zh: `${zh.join('，')}。`, en: `Limits: ${en.join(', ')}.` }
    : { zh: '无账户等级限额。', en: 'No tier limits apply.' };
}

/** Notifications never stop the decision they describe; a failure is logged. */
export async function notifySafely(deps: KycDeps, userId: string, notification: NotificationInput): Promise<void> {
  try {
    await deps.notifications.notify(userId, notification);
  } catch (error) {
    deps.logger?.warn({ err: error, kind: notification.kind }, 'kyc notification not delivered');
  }
}
