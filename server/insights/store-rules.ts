import type { Queryable, Tx } from '../platform/db/types.js';
import type { Category } from './categories.js';
import type { Rule } from './types.js';

/** A holder's categorisation rules. */

interface RuleRow {
  id: string;
  user_id: string;
  pattern: string;
  category: Category;
  created_at: Date;
}

const fromRow = (row: RuleRow): Rule => ({
  id: row.id,
  userId: row.user_id,
  pattern: row.pattern,
  category: row.category,
  createdAt: row.created_at,
});

export async function listRules(q: Queryable, userId: string): Promise<Rule[]> {
  const { rows } = await q.query<RuleRow>(
    `SELECT id, user_id, pattern, category, created_at FROM insights_rules WHERE user_id = $1
     ORDER BY created_at DESC, id DESC`,
    [userId],
  );
  return rows.map(fromRow);
}

/** The rules of several holders, for a batch of new movements. */
export async function rulesOf(q: Queryable, userIds: readonly string[]): Promise<Map<string, Rule[]>> {
  const rules = new Map<string, Rule[]>();
  if (userIds.length === 0) return rules;
  const { rows } = await q.query<RuleRow>(
    'SELECT id, user_id, pattern, category, created_at FROM insights_rules WHERE user_id = ANY($1::text[])',
    [[...userIds]],
  );
  for (const row of rows) rules.set(row.user_id, [...(rules.get(row.user_id) ?? []), fromRow(row)]);
  return rules;
}

export async function insertRule(tx: Tx, rule: Rule): Promise<void> {
  await tx.query(
    'INSERT INTO insights_rules (id, user_id, pattern, category, created_at) VALUES ($1, $2, $3, $4, $5)',
    [rule.id, rule.userId, rule.pattern, rule.category, rule.createdAt],
  );
}

export async function deleteRule(tx: Tx, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM insights_rules WHERE id = $1 AND user_id = $2', [id, userId]);
  return rowCount === 1;
}

/** How many movements each rule categorises now. */
export async function ruleCounts(q: Queryable, userId: string): Promise<Map<string, number>> {
  const { rows } = await q.query<{ rule_id: string; n: string }>(
    `SELECT rule_id, count(*)::text AS n FROM insights_movements WHERE user_id = $1 AND rule_id IS NOT NULL
     GROUP BY rule_id`,
    [userId],
  );
  return new Map(rows.map((row) => [row.rule_id, Number(row.n)]));
}
