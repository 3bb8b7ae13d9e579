/**
 * Every code the console shows, in plain words, in one table: movement kinds, alert kinds, risk
 * rules, channels, outcomes, hold and submission statuses, resolutions, document types, actor
 * kinds, audit actions (audit-labels.ts). A code not listed here is shown as itself (and is a bug
 * to add here).
 */

import { AUDIT_ACTION_LABELS } from './audit-labels';

type Pair = readonly [zh: string, en: string];

const TABLE: Record<string, Record<string, Pair>> = {
  /** What a money movement is (the ledger entry's metadata.kind; docs/wallet.md). */
  movement: {
    topup: ['充值', 'Top-up'],
    withdraw: ['提现', 'Withdrawal'],
    p2p: ['转账', 'Transfer'],
    merchant_payment: ['商户付款', 'Payment to a merchant'],
    payment_code: ['付款码支付', 'Payment-code payment'],
    refund: ['退款', 'Refund'],
    bill_payment: ['生活缴费', 'Bill payment'],
    bill_late_fee_refund: ['滞纳金退还', 'Late fee refunded'],
    clawback: ['追回款项', 'Claw-back'],
    credit_disbursement: ['贷款放款', 'Loan paid out'],
    credit_repayment: ['贷款还款', 'Loan repayment'],
    credit_accrual: ['贷款计息', 'Loan interest'],
    credit_card_purchase: ['信用付消费', 'Credit purchase'],
    credit_card_repayment: ['信用付还款', 'Credit repayment'],
    credit_card_interest: ['信用付利息', 'Credit interest'],
    credit_penalty_reversed: ['罚息冲回', 'Penalty interest reversed'],
    credit_write_off: ['贷款核销', 'Loan written off'],
    merchant_payout: ['商户结算', 'Merchant payout'],
    merchant_payout_returned: ['商户结算退回', 'Merchant payout returned'],
    salary: ['工资入账', 'Salary'],
    savings_subscribe: ['理财买入', 'Savings purchase'],
    savings_buy: ['理财买入', 'Savings purchase'],
    savings_deposit: ['定期存入', 'Term deposit'],
    savings_deposit_maturity: ['定期到期', 'Term deposit matured'],
    savings_income: ['理财收益', 'Savings income'],
    savings_redeem: ['理财赎回', 'Savings redemption'],
    reversal: ['冲正', 'Reversal'],
    transfer: ['资金划转', 'Ledger transfer'],
    hold_post: ['冻结款入账', 'Held payment posted'],
    other: ['其他', 'Other'],
  },
  /** Why the risk engine raised an alert. */
  alertKind: {
    hold: ['付款待确认', 'Payment held for confirmation'],
    block: ['付款已拦截', 'Payment blocked'],
    denial: ['用户否认交易', 'Holder said it was not them'],
    restriction: ['账户已限制', 'Wallet restricted'],
  },
  /** The risk rules, by their staff names. */
  rule: {
    velocity: ['短时高频', 'Many payments in a short time'],
    new_device: ['新设备付款', 'New device'],
    new_payee_large: ['首次收款方大额', 'Large amount to a new payee'],
    deviation: ['金额异常', 'Unusual amount'],
    night_large: ['深夜大额', 'Large payment at night'],
    post_reset: ['重置密码后付款', 'Payment after a password or PIN reset'],
    network_change: ['网络位置异常', 'Unusual network'],
    repeated_denials: ['多次否认交易', 'Repeated “not me” answers'],
    takeover: ['账户被盗迹象', 'Signs of account takeover'],
  },
  /** How a payment was made. */
  channel: {
    p2p: ['转账', 'Transfer'],
    merchant_qr: ['扫码付款', 'QR payment'],
    payment_code: ['付款码', 'Payment code'],
    withdraw: ['提现', 'Withdrawal'],
    bill: ['缴费', 'Bill'],
    mandate: ['代扣', 'Agreement payment'],
  },
  /** What the risk engine decided. */
  outcome: {
    allow: ['放行', 'Allowed'],
    step_up: ['需加强验证', 'Extra check asked'],
    hold: ['暂停待确认', 'Held'],
    block: ['拦截', 'Blocked'],
  },
  /** A held payment's state. */
  holdStatus: {
    pending: ['等待本人确认', 'Waiting for the holder'],
    held: ['已暂停', 'Held'],
    confirmed: ['本人已确认', 'Confirmed by the holder'],
    denied: ['本人否认', 'Denied by the holder'],
    expired: ['已过期', 'Expired'],
    released: ['已放行', 'Released'],
    voided: ['已取消', 'Voided'],
  },
  /** How an analyst closed an alert. */
  resolution: {
    release: ['放行', 'Released'],
    void: ['取消付款', 'Payment voided'],
    freeze: ['冻结钱包', 'Wallet frozen'],
    lift: ['解除限制', 'Restriction lifted'],
    dismiss: ['忽略', 'Dismissed'],
    confirmed: ['本人已确认', 'Confirmed by the holder'],
    denied: ['本人否认', 'Denied by the holder'],
    expired: ['已过期', 'Expired'],
  },
  documentType: {
    resident_id: ['居民身份证', 'Resident ID card'],
    passport: ['护照', 'Passport'],
  },
  actorKind: {
    staff: ['员工', 'Staff'],
    user: ['用户', 'Holder'],
    system: ['系统', 'System'],
    operator: ['运维接口', 'Operator API'],
    merchant: ['商户', 'Merchant'],
  },
  /** What an audit log entry records (server/audit). */
  auditAction: AUDIT_ACTION_LABELS,
  riskAction: {
    step_up: ['加强验证', 'Ask for an extra check'],
    hold: ['暂停待确认', 'Hold for confirmation'],
    block: ['拦截', 'Block'],
  },
};

export type LabelGroup = keyof typeof TABLE;

/** The plain-word label of `code` in group `group`, in the reader's language; the code itself when unknown. */
export function label(group: LabelGroup, code: string | null | undefined, english: boolean): string {
  if (code === null || code === undefined || code === '') return '—';
  const pair = TABLE[group]?.[code];
  return pair ? pair[english ? 1 : 0] : code;
}

/** Whether the table knows `code` (tests check that no code the server sends is missing). */
export function hasLabel(group: LabelGroup, code: string): boolean {
  return TABLE[group]?.[code] !== undefined;
}

export const labelCodes = (group: LabelGroup): string[] => Object.keys(TABLE[group] ?? {});
