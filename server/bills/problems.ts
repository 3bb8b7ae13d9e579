import type { ProblemTable } from '../platform/http/problem-table.js';

/** Bills: billers, inquiry, paying, saved accounts, autopay. The problem codes this domain answers with. */
export const BILL_PROBLEMS = {
  BILLER_NOT_FOUND: { status: 404, zh: '缴费单位不存在。', en: 'The biller does not exist.' },
  BILLER_DISABLED: {
    status: 409,
    zh: '该缴费单位暂停服务，请稍后再试。',
    en: 'This biller is not available at the moment. Please try again later.',
  },
  BILLER_UNAVAILABLE: {
    status: 503,
    zh: '缴费单位系统维护中，请稍后再试。',
    en: 'The biller is offline for maintenance. Please try again later.',
  },
  BILL_NETWORK_TIMEOUT: {
    status: 504,
    zh: '缴费单位未及时响应，请稍后再试。',
    en: 'The biller did not answer in time. Please try again later.',
  },
  BILL_ACCOUNT_INVALID: {
    status: 400,
    zh: '户号格式不正确，请核对账单上的户号。',
    en: 'The account number is not valid. Check the number on your bill.',
  },
  BILL_ACCOUNT_UNKNOWN: {
    status: 404,
    zh: '缴费单位查无此户号，请核对后重新输入。',
    en: 'The biller does not know this account number. Check it and try again.',
  },
  BILL_NOT_FOUND: {
    status: 404,
    zh: '该账单不存在或已不需缴纳。',
    en: 'This bill does not exist or is no longer due.',
  },
  BILL_ALREADY_PAID: { status: 409, zh: '该账单已缴清，无需重复缴费。', en: 'This bill is already paid.' },
  BILL_PAYMENT_IN_PROGRESS: {
    status: 409,
    zh: '该账单正在缴费中，请勿重复支付。',
    en: 'This bill is being paid already. Do not pay it twice.',
  },
  BILL_AMOUNT_MISMATCH: {
    status: 409,
    zh: '应缴金额已变化（可能含新增滞纳金），请确认新金额后再缴费。',
    en: 'The amount due has changed (a late fee may have been added). Check the new amount and pay again.',
  },
  BILL_AMOUNT_BELOW_MINIMUM: {
    status: 422,
    zh: '缴费金额低于该单位的最低预缴金额。',
    en: 'The amount is below the biller’s minimum prepayment.',
  },
  BILL_AMOUNT_ABOVE_MAXIMUM: {
    status: 422,
    zh: '缴费金额超过该单位的单笔上限。',
    en: 'The amount is above the biller’s limit for one payment.',
  },
  BILL_REF_REQUIRED: {
    status: 400,
    zh: '请选择要缴纳的账单。',
    en: 'Choose the bill to pay.',
  },
  BILL_REF_NOT_ALLOWED: {
    status: 400,
    zh: '预付费缴费无需选择账单，请输入金额。',
    en: 'Prepaid billers take an amount, not a bill.',
  },
  BILL_PAYMENT_NOT_FOUND: { status: 404, zh: '缴费记录不存在。', en: 'The bill payment does not exist.' },
  BILL_PAYMENT_NOT_AWAITING_CONFIRMATION: {
    status: 409,
    zh: '该缴费不在待确认状态。',
    en: 'This bill payment is not waiting for confirmation.',
  },
  BILL_RECEIPT_NOT_READY: {
    status: 409,
    zh: '缴费成功后才可查看电子缴费凭证。',
    en: 'The receipt is available once the payment has succeeded.',
  },
  BILL_ACCOUNT_NOT_FOUND: { status: 404, zh: '常用户号不存在。', en: 'The saved account does not exist.' },
  BILL_ACCOUNT_ALREADY_SAVED: { status: 409, zh: '该户号已保存。', en: 'This account is already saved.' },
  BILL_ACCOUNTS_LIMIT: {
    status: 422,
    zh: '常用户号数量已达上限（20个）。',
    en: 'You have saved the maximum number of accounts (20).',
  },
  AUTOPAY_NOT_FOUND: { status: 404, zh: '自动缴费协议不存在。', en: 'The autopay mandate does not exist.' },
  AUTOPAY_ALREADY_EXISTS: {
    status: 409,
    zh: '该户号已开通自动缴费。',
    en: 'Autopay is already set up for this account.',
  },
  AUTOPAY_NOT_SUPPORTED: {
    status: 422,
    zh: '预付费户号不支持自动缴费。',
    en: 'Prepaid accounts do not support autopay.',
  },
  AUTOPAY_CAPS_INVALID: {
    status: 422,
    zh: '单笔上限不能高于每月上限。',
    en: 'The cap per bill cannot be above the cap per month.',
  },
  AUTOPAY_STATE_INVALID: {
    status: 409,
    zh: '自动缴费协议当前状态不允许该操作。',
    en: 'The autopay mandate cannot do that in its current state.',
  },
  BILL_MISMATCH_NOT_FOUND: { status: 404, zh: '对账差异不存在。', en: 'The reconciliation mismatch does not exist.' },
} as const satisfies ProblemTable;

type BillProblems = typeof BILL_PROBLEMS;

declare module '../platform/http/problems.js' {
  interface ProblemCodes extends BillProblems {}
}
