import { formatFen } from '../platform/money.js';
import type { RuleName } from './rules.js';

/** What a holder is told about a decision, in plain words: one line per reason, never thresholds. */
export const REASON_TEXT: Record<
  RuleName | 'restricted' | 'reference_conflict' | 'not_confirmed',
  { code: string; zh: string; en: string }
> = {
  velocity: { code: 'RISK_VELOCITY', zh: '短时间内付款次数或金额较多。', en: 'Many payments in a short time.' },
  new_device: { code: 'RISK_NEW_DEVICE', zh: '您正在新设备上付款。', en: 'You are paying from a new device.' },
  new_payee_large: {
    code: 'RISK_NEW_PAYEE_LARGE',
    zh: '首次向该收款方支付较大金额。',
    en: 'A large amount to someone you have not paid before.',
  },
  deviation: { code: 'RISK_UNUSUAL_AMOUNT', zh: '金额明显高于您平时的付款。', en: 'Much more than you usually pay.' },
  night_large: {
    code: 'RISK_NIGHT_LARGE',
    zh: '深夜时段的大额付款。',
    en: 'A large payment in the middle of the night.',
  },
  post_reset: {
    code: 'RISK_AFTER_RESET',
    zh: '您近期重置过密码或支付密码。',
    en: 'Your password or PIN was reset recently.',
  },
  network_change: {
    code: 'RISK_NETWORK_CHANGE',
    zh: '付款的网络位置与平时不同。',
    en: 'You are paying from an unusual network or location.',
  },
  repeated_denials: {
    code: 'RISK_REPEATED_DENIALS',
    zh: '多笔交易被您确认为非本人操作。',
    en: 'You told us several payments were not you.',
  },
  takeover: {
    code: 'RISK_TAKEOVER_SIGNS',
    zh: '账户存在被他人控制的迹象。',
    en: 'Signs that someone else may control your account.',
  },
  restricted: {
    code: 'RISK_RESTRICTED',
    zh: '您的账户付款功能已受限。',
    en: 'Outgoing payments from your wallet are restricted.',
  },
  not_confirmed: {
    code: 'RISK_NOT_CONFIRMED',
    zh: '该笔交易未获本人确认，已取消。',
    en: 'This payment was not confirmed as yours and is cancelled.',
  },
  reference_conflict: {
    code: 'RISK_REFERENCE_CONFLICT',
    zh: '交易信息与之前提交的不一致。',
    en: 'This payment does not match what was sent before.',
  },
};

/** How a holder lifts a restriction. */
export const LIFT_TEXT = {
  reverify: {
    zh: '请重新完成实名认证（身份证与人脸核验）后自动解除，或联系客服。',
    en: 'Verify your identity again (ID and face check) to lift it, or contact us.',
  },
  support: {
    zh: '请致电客服热线 95588 或前往网点核实身份后解除。',
    en: 'Call us on 95588 or visit a branch to verify your identity and lift it.',
  },
} as const;

/** The out-of-band "was this you?" prompt for a held payment. */
export function holdPromptText(amountFen: bigint, currency: 'CNY', payeeDisplay: string, minutes: number) {
  const amount = formatFen(amountFen, currency);
  return {
    titleZh: '请确认是否为本人付款',
    titleEn: 'Was this you?',
    bodyZh: `您是否向${payeeDisplay}支付${amount}？该笔款项已暂缓，请在${minutes}分钟内打开通宝确认或拒绝，超时将自动取消。`,
    bodyEn:
      `Did you pay ${amount} to ${payeeDisplay}? The payment is on hold: confirm or deny it in the app within ` +
      `${minutes} minutes, or it is cancelled.`,
  };
}
