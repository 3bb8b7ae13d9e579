import type { ProblemTable } from '../platform/http/problem-table.js';

/** Webhooks of the merchant API (docs/merchant-api.md). */
export const MERCHANT_WEBHOOK_PROBLEMS = {
  MERCHANT_API_WEBHOOK_NOT_FOUND: {
    status: 404,
    zh: 'Webhook 地址不存在。',
    en: 'The webhook endpoint does not exist.',
  },
  MERCHANT_API_WEBHOOK_DELIVERY_NOT_FOUND: {
    status: 404,
    zh: '这次 Webhook 投递不存在。',
    en: 'The webhook delivery does not exist.',
  },
  MERCHANT_API_WEBHOOK_LIMIT: {
    status: 409,
    zh: 'Webhook 地址最多 10 个，请先删除不用的地址。',
    en: 'A merchant can have at most 10 webhook endpoints: delete one you no longer use.',
  },
  MERCHANT_API_WEBHOOK_DISABLED: {
    status: 409,
    zh: '该 Webhook 地址已停用，请先重新启用。',
    en: 'The webhook endpoint is disabled: enable it first.',
  },
} as const satisfies ProblemTable;

type MerchantWebhookProblems = typeof MERCHANT_WEBHOOK_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The merchant API's webhook codes, registered by app.ts. */
  interface ProblemCodes extends MerchantWebhookProblems {}
}
