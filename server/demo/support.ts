import type { Logger } from 'pino';
import type { Services } from '../app.js';

/**
 * Demo customer service, so the console's queue and the merchant's dispute page are not empty on
 * `npm start`: three open tickets (the first demo holder's failed payment with a conversation with
 * the demo support agent, a suggestion, a complaint about the service) and one open dispute of a
 * payment the first holder made at the first demo merchant, waiting for the merchant's answer.
 * Everything goes through the services; skipped when the first holder already has a ticket.
 */

export async function ensureSupport(input: {
  services: Services;
  holderIds: string[];
  pin: string;
  merchantNumber: string | null;
  agentPhone: string;
  logger?: Logger;
}): Promise<void> {
  const { services, holderIds } = input;
  const support = services.support;
  const [first, second, third] = holderIds;
  if (!first) return;
  if ((await support.tickets.listMine(first, { closed: null, limit: 1 })).items.length > 0) return;

  const failed = await support.tickets.open(first, {
    category: 'payment_failed',
    subject: '扫码付款一直失败',
    text: '今天中午在便利店扫码付款，提示失败，但不知道原因。请帮我看看。',
  });
  if (!failed.ok) {
    input.logger?.warn({ code: failed.error.code }, 'demo tickets skipped');
    return;
  }
  const agentId = await services.identity.staff.idByPhone(input.agentPhone);
  if (agentId) {
    const agent = { kind: 'staff' as const, id: agentId, roles: ['support'] };
    await support.tickets.claim(agent, failed.value.id);
    await support.tickets.postMessage(agent, failed.value.id, {
      text: '您好，我是通宝客服。请问付款时页面提示的是什么？我们正在为您查询。',
    });
    await support.tickets.postMessage({ kind: 'user', id: first }, failed.value.id, {
      text: '提示“付款未成功，请稍后再试”。',
    });
  }
  if (second)
    await support.tickets.open(second, {
      category: 'suggestion',
      subject: '希望账单能按月导出',
      text: '建议在账单页面增加按月导出 PDF 的功能，方便记账。',
    });
  if (third)
    await support.tickets.open(third, {
      category: 'complaint_service',
      subject: '客服热线等待时间过长',
      text: '昨晚拨打客服热线等待了二十多分钟才接通，希望改进。',
    });

  if (!input.merchantNumber) return;
  const paid = await services.payments.payments.payWithPin(
    first,
    { merchantNumber: input.merchantNumber, amountFen: 3_800n, note: '牛肉面套餐' },
    input.pin,
    {},
    'demo-seed-dispute-payment',
  );
  if (!paid.ok || paid.value.status !== 'completed') {
    input.logger?.warn({ code: paid.ok ? paid.value.status : paid.error.code }, 'demo dispute skipped');
    return;
  }
  const opened = await support.disputes.open(first, {
    paymentId: paid.value.id,
    reason: 'not_received',
    claimedAmountFen: 3_800n,
    text: '外卖订单付款后一直没有送到，商家电话也打不通。',
  });
  if (!opened.ok) input.logger?.warn({ code: opened.error.code }, 'demo dispute not opened');
}
