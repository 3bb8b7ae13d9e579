import type { ApprovalError, ApprovalRow, Approvals, Party } from '../approvals/service.js';
import { type Result, err, ok } from '../platform/result.js';
import type { RuleCache, RuleChange, RuleChangeError } from './rule-cache.js';
import { RISK_ACTIONS, type RiskAction, RULE_NAMES, type RuleName, invalidThresholds } from './rules.js';

/**
 * Weakening a risk rule is maker-checker: disabling it, softening its action, or moving a
 * threshold in the direction that lets more movements through waits for a second admin and takes
 * effect only once approved. Tightening (the answer to a fraud wave) applies at once.
 */

export const RULE_APPROVER_ROLES = ['admin'] as const;

/** For each threshold, which way of moving it lets more through; 'either' when both can. */
const LOOSER_WHEN: Record<RuleName, Record<string, 'up' | 'down' | 'either'>> = {
  velocity: { windowMs: 'down', maxCount: 'up', maxAmountFen: 'up' },
  new_device: { deviceAgeMs: 'down', minAmountFen: 'up' },
  new_payee_large: { payeeAgeMs: 'down', minAmountFen: 'up' },
  deviation: { historyMs: 'either', minHistory: 'up', sigmas: 'up' },
  night_large: { fromHour: 'up', toHour: 'down', minAmountFen: 'up' },
  post_reset: { windowMs: 'down', capFen: 'up' },
  network_change: { historyMs: 'either', minAmountFen: 'up', datacenterPrefixes: 'either' },
  repeated_denials: { windowMs: 'down', count: 'up' },
  takeover: { windowMs: 'down' },
};

const severity = (action: RiskAction) => RISK_ACTIONS.indexOf(action);

interface RuleState {
  enabled: boolean;
  action: RiskAction;
  thresholds: Record<string, unknown>;
}

/** What in a change weakens the rule (empty: it only tightens or leaves it as it was). */
export function weakenings(rule: RuleName, before: RuleState, after: RuleState): string[] {
  const found: string[] = [];
  if (before.enabled && !after.enabled) found.push('disabled');
  if (after.enabled && severity(after.action) < severity(before.action)) found.push('action');
  for (const [key, looser] of Object.entries(LOOSER_WHEN[rule])) {
    const was = before.thresholds[key];
    const now = after.thresholds[key];
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    const up = typeof was === 'number' && typeof now === 'number' ? now > was : null;
    if (looser === 'either' || up === null || (looser === 'up') === up) found.push(key);
  }
  return found;
}

export type RuleProposal =
  { applied: true; rule: Awaited<ReturnType<RuleCache['list']>>[number] } | { applied: false; approval: ApprovalRow };

export function createRuleApprovals(rules: RuleCache, approvals: Approvals) {
  approvals.register('risk.rule_change', {
    approverRoles: RULE_APPROVER_ROLES,
    operatorsMayApprove: false,
    async apply(tx, request, approver) {
      const payload = request.payload as {
        baseVersion: number;
        enabled: boolean;
        action: RiskAction;
        thresholds: Record<string, unknown>;
      };
      const actor = {
        id: approver.id,
        ip: approver.ip,
        requestId: approver.requestId,
        approvalId: request.id,
        requestedBy: request.requested_by,
      };
      const change = {
        enabled: payload.enabled,
        action: payload.action,
        thresholds: payload.thresholds,
        reason: request.reason,
      };
      const saved = await rules.changeInTx(tx, request.subject_id, change, actor);
      if (!saved.ok) return saved;
      // changeInTx locked the rule; a version other than the one the maker saw rolls it all back.
      if (saved.value.version !== payload.baseVersion + 1)
        return err({
          code: 'RISK_RULE_CHANGED' as const,
          baseVersion: payload.baseVersion,
          currentVersion: saved.value.version - 1,
        });
      return ok({ version: saved.value.version, enabled: saved.value.enabled, action: saved.value.action });
    },
    async afterApproved() {
      rules.invalidate();
    },
  });

  return {
    /** An admin's change through the API: applied now if it only tightens, else a pending approval. */
    async propose(
      rule: string,
      change: RuleChange,
      maker: Party,
    ): Promise<Result<RuleProposal, RuleChangeError | ApprovalError>> {
      if (!(RULE_NAMES as readonly string[]).includes(rule)) return err({ code: 'RISK_RULE_NOT_FOUND' });
      const current = (await rules.list()).find((row) => row.rule === rule);
      if (!current) return err({ code: 'RISK_RULE_NOT_FOUND' });
      const after: RuleState = {
        enabled: change.enabled ?? current.enabled,
        action: change.action ?? current.action,
        thresholds: change.thresholds ? { ...current.thresholds, ...change.thresholds } : current.thresholds,
      };
      const invalid = invalidThresholds(current.rule, after.thresholds);
      if (invalid) return err({ code: 'RISK_RULE_INVALID', reason: invalid });
      const weakens = weakenings(current.rule, current, after);
      if (weakens.length === 0) {
        const saved = await rules.change(rule, change, maker);
        return saved.ok ? ok({ applied: true, rule: saved.value }) : saved;
      }
      const payload = { baseVersion: current.version, ...after, weakens };
      const requested = await approvals.request(
        { kind: 'risk.rule_change', subjectType: 'risk_rule', subjectId: rule, payload, reason: change.reason },
        maker,
      );
      return requested.ok ? ok({ applied: false, approval: requested.value }) : requested;
    },
  };
}
