import type { RollbackWith } from '../platform/db/transaction-result.js';
import type { Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, ok } from '../platform/result.js';
import type { Category } from './categories.js';
import type { InsightsDeps, Locked } from './deps.js';
import { MAX_PATTERN_LENGTH, MAX_RULES, resolveCategory, ruleFor, ruleMatches } from './rules.js';
import * as store from './store.js';
import * as rulesStore from './store-rules.js';
import type { Movement, Rule } from './types.js';

/**
 * Re-categorising one movement and the holder's rules. Each change runs under the watermark lock (so
 * the feed never counts a movement with rules about to change), updates the movements, lets their
 * refunds follow, and recounts the rollups of the months that changed.
 */

export type CategoriseError =
  | { code: 'INSIGHTS_MOVEMENT_NOT_FOUND' }
  | { code: 'INSIGHTS_NOT_CATEGORISABLE' }
  | { code: 'INSIGHTS_RULE_INVALID' }
  | { code: 'INSIGHTS_RULE_LIMIT' }
  | { code: 'INSIGHTS_RULE_NOT_FOUND' };

export interface RuleView extends Rule {
  matched: number;
}

export function createCategorising(deps: InsightsDeps, locked: Locked) {
  const { db, clock } = deps;

  /** Every counterparty's rule again, after the rules changed; recounts the months that moved. */
  async function reapplyRules(tx: Tx, userId: string): Promise<void> {
    const rules = await rulesStore.listRules(tx, userId);
    const counterparties = await store.categorisableCounterparties(tx, userId);
    const updates = counterparties.map((counterparty) => {
      const rule = ruleFor(rules, counterparty);
      return {
        counterparty,
        category: rule?.category ?? null,
        source: rule ? ('rule' as const) : ('none' as const),
        ruleId: rule?.id ?? null,
      };
    });
    const months = await store.applyCounterpartyCategories(tx, userId, updates);
    await store.rebuildMonths(tx, userId, months);
  }

  async function withCounts(userId: string, rules: readonly Rule[]): Promise<RuleView[]> {
    const counts = await rulesStore.ruleCounts(db, userId);
    return rules.map((rule) => ({ ...rule, matched: counts.get(rule.id) ?? 0 }));
  }

  return {
    async setCategory(
      userId: string,
      entryId: string,
      category: Category | null,
    ): Promise<Result<Movement, CategoriseError>> {
      return locked(async (tx, rollback: RollbackWith<CategoriseError>) => {
        const movement = await store.findMovement(tx, userId, entryId);
        if (!movement) return rollback({ code: 'INSIGHTS_MOVEMENT_NOT_FOUND' });
        if (!movement.categorisable) return rollback({ code: 'INSIGHTS_NOT_CATEGORISABLE' });
        const rules = await rulesStore.listRules(tx, userId);
        const resolved = resolveCategory({ ...movement, manualCategory: category }, rules);
        await store.setMovementCategory(tx, userId, entryId, {
          manualCategory: category,
          category: resolved.category,
          source: resolved.categorySource,
          ruleId: resolved.ruleId,
        });
        const months = new Set([movement.day.slice(0, 7), ...(await store.followRefunds(tx, userId, [entryId]))]);
        await store.rebuildMonths(tx, userId, [...months]);
        return (await store.findMovement(tx, userId, entryId)) as Movement;
      });
    },

    async listRules(userId: string): Promise<RuleView[]> {
      return withCounts(userId, await rulesStore.listRules(db, userId));
    },

    async createRule(
      userId: string,
      input: { match?: string; fromMovementId?: string; category: Category },
    ): Promise<Result<RuleView, CategoriseError>> {
      const created = await locked(async (tx, rollback: RollbackWith<CategoriseError>) => {
        if ((input.match === undefined) === (input.fromMovementId === undefined))
          return rollback({ code: 'INSIGHTS_RULE_INVALID' });
        let pattern = input.match?.trim() ?? '';
        if (input.fromMovementId !== undefined) {
          const movement = await store.findMovement(tx, userId, input.fromMovementId);
          if (!movement) return rollback({ code: 'INSIGHTS_MOVEMENT_NOT_FOUND' });
          if (!movement.categorisable) return rollback({ code: 'INSIGHTS_NOT_CATEGORISABLE' });
          pattern = movement.counterparty ?? '';
        }
        if (pattern.replaceAll('*', '') === '' || [...pattern].length > MAX_PATTERN_LENGTH)
          return rollback({ code: 'INSIGHTS_RULE_INVALID' });
        const existing = await rulesStore.listRules(tx, userId);
        if (existing.length >= MAX_RULES) return rollback({ code: 'INSIGHTS_RULE_LIMIT' });
        const now = clock.now();
        const rule: Rule = {
          id: newId('icr', now.getTime()),
          userId,
          pattern,
          category: input.category,
          createdAt: now,
        };
        await rulesStore.insertRule(tx, rule);
        await reapplyRules(tx, userId);
        return rule;
      });
      if (!created.ok) return created;
      const [view] = await withCounts(userId, [created.value]);
      return ok(view);
    },

    async deleteRule(userId: string, id: string): Promise<Result<true, CategoriseError>> {
      return locked(async (tx, rollback: RollbackWith<CategoriseError>) => {
        if (!(await rulesStore.deleteRule(tx, userId, id))) return rollback({ code: 'INSIGHTS_RULE_NOT_FOUND' });
        await reapplyRules(tx, userId);
        return true as const;
      });
    },

    ruleMatches,
  };
}
