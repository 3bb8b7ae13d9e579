import type { ProblemTable } from '../platform/http/problem-table.js';

/** The operations console's own problem codes (other domains' staff routes answer with theirs). */
export const OPS_PROBLEMS = {
  CUSTOMER_NOT_FOUND: { status: 404, zh: '未找到该客户。', en: 'There is no such customer.' },
  LOOKUP_INVALID: {
    status: 400,
    zh: '请输入有效的手机号或身份证号。',
    en: 'Enter a valid mobile number or resident ID number.',
  },
  CASE_NOT_FOUND: { status: 404, zh: '案件不存在。', en: 'There is no such case.' },
  CASE_ALREADY_CLOSED: { status: 409, zh: '该案件已结案。', en: 'This case is already closed.' },
  MAINTENANCE_WINDOW_NOT_FOUND: {
    status: 404,
    zh: '维护窗口不存在或已结束。',
    en: 'There is no such maintenance window, or it has already ended.',
  },
} as const satisfies ProblemTable;

type OpsProblems = typeof OPS_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The console's codes, registered by app.ts. */
  interface ProblemCodes extends OpsProblems {}
}
