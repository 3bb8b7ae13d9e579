import type { ProblemTable } from '../platform/http/problem-table.js';

/** Maker-checker approvals: the problem codes this module answers with. */
export const APPROVAL_PROBLEMS = {
  APPROVAL_NOT_FOUND: { status: 404, zh: '待复核的申请不存在。', en: 'There is no such approval request.' },
  APPROVAL_ALREADY_PENDING: {
    status: 409,
    zh: '该对象已有一项待复核的变更，请先处理。',
    en: 'A change to this is already waiting for approval; decide that one first.',
  },
  APPROVAL_ALREADY_DECIDED: { status: 409, zh: '该申请已处理完毕。', en: 'This request has already been decided.' },
  APPROVAL_SECOND_PERSON_REQUIRED: {
    status: 403,
    zh: '申请人不能复核自己的申请，请由另一位人员复核。',
    en: 'You cannot approve your own request: a second person must.',
  },
  APPROVAL_ROLE_REQUIRED: {
    status: 403,
    zh: '您的角色无权复核此类申请。',
    en: 'Your role may not decide this kind of request.',
  },
  OPERATOR_ID_REQUIRED: {
    status: 400,
    zh: '运维接口调用须在 X-Operator-Id 请求头中注明操作人。',
    en: 'Operator API calls must name the person acting in the X-Operator-Id header.',
  },
} as const satisfies ProblemTable;

type ApprovalProblems = typeof APPROVAL_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Approvals' codes, registered by app.ts. */
  interface ProblemCodes extends ApprovalProblems {}
}
