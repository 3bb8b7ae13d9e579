import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { activeMerchant, merchantSignIn, merchantStaff, pay, type TestMerchant } from '../../test/payment-factories.js';
import { walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { jobDefinitions } from '../jobs.js';
import { readOutbox } from '../notifications/sms.js';
import { manualClock } from '../platform/clock.js';
import { DISABLE_AFTER_MS, RETRY_SCHEDULE_MS } from './webhooks.js';
import { sendWebhookHttp } from './webhook-sender.js';

/**
 * Webhooks over HTTP with a real receiver on this machine: endpoints and secrets, the outbox (events
 * written with the change), delivery by the job verified with the official `standardwebhooks` package,
 * retries on the controlled clock, disabling, resend, and SSRF refusals when saving and when sending.
 */

const start = new Date();
const clock = manualClock(start);
let t: TestApp;
let shop: TestMerchant;
let buyer: WalletHolder;
let live: string;
let test: string;
let keys = 0;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let answerStatus = 200;
let receiver: Server;
let hookUrl: string;

/**
 * What a shop does with a message: the official package's verify, on a receiver whose clock reads the
 * same as ours (the package refuses timestamps more than 5 minutes from its Date.now(), and these tests
 * move our clock by days).
 */
function verify(secret: string, message: Received): unknown {
  vi.useFakeTimers({ toFake: ['Date'], now: clock.now() });
  try {
    return new Webhook(secret).verify(message.body, message.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

const api = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (key: string) => ({ ...api(key), 'idempotency-key': `wh-${process.pid}-${++keys}` });
const runJob = () =>
  jobDefinitions({ db: t.db, clock, services: t.services })
    .find((job) => job.name === 'merchant-api-webhooks')
    ?.handler({}) as Promise<void>;
const settings = () => t.services.merchantApi.deps.webhooks as NonNullable<typeof t.services.merchantApi.deps.webhooks>;

async function makeKey(mode: 'live' | 'test') {
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/api-keys',
    headers: shop.auth,
    payload: { name: `hooks ${mode}`, mode },
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json().secret as string;
}

async function endpoint(body: Record<string, unknown>) {
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/webhooks',
    headers: shop.auth,
    payload: body,
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json() as { id: string; secret: string; status: string };
}

let numbers = 0;
async function order(key: string, body: Record<string, unknown> = {}) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/merchant/v1/orders',
    headers: post(key),
    payload: { amount: 1880, currency: 'CNY', description: '测试订单', shopOrderNumber: `WH-${++numbers}`, ...body },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as { id: string };
}

const payTest = (id: string) =>
  t.app.inject({ method: 'POST', url: `/api/merchant/v1/test/orders/${id}/pay`, headers: post(test) });

async function deliveries(endpointId: string) {
  const listed = await t.app.inject({ url: `/api/v1/merchant/webhooks/${endpointId}/deliveries`, headers: shop.auth });
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json().items as {
    id: string;
    eventId: string;
    eventType: string;
    status: string;
    attempts: number;
    nextAttemptAt: string | null;
    log: { responseStatus: number | null; latencyMs: number; error: string | null; manual: boolean }[];
  }[];
}

/** After the clock moved past the session's lifetime, the owner signs in again. */
const signInAgain = async () => {
  shop.auth = await merchantSignIn(t, shop.ownerPhone);
};

const disableOthers = async (keep: string) => {
  const listed = await t.app.inject({ url: '/api/v1/merchant/webhooks', headers: shop.auth });
  for (const item of listed.json().items as { id: string }[])
    if (item.id !== keep)
      await t.app.inject({ method: 'DELETE', url: `/api/v1/merchant/webhooks/${item.id}`, headers: shop.auth });
};

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(answerStatus, { 'content-type': 'text/plain' }).end(answerStatus < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
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

describe('webhook endpoints', () => {
  it('shows the secret once, refuses private targets in live mode, and is for the owner only', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://169.254.169.254/latest',
      'https://[::1]/hook',
      'https://10.0.0.8/hook',
      'http://shop.example/hook',
    ]) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/merchant/webhooks',
        headers: shop.auth,
        payload: { url, mode: 'live', events: ['order.paid'] },
      });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json().code).toBe('MERCHANT_API_URL_INVALID');
    }
    const made = await endpoint({ url: hookUrl, mode: 'test', events: ['order.paid'] });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await t.app.inject({ url: '/api/v1/merchant/webhooks', headers: shop.auth });
    expect(listed.body).not.toContain(made.secret);
    const stored = await t.db.query<{ secret_enc: string }>(
      'SELECT secret_enc FROM merchant_webhook_endpoints WHERE id = $1',
      [made.id],
    );
    expect(stored.rows[0].secret_enc).not.toContain(made.secret.slice(6));
    const cashier = await merchantStaff(t, shop, 'cashier');
    expect((await t.app.inject({ url: '/api/v1/merchant/webhooks', headers: await cashier.fresh() })).statusCode).toBe(
      403,
    );
    await t.app.inject({ method: 'DELETE', url: `/api/v1/merchant/webhooks/${made.id}`, headers: shop.auth });
  });

  it('is managed over the API too, in the key’s own mode, with an Idempotency-Key on POST', async () => {
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/merchant/v1/webhook-endpoints',
      headers: api(test),
      payload: { url: hookUrl, events: ['refund.succeeded'] },
    });
    expect(noKey.statusCode).toBe(400);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/merchant/v1/webhook-endpoints',
      headers: post(test),
      payload: { url: hookUrl, events: ['refund.succeeded'], description: 'from the API' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ mode: 'test', events: ['refund.succeeded'], status: 'active' });
    const id = made.json().id as string;
    // A live key sees only live endpoints.
    expect(
      (await t.app.inject({ url: `/api/merchant/v1/webhook-endpoints/${id}`, headers: api(live) })).statusCode,
    ).toBe(404);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/merchant/v1/webhook-endpoints/${id}`,
      headers: api(test),
      payload: { events: ['order.paid', 'order.closed'] },
    });
    expect(changed.json().events).toEqual(['order.paid', 'order.closed']);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/merchant/v1/webhook-endpoints/${id}`,
      headers: api(test),
      payload: { events: ['order.eaten'] },
    });
    expect(bad.statusCode).toBe(400);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/merchant/v1/webhook-endpoints/${id}`,
      headers: api(test),
    });
    expect(removed.statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/merchant/v1/webhook-endpoints', headers: api(test) })).json().items,
    ).toEqual([]);
  });
});

describe('delivery', () => {
  it('records order.paid with the change, delivers it signed, verified by the official package', async () => {
    const hook = await endpoint({ url: hookUrl, mode: 'test', events: ['order.paid', 'refund.succeeded'] });
    const created = await order(test);
    expect((await payTest(created.id)).statusCode).toBe(200);
    const events = await t.db.query<{ id: string; type: string }>(
      'SELECT id, type FROM merchant_webhook_events WHERE subject_id = $1',
      [created.id],
    );
    expect(events.rows.map((row) => row.type)).toEqual(['order.paid']);
    received.length = 0;
    answerStatus = 200;
    await runJob();
    expect(received).toHaveLength(1);
    const [message] = received;
    const verified = verify(hook.secret, message) as {
      type: string;
      data: { id: string; status: string; amount: number };
    };
    expect(verified).toMatchObject({ type: 'order.paid', data: { id: created.id, status: 'paid', amount: 1880 } });
    expect(message.headers['webhook-id']).toBe(events.rows[0].id);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, eventType: 'order.paid' });
    expect(delivery.log[0]).toMatchObject({ responseStatus: 200, error: null, manual: false });
    expect(delivery.log[0].latencyMs).toBeGreaterThanOrEqual(0);
    // Nothing is sent twice.
    await runJob();
    expect(received).toHaveLength(1);

    // A refund: refund.succeeded, written in the refund's own transaction.
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/refunds`,
      headers: post(test),
      payload: { amount: 500 },
    });
    expect(refunded.statusCode).toBe(201);
    await runJob();
    expect(received).toHaveLength(2);
    const refund = verify(hook.secret, received[1]);
    expect(refund).toMatchObject({ type: 'refund.succeeded', data: { id: refunded.json().id, amount: 500 } });
    await disableOthers('');
  });

  it('records order.paid in the live payment’s own transaction, before anyone reads the order', async () => {
    const created = await order(live, { amount: 1200 });
    const page = await t.app.inject({ url: `/api/v1/checkout/orders/${created.id}` });
    const paid = await pay(t, buyer, { payload: page.json().payload });
    expect(paid.statusCode, paid.body).toBe(200);
    const rows = await t.db.query<{ status: string; type: string }>(
      `SELECT o.status, e.type FROM merchant_api_orders o JOIN merchant_webhook_events e ON e.subject_id = o.id
       WHERE o.id = $1`,
      [created.id],
    );
    expect(rows.rows).toEqual([{ status: 'paid', type: 'order.paid' }]);
    // Closing a live order records order.closed.
    const other = await order(live);
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${other.id}/close`,
      headers: post(live),
    });
    expect(closed.statusCode).toBe(200);
    const closedEvents = await t.db.query<{ type: string }>(
      'SELECT type FROM merchant_webhook_events WHERE subject_id = $1',
      [other.id],
    );
    expect(closedEvents.rows).toEqual([{ type: 'order.closed' }]);
    // The nightly payout of the shop's takings records payout.paid with the payout.
    await t.services.payments.payouts.run();
    const payouts = await t.db.query<{ body: string }>(
      `SELECT body FROM merchant_webhook_events WHERE merchant_id = $1 AND type = 'payout.paid'`,
      [shop.id],
    );
    expect(payouts.rows).toHaveLength(1);
    expect(JSON.parse(payouts.rows[0].body)).toMatchObject({
      type: 'payout.paid',
      data: { object: 'payout', currency: 'CNY', amount: 1200 },
    });
  });

  it('signs with both secrets for 24 hours after a rotation', async () => {
    const hook = await endpoint({ url: hookUrl, mode: 'test', events: ['order.paid'] });
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhooks/${hook.id}/rotate-secret`,
      headers: shop.auth,
    });
    expect(rotated.statusCode).toBe(201);
    const newer = rotated.json().secret as string;
    expect(newer).not.toBe(hook.secret);
    expect(rotated.json().rotatingUntil).toBe(new Date(clock.now().getTime() + 24 * 3600_000).toISOString());
    received.length = 0;
    await payTest((await order(test)).id);
    await runJob();
    const [during] = received;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, newer]) expect(verify(secret, during)).toMatchObject({ type: 'order.paid' });
    clock.advanceMs(24 * 3600_000 + 1000);
    await signInAgain();
    await payTest((await order(test)).id);
    await runJob();
    const after = received[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(newer, after)).toMatchObject({ type: 'order.paid' });
    expect(() => verify(hook.secret, after)).toThrow();
    await disableOthers('');
  });

  it('retries on the backoff schedule with the controlled clock; any 2xx acknowledges', async () => {
    const hook = await endpoint({ url: hookUrl, mode: 'test', events: ['order.paid'] });
    received.length = 0;
    answerStatus = 500;
    await payTest((await order(test)).id);
    await runJob();
    expect(received).toHaveLength(1);
    let [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery.nextAttemptAt).toBe(new Date(clock.now().getTime() + RETRY_SCHEDULE_MS[0]).toISOString());
    // Not due yet: nothing is sent.
    clock.advanceMs(RETRY_SCHEDULE_MS[0] - 1000);
    await runJob();
    expect(received).toHaveLength(1);
    clock.advanceMs(1000);
    await runJob();
    expect(received).toHaveLength(2);
    [delivery] = await deliveries(hook.id);
    expect(delivery.nextAttemptAt).toBe(new Date(clock.now().getTime() + RETRY_SCHEDULE_MS[1]).toISOString());
    expect(received[0].headers['webhook-id']).toBe(received[1].headers['webhook-id']);
    answerStatus = 204;
    clock.advanceMs(RETRY_SCHEDULE_MS[1]);
    await runJob();
    await signInAgain();
    expect(received).toHaveLength(3);
    [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, nextAttemptAt: null });
    expect(delivery.log.map((entry) => entry.responseStatus)).toEqual([500, 500, 204]);
    const endpointNow = await t.app.inject({ url: `/api/v1/merchant/webhooks/${hook.id}`, headers: shop.auth });
    expect(endpointNow.json()).toMatchObject({ status: 'active', failingSince: null });
    await disableOthers('');
  });

  it('disables an endpoint failing for three days, tells the merchant, and resends by hand once fixed', async () => {
    const hook = await endpoint({ url: hookUrl, mode: 'test', events: ['order.paid'] });
    received.length = 0;
    answerStatus = 503;
    await payTest((await order(test)).id);
    const firstFailure = clock.now().getTime();
    await runJob();
    for (const wait of RETRY_SCHEDULE_MS) {
      clock.advanceMs(wait);
      await runJob();
    }
    await signInAgain();
    expect(received).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    expect(clock.now().getTime() - firstFailure).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: RETRY_SCHEDULE_MS.length + 1, nextAttemptAt: null });
    const disabled = await t.app.inject({ url: `/api/v1/merchant/webhooks/${hook.id}`, headers: shop.auth });
    expect(disabled.json()).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    const notices = await readOutbox(t.db, t.services.identity.ctx.cipher, { purpose: 'merchant_webhook', limit: 5 });
    expect(notices.some((notice) => notice.text.includes(hookUrl))).toBe(true);

    // Disabled: new events are not delivered to it, and a resend is refused until it is enabled.
    await payTest((await order(test)).id);
    await runJob();
    expect(received).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhook-deliveries/${delivery.id}/resend`,
      headers: shop.auth,
    });
    expect(refused.json().code).toBe('MERCHANT_API_WEBHOOK_DISABLED');
    const enabled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhooks/${hook.id}/enable`,
      headers: shop.auth,
    });
    expect(enabled.json()).toMatchObject({ status: 'active', failingSince: null });
    answerStatus = 200;
    const resent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhook-deliveries/${delivery.id}/resend`,
      headers: shop.auth,
    });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toEqual({ acknowledged: true, statusCode: 200 });
    const last = received[received.length - 1];
    expect(verify(hook.secret, last)).toMatchObject({ type: 'order.paid' });
    const [after] = await deliveries(hook.id);
    expect(after.status).toBe('succeeded');
    expect(after.log.filter((entry) => entry.manual)).toMatchObject([{ manual: true, responseStatus: 200 }]);
    // Another merchant cannot resend it.
    const stranger = await activeMerchant(t);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/webhook-deliveries/${delivery.id}/resend`,
      headers: stranger.auth,
    });
    expect(foreign.statusCode).toBe(404);
    await disableOthers('');
  });
});

describe('SSRF at delivery time', () => {
  it('refuses a live endpoint whose name now resolves to a private address (DNS rebinding)', async () => {
    let address = '93.184.216.34';
    settings().resolve = async () => [address];
    const hook = await endpoint({ url: 'https://shop.example/hooks', mode: 'live', events: ['order.closed'] });
    address = '10.0.0.5';
    const created = await order(live);
    await t.app.inject({ method: 'POST', url: `/api/merchant/v1/orders/${created.id}/close`, headers: post(live) });
    received.length = 0;
    await runJob();
    const [delivery] = await deliveries(hook.id);
    expect(delivery.log[0]).toMatchObject({ responseStatus: null, error: 'private_address' });
    expect(delivery.status).toBe('pending');
    expect(received).toHaveLength(0);
    settings().resolve = undefined;
    await disableOthers('');
  });

  it('checks the address actually connected to: a name resolving to loopback is never called', async () => {
    const outcome = await sendWebhookHttp(
      new URL(`http://localhost:${(receiver.address() as AddressInfo).port}/hooks`),
      { headers: { 'content-type': 'application/json' }, body: '{}' },
      { refusePrivate: true, timeoutMs: 5000 },
    );
    expect(outcome).toMatchObject({ ok: false, error: 'private_address' });
    received.length = 0;
    const allowed = await sendWebhookHttp(
      new URL(`http://localhost:${(receiver.address() as AddressInfo).port}/hooks`),
      { headers: { 'content-type': 'application/json' }, body: '{}' },
      { refusePrivate: false, timeoutMs: 5000 },
    );
    expect(allowed).toMatchObject({ ok: true, status: 200 });
    expect(received).toHaveLength(1);
  });
});
