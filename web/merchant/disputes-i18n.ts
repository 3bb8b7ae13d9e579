import { useMerchantT } from './i18n';

/** The merchant dispute pages' strings (zh-CN and English), kept beside the merchant table. */
const zh = {
  disputes: '交易争议',
  disputesHint: '顾客对付款提出的争议。请在期限内退款或提交答复和证据，逾期由银行客服裁决。',
  disputesOpen: '{{n}} 笔争议待处理',
  noDisputes: '暂无交易争议',
  filterOpen: '待处理',
  filterAll: '全部',
  reason_not_received: '未收到商品或服务',
  reason_charged_twice: '重复扣款',
  reason_wrong_amount: '扣款金额有误',
  dstatus_awaiting_merchant: '待商户处理',
  dstatus_merchant_answered: '已答复，待银行裁决',
  dstatus_merchant_refunded: '商户已退款',
  dstatus_refunded: '银行裁决退款',
  dstatus_rejected: '裁决不予退款',
  claimed: '争议金额',
  paymentAmount: '付款金额',
  payment: '付款单号',
  openedAt: '提出时间',
  dueAt: '答复期限',
  daysLeft: '剩余 {{d}} 天 {{h}} 小时',
  hoursLeft: '剩余 {{h}} 小时',
  overdue: '已逾期',
  holderClaim: '顾客陈述',
  ourAnswer: '我方答复',
  evidenceNote: '证据说明',
  evidenceFiles: '证据文件',
  decision: '银行裁决',
  refundOfDispute: '退款',
  refundDisputeTitle: '退款给顾客',
  refundDisputeHint: '退款将原路退回顾客钱包，争议随即解决。',
  answerTitle: '提交答复',
  answerHint: '说明情况并上传小票、发货记录等证据（JPG、PNG 或 PDF，每个不超过 5 MB，最多 5 个）。',
  answerText: '答复内容',
  answerTextPlaceholder: '例如：顾客已于当天取餐，附小票照片',
  evidenceNotePlaceholder: '证据说明（选填），如小票编号',
  addFile: '添加证据文件',
  uploading: '正在上传…',
  uploaded: '已上传',
  submitAnswer: '提交答复',
  answerDone: '答复已提交，银行客服将尽快裁决',
  answerNeedsManager: '答复争议需店长或老板操作，收银员可在限额内退款。',
  deadlinePassed: '答复期限已过，等待银行客服裁决。',
  back: '返回',
  detailTitle: '争议详情',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  disputes: 'Disputes',
  disputesHint:
    'Customers’ disputes of their payments. Refund, or answer with evidence before the deadline; ' +
    'after it the bank decides.',
  disputesOpen: '{{n}} open dispute(s)',
  noDisputes: 'No disputes',
  filterOpen: 'Open',
  filterAll: 'All',
  reason_not_received: 'Goods or service not received',
  reason_charged_twice: 'Charged twice',
  reason_wrong_amount: 'Wrong amount charged',
  dstatus_awaiting_merchant: 'Waiting for you',
  dstatus_merchant_answered: 'Answered, bank deciding',
  dstatus_merchant_refunded: 'Refunded by you',
  dstatus_refunded: 'Refunded by the bank',
  dstatus_rejected: 'Rejected by the bank',
  claimed: 'Amount disputed',
  paymentAmount: 'Payment',
  payment: 'Payment no.',
  openedAt: 'Opened',
  dueAt: 'Answer by',
  daysLeft: '{{d}} d {{h}} h left',
  hoursLeft: '{{h}} h left',
  overdue: 'Overdue',
  holderClaim: 'Customer’s claim',
  ourAnswer: 'Our answer',
  evidenceNote: 'Evidence note',
  evidenceFiles: 'Evidence files',
  decision: 'Bank’s decision',
  refundOfDispute: 'Refund',
  refundDisputeTitle: 'Refund the customer',
  refundDisputeHint: 'The money goes back to the customer’s wallet and the dispute is settled.',
  answerTitle: 'Answer',
  answerHint:
    'Explain what happened and add receipts or delivery records (JPG, PNG or PDF, up to 5 MB each, at most 5).',
  answerText: 'Your answer',
  answerTextPlaceholder: 'e.g. The customer collected the order that day; receipt attached',
  evidenceNotePlaceholder: 'Evidence note (optional), e.g. receipt number',
  addFile: 'Add an evidence file',
  uploading: 'Uploading…',
  uploaded: 'Uploaded',
  submitAnswer: 'Send answer',
  answerDone: 'Answer sent; the bank will decide soon',
  answerNeedsManager: 'A manager or the owner answers disputes; cashiers may refund within their limit.',
  deadlinePassed: 'The deadline has passed; the bank is deciding.',
  back: 'Back',
  detailTitle: 'Dispute',
};

/** The merchant translator with the dispute strings first; `{{name}}` placeholders filled from `values`. */
export function useDisputeT() {
  const base = useMerchantT();
  const t = (key: Key | string, values: Record<string, string | number> = {}): string => {
    const table = (base.english ? en : zh) as Record<string, string>;
    const text = table[key] ?? base.t(key);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };
  return { ...base, t };
}
