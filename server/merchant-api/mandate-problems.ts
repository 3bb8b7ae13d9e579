import type { ProblemTable } from '../platform/http/problem-table.js';

/** Agreement payments (签约代扣) of the merchant API (docs/merchant-api.md); merged into MERCHANT_API_PROBLEMS. */
export const MANDATE_PROBLEMS = {
  MERCHANT_API_MANDATE_NOT_FOUND: {
    status: 404,
    zh: '代扣协议不存在。',
    en: 'The agreement (mandate) does not exist.',
  },
  MERCHANT_API_MANDATE_NUMBER_TAKEN: {
    status: 409,
    zh: '该商户协议号已用于另一份代扣协议。',
    en: 'This shop mandate number is already used by another mandate.',
  },
  MERCHANT_API_MANDATE_CAPS_INVALID: {
    status: 400,
    zh: '单笔上限不能高于每月上限，且每月上限不超过 ¥50,000。',
    en: 'The cap per charge cannot be above the monthly cap, and the monthly cap is at most ¥50,000.',
  },
  MERCHANT_API_MANDATE_NOT_PENDING: {
    status: 409,
    zh: '该代扣协议已签约、已撤销或已过期，不能再签约。',
    en: 'This mandate was already signed, ended or has expired: it can no longer be signed.',
  },
  MERCHANT_API_MANDATE_NOT_SIGNED: {
    status: 409,
    zh: '用户尚未签约该代扣协议，不能扣款。',
    en: 'The holder has not signed this mandate: it cannot be charged.',
  },
  MERCHANT_API_MANDATE_REVOKED: {
    status: 409,
    zh: '代扣协议已解约，不能再扣款。',
    en: 'The mandate was revoked or cancelled: it can no longer be charged.',
  },
  MERCHANT_API_MANDATE_CHARGE_CAP_EXCEEDED: {
    status: 409,
    zh: '扣款金额超过协议的单笔上限。',
    en: 'The amount is above the mandate’s cap per charge.',
  },
  MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED: {
    status: 409,
    zh: '本月扣款将超过协议的每月上限。',
    en: 'This charge would take the mandate past its monthly cap.',
  },
  MERCHANT_API_SETTLEMENT_DAY_INVALID: {
    status: 400,
    zh: '对账日期须是今天或之前的日期（北京时间）。',
    en: 'The settlement day must be today or earlier (Beijing time).',
  },
} as const satisfies ProblemTable;
