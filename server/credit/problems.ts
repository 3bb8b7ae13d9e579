import type { ProblemTable } from '../platform/http/problem-table.js';

/** Credit: the problem codes this domain answers with (docs/credit.md). */
export const CREDIT_PROBLEMS = {
  CREDIT_NOT_ELIGIBLE: {
    status: 403,
    zh: '请先完成实名认证（Ⅱ类及以上账户）后再申请借款或信用卡。',
    en: 'Complete real-name verification (verified tier or above) before applying for credit.',
  },
  CREDIT_TERM_NOT_OFFERED: {
    status: 422,
    zh: '不支持该借款期限，可选 3、6、12 或 24 个月。',
    en: 'This term is not offered: choose 3, 6, 12 or 24 months.',
  },
  CREDIT_AMOUNT_ABOVE_LIMIT: { status: 422, zh: '金额超过可借额度。', en: 'The amount is above the limit.' },
  CREDIT_AMOUNT_BELOW_MINIMUM: { status: 422, zh: '金额低于最低借款金额。', en: 'The amount is below the minimum.' },
  CREDIT_AMOUNT_REQUIRED: { status: 400, zh: '请填写还款金额。', en: 'Enter the amount to repay.' },
  CREDIT_APPLICATION_OPEN: {
    status: 409,
    zh: '您已有一笔申请在处理中或待签约。',
    en: 'You already have an application being decided or waiting for your signature.',
  },
  CREDIT_APPLICATION_NOT_FOUND: { status: 404, zh: '申请不存在。', en: 'The application does not exist.' },
  CREDIT_APPLICATION_NOT_REFERRED: {
    status: 409,
    zh: '该申请不在人工审核中。',
    en: 'The application is not waiting for a staff decision.',
  },
  CREDIT_LIMIT_REQUIRED: { status: 400, zh: '批准时请填写额度。', en: 'Give the limit to approve.' },
  CREDIT_OFFER_NOT_OPEN: {
    status: 409,
    zh: '该申请没有可签约的额度（未批准或已签约）。',
    en: 'There is no offer to sign on this application (not approved, or already signed).',
  },
  CREDIT_OFFER_EXPIRED: { status: 422, zh: '额度已过期，请重新申请。', en: 'The offer has expired. Apply again.' },
  CREDIT_CARD_ALREADY_HELD: { status: 409, zh: '您已持有通宝信用卡。', en: 'You already hold a Tongbao credit card.' },
  CREDIT_BUREAU_UNAVAILABLE: {
    status: 503,
    zh: '征信系统暂时无法查询，请稍后再试。',
    en: 'The credit bureau cannot be reached just now. Please try again later.',
  },
  CREDIT_LOAN_NOT_FOUND: { status: 404, zh: '借款不存在。', en: 'The loan does not exist.' },
  CREDIT_LOAN_CLOSED: { status: 409, zh: '该借款已结清或已核销。', en: 'The loan is paid off or written off.' },
  CREDIT_REPAYMENT_ABOVE_OWED: {
    status: 422,
    zh: '还款金额超过应还总额。',
    en: 'The amount is more than what is owed.',
  },
  CREDIT_NOTHING_DUE: { status: 422, zh: '当前没有到期应还的款项。', en: 'Nothing is due now.' },
  CREDIT_REPAYMENT_NOT_FOUND: { status: 404, zh: '还款记录不存在。', en: 'The repayment does not exist.' },
  CREDIT_REPAYMENT_NOT_PENDING: {
    status: 409,
    zh: '该还款不在待确认状态。',
    en: 'The repayment is not waiting for confirmation.',
  },
  CREDIT_CARD_NOT_FOUND: { status: 404, zh: '信用卡不存在。', en: 'The credit card does not exist.' },
  CREDIT_CARD_LIMIT_EXCEEDED: {
    status: 422,
    zh: '信用卡可用额度不足。',
    en: 'The credit card’s available limit is not enough.',
  },
  CREDIT_CARD_FROZEN: {
    status: 422,
    zh: '该信用卡已被持卡人冻结，交易被拒绝。解冻后可恢复使用。',
    en: 'The card is frozen by its holder, so the purchase is declined. Unfreezing it restores the card.',
  },
  CREDIT_STATEMENT_DAY_INVALID: {
    status: 422,
    zh: '账单日可选每月 1 日至 28 日。',
    en: 'Choose a statement day from the 1st to the 28th.',
  },
  CREDIT_STATEMENT_DAY_UNCHANGED: {
    status: 422,
    zh: '新账单日与当前账单日相同。',
    en: 'That is already the statement day.',
  },
  CREDIT_STATEMENT_DAY_CHANGED_RECENTLY: {
    status: 409,
    zh: '账单日每 12 个月只能修改一次。',
    en: 'The statement day can be changed once every 12 months.',
  },
  CREDIT_STATEMENT_NOT_FOUND: { status: 404, zh: '账单不存在。', en: 'The statement does not exist.' },
  CREDIT_RECORD_NOT_FOUND: { status: 404, zh: '征信记录不存在。', en: 'The credit record does not exist.' },
  CREDIT_DISPUTE_OPEN: { status: 409, zh: '该记录已有处理中的异议。', en: 'This record already has an open dispute.' },
  CREDIT_DISPUTE_NOT_FOUND: { status: 404, zh: '异议不存在。', en: 'The dispute does not exist.' },
  CREDIT_DISPUTE_RESOLVED: { status: 409, zh: '该异议已处理。', en: 'The dispute has already been resolved.' },
  CREDIT_QUIET_HOURS: {
    status: 422,
    zh: '22:00 至次日 08:00 不得进行催收联系。',
    en: 'No collection contact between 22:00 and 08:00.',
  },
  CREDIT_WRITE_OFF_NOT_ALLOWED: {
    status: 409,
    zh: '只有逾期借款可以核销。',
    en: 'Only an overdue loan can be written off.',
  },
} as const satisfies ProblemTable;

type CreditProblems = typeof CREDIT_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Credit's codes, registered by app.ts. */
  interface ProblemCodes extends CreditProblems {}
}
