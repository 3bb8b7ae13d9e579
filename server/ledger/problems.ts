import type { ProblemTable } from '../platform/http/problem-table.js';

/** The ledger's expected failures (errors.ts) as problems: each code's HTTP status and message. */
export const LEDGER_PROBLEMS = {
  ACCOUNT_NOT_FOUND: { status: 404, zh: '账户不存在。', en: 'The account does not exist.' },
  CURRENCY_MISMATCH: { status: 422, zh: '币种与账户不一致。', en: 'The currency does not match the account.' },
  INSUFFICIENT_FUNDS: { status: 422, zh: '可用余额不足。', en: 'The available balance is not enough.' },
  ACCOUNT_FROZEN: { status: 423, zh: '账户已冻结，暂不能付款。', en: 'The account is frozen and cannot pay out.' },
  LIMIT_EXCEEDED: { status: 422, zh: '超出账户限额。', en: 'This exceeds the account limit.' },
  SAME_ACCOUNT: {
    status: 422,
    zh: '付款账户与收款账户不能相同。',
    en: 'The paying and receiving accounts must differ.',
  },
  INVALID_AMOUNT: { status: 422, zh: '金额必须大于零。', en: 'The amount must be greater than zero.' },
  HOLD_NOT_FOUND: { status: 404, zh: '冻结记录不存在。', en: 'The hold does not exist.' },
  HOLD_ALREADY_RESOLVED: { status: 409, zh: '该笔冻结已处理。', en: 'The hold has already been resolved.' },
  HOLD_EXPIRED: { status: 409, zh: '该笔冻结已过期。', en: 'The hold has expired.' },
  HOLD_NOT_EXPIRED: { status: 409, zh: '该笔冻结尚未过期。', en: 'The hold has not expired yet.' },
  AMOUNT_EXCEEDS_HOLD: { status: 422, zh: '入账金额超过冻结金额。', en: 'The amount is more than the hold.' },
  ENTRY_NOT_FOUND: { status: 404, zh: '记账分录不存在。', en: 'The journal entry does not exist.' },
  ENTRY_ALREADY_REVERSED: { status: 409, zh: '该笔分录已冲正。', en: 'The entry has already been reversed.' },
  REFERENCE_CONFLICT: {
    status: 409,
    zh: '业务参考号已用于另一笔不同的交易。',
    en: 'This reference was already used for a different movement.',
  },
} as const satisfies ProblemTable;

type LedgerProblems = typeof LEDGER_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The ledger's codes, registered by app.ts. */
  interface ProblemCodes extends LedgerProblems {}
}
