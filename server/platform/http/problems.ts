import { APPROVAL_PROBLEMS } from '../../approvals/problems.js';
import { IDENTITY_PROBLEMS } from '../../identity/problems.js';
import { KYC_PROBLEMS } from '../../kyc/problems.js';
import { OPS_PROBLEMS } from '../../ops/problems.js';
import { PAYMENT_PROBLEMS } from '../../payments/problems.js';
import { RISK_PROBLEMS } from '../../risk/problems.js';
import { TRANSFER_PROBLEMS } from '../../transfers/problems.js';
import { WALLET_PROBLEMS } from '../../wallet/problems.js';
import type { ProblemTable } from './problem-table.js';

/**
 * The one table of problem codes: HTTP status and the message shown to people, in zh-CN and
 * English. Every expected failure in every domain maps to a code here.
 */
const CORE_PROBLEMS = {
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
  // Identity
  INVALID_PHONE: { status: 400, zh: '请输入正确的手机号码。', en: 'Enter a valid mainland China mobile number.' },
  INVALID_ID_NUMBER: { status: 400, zh: '身份证号码不正确。', en: 'The resident ID number is not valid.' },
  INVALID_NAME: { status: 400, zh: '请输入与证件一致的真实姓名。', en: 'Enter your real name as on your ID.' },
  UNDERAGE: { status: 422, zh: '年满18周岁方可开户。', en: 'You must be 18 or older to open a wallet.' },
  PASSWORD_TOO_WEAK: { status: 422, zh: '密码过于简单或包含个人信息，请换一个。', en: 'This password is too easy to guess or contains your personal details.' },
  PIN_TOO_WEAK: { status: 422, zh: '支付密码过于简单，请避免连续、重复数字或生日。', en: 'This PIN is too easy to guess: avoid runs, repeats and your birthday.' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册，请直接登录。', en: 'This phone number is already registered. Please sign in.' },
  ID_NUMBER_TAKEN: { status: 409, zh: '该身份证已开立钱包账户。', en: 'A wallet already exists for this ID number.' },
  SMS_CODE_INVALID: { status: 422, zh: '短信验证码错误或已过期。', en: 'The SMS code is wrong or has expired.' },
  SMS_RATE_LIMITED: { status: 429, zh: '验证码发送过于频繁，请稍后再试。', en: 'Too many codes requested. Please wait and try again.' },
  SMS_DELIVERY_FAILED: { status: 502, zh: '短信发送失败，请稍后再试。', en: 'The text message could not be sent. Please try again later.' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误。', en: 'The phone number or password is wrong.' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，账户已暂时锁定。', en: 'Too many failed attempts. The account is locked for a while.' },
  DEVICE_VERIFICATION_REQUIRED: { status: 403, zh: '首次在此设备登录，请输入短信验证码。', en: 'First sign-in on this device: enter the code we texted you.' },
  TOTP_REQUIRED: { status: 403, zh: '请输入动态口令。', en: 'Enter the code from your authenticator app.' },
  TOTP_INVALID: { status: 422, zh: '动态口令错误。', en: 'The authenticator code is wrong.' },
  CSRF_FAILED: { status: 403, zh: '请求校验失败，请刷新页面后重试。', en: 'The request could not be verified. Refresh the page and try again.' },
  SESSION_NOT_FOUND: { status: 404, zh: '该登录会话不存在。', en: 'That session does not exist.' },
  PIN_NOT_SET: { status: 409, zh: '请先设置支付密码。', en: 'Set a payment PIN first.' },
  PIN_INVALID: { status: 422, zh: '支付密码错误。', en: 'The payment PIN is wrong.' },
  PIN_LOCKED: { status: 423, zh: '支付密码错误次数过多，已锁定24小时。', en: 'Too many wrong PINs. Payments are locked for 24 hours.' },
  PASSWORD_INVALID: { status: 422, zh: '登录密码错误。', en: 'The password is wrong.' },
  IDENTITY_MISMATCH: { status: 422, zh: '身份信息核验未通过。', en: 'The identity details do not match our records.' },
  CONFIRMATION_NOT_FOUND: { status: 404, zh: '待确认的交易不存在。', en: 'There is no such payment to confirm.' },
  CONFIRMATION_INVALID: { status: 422, zh: '交易确认无效，请重新发起。', en: 'This confirmation does not match the payment. Please start again.' },
  CONFIRMATION_EXPIRED: { status: 410, zh: '交易确认已超时，请重新发起。', en: 'The confirmation has expired. Please start again.' },
  ALREADY_FROZEN: { status: 409, zh: '账户已处于冻结状态。', en: 'The wallet is already frozen.' },
  NOT_FROZEN: { status: 409, zh: '账户未被冻结。', en: 'The wallet is not frozen.' },
  TOTP_NOT_ENABLED: { status: 409, zh: '尚未开启动态口令。', en: 'Authenticator codes are not turned on.' },
  TOTP_ALREADY_ENABLED: {
    status: 409,
    zh: '动态口令已开启。如需更换验证器，请先用当前动态口令关闭。',
    en: 'Authenticator codes are already on. To change authenticator, turn them off with a current code first.',
  },
} as const satisfies ProblemTable;

/**
 * Domains that landed later keep their codes in their own `problems.ts` (one table each), so
 * adding a domain never edits this file beyond one import and one spread.
 */
export const PROBLEMS = {
  ...CORE_PROBLEMS,
  ...IDENTITY_PROBLEMS,
  ...KYC_PROBLEMS,
  ...WALLET_PROBLEMS,
  ...PAYMENT_PROBLEMS,
  ...RISK_PROBLEMS,
  ...TRANSFER_PROBLEMS,
  ...OPS_PROBLEMS,
  ...APPROVAL_PROBLEMS,
} as const satisfies ProblemTable;

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
