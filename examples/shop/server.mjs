// A tiny web shop paid through Tongbao (docs/merchant-api.md, "The example shop"). One page: a product,
// a "buy" button that creates an order with the shop's API key and sends the buyer to Tongbao's hosted
// pay page, the return page, and the order list. The shop believes an order paid only when Tongbao's
// webhook says so, verified with the official `standardwebhooks` package, or when its server reads the
// order back with the key (the return URL alone proves nothing).
import Fastify from 'fastify';
import { Webhook } from 'standardwebhooks';
import { tongbaoClient } from './tongbao.mjs';

const config = {
  tongbao: (process.env.TONGBAO_URL ?? 'http://localhost:3000').replace(/\/$/, ''),
  apiKey: process.env.TONGBAO_API_KEY ?? '',
  webhookSecret: process.env.TONGBAO_WEBHOOK_SECRET ?? '',
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '127.0.0.1',
};
config.shopUrl = (process.env.SHOP_URL ?? `http://localhost:${config.port}`).replace(/\/$/, '');
if (!config.apiKey.startsWith('sk_') || !config.webhookSecret.startsWith('whsec_')) {
  console.error('Set TONGBAO_API_KEY (sk_live_… or sk_test_…) and TONGBAO_WEBHOOK_SECRET (whsec_…).');
  process.exit(1);
}

const PRODUCT = { name: '手工拉面礼盒 Hand-pulled noodle box', amountFen: 4280 };
/** The shop's own records, in memory: order id → what the shop knows. */
const orders = new Map();
/** webhook-id values already handled: a retried message is acknowledged and not applied twice. */
const seen = new Set();
const webhook = new Webhook(config.webhookSecret);

/** Tongbao's merchant API with the key, typed from its OpenAPI document (tongbao.mjs). */
const tongbao = tongbaoClient({ baseUrl: config.tongbao, apiKey: config.apiKey });

const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(body) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>老街面馆网店 Example shop</title>
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:24px auto;padding:0 12px;color:#1f2329}
button{background:#c8102e;color:#fff;border:0;border-radius:8px;padding:10px 16px;font-size:16px}
li{margin:6px 0}.paid{color:#0a7d32;font-weight:600}.open{color:#a66b00}</style></head><body>
<h1>老街面馆网店</h1>${body}</body></html>`;
}

function orderList() {
  const items = [...orders.values()].reverse().map((o) => {
    const id = escape(o.id);
    const tone = o.status === 'paid' ? 'paid' : 'open';
    const status = `<span class="${tone}" data-testid="status-${id}">${escape(o.status)}</span>`;
    const refunded =
      o.refundedFen > 0 ? ` · <span data-testid="refunded-${id}">refunded ${yuan(o.refundedFen)}</span>` : '';
    return `<li data-order="${id}">${escape(o.shopOrderNumber)} · ${yuan(o.amountFen)} · ${status}${refunded}
      ${
        o.status === 'paid' && o.refundedFen === 0
          ? `<form method="post" action="/orders/${escape(o.id)}/refund" style="display:inline">
             <button data-testid="refund-${escape(o.id)}">退款 Refund</button></form>`
          : ''
      }</li>`;
  });
  return `<h2>订单 Orders</h2><ul>${items.join('') || '<li>none yet</li>'}</ul>`;
}

const app = Fastify({ logger: false });
// Webhooks are verified over the exact bytes received: keep JSON bodies as text.
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
  done(null, body),
);

app.get('/', async (_request, reply) =>
  reply.type('text/html').send(
    page(`<p>${escape(PRODUCT.name)} <strong>${yuan(PRODUCT.amountFen)}</strong></p>
<form method="post" action="/buy"><button data-testid="buy">用通宝支付 Pay with Tongbao</button></form>${orderList()}`),
  ),
);

app.post('/buy', async (_request, reply) => {
  const shopOrderNumber = `SHOP-${Date.now()}`;
  const order = await tongbao.createOrder({
    amount: PRODUCT.amountFen,
    currency: 'CNY',
    description: PRODUCT.name,
    shopOrderNumber,
    returnUrl: `${config.shopUrl}/return`,
    metadata: { product: 'noodle-box' },
  });
  orders.set(order.id, {
    id: order.id,
    shopOrderNumber,
    amountFen: order.amount,
    status: 'open',
    refundedFen: 0,
    webhooks: [],
  });
  return reply.redirect(`${config.tongbao}${order.payUrl}`, 303);
});

// The buyer comes back here: the shop asks Tongbao itself rather than trusting the query string.
app.get('/return', async (request, reply) => {
  const id = String(request.query.order ?? '');
  const known = orders.get(id);
  if (!known) return reply.code(404).type('text/html').send(page('<p>Unknown order.</p>'));
  const order = await tongbao.getOrder(id);
  if (order.status === 'paid') known.status = 'paid';
  return reply.type('text/html').send(
    page(`<p data-testid="return-status">订单 ${escape(known.shopOrderNumber)}: ${escape(order.status)}</p>
<p><a href="/">返回商店 Back to the shop</a></p>${orderList()}`),
  );
});

app.post('/webhooks', async (request, reply) => {
  let event;
  try {
    event = webhook.verify(request.body, request.headers);
  } catch {
    return reply.code(400).send({ error: 'bad signature' });
  }
  const id = request.headers['webhook-id'];
  if (seen.has(id)) return reply.code(204).send();
  seen.add(id);
  const data = event.data;
  const known = orders.get(event.type.startsWith('refund.') ? data.orderId : data.id);
  if (known) {
    known.webhooks.push(event.type);
    if (event.type === 'order.paid' || event.type === 'order.closed') known.status = data.status;
    if (event.type === 'refund.succeeded') known.refundedFen += data.amount;
  }
  app.log.info({ type: event.type, id }, 'webhook verified');
  return reply.code(204).send();
});

app.post('/orders/:id/refund', async (request, reply) => {
  const known = orders.get(request.params.id);
  if (!known || known.status !== 'paid') return reply.code(409).send({ error: 'not paid' });
  // The refund shows in the list when refund.succeeded arrives.
  await tongbao.refund(known.id, known.amountFen);
  return reply.redirect('/', 303);
});

app.get('/orders.json', async () => ({ items: [...orders.values()] }));

await app.listen({ port: config.port, host: config.host });
console.log(`example shop is running at ${config.shopUrl}`);
