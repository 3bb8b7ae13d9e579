import type { ApprovalError, ApprovalRow, Approvals, Party } from '../approvals/service.js';
import { type Result, err, ok } from '../platform/result.js';
import { type KycDeps, type TierChangeError, changeTierInTx, describeLimits, notifySafely } from './deps.js';
import { type Tier, isTier } from './tiers.js';

/**
 * Manual tier changes are maker-checker (like overriding an automatic rejection): one reviewer
 * asks with a reason, a different reviewer (or an admin) approves, and only then do the tier and
 * the wallet's ledger limits change, in the approval's transaction. Both steps are audited.
 */

export const TIER_APPROVER_ROLES = ['kyc_reviewer', 'admin'] as const;

export function createTierChanges(deps: KycDeps, approvals: Approvals) {
  approvals.register('kyc.tier_change', {
    approverRoles: TIER_APPROVER_ROLES,
    operatorsMayApprove: false,
    async apply(tx, request, approver) {
      const tier = request.payload.tier as string;
      if (!isTier(tier)) throw new Error(`approval ${request.id} names an unknown tier`);
      const changed = await changeTierInTx(deps, tx, {
        userId: request.subject_id,
        tier,
        source: 'staff',
        actorId: approver.id,
        reason: request.reason,
        submissionId: null,
      });
      if (!changed.ok) return changed;
      await deps.audit.record(tx, {
        actorKind: 'staff',
        actorId: approver.id,
        action: 'kyc.tier_changed',
        subjectType: 'user',
        subjectId: request.subject_id,
        details: {
          from: changed.value.previousTier,
          to: tier,
          reason: request.reason,
          requestedBy: request.requested_by,
          approvalId: request.id,
        },
        ip: approver.ip,
        requestId: approver.requestId,
      });
      return ok({ previousTier: changed.value.previousTier, tier });
    },
    async afterApproved(request) {
      const tier = request.payload.tier as Tier;
      const limits = describeLimits(deps, tier);
      const label = deps.tiers[tier];
      await notifySafely(deps, request.subject_id, {
        kind: 'kyc.tier_changed',
        titleZh: '账户等级已调整',
        titleEn: 'Your wallet tier changed',
        bodyZh: `您的账户等级已调整为${label.labelZh}。${limits.zh}`,
        bodyEn: `Your wallet is now ${label.labelEn}. ${limits.en}`,
        data: { tier },
      });
    },
  });

  return {
    /** The maker's side: checks the holder and the tier now, then waits for a second reviewer. */
    async request(
      maker: Party,
      userId: string,
      tier: Tier,
      reason: string,
    ): Promise<Result<ApprovalRow, TierChangeError | ApprovalError>> {
      const profile = await deps.identity.profile(userId);
      if (!profile) return err({ code: 'USER_NOT_FOUND' });
      if (profile.tier === tier) return err({ code: 'TIER_UNCHANGED', tier });
      return approvals.request(
        {
          kind: 'kyc.tier_change',
          subjectType: 'user',
          subjectId: userId,
          payload: { tier, fromTier: profile.tier },
          reason,
        },
        maker,
      );
    },
  };
}

export type TierChanges = ReturnType<typeof createTierChanges>;
