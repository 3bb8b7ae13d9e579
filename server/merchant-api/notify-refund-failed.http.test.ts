import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { activeMerchant, pay, type TestMerchant } from '../../test/payment-factories.js';
import { balanceOf, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { jobDefinitions } from '../jobs.js';
import { manualClock } from '../platform/clock.js';

/**
 * An order's notifyUrl and refund.failed, over HTTP with a real receiver on this machine: the notify
 * secret (made, shown once, rotated), the order's events delivered to its notify URL beside the
 * merchant's endpoints and verified with the official `standardwebhooks` package, SSRF refusals when
 * the order is made and when sending; a live refund whose money cannot move kept as failed, answered
 * with a problem, and sent as refund.failed to an endpoint and to the order's notify URL.
 */

const clock = manualClock(new Date());
let t: TestApp;
let shop: TestMerchant;
let buyer: WalletHolder;
let live: string;
let test: string;
let keys = 0;
let liveNotifySecret = '';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let receiver: Server;
let base: string;

function verify(secret: string, message: Received): { type: string; data: Record<string, unknown> } {
  vi.useFakeTimers({ toFake: ['Date'], now: clock.now() });
  try {
    return new Webhook(secret).verify(message.body, message.headers as Record<string, string>) as {
      type: string;
      data: Record<string, unknown>;
    };
  } finally {
    vi.useRealTimers();
  }
}

const api = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (key: string, idem = `nt-${process.pid}-${++keys}`) => ({ ...api(key), 'idempotency-key': idem });
const runJob = () =>
  jobDefinitions({ db: t.db, clock, services: t.services })
    .find((job) => job.name === 'merchant-api-webhooks')
    ?.handler({}) as Promise<void>;
const settings = () => t.services.merchantApi.deps.webhooks as NonNullable<typeof t.services.merchantApi.deps.webhooks>;
const count = async (table: string) =>
  Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

async function makeKey(mode: 'live' | 'test') {
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/api-keys',
    headers: shop.auth,
    payload: { name: `notify ${mode}`, mode },
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json().secret as string;
}

let numbers = 0;
const createOrder = (key: string, body: Record<string, unknown> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/merchant/v1/orders',
    headers: post(key),
    payload: { amount: 3300, currency: 'CNY', description: '通知测试', shopOrderNumber: `NT-${++numbers}`, ...body },
  });

async function order(key: string, body: Record<string, unknown> = {}) {
  const created = await createOrder(key, body);
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as { id: string; payUrl: string };
}

async function deliveries(endpointId: string) {
  const listed = await t.app.inject({ url: `/api/v1/merchant/webhooks/${endpointId}/deliveries`, headers: shop.auth });
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json().items as { id: string; url: string; eventType: string; status: string; log: unknown[] }[];
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  buyer = await walletHolder(t, { balanceFen: 100_000n });
  live = await makeKey('live');
  test = await makeKey('test');
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('an order’s notify URL', () => {
  it('needs the notify secret first, and refuses private targets in live mode; refusals write nothing', async () => {
    const before = await count('merchant_api_orders');
    const missing = await createOrder(test, { notifyUrl: `${base}/notify` });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().code).toBe('MERCHANT_API_NOTIFY_SECRET_MISSING');
    for (const notifyUrl of ['https://127.0.0.1/n', 'https://169.254.169.254/latest', 'https://[::1]/n']) {
      const refused = await createOrder(live, { notifyUrl });
      expect(refused.statusCode, notifyUrl).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'MERCHANT_API_URL_INVALID' });
    }
    expect(await count('merchant_api_orders')).toBe(before);
  });

  it('gets the order’s events signed with the notify secret beside endpoints; a rotation signs with both', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/api/merchant/v1/webhook-notify', headers: api(test) });
    expect(noKey.statusCode).toBe(400);
    const made = await t.app.inject({ method: 'POST', url: '/api/merchant/v1/webhook-notify', headers: post(test) });
    expect(made.statusCode, made.body).toBe(201);
    const notify = made.json() as { id: string; secret: string; mode: string };
    expect(notify.secret).toMatch(/^whsec_/);
    expect(notify.mode).toBe('test');
    // The signer is not one of the endpoints, and its secret is never listed.
    const endpoints = await t.app.inject({ url: '/api/merchant/v1/webhook-endpoints', headers: api(test) });
    expect(endpoints.json().items).toEqual([]);
    const signers = await t.app.inject({ url: '/api/merchant/v1/webhook-notify', headers: api(test) });
    expect(signers.json().items.map((item: { id: string }) => item.id)).toEqual([notify.id]);
    expect(signers.body).not.toContain(notify.secret);

    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/webhooks',
      headers: shop.auth,
      payload: { url: `${base}/endpoint`, mode: 'test', events: ['order.paid'] },
    });
    const endpoint = hook.json() as { id: string; secret: string };
    const created = await order(test, { notifyUrl: `${base}/notify?shop=1` });
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/test/orders/${created.id}/pay`,
      headers: post(test),
    });
    expect(paid.statusCode).toBe(200);
    received.length = 0;
    await runJob();
    const atNotify = received.filter((message) => message.path === '/notify?shop=1');
    const atEndpoint = received.filter((message) => message.path === '/endpoint');
    expect(atNotify).toHaveLength(1);
    expect(atEndpoint).toHaveLength(1);
    expect(verify(notify.secret, atNotify[0])).toMatchObject({ type: 'order.paid', data: { id: created.id } });
    expect(verify(endpoint.secret, atEndpoint[0])).toMatchObject({ type: 'order.paid' });
    // One event, one webhook-id, whichever way it went; the endpoint's secret does not sign the notify one.
    expect(atNotify[0].headers['webhook-id']).toBe(atEndpoint[0].headers['webhook-id']);
    expect(() => verify(endpoint.secret, atNotify[0])).toThrow();

    // The delivery log of the notify signer names the order's URL, and a resend goes there again.
    const [delivery] = await deliveries(notify.id);
    expect(delivery).toMatchObject({ url: `${base}/notify?shop=1`, eventType: 'order.paid', status: 'succeeded' });
    const resent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhook-deliveries/${delivery.id}/resend`,
      headers: shop.auth,
    });
    expect(resent.json()).toEqual({ acknowledged: true, statusCode: 200 });
    expect(received.at(-1)?.path).toBe('/notify?shop=1');

    // Asking again rotates: for 24 hours both secrets sign; a refund's event goes to the notify URL too.
    const rotated = await t.app.inject({ method: 'POST', url: '/api/merchant/v1/webhook-notify', headers: post(test) });
    expect(rotated.json()).toMatchObject({ id: notify.id });
    expect(rotated.json().rotatingUntil).not.toBeNull();
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/refunds`,
      headers: post(test),
      payload: { amount: 300 },
    });
    expect(refunded.statusCode).toBe(201);
    received.length = 0;
    await runJob();
    expect(received.map((message) => message.path)).toEqual(['/notify?shop=1']);
    expect(verify(notify.secret, received[0])).toMatchObject({ type: 'refund.succeeded', data: { amount: 300 } });
    expect(verify(rotated.json().secret, received[0])).toMatchObject({ type: 'refund.succeeded' });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/merchant/webhooks/${endpoint.id}`, headers: shop.auth });
  });

  it('is checked again when sending: a live notify URL now resolving to a private address is not called', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/webhook-notify',
      headers: shop.auth,
      payload: { mode: 'live' },
    });
    expect(made.statusCode, made.body).toBe(201);
    liveNotifySecret = made.json().secret;
    let address = '93.184.216.34';
    settings().resolve = async () => [address];
    const created = await order(live, { notifyUrl: 'https://shop.example/notify' });
    address = '10.0.0.5';
    await t.app.inject({ method: 'POST', url: `/api/merchant/v1/orders/${created.id}/close`, headers: post(live) });
    received.length = 0;
    await runJob();
    const [delivery] = await deliveries(made.json().id);
    expect(delivery).toMatchObject({
      url: 'https://shop.example/notify',
      eventType: 'order.closed',
      status: 'pending',
    });
    expect(delivery.log[0]).toMatchObject({ responseStatus: null, error: 'private_address' });
    expect(received).toHaveLength(0);
    settings().resolve = undefined;
  });
});

describe('refund.failed', () => {
  it('keeps a live refund whose money cannot move as failed, and tells the endpoint and the notify URL', async () => {
    // The development override: live targets on this machine.
    settings().allowPrivate = true;
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/webhooks',
      headers: shop.auth,
      payload: { url: `${base}/refunds`, mode: 'live', events: ['refund.failed', 'refund.succeeded'] },
    });
    const endpoint = hook.json() as { id: string; secret: string };
    const created = await order(live, { amount: 2000, notifyUrl: `${base}/live-notify` });
    const page = await t.app.inject({ url: `/api/v1/checkout/orders/${created.id}` });
    expect((await pay(t, buyer, { payload: page.json().payload })).statusCode).toBe(200);
    const walletBefore = await balanceOf(t, buyer.walletId);

    // The nightly payout empties the settlement account: the refund is asked for properly but cannot move money.
    await t.services.payments.payouts.run();
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(0n);
    const idem = `nt-fail-${process.pid}`;
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/refunds`,
      headers: post(live, idem),
      payload: { amount: 800, reason: '缺货' },
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'MERCHANT_API_REFUND_FAILED', reason: 'INSUFFICIENT_FUNDS' });
    const refundId = refused.json().refundId as string;
    const read = await t.app.inject({ url: `/api/merchant/v1/refunds/${refundId}`, headers: api(live) });
    expect(read.json()).toMatchObject({ status: 'failed', failureCode: 'INSUFFICIENT_FUNDS', amount: 800 });
    // The same key replays the answer: one failed refund, not two; no money moved, nothing counted as refunded.
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/refunds`,
      headers: post(live, idem),
      payload: { amount: 800, reason: '缺货' },
    });
    expect(replay.json().refundId).toBe(refundId);
    const rows = await t.db.query('SELECT id FROM merchant_api_refunds WHERE order_id = $1', [created.id]);
    expect(rows.rows).toHaveLength(1);
    expect(await balanceOf(t, buyer.walletId)).toBe(walletBefore);
    const got = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) });
    expect(got.json().refundedAmount).toBe(0);

    received.length = 0;
    await runJob();
    const atEndpoint = received.find((message) => message.path === '/refunds') as Received;
    const atNotify = received.filter((message) => message.path === '/live-notify');
    expect(verify(endpoint.secret, atEndpoint)).toMatchObject({
      type: 'refund.failed',
      data: { id: refundId, status: 'failed', failureCode: 'INSUFFICIENT_FUNDS', amount: 800 },
    });
    expect(atNotify.map((message) => verify(liveNotifySecret, message).type).sort()).toEqual([
      'order.paid',
      'refund.failed',
    ]);

    // Once the shop has takings again, the same refund asked again succeeds and is counted.
    const next = await order(live, { amount: 1500 });
    const nextPage = await t.app.inject({ url: `/api/v1/checkout/orders/${next.id}` });
    expect((await pay(t, buyer, { payload: nextPage.json().payload })).statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/refunds`,
      headers: post(live),
      payload: { amount: 800 },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ status: 'succeeded', failureCode: null });
    const after = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) });
    expect(after.json().refundedAmount).toBe(800);
    settings().allowPrivate = false;
  });
});
