import type { Category } from './categories.js';
import type { CategorySource, Movement, Rule } from './types.js';

/**
 * Which category a movement is in: set by hand, else the newest rule matching its counterparty, else
 * the automatic one (the merchant's code, a bill). A refund is in its payment's category.
 */

export const MAX_RULES = 50;
export const MAX_PATTERN_LENGTH = 40;

/** `*` matches any run of characters; everything else literally, case-insensitive, anywhere in the text. */
export function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(body, 'iu');
}

export function ruleMatches(pattern: string, counterparty: string | null): boolean {
  return counterparty !== null && patternRegex(pattern).test(counterparty);
}

/** The newest matching rule of `rules` (any order). */
export function ruleFor(rules: readonly Rule[], counterparty: string | null): Rule | null {
  let best: Rule | null = null;
  for (const rule of rules) {
    if (!ruleMatches(rule.pattern, counterparty)) continue;
    if (
      !best ||
      rule.createdAt > best.createdAt ||
      (rule.createdAt.getTime() === best.createdAt.getTime() && rule.id > best.id)
    )
      best = rule;
  }
  return best;
}

export interface Resolved {
  category: Category | null;
  categorySource: CategorySource;
  ruleId: string | null;
}

export function resolveCategory(
  movement: Pick<Movement, 'categorisable' | 'manualCategory' | 'autoCategory' | 'autoSource' | 'counterparty'>,
  rules: readonly Rule[],
): Resolved {
  if (movement.categorisable && movement.manualCategory)
    return { category: movement.manualCategory, categorySource: 'manual', ruleId: null };
  if (movement.categorisable) {
    const rule = ruleFor(rules, movement.counterparty);
    if (rule) return { category: rule.category, categorySource: 'rule', ruleId: rule.id };
  }
  return { category: movement.autoCategory, categorySource: movement.autoSource, ruleId: null };
}
