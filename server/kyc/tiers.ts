import { BASIC_TIER_LIMITS } from '../identity/deps.js';
import type { AccountLimits } from '../ledger/types.js';

/**
 * Verification tiers and the wallet limits each one carries, defaulting to the PBOC classes of
 * personal bank accounts (银发〔2018〕16号). The ledger enforces the limits inside the
 * transaction that moves the money; a tier change replaces them with `ledger.setLimits`.
 */

export const TIERS = ['basic', 'verified', 'full'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierDefinition {
  /** The wallet account's limits at this tier; an absent limit means no tier cap. */
  limits: AccountLimits;
  labelZh: string;
  labelEn: string;
}

export type TierTable = Record<Tier, TierDefinition>;

export const DEFAULT_TIER_TABLE: TierTable = {
  // Like a Class III account: phone and ID number, no document. Set at registration by identity.
  basic: { limits: BASIC_TIER_LIMITS, labelZh: '基础账户（Ⅲ类）', labelEn: 'Basic (Class III)' },
  // Like a Class II account: document and face verified (and a same-name bank card, once wired).
  verified: {
    limits: { dailyFen: 1_000_000n, yearlyFen: 20_000_000n },
    labelZh: '实名账户（Ⅱ类）',
    labelEn: 'Verified (Class II)',
  },
  // Like a Class I account: verified in person or by staff at higher assurance; only risk limits.
  full: { limits: {}, labelZh: '全功能账户（Ⅰ类）', labelEn: 'Full (Class I)' },
};

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}

export function tierRank(tier: string): number {
  const rank = TIERS.indexOf(tier as Tier);
  return rank < 0 ? 0 : rank;
}

/** Checks a table at start-up: each tier's caps must be at least as generous as the tier below. */
export function assertTierTable(table: TierTable): void {
  for (let i = 1; i < TIERS.length; i++) {
    const lower = table[TIERS[i - 1]].limits;
    const upper = table[TIERS[i]].limits;
    for (const name of Object.keys(upper) as (keyof AccountLimits)[]) {
      const up = upper[name];
      const low = lower[name];
      if (up === undefined) continue;
      if (up <= 0n) throw new Error(`tier ${TIERS[i]}: ${name} must be positive`);
      if (low === undefined || up < low)
        throw new Error(`tier ${TIERS[i]}: ${name} is stricter than tier ${TIERS[i - 1]}`);
    }
  }
}
