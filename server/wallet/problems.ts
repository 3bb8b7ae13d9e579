import type { ProblemTable } from '../platform/http/problem-table.js';

/** Cards, top-up, withdraw, history and statements: the problem codes this domain answers with. */
export const WALLET_PROBLEMS = {
  CARD_NUMBER_INVALID: {
    status: 400,
    zh: '银行卡号不正确，请核对后重新输入。',
    en: 'The card number is not valid. Check it and try again.',
  },
  CARD_NOT_SUPPORTED: {
    status: 422,
    zh: '暂不支持该银行的银行卡。',
    en: 'Cards from this bank are not supported yet.',
  },
  CARD_HOLDER_MISMATCH: {
    status: 422,
    zh: '持卡人姓名须与实名认证姓名一致。',
    en: 'The cardholder name must match your verified name.',
  },
  CARD_ALREADY_BOUND: { status: 409, zh: '该银行卡已绑定。', en: 'This card is already linked.' },
  CARD_LIMIT_REACHED: {
    status: 422,
    zh: '绑定的银行卡数量已达上限。',
    en: 'You have linked the maximum number of cards.',
  },
  CARD_NOT_FOUND: { status: 404, zh: '银行卡不存在。', en: 'The card does not exist.' },
  CARD_BINDING_NOT_PENDING: {
    status: 409,
    zh: '该银行卡不在待验证状态，请重新绑定。',
    en: 'This card is not waiting for a code. Please link it again.',
  },
  CARD_BINDING_EXPIRED: {
    status: 410,
    zh: '验证码已过期或错误次数过多，请重新绑定。',
    en: 'The code has expired or was entered wrongly too often. Please link the card again.',
  },
  CARD_BINDING_CODE_INVALID: { status: 422, zh: '银行短信验证码错误。', en: 'The code from the bank is wrong.' },
  CARD_DECLINED: { status: 422, zh: '银行拒绝了该请求。', en: 'The bank declined the request.' },
  CARD_NETWORK_UNAVAILABLE: {
    status: 503,
    zh: '银行卡网络暂时不可用，请稍后再试。',
    en: 'The card network is not available right now. Please try again later.',
  },
  CREDIT_CARD_NOT_ALLOWED: {
    status: 422,
    zh: '提现只能到账至借记卡。',
    en: 'Withdrawals can only go to a debit card.',
  },
  ORDER_NOT_FOUND: { status: 404, zh: '交易不存在。', en: 'The transaction does not exist.' },
  ORDER_NOT_AWAITING_CONFIRMATION: {
    status: 409,
    zh: '该笔提现不在待确认状态。',
    en: 'This withdrawal is not waiting for confirmation.',
  },
  WITHDRAWAL_NOT_CANCELLABLE: {
    status: 409,
    zh: '该笔提现已到账或已结束，无法撤销。',
    en: 'This withdrawal has already arrived or ended and cannot be cancelled.',
  },
  MOVEMENT_NOT_FOUND: { status: 404, zh: '交易记录不存在。', en: 'The record does not exist.' },
  INVALID_DATE_RANGE: { status: 400, zh: '日期范围不正确。', en: 'The date range is not valid.' },
  INVALID_AMOUNT_RANGE: { status: 400, zh: '金额范围不正确。', en: 'The amount range is not valid.' },
  INVALID_CURSOR: { status: 400, zh: '分页参数无效。', en: 'The page cursor is not valid.' },
  STATEMENT_TOO_LARGE: {
    status: 422,
    zh: '该期间交易过多，请缩短对账单日期范围。',
    en: 'Too many records in this period. Choose a shorter range.',
  },
  CALLBACK_SIGNATURE_INVALID: { status: 401, zh: '回调签名无效。', en: 'The callback signature is not valid.' },
} as const satisfies ProblemTable;

type WalletProblems = typeof WALLET_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** The wallet's codes, registered by app.ts. */
  interface ProblemCodes extends WalletProblems {}
}
