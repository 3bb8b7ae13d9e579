import { useMerchantT } from './i18n';

/** The merchant webhook pages' strings (zh-CN and English), kept beside the merchant table. */
const zh = {
  webhooks: 'Webhook 通知',
  webhooksHint: '订单支付、关闭、退款和结算到账时，通宝向这些地址发送签名消息（Standard Webhooks）。',
  webhookAdd: '添加地址',
  webhookUrl: '接收地址（https）',
  webhookDescription: '备注（可选）',
  webhookEvents: '通知事件',
  webhookMode: '模式',
  modeLive: '正式',
  modeTest: '测试',
  webhookSecret: '签名密钥（只显示这一次，请立即保存）',
  webhookNone: '暂无 Webhook 地址',
  webhookList: '已添加的地址',
  webhookActive: '启用中',
  webhookDisabled: '已停用',
  webhookFailing: '投递失败中',
  webhookDisable: '停用',
  webhookEnable: '启用',
  webhookDelete: '删除',
  webhookDeleteConfirm: '删除后不再向该地址发送通知，确定删除吗？',
  webhookRotate: '更换密钥',
  webhookRotating: '旧密钥仍有效至',
  webhookDeliveries: '最近投递',
  webhookNoDeliveries: '暂无投递记录',
  deliveryStatus_pending: '待重试',
  deliveryStatus_succeeded: '已送达',
  deliveryStatus_failed: '失败',
  deliveryAttempts: '尝试次数',
  deliveryNext: '下次重试',
  deliveryResend: '重新发送',
  deliveryResent: '已重新发送，对方返回',
  deliveryNoAnswer: '无应答',
  deliveryLatency: '耗时',
  notifyTitle: '订单 notifyUrl 签名密钥',
  notifyHint: '订单带 notifyUrl 时，该订单的事件也发送到该地址，用此密钥签名。创建带 notifyUrl 的订单前须先生成。',
  notifyMake: '生成密钥',
  notifyRotate: '更换密钥',
  notifyNone: '尚未生成',
  notifyLog: '投递记录',
  back: '返回',
  disabledReason_failing: '连续 3 天投递失败，已自动停用',
  disabledReason_by_merchant: '已手动停用',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  webhooks: 'Webhooks',
  webhooksHint:
    'When an order is paid or closed, a refund is made or a payout arrives, Tongbao sends a signed message ' +
    '(Standard Webhooks) to these URLs.',
  webhookAdd: 'Add endpoint',
  webhookUrl: 'Endpoint URL (https)',
  webhookDescription: 'Note (optional)',
  webhookEvents: 'Events',
  webhookMode: 'Mode',
  modeLive: 'Live',
  modeTest: 'Test',
  webhookSecret: 'Signing secret (shown this once: save it now)',
  webhookNone: 'No webhook endpoints yet',
  webhookList: 'Endpoints',
  webhookActive: 'Active',
  webhookDisabled: 'Disabled',
  webhookFailing: 'Failing',
  webhookDisable: 'Disable',
  webhookEnable: 'Enable',
  webhookDelete: 'Delete',
  webhookDeleteConfirm: 'Nothing will be sent to this URL any more. Delete it?',
  webhookRotate: 'Rotate secret',
  webhookRotating: 'The old secret still signs until',
  webhookDeliveries: 'Recent deliveries',
  webhookNoDeliveries: 'No deliveries yet',
  deliveryStatus_pending: 'Retrying',
  deliveryStatus_succeeded: 'Delivered',
  deliveryStatus_failed: 'Failed',
  deliveryAttempts: 'Attempts',
  deliveryNext: 'Next try',
  deliveryResend: 'Resend',
  deliveryResent: 'Sent again; the endpoint answered',
  deliveryNoAnswer: 'no answer',
  deliveryLatency: 'took',
  notifyTitle: "Signing secret for orders' notifyUrl",
  notifyHint:
    "When an order has a notifyUrl, the order's events go there too, signed with this secret. Make it before " +
    'creating orders with a notifyUrl.',
  notifyMake: 'Make secret',
  notifyRotate: 'Rotate secret',
  notifyNone: 'Not made yet',
  notifyLog: 'Deliveries',
  back: 'Back',
  disabledReason_failing: 'Disabled after 3 days of failed deliveries',
  disabledReason_by_merchant: 'Disabled by hand',
};

/** The merchant translator with the webhook strings first. */
export function useWebhookT() {
  const base = useMerchantT();
  const t = (key: Key | string): string => ((base.english ? en : zh) as Record<string, string>)[key] ?? base.t(key);
  return { ...base, t };
}
