/**
 * The one table of problem codes: HTTP status and the message shown to people, in zh-CN and
 * English. Every expected failure in every domain maps to a code here.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, zh: '请求内容有误，请检查后重试。', en: 'The request is not valid. Check the fields and try again.' },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式错误。', en: 'The request could not be read.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。', en: 'This content type is not supported.' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大。', en: 'The request is too large.' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源。', en: 'Nothing was found at this address.' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法。', en: 'This method is not allowed here.' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录。', en: 'Please sign in first.' },
  FORBIDDEN: { status: 403, zh: '您无权执行此操作。', en: 'You are not allowed to do this.' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试。', en: 'Too many attempts. Please wait and try again.' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, zh: '缺少 Idempotency-Key 请求头。', en: 'This request needs an Idempotency-Key header.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: '该幂等键已用于另一笔不同的请求。', en: 'This Idempotency-Key was already used for a different request.' },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: { status: 409, zh: '相同的请求正在处理中，请稍后查询结果。', en: 'The same request is still being processed. Check again shortly.' },
  FEATURE_IN_MAINTENANCE: { status: 503, zh: '该功能正在维护中，请稍后再试。', en: 'This feature is under maintenance. Please try again later.' },
  INTERNAL_ERROR: { status: 500, zh: '系统繁忙，请稍后再试。', en: 'Something went wrong on our side. Please try again later.' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用。', en: 'The service is temporarily unavailable.' },
  // Ledger
  ACCOUNT_NOT_FOUND: { status: 404, zh: '账户不存在。', en: 'The account does not exist.' },
  CURRENCY_MISMATCH: { status: 422, zh: '币种与账户不一致。', en: 'The currency does not match the account.' },
  INSUFFICIENT_FUNDS: { status: 422, zh: '可用余额不足。', en: 'The available balance is not enough.' },
  ACCOUNT_FROZEN: { status: 423, zh: '账户已冻结，暂不能付款。', en: 'The account is frozen and cannot pay out.' },
  LIMIT_EXCEEDED: { status: 422, zh: '超出账户限额。', en: 'This exceeds the account limit.' },
  SAME_ACCOUNT: { status: 422, zh: '付款账户与收款账户不能相同。', en: 'The paying and receiving accounts must differ.' },
  INVALID_AMOUNT: { status: 422, zh: '金额必须大于零。', en: 'The amount must be greater than zero.' },
  HOLD_NOT_FOUND: { status: 404, zh: '冻结记录不存在。', en: 'The hold does not exist.' },
  HOLD_ALREADY_RESOLVED: { status: 409, zh: '该笔冻结已处理。', en: 'The hold has already been resolved.' },
  HOLD_EXPIRED: { status: 409, zh: '该笔冻结已过期。', en: 'The hold has expired.' },
  HOLD_NOT_EXPIRED: { status: 409, zh: '该笔冻结尚未过期。', en: 'The hold has not expired yet.' },
  AMOUNT_EXCEEDS_HOLD: { status: 422, zh: '入账金额超过冻结金额。', en: 'The amount is more than the hold.' },
  ENTRY_NOT_FOUND: { status: 404, zh: '记账分录不存在。', en: 'The journal entry does not exist.' },
  ENTRY_ALREADY_REVERSED: { status: 409, zh: '该笔分录已冲正。', en: 'The entry has already been reversed.' },
  REFERENCE_CONFLICT: { status: 409, zh: '业务参考号已用于另一笔不同的交易。', en: 'This reference was already used for a different movement.' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export type Language = 'zh-CN' | 'en';

/** Picks zh-CN or English from Accept-Language by quality; zh-CN when nothing is said. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh-CN';
  let best: { lang: Language; q: number } | null = null;
  for (const part of acceptLanguage.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Language | null = tag.startsWith('zh') ? 'zh-CN' : tag.startsWith('en') ? 'en' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh-CN';
}

export function problemMessage(code: ProblemCode, language: Language): string {
  return language === 'en' ? PROBLEMS[code].en : PROBLEMS[code].zh;
}
