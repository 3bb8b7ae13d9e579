import type { ProblemTable } from '../platform/http/problem-table.js';

/** Spending insights and budgets (docs/insights.md). */
export const INSIGHTS_PROBLEMS = {
  INSIGHTS_MONTH_INVALID: {
    status: 400,
    zh: '月份无效：请选择 2000 年以后、不晚于本月的月份。',
    en: 'The month is not valid: choose a month from 2000 up to this month.',
  },
  INSIGHTS_YEAR_INVALID: {
    status: 400,
    zh: '年份无效：请选择 2000 年以后、不晚于今年的年份。',
    en: 'The year is not valid: choose a year from 2000 up to this year.',
  },
  INSIGHTS_CATEGORY_UNKNOWN: { status: 400, zh: '没有这个分类。', en: 'There is no such category.' },
  INSIGHTS_MOVEMENT_NOT_FOUND: { status: 404, zh: '收支记录不存在。', en: 'The movement does not exist.' },
  INSIGHTS_NOT_CATEGORISABLE: {
    status: 409,
    zh: '只有支出的付款和转账可以设置分类。',
    en: 'Only money paid out (payments and transfers) can be put in a category.',
  },
  INSIGHTS_RULE_INVALID: {
    status: 400,
    zh: '规则无效：请填写 1 到 40 个字的对方名称，或从一笔记录创建。',
    en: 'The rule is not valid: give 1 to 40 characters of the other side’s name, or make it from a movement.',
  },
  INSIGHTS_RULE_LIMIT: { status: 409, zh: '分类规则最多 50 条。', en: 'You can have at most 50 rules.' },
  INSIGHTS_RULE_NOT_FOUND: { status: 404, zh: '分类规则不存在。', en: 'The rule does not exist.' },
  INSIGHTS_BUDGET_NOT_FOUND: { status: 404, zh: '预算不存在。', en: 'The budget does not exist.' },
} as const satisfies ProblemTable;

type InsightsProblems = typeof INSIGHTS_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Insights' codes, registered by app.ts. */
  interface ProblemCodes extends InsightsProblems {}
}
