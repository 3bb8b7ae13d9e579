import type { ProblemTable } from '../platform/http/problem-table.js';

/** Funding from other banks: the problem codes this domain answers with. */
export const FUNDING_PROBLEMS = {
  RECEIVING_TIER_NOT_ALLOWED: {
    status: 403,
    zh: '您当前的账户等级不能接收他行转入，请先完成实名认证升级。',
    en: 'Your account tier cannot receive from other banks. Upgrade your verification first.',
  },
  ONLINE_BANK_NOT_SUPPORTED: {
    status: 422,
    zh: '暂不支持该银行的网银支付。',
    en: 'Online banking at this bank is not supported yet.',
  },
  ONLINE_BANKING_ORDER_NOT_FOUND: {
    status: 404,
    zh: '网银充值订单不存在。',
    en: 'The online banking top-up does not exist.',
  },
  INTERBANK_UNAVAILABLE: {
    status: 503,
    zh: '跨行网络暂时不可用，请稍后再试。',
    en: 'The interbank network is not available right now. Please try again later.',
  },
  INTERBANK_SIGNATURE_INVALID: {
    status: 401,
    zh: '跨行通知签名无效。',
    en: 'The interbank notification signature is not valid.',
  },
  INTERBANK_NOTICE_INVALID: {
    status: 400,
    zh: '跨行通知内容无效。',
    en: 'The interbank notification is not valid.',
  },
  SANDBOX_PAYMENT_NOT_FOUND: {
    status: 404,
    zh: '沙箱银行付款不存在。',
    en: 'The sandbox bank payment does not exist.',
  },
} as const satisfies ProblemTable;

type FundingProblems = typeof FUNDING_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The funding domain's codes, registered by app.ts. */
  interface ProblemCodes extends FundingProblems {}
}
