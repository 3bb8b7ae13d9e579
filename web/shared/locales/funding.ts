import type { Shape } from './shape';

/** Funding from other banks: the receiving account (转入) and online-banking top-up (网银支付). */
export const fundingZh = {
  tile: '转入',
  receive: {
    title: '他行转入',
    intro: '从任意银行向以下账户转账，资金将存入您的钱包。付款人姓名须与您的实名一致，否则将原路退回。',
    bank: '收款银行',
    branch: '开户网点',
    name: '户名',
    number: '账号',
    copy: '复制账号',
    copied: '账号已复制',
    copyFailed: '复制失败，请长按账号手动复制',
    limits: '入账受账户等级的余额上限和年度限额约束，超出部分将退回付款银行。',
    recent: '最近转入',
    none: '暂无他行转入',
    status: { credited: '已入账', returning: '退回中', returned: '已退回' },
    reasons: {
      NAME_MISMATCH: '付款人姓名与实名不符',
      UNKNOWN_ACCOUNT: '账号不存在',
      ACCOUNT_FROZEN: '账户已冻结',
      BALANCE_CAP_EXCEEDED: '超出余额上限',
      YEARLY_LIMIT_EXCEEDED: '超出年度限额',
      CURRENCY_NOT_SUPPORTED: '币种不支持',
    },
    onlineBanking: '用网银充值',
  },
  online: {
    title: '网银支付',
    entry: '网银支付充值',
    entryHint: '跳转到您的银行网银页面付款',
    receiveEntry: '他行转入（查看收款账号）',
    bank: '选择银行',
    amount: '充值金额',
    submit: '前往银行付款',
    redirectHint: '您将跳转到银行页面完成付款，付款后自动返回。',
    pending: '等待银行确认',
    pendingHint: '银行确认付款后自动到账，通常在几秒内，最长不超过30分钟。可以离开此页面。',
    succeeded: '充值成功',
    failed: '充值未成功',
    expired: '充值已过期',
    reasons: {
      CANCELLED_AT_BANK: '您在银行页面取消了付款',
      NOT_PAID_IN_TIME: '未在30分钟内完成付款',
      AMOUNT_MISMATCH: '银行付款金额与订单不符，请联系客服',
      INTERBANK_UNAVAILABLE: '跨行网络暂时不可用，请稍后再试',
    },
    backHome: '返回首页',
  },
};

export const fundingEn: Shape<typeof fundingZh> = {
  tile: 'From bank',
  receive: {
    title: 'Receive from another bank',
    intro:
      'Transfer from any bank to the account below and the money goes into your wallet. The payer name must be ' +
      'your verified name, or the transfer is sent back.',
    bank: 'Bank',
    branch: 'Branch',
    name: 'Account name',
    number: 'Account number',
    copy: 'Copy number',
    copied: 'Account number copied',
    copyFailed: 'Could not copy. Press and hold the number to copy it',
    limits:
      'The balance cap and yearly limit of your tier apply; a transfer over them is sent back to the paying bank.',
    recent: 'Recent transfers in',
    none: 'No transfers from other banks yet',
    status: { credited: 'Credited', returning: 'Being returned', returned: 'Returned' },
    reasons: {
      NAME_MISMATCH: 'Payer name is not yours',
      UNKNOWN_ACCOUNT: 'Unknown account',
      ACCOUNT_FROZEN: 'Account frozen',
      BALANCE_CAP_EXCEEDED: 'Over the balance cap',
      YEARLY_LIMIT_EXCEEDED: 'Over the yearly limit',
      CURRENCY_NOT_SUPPORTED: 'Currency not supported',
    },
    onlineBanking: 'Top up with online banking',
  },
  online: {
    title: 'Online banking',
    entry: 'Top up with online banking',
    entryHint: 'Pay on the online banking page of your bank',
    receiveEntry: 'Receive from another bank (account number)',
    bank: 'Choose your bank',
    amount: 'Amount',
    submit: 'Go to my bank to pay',
    redirectHint: 'You will pay on the page of your bank and come back here afterwards.',
    pending: 'Waiting for your bank',
    pendingHint:
      'The money arrives once your bank confirms, usually within seconds and at most 30 minutes. You can leave ' +
      'this page.',
    succeeded: 'Top-up succeeded',
    failed: 'Top-up did not go through',
    expired: 'Top-up expired',
    reasons: {
      CANCELLED_AT_BANK: 'You cancelled the payment at your bank',
      NOT_PAID_IN_TIME: 'Not paid within 30 minutes',
      AMOUNT_MISMATCH: 'Your bank paid a different amount. Please contact support',
      INTERBANK_UNAVAILABLE: 'The interbank network was not available. Please try again later',
    },
    backHome: 'Back to home',
  },
};
