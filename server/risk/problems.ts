import type { ProblemTable } from '../platform/http/problem-table.js';

/** Risk assessment, holds to confirm and restrictions: the problem codes this domain answers with. */
export const RISK_PROBLEMS = {
  STEP_UP_REQUIRED: {
    status: 403,
    retry: true,
    zh: '为保障资金安全，请完成额外验证（通行密钥，或支付密码加短信验证码）后重试。',
    en: 'For your safety, verify again (a passkey, or your PIN plus an SMS code) and try again.',
  },
  RISK_CONFIRMATION_REQUIRED: {
    status: 202,
    zh: '该笔交易已暂缓处理，请在消息中确认是否为本人操作。',
    en: 'This payment is on hold until you confirm it was you.',
  },
  RISK_BLOCKED: {
    status: 403,
    zh: '该笔交易存在风险，已被拦截。如有疑问请联系客服。',
    en: 'This payment was stopped as risky. Contact us if you have questions.',
  },
  RISK_RESTRICTED: {
    status: 403,
    zh: '您的账户付款功能已受限，请查看限制原因及解除方式。',
    en: 'Outgoing payments from your wallet are restricted. See the reason and how to lift it.',
  },
  RISK_HOLD_NOT_FOUND: { status: 404, zh: '待确认的交易不存在。', en: 'There is no such payment waiting for you.' },
  RISK_HOLD_RESOLVED: {
    status: 409,
    zh: '该笔交易已处理，无需再次确认。',
    en: 'This payment has already been settled one way or the other.',
  },
  RISK_HOLD_EXPIRED: {
    status: 410,
    zh: '确认已超时，该笔交易已取消，资金已退回。',
    en: 'Too late to confirm: the payment was cancelled and the money released.',
  },
  RISK_STEP_UP_NOT_FOUND: {
    status: 404,
    zh: '没有需要额外验证的交易。',
    en: 'There is no payment waiting for extra verification.',
  },
  RISK_STEP_UP_CODE_INVALID: { status: 422, zh: '验证码错误或已过期。', en: 'The code is wrong or has expired.' },
  RISK_RULE_NOT_FOUND: { status: 404, zh: '风控规则不存在。', en: 'There is no such risk rule.' },
  RISK_RULE_INVALID: { status: 422, zh: '规则参数不正确。', en: 'The rule settings are not valid.' },
  RISK_RULE_CHANGED: {
    status: 409,
    zh: '该规则在申请后已被修改，请重新提交变更。',
    en: 'The rule changed after this request was made. Ask again.',
  },
  RISK_ALERT_NOT_FOUND: { status: 404, zh: '风险预警不存在。', en: 'There is no such alert.' },
  RISK_ALERT_CLAIMED: { status: 409, zh: '该预警已由其他人员处理中。', en: 'Someone else is working on this alert.' },
  RISK_ALERT_RESOLVED: { status: 409, zh: '该预警已处理完毕。', en: 'This alert has already been resolved.' },
  RISK_ACTION_NOT_APPLICABLE: {
    status: 409,
    zh: '该操作不适用于此预警。',
    en: 'This action does not apply to this alert.',
  },
  RISK_ALREADY_RESTRICTED: { status: 409, zh: '该用户已处于受限状态。', en: 'This holder is already restricted.' },
  RISK_NOT_RESTRICTED: { status: 409, zh: '该用户未受限制。', en: 'This holder is not restricted.' },
  RISK_USER_NOT_FOUND: { status: 404, zh: '用户不存在。', en: 'There is no such holder.' },
} as const satisfies ProblemTable;

type RiskProblems = typeof RISK_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Risk's codes, registered by app.ts. */
  interface ProblemCodes extends RiskProblems {}
}
