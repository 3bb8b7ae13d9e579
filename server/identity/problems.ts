import type { ProblemTable } from '../platform/http/problem-table.js';

/** Registration, sign-in, sessions, PIN, confirmations, freezing and passkeys: this domain's problem codes. */
export const IDENTITY_PROBLEMS = {
  INVALID_PHONE: { status: 400, zh: '请输入正确的手机号码。', en: 'Enter a valid mainland China mobile number.' },
  INVALID_ID_NUMBER: { status: 400, zh: '身份证号码不正确。', en: 'The resident ID number is not valid.' },
  INVALID_NAME: { status: 400, zh: '请输入与证件一致的真实姓名。', en: 'Enter your real name as on your ID.' },
  UNDERAGE: { status: 422, zh: '年满18周岁方可开户。', en: 'You must be 18 or older to open a wallet.' },
  PASSWORD_TOO_WEAK: {
    status: 422,
    zh: '密码过于简单或包含个人信息，请换一个。',
    en: 'This password is too easy to guess or contains your personal details.',
  },
  PIN_TOO_WEAK: {
    status: 422,
    zh: '支付密码过于简单，请避免连续、重复数字或生日。',
    en: 'This PIN is too easy to guess: avoid runs, repeats and your birthday.',
  },
  PHONE_TAKEN: {
    status: 409,
    zh: '该手机号已注册，请直接登录。',
    en: 'This phone number is already registered. Please sign in.',
  },
  ID_NUMBER_TAKEN: { status: 409, zh: '该身份证已开立钱包账户。', en: 'A wallet already exists for this ID number.' },
  SMS_CODE_INVALID: { status: 422, zh: '短信验证码错误或已过期。', en: 'The SMS code is wrong or has expired.' },
  SMS_RATE_LIMITED: {
    status: 429,
    zh: '验证码发送过于频繁，请稍后再试。',
    en: 'Too many codes requested. Please wait and try again.',
  },
  SMS_DELIVERY_FAILED: {
    status: 502,
    zh: '短信发送失败，请稍后再试。',
    en: 'The text message could not be sent. Please try again later.',
  },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误。', en: 'The phone number or password is wrong.' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已暂时锁定。',
    en: 'Too many failed attempts. The account is locked for a while.',
  },
  DEVICE_VERIFICATION_REQUIRED: {
    status: 403,
    zh: '首次在此设备登录，请输入短信验证码。',
    en: 'First sign-in on this device: enter the code we texted you.',
  },
  TOTP_REQUIRED: { status: 403, zh: '请输入动态口令。', en: 'Enter the code from your authenticator app.' },
  TOTP_INVALID: { status: 422, zh: '动态口令错误。', en: 'The authenticator code is wrong.' },
  CSRF_FAILED: {
    status: 403,
    zh: '请求校验失败，请刷新页面后重试。',
    en: 'The request could not be verified. Refresh the page and try again.',
  },
  SESSION_NOT_FOUND: { status: 404, zh: '该登录会话不存在。', en: 'That session does not exist.' },
  PIN_NOT_SET: { status: 409, zh: '请先设置支付密码。', en: 'Set a payment PIN first.' },
  PIN_INVALID: { status: 422, zh: '支付密码错误。', en: 'The payment PIN is wrong.' },
  PIN_LOCKED: {
    status: 423,
    zh: '支付密码错误次数过多，已锁定24小时。',
    en: 'Too many wrong PINs. Payments are locked for 24 hours.',
  },
  PASSWORD_INVALID: { status: 422, zh: '登录密码错误。', en: 'The password is wrong.' },
  IDENTITY_MISMATCH: { status: 422, zh: '身份信息核验未通过。', en: 'The identity details do not match our records.' },
  CONFIRMATION_NOT_FOUND: { status: 404, zh: '待确认的交易不存在。', en: 'There is no such payment to confirm.' },
  CONFIRMATION_INVALID: {
    status: 422,
    zh: '交易确认无效，请重新发起。',
    en: 'This confirmation does not match the payment. Please start again.',
  },
  CONFIRMATION_EXPIRED: {
    status: 410,
    zh: '交易确认已超时，请重新发起。',
    en: 'The confirmation has expired. Please start again.',
  },
  ALREADY_FROZEN: { status: 409, zh: '账户已处于冻结状态。', en: 'The wallet is already frozen.' },
  NOT_FROZEN: { status: 409, zh: '账户未被冻结。', en: 'The wallet is not frozen.' },
  TOTP_NOT_ENABLED: { status: 409, zh: '尚未开启动态口令。', en: 'Authenticator codes are not turned on.' },
  TOTP_ALREADY_ENABLED: {
    status: 409,
    zh: '动态口令已开启。如需更换验证器，请先用当前动态口令关闭。',
    en: 'Authenticator codes are already on. To change authenticator, turn them off with a current code first.',
  },
  PASSKEY_INVALID: {
    status: 422,
    zh: '通行密钥验证未通过，请重试。',
    en: 'The passkey could not be verified. Please try again.',
  },
  PASSKEY_CHALLENGE_INVALID: {
    status: 422,
    zh: '验证已过期或已使用，请重新发起。',
    en: 'This passkey request has expired or was already used. Please start again.',
  },
  PASSKEY_NOT_FOUND: { status: 404, zh: '通行密钥不存在。', en: 'There is no such passkey.' },
  PASSKEY_LIMIT_REACHED: {
    status: 409,
    zh: '通行密钥数量已达上限，请先删除不用的通行密钥。',
    en: 'You have the most passkeys allowed. Remove one you no longer use first.',
  },
} as const satisfies ProblemTable;

type IdentityProblems = typeof IDENTITY_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Identity's codes, registered by app.ts. */
  interface ProblemCodes extends IdentityProblems {}
}
