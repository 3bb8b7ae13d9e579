import type { ProblemTable } from '../platform/http/problem-table.js';

/** Savings and wealth: the problem codes this domain answers with (docs/savings.md). */
export const SAVINGS_PROBLEMS = {
  SAVINGS_PRODUCT_NOT_FOUND: { status: 404, zh: '理财产品不存在。', en: 'The savings product does not exist.' },
  SAVINGS_PRODUCT_CLOSED: { status: 409, zh: '该产品暂停销售。', en: 'This product is not on sale.' },
  SAVINGS_BELOW_MINIMUM: {
    status: 422,
    zh: '金额低于该产品的起购金额。',
    en: 'The amount is below the product’s minimum.',
  },
  SAVINGS_TIER_NOT_ALLOWED: {
    status: 403,
    zh: '您的账户等级不能购买该产品，请先完成更高等级的实名认证。',
    en: 'Your account level cannot buy this product. Complete a higher verification level first.',
  },
  SAVINGS_QUESTIONNAIRE_REQUIRED: {
    status: 409,
    zh: '购买前请先完成风险承受能力评估。',
    en: 'Take the risk assessment questionnaire before buying.',
  },
  SAVINGS_QUESTIONNAIRE_EXPIRED: {
    status: 409,
    zh: '您的风险评估已过期（有效期一年），请重新评估。',
    en: 'Your risk assessment has expired (it is valid for a year). Please take it again.',
  },
  SAVINGS_QUESTIONNAIRE_INVALID: {
    status: 422,
    zh: '请完整作答问卷中的每一道题。',
    en: 'Answer every question of the questionnaire with one of its options.',
  },
  SAVINGS_QUESTIONNAIRE_OUTDATED: {
    status: 409,
    zh: '问卷已更新，请重新作答。',
    en: 'The questionnaire has changed. Please answer the current one.',
  },
  SAVINGS_RISK_ACK_REQUIRED: {
    status: 409,
    zh: '该产品风险等级高于您的风险承受能力，需确认已知晓风险后方可购买。',
    en: 'This product is riskier than your risk level. Confirm that you understand the risk to buy it.',
  },
  SAVINGS_RISK_REFUSED: {
    status: 403,
    zh: '保守型投资者不能购买风险等级高于R1的产品。',
    en: 'Conservative (C1) investors cannot buy products above risk level R1.',
  },
  SAVINGS_MATURITY_CHOICE_REQUIRED: {
    status: 422,
    zh: '请选择到期后自动转存或转回余额。',
    en: 'Choose whether the deposit rolls over or returns to the wallet at maturity.',
  },
  SAVINGS_WRONG_PRODUCT_KIND: {
    status: 422,
    zh: '该产品不支持此操作。',
    en: 'This product does not support that operation.',
  },
  SAVINGS_INSUFFICIENT_SHARES: {
    status: 422,
    zh: '可赎回份额不足。',
    en: 'You do not hold that many shares.',
  },
  SAVINGS_FAST_REDEEM_CAP: {
    status: 422,
    zh: '快速赎回每日限额为1万元，超出部分请使用普通赎回（下一工作日到账）。',
    en: 'Fast redemption is limited to ¥10,000 a day. Use an ordinary redemption (next business day) for more.',
  },
  SAVINGS_ORDER_NOT_FOUND: { status: 404, zh: '理财订单不存在。', en: 'The savings order does not exist.' },
  SAVINGS_ORDER_NOT_PENDING: {
    status: 409,
    zh: '该订单已不能确认。',
    en: 'This order can no longer be confirmed.',
  },
  SAVINGS_DEPOSIT_NOT_FOUND: { status: 404, zh: '存单不存在。', en: 'The deposit does not exist.' },
  SAVINGS_DEPOSIT_NOT_OPEN: {
    status: 409,
    zh: '该存单已到期或已支取。',
    en: 'This deposit has already matured or been withdrawn.',
  },
  SAVINGS_APPLICATION_NOT_FOUND: { status: 404, zh: '申请不存在。', en: 'The application does not exist.' },
  SAVINGS_APPLICATION_DECIDED: { status: 409, zh: '该申请已处理。', en: 'This application has already been decided.' },
  SAVINGS_CHANGE_INVALID: {
    status: 422,
    zh: '产品变更内容不正确。',
    en: 'The product change is not valid.',
  },
  SAVINGS_EFFECTIVE_IN_PAST: {
    status: 422,
    zh: '生效时间不能早于当前时间。',
    en: 'The change cannot take effect in the past.',
  },
} as const satisfies ProblemTable;

type SavingsProblems = typeof SAVINGS_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Savings's codes, registered by app.ts. */
  interface ProblemCodes extends SavingsProblems {}
}
