import type { ProblemTable } from './problem-table.js';

/**
 * The platform's own problem codes: what any HTTP request can run into (bad input, no session, no
 * idempotency key, limits on size and rate, the unexpected). Each domain keeps its codes in its own
 * `problems.ts`, which adds them to `ProblemCodes`; `app.ts` registers those tables at assembly.
 */
export const CORE_PROBLEMS = {
  VALIDATION_FAILED: {
    status: 400,
    zh: '请求内容有误，请检查后重试。',
    en: 'The request is not valid. Check the fields and try again.',
  },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式错误。', en: 'The request could not be read.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。', en: 'This content type is not supported.' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大。', en: 'The request is too large.' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源。', en: 'Nothing was found at this address.' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法。', en: 'This method is not allowed here.' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录。', en: 'Please sign in first.' },
  FORBIDDEN: { status: 403, zh: '您无权执行此操作。', en: 'You are not allowed to do this.' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试。', en: 'Too many attempts. Please wait and try again.' },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '缺少 Idempotency-Key 请求头。',
    en: 'This request needs an Idempotency-Key header.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '该幂等键已用于另一笔不同的请求。',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: {
    status: 409,
    zh: '相同的请求正在处理中，请稍后查询结果。',
    en: 'The same request is still being processed. Check again shortly.',
  },
  INTERNAL_ERROR: {
    status: 500,
    zh: '系统繁忙，请稍后再试。',
    en: 'Something went wrong on our side. Please try again later.',
  },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用。', en: 'The service is temporarily unavailable.' },
} as const satisfies ProblemTable;

type CoreProblems = typeof CORE_PROBLEMS;

/**
 * Every problem code the app answers with, mapped to its entry. Like Fastify's decorators, each
 * domain's `problems.ts` augments this interface by declaration merging, so `new Problem(code)`
 * accepts exactly the codes some domain declares and an unknown code fails type-checking.
 */
export interface ProblemCodes extends CoreProblems {}

export type ProblemCode = Extract<keyof ProblemCodes, string>;

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
