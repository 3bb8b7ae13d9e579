import type { LimitName } from '../ledger/types.js';
import type { KycDeps } from './deps.js';
import * as store from './store.js';
import { isTier } from './tiers.js';

/**
 * What the holder may still do: their tier, each limit the ledger enforces on their wallet, what
 * they used today and this year (Asia/Shanghai), what remains, and the next step up.
 */

export interface LimitLine {
  name: LimitName;
  /** null: no cap at this tier. */
  limitFen: bigint | null;
  usedFen: bigint;
  remainingFen: bigint | null;
}

export type NextAction = 'verify_identity' | 'wait_for_review' | 'link_bank_card' | 'visit_branch';

export interface NextStep {
  action: NextAction;
  tier: string;
  href: string | null;
  zh: string;
  en: string;
}

const NEXT_STEPS: Record<NextAction, { zh: string; en: string; href: string | null }> = {
  verify_identity: {
    zh: '上传身份证件并完成人脸核验，即可升级为实名账户，提高支付限额。',
    en: 'Upload your ID document and a selfie to become Verified and raise your limits.',
    href: '/api/v1/me/kyc/submissions',
  },
  wait_for_review: {
    zh: '您的实名认证正在审核中，完成后将通知您。',
    en: 'Your verification is being reviewed; we will let you know.',
    href: '/api/v1/me/kyc',
  },
  link_bank_card: {
    zh: '证件已审核通过，绑定一张本人名下的银行卡即可完成实名认证。',
    en: 'Your documents are verified; link a bank card in your own name to finish.',
    href: null,
  },
  visit_branch: {
    zh: '如需取消账户等级限额，请携带身份证件到银行网点办理。',
    en: 'To remove tier limits, visit a branch with your ID document.',
    href: null,
  },
};

function step(action: NextAction, tier: string): NextStep {
  return { action, tier, ...NEXT_STEPS[action] };
}

export function createLimitsView(deps: KycDeps) {
  return async (userId: string) => {
    const profile = await deps.identity.profile(userId);
    if (!profile) return null;
    const account = await deps.ledger.getAccount(profile.walletAccountId);
    if (!account) return null;
    const usage = await deps.ledger.usage(account.id);
    const line = (name: LimitName, usedFen: bigint): LimitLine => {
      const limitFen = account.limits[name] ?? null;
      return {
        name,
        limitFen,
        usedFen,
        remainingFen: limitFen === null ? null : limitFen > usedFen ? limitFen - usedFen : 0n,
      };
    };
    const lines = [
      line('dailyFen', usage.dayFen),
      line('yearlyFen', usage.yearFen),
      line('balanceCapFen', account.balanceFen),
    ];
    if (account.limits.perMovementFen !== undefined) lines.push(line('perMovementFen', 0n));
    if (account.limits.lifetimeFen !== undefined) lines.push(line('lifetimeFen', usage.lifetimeFen));

    let nextStep: NextStep | null = null;
    if (profile.tier === 'basic') {
      const latest = await store.latestSubmission(deps.db, userId);
      if (latest && store.OPEN_STATUSES.includes(latest.status)) nextStep = step('wait_for_review', 'verified');
      else if (latest?.status === 'approved') nextStep = step('link_bank_card', 'verified');
      else nextStep = step('verify_identity', 'verified');
    } else if (profile.tier === 'verified') {
      nextStep = step('visit_branch', 'full');
    }
    const definition = isTier(profile.tier) ? deps.tiers[profile.tier] : null;
    return {
      tier: profile.tier,
      tierLabel: { zh: definition?.labelZh ?? profile.tier, en: definition?.labelEn ?? profile.tier },
      currency: account.currency,
      limits: lines,
      nextStep,
    };
  };
}
