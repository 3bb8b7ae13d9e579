import type { ProblemTable } from '../platform/http/problem-table.js';

/** Transfers between holders and requests for money: the problem codes this domain answers with. */
export const TRANSFER_PROBLEMS = {
  PAYEE_NOT_FOUND: {
    status: 404,
    zh: '未找到该收款人，请核对手机号或钱包账号。',
    en: 'No wallet holder was found. Check the phone number or wallet id.',
  },
  SELF_TRANSFER: { status: 422, zh: '不能向自己转账。', en: 'You cannot transfer money to yourself.' },
  TRANSFER_NOT_FOUND: { status: 404, zh: '转账记录不存在。', en: 'The transfer does not exist.' },
  TRANSFER_NOT_PENDING: { status: 409, zh: '该笔转账已不能确认。', en: 'This transfer can no longer be confirmed.' },
  TRANSFER_REQUEST_NOT_FOUND: { status: 404, zh: '收款请求不存在。', en: 'The money request does not exist.' },
  TRANSFER_REQUEST_NOT_PENDING: {
    status: 409,
    zh: '该收款请求已处理或已过期。',
    en: 'This money request has already been answered or has expired.',
  },
  PAYEE_LOOKUP_LIMITED: {
    status: 429,
    zh: '查询收款人过于频繁，请稍后再试。',
    en: 'Too many payee lookups. Please wait and try again.',
  },
} as const satisfies ProblemTable;

type TransferProblems = typeof TRANSFER_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Transfers's codes, registered by app.ts. */
  interface ProblemCodes extends TransferProblems {}
}
