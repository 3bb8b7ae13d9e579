import type { ProblemTable } from '../platform/http/problem-table.js';
import { MANDATE_PROBLEMS } from './mandate-problems.js';

/** Online checkout's merchant API (docs/merchant-api.md). */
export const MERCHANT_API_PROBLEMS = {
  ...MANDATE_PROBLEMS,
  MERCHANT_API_KEY_NOT_FOUND: { status: 404, zh: 'API 密钥不存在。', en: 'The API key does not exist.' },
  MERCHANT_API_KEY_LIMIT: {
    status: 409,
    zh: '有效的 API 密钥最多 20 个，请先撤销不用的密钥。',
    en: 'A merchant can have at most 20 active API keys: revoke one you no longer use.',
  },
  MERCHANT_API_ORDER_NOT_FOUND: { status: 404, zh: '订单不存在。', en: 'The order does not exist.' },
  MERCHANT_API_ORDER_NUMBER_TAKEN: {
    status: 409,
    zh: '该商户订单号已用于另一笔订单。',
    en: 'This shop order number is already used by another order.',
  },
  MERCHANT_API_ORDER_NOT_OPEN: {
    status: 409,
    zh: '订单已支付、已关闭或已过期，不能再支付或关闭。',
    en: 'The order is paid, closed or expired: it can no longer be paid or closed.',
  },
  MERCHANT_API_ORDER_NOT_PAID: {
    status: 409,
    zh: '订单尚未支付，不能退款。',
    en: 'The order is not paid: nothing to refund.',
  },
  MERCHANT_API_REFUND_EXCEEDS_PAID: {
    status: 409,
    zh: '退款总额不能超过订单实付金额。',
    en: 'Refunds cannot add up to more than the order was paid.',
  },
  MERCHANT_API_REFUND_FAILED: {
    status: 422,
    zh: '退款未能完成（商户结算账户余额不足），已记录为失败，可稍后重试。',
    en: 'The refund could not be made (the settlement account is short); it is recorded as failed.',
  },
  MERCHANT_API_NOTIFY_SECRET_MISSING: {
    status: 409,
    zh: '使用 notifyUrl 前，请先生成通知签名密钥。',
    en: 'Create the notify signing secret before giving orders a notifyUrl.',
  },
  MERCHANT_API_REFUND_NOT_FOUND: { status: 404, zh: '退款不存在。', en: 'The refund does not exist.' },
  MERCHANT_API_URL_INVALID: {
    status: 400,
    zh: '地址无效：请填写 https 地址（测试模式可用 http）。',
    en: 'The URL is not valid: give an https URL (http is allowed in test mode).',
  },
  MERCHANT_API_EXPIRY_INVALID: {
    status: 400,
    zh: '订单有效期须在 1 分钟到 24 小时之间。',
    en: 'An order must expire between 1 minute and 24 hours from now.',
  },
  MERCHANT_API_TEST_MODE_ONLY: {
    status: 403,
    zh: '只有测试模式的密钥可以这样做。',
    en: 'Only a test-mode key can do this.',
  },
} as const satisfies ProblemTable;

type MerchantApiProblems = typeof MERCHANT_API_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The merchant API's codes, registered by app.ts. */
  interface ProblemCodes extends MerchantApiProblems {}
}
