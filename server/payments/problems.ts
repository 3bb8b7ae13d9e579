import type { ProblemTable } from '../platform/http/problem-table.js';

/** Transfers, merchants, QR codes, payment codes and refunds: the problem codes this domain answers with. */
export const PAYMENT_PROBLEMS = {
  QR_PAYLOAD_INVALID: { status: 422, zh: '无法识别的收款码。', en: 'This QR code could not be read.' },
  QR_NOT_SUPPORTED: {
    status: 422,
    zh: '暂不支持该收款码，请使用通宝收款码。',
    en: 'This QR code belongs to another wallet and cannot be paid here.',
  },
  QR_SCHEME_NOT_SUPPORTED: {
    status: 422,
    zh: '暂不支持其他国家或地区的收款码，请使用通宝收款码。',
    en: "This QR code belongs to another country's payment scheme, which is not supported.",
  },
  QR_NOT_FOUND: { status: 404, zh: '收款码不存在。', en: 'This QR code does not exist.' },
  QR_EXPIRED: {
    status: 410,
    zh: '收款码已过期，请让商户重新生成。',
    en: 'This QR code has expired. Ask the merchant for a new one.',
  },
  QR_ALREADY_PAID: { status: 409, zh: '该收款码已支付。', en: 'This QR code has already been paid.' },
  AMOUNT_REQUIRED: { status: 422, zh: '请输入付款金额。', en: 'Enter the amount to pay.' },
  AMOUNT_MISMATCH: {
    status: 422,
    zh: '付款金额与收款码金额不一致。',
    en: 'The amount differs from the amount on the QR code.',
  },
  STATIC_QR_DAILY_LIMIT: {
    status: 422,
    zh: '静态收款码支付已超过每日限额（500元）。',
    en: 'Static QR code payments are limited to ¥500 a day.',
  },
  MERCHANT_NOT_FOUND: { status: 404, zh: '商户不存在。', en: 'The merchant does not exist.' },
  MERCHANT_NOT_ACTIVE: {
    status: 409,
    zh: '该商户暂不能收款。',
    en: 'This merchant cannot take payments at the moment.',
  },
  MERCHANT_STATUS_CONFLICT: {
    status: 409,
    zh: '商户当前状态不允许该操作。',
    en: 'The merchant is not in a state that allows this.',
  },
  MERCHANT_STAFF_PHONE_TAKEN: {
    status: 409,
    zh: '该手机号已是商户员工账号。',
    en: 'This phone number already belongs to a merchant staff account.',
  },
  MERCHANT_NAME_INVALID: {
    status: 422,
    zh: '商户名称或城市过长（名称不超过25个字符，城市不超过15个字符）。',
    en: 'The merchant name (25 characters at most) or city (15 at most) is too long.',
  },
  PAYMENT_NOT_FOUND: { status: 404, zh: '付款记录不存在。', en: 'The payment does not exist.' },
  PAYMENT_NOT_PENDING: { status: 409, zh: '该笔付款已处理。', en: 'This payment has already been dealt with.' },
  PAYMENT_EXPIRED: { status: 410, zh: '付款已超时，请重新发起。', en: 'The payment has expired. Please start again.' },
  PAYMENT_CODE_INVALID: {
    status: 422,
    zh: '付款码无效，请让顾客刷新付款码。',
    en: 'The payment code is not valid. Ask the customer to refresh it.',
  },
  PAYMENT_CODE_EXPIRED: {
    status: 422,
    zh: '付款码已过期，请让顾客刷新付款码。',
    en: 'The payment code has expired. Ask the customer to refresh it.',
  },
  PAYMENT_CODE_USED: {
    status: 409,
    zh: '付款码已使用，请让顾客刷新付款码。',
    en: 'The payment code has already been used. Ask the customer to refresh it.',
  },
  PAYMENT_CODE_LOCKED: {
    status: 423,
    zh: '付款码错误次数过多，请在手机上重新开通付款码。',
    en: 'Too many wrong payment codes. Turn the payment code on again in the app.',
  },
  PAYMENT_CODE_REVOKED: {
    status: 422,
    zh: '该付款码所在设备已被移除，请让顾客在手机上重新开启付款码。',
    en: 'This payment code comes from a device that was removed. Ask the customer to turn the payment code on again.',
  },
  PAYMENT_CODE_AUTH_REQUIRED: {
    status: 403,
    zh: '开启付款码需验证支付密码或通行密钥。',
    en: 'Turning the payment code on needs your payment PIN or a passkey.',
  },
  PAYMENT_CODE_DEVICE_NOT_FOUND: {
    status: 404,
    zh: '该付款码设备不存在。',
    en: 'There is no such payment-code device.',
  },
  PAYMENT_NOT_REFUNDABLE: { status: 409, zh: '该笔付款不能退款。', en: 'This payment cannot be refunded.' },
  REFUND_EXCEEDS_PAYMENT: {
    status: 422,
    zh: '退款总额不能超过付款金额。',
    en: 'Refunds cannot add up to more than the payment.',
  },
  REFUND_ABOVE_ROLE_LIMIT: {
    status: 403,
    zh: '退款金额超出收银员权限，请店主或经理操作。',
    en: 'This refund is above what a cashier may refund. Ask the owner or a manager.',
  },
  REFUND_PASSWORD_INCORRECT: {
    status: 422,
    zh: '登录密码错误，未退款。',
    en: 'The sign-in password is wrong. Nothing was refunded.',
  },
  MERCHANT_STAFF_NOT_FOUND: { status: 404, zh: '该员工账号不存在。', en: 'This staff login does not exist.' },
  MERCHANT_STAFF_PROTECTED: {
    status: 409,
    zh: '店主账号不能在此停用，请联系银行。',
    en: 'An owner login cannot be turned off here. Contact the bank.',
  },
  REFUND_PASSWORD_LOCKED: {
    status: 423,
    zh: '密码错误次数过多，退款已暂时锁定。',
    en: 'Too many wrong passwords. Refunds are locked for a while.',
  },
} as const satisfies ProblemTable;

type PaymentProblems = typeof PAYMENT_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Payments's codes, registered by app.ts. */
  interface ProblemCodes extends PaymentProblems {}
}
