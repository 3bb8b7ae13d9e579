import type { AuditLog } from '../audit/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import {
  RISK_ACTIONS,
  RULE_NAMES,
  type RiskAction,
  type RuleConfig,
  type RuleName,
  invalidThresholds,
} from './rules.js';
import * as store from './store.js';

/**
 * The rules as data, cached for a short time: a change made here is seen at once by this process
 * and by every other process within RULE_CACHE_TTL_MS, without a restart.
 */
export const RULE_CACHE_TTL_MS = 2_000;

export type RuleChangeError = { code: 'RISK_RULE_NOT_FOUND' } | { code: 'RISK_RULE_INVALID'; reason: string };

export interface RuleActor {
  id: string;
  ip?: string;
  requestId?: string;
  /** Set when a second admin approved the change someone else asked for. */
  approvalId?: string;
  requestedBy?: string;
}

export interface RuleChange {
  enabled?: boolean;
  action?: RiskAction;
  thresholds?: Record<string, unknown>;
  reason: string;
}

export function createRuleCache(deps: { db: Db; clock: Clock; audit: AuditLog }) {
  let cached: { at: number; rules: Map<RuleName, RuleConfig> } | null = null;
  let loading: Promise<Map<RuleName, RuleConfig>> | null = null;

  async function load(): Promise<Map<RuleName, RuleConfig>> {
    const rows = await store.loadRules(deps.db);
    const rules = new Map<RuleName, RuleConfig>();
    for (const row of rows) {
      if ((RULE_NAMES as readonly string[]).includes(row.rule))
        rules.set(row.rule, {
          rule: row.rule,
          version: row.version,
          enabled: row.enabled,
          action: row.action,
          thresholds: row.thresholds,
        });
    }
    cached = { at: Date.now(), rules };
    return rules;
  }

  async function changeInTx(
    tx: Tx,
    rule: string,
    change: RuleChange,
    actor: RuleActor,
  ): Promise<Result<store.RuleRow, RuleChangeError>> {
    if (!(RULE_NAMES as readonly string[]).includes(rule)) return err({ code: 'RISK_RULE_NOT_FOUND' });
    if (change.action && !RISK_ACTIONS.includes(change.action))
      return err({ code: 'RISK_RULE_INVALID', reason: 'unknown action' });
    const now = deps.clock.now();
    const current = await store.lockRule(tx, rule);
    if (!current) return err({ code: 'RISK_RULE_NOT_FOUND' as const });
    const thresholds = change.thresholds ? { ...current.thresholds, ...change.thresholds } : current.thresholds;
    const invalid = invalidThresholds(current.rule, thresholds);
    if (invalid) return err({ code: 'RISK_RULE_INVALID' as const, reason: invalid });
    const next: RuleConfig = {
      rule: current.rule,
      version: current.version + 1,
      enabled: change.enabled ?? current.enabled,
      action: change.action ?? current.action,
      thresholds,
    };
    await store.saveRuleVersion(tx, next, actor.id, change.reason, now);
    await deps.audit.record(tx, {
      actorKind: 'staff',
      actorId: actor.id,
      action: 'risk.rule_changed',
      subjectType: 'risk_rule',
      subjectId: rule,
      details: {
        fromVersion: current.version,
        toVersion: next.version,
        before: { enabled: current.enabled, action: current.action, thresholds: current.thresholds },
        after: { enabled: next.enabled, action: next.action, thresholds },
        reason: change.reason,
        ...(actor.approvalId ? { approvalId: actor.approvalId, requestedBy: actor.requestedBy } : {}),
      },
      ip: actor.ip,
      requestId: actor.requestId,
    });
    return ok({ ...next, updated_by: actor.id, updated_at: now } as store.RuleRow);
  }

  return {
    /** The current rules; wall-clock TTL (not the injected clock) so tests moving time keep a warm cache. */
    async get(): Promise<Map<RuleName, RuleConfig>> {
      if (cached && Date.now() - cached.at < RULE_CACHE_TTL_MS) return cached.rules;
      loading ??= load().finally(() => {
        loading = null;
      });
      return loading;
    },

    invalidate() {
      cached = null;
    },

    async list() {
      return store.loadRules(deps.db);
    },

    /**
     * Applies a rule change at once: a new version, kept in the history, audited in the same
     * transaction. The staff API reaches it through maker-checker (rule-approvals.ts) whenever the
     * change weakens the rule; tests and trusted internal callers use it directly.
     */
    async change(rule: string, change: RuleChange, actor: RuleActor): Promise<Result<store.RuleRow, RuleChangeError>> {
      const saved = await deps.db.transaction((tx) => changeInTx(tx, rule, change, actor));
      if (saved.ok) cached = null;
      return saved;
    },

    /** The same, in the caller's transaction (an approval); call invalidate() after it commits. */
    changeInTx,
  };
}

export type RuleCache = ReturnType<typeof createRuleCache>;
