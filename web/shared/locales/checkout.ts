import type { Shape } from './shape';

/** The hosted pay page of online checkout (/pay/{order}). */
export const checkoutZh = {
  title: '订单支付',
  shop: '收款商户',
  verified: '已认证商户',
  description: '商品',
  orderNumber: '商户订单号',
  expires: '请在 {{time}} 前完成支付',
  scanHint: '请使用通宝钱包扫一扫完成支付',
  payHere: '在本机用通宝钱包支付',
  signInToPay: '登录通宝钱包支付',
  paid: '支付成功',
  paidAlready: '该订单已支付',
  closed: '该订单已关闭，不能支付',
  expired: '该订单已过期，不能支付',
  backToShop: '返回商户',
  testMode: '测试订单：不会扣款，请在商户的测试接口中模拟支付。',
  notFound: '订单不存在',
};

export const checkoutEn: Shape<typeof checkoutZh> = {
  title: 'Pay for your order',
  shop: 'Paying',
  verified: 'Verified merchant',
  description: 'Item',
  orderNumber: 'Shop order number',
  expires: 'Please pay before {{time}}',
  scanHint: 'Scan with the Tongbao wallet to pay',
  payHere: 'Pay with Tongbao on this device',
  signInToPay: 'Sign in to Tongbao to pay',
  paid: 'Payment made',
  paidAlready: 'This order is already paid',
  closed: 'This order is closed and cannot be paid',
  expired: 'This order has expired and cannot be paid',
  backToShop: 'Back to the shop',
  testMode: 'Test order: no money moves. Simulate the payment through the shop’s test API.',
  notFound: 'The order does not exist',
};
