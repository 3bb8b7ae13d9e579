import type { Shape } from './shape';

/** Receipts and records like Alipay's: transaction number, payment method, month totals, 电子回单. */
export const receiptsZh = {
  receipt: {
    transactionNo: '交易号',
    copy: '复制',
    copied: '交易号已复制',
    paidWith: '付款方式',
    paidInto: '入账方式',
    balance: '账户余额',
    card: '{{bank}}{{type}}（{{last4}}）',
    debit: '储蓄卡',
    credit: '信用卡',
    to: '收款方',
    from: '付款方',
    memo: '备注',
    question: '对此订单有疑问',
    pdf: '电子回单',
    pdfHint: 'PDF，可作为交易证明',
    monthIn: '收入 {{amount}}',
    monthOut: '支出 {{amount}}',
    done: '完成',
    beijingTime: '北京时间',
  },
};

export const receiptsEn: Shape<typeof receiptsZh> = {
  receipt: {
    transactionNo: 'Transaction no.',
    copy: 'Copy',
    copied: 'Transaction number copied',
    paidWith: 'Paid with',
    paidInto: 'Paid into',
    balance: 'Wallet balance',
    card: '{{bank}} {{type}} ending {{last4}}',
    debit: 'debit card',
    credit: 'credit card',
    to: 'To',
    from: 'From',
    memo: 'Memo',
    question: 'Question about this order',
    pdf: 'Electronic receipt',
    pdfHint: 'PDF, proof of the transaction',
    monthIn: 'In {{amount}}',
    monthOut: 'Out {{amount}}',
    done: 'Done',
    beijingTime: 'Beijing time',
  },
};
