import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  activeMerchant,
  merchantSignIn,
  merchantStaff,
  pay,
  preparePayment,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { balanceOf, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';

/** The merchant API over HTTP: keys, orders, the pay page's view, paying, closing, refunds, test mode. */

const clock = manualClock(new Date());
let t: TestApp;
let shop: TestMerchant;
let buyer: WalletHolder;
let live: string;
let test: string;
let keyCounter = 0;

const api = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (key: string) => ({ ...api(key), 'idempotency-key': `ck-${process.pid}-${++keyCounter}` });

async function makeKey(mode: 'live' | 'test', extra: Record<string, unknown> = {}) {
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/api-keys',
    headers: shop.auth,
    payload: { name: `shop ${mode}`, mode, ...extra },
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json() as { id: string; secret: string; prefix: string };
}

let orderNumbers = 0;
async function createOrder(key: string, body: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/merchant/v1/orders',
    headers: post(key),
    payload: {
      amount: 2590,
      currency: 'CNY',
      description: '老街面馆 外卖',
      shopOrderNumber: `SO-${++orderNumbers}`,
      returnUrl: 'https://shop.example/return',
      notifyUrl: 'https://shop.example/notify',
      metadata: { cart: 'c-1' },
      ...body,
    },
  });
}

async function order(key: string, body: Record<string, unknown> = {}) {
  const created = await createOrder(key, body);
  expect(created.statusCode, created.body).toBe(201);
  return created.json() as { id: string; status: string; shopOrderNumber: string; payUrl: string };
}

const payPage = (id: string) => t.app.inject({ url: `/api/v1/checkout/orders/${id}` });

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  buyer = await walletHolder(t, { balanceFen: 100_000n });
  live = (await makeKey('live')).secret;
  test = (await makeKey('test')).secret;
  // Orders carry a notifyUrl: its host resolves to a public address here, and the notify secrets exist.
  (t.services.merchantApi.deps.webhooks as { resolve?: (host: string) => Promise<string[]> }).resolve = async () => [
    '93.184.216.34',
  ];
  for (const mode of ['live', 'test'])
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/merchant/webhook-notify',
          headers: shop.auth,
          payload: { mode },
        })
      ).statusCode,
    ).toBe(201);
});
afterAll(async () => t?.close());

describe('API keys', () => {
  it('shows a secret once, keeps only its hash, and lists keys with their last use', async () => {
    const made = await makeKey('live');
    expect(made.secret).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(made.secret.startsWith(made.prefix)).toBe(true);
    const stored = await t.db.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM merchant_api_keys WHERE id = $1',
      [made.id],
    );
    expect(stored.rows[0].secret_hash).not.toContain(made.secret.slice(8));
    expect((await t.app.inject({ url: '/api/merchant/v1/orders', headers: api(made.secret) })).statusCode).toBe(200);
    const listed = await t.app.inject({ url: '/api/v1/merchant/api-keys', headers: shop.auth });
    expect(listed.body).not.toContain(made.secret);
    const item = listed.json().items.find((k: { id: string }) => k.id === made.id);
    expect(item).toMatchObject({ mode: 'live', status: 'active' });
    expect(item.lastUsedAt).not.toBeNull();
  });

  it('is for the owner only; a cashier cannot see or make keys', async () => {
    const cashier = await merchantStaff(t, shop, 'cashier');
    const auth = await cashier.fresh();
    expect((await t.app.inject({ url: '/api/v1/merchant/api-keys', headers: auth })).statusCode).toBe(403);
  });

  it('refuses no key, a wrong key and a session token on the API', async () => {
    expect((await t.app.inject({ url: '/api/merchant/v1/orders' })).statusCode).toBe(401);
    const wrong = `sk_live_${'A'.repeat(43)}`;
    const refused = await t.app.inject({ url: '/api/merchant/v1/orders', headers: api(wrong) });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await t.app.inject({ url: '/api/merchant/v1/orders', headers: shop.auth })).statusCode).toBe(403);
  });

  it('limits each key per minute: 429 with Retry-After', async () => {
    const slow = await makeKey('test', { rateLimitPerMinute: 2 });
    const use = () => t.app.inject({ url: '/api/merchant/v1/orders', headers: api(slow.secret) });
    expect((await use()).statusCode).toBe(200);
    expect((await use()).statusCode).toBe(200);
    const limited = await use();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key of the same merchant is not affected.
    expect((await t.app.inject({ url: '/api/merchant/v1/orders', headers: api(test) })).statusCode).toBe(200);
    // Counted in memory: no throttle row, no database write per request.
    const counted = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM throttle_counters WHERE scope = 'merchant_api:key'",
    );
    expect(Number(counted.rows[0].n)).toBe(0);
  });
});

describe('orders', () => {
  it('creates, gets and lists orders with a cursor; every POST needs an Idempotency-Key', async () => {
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/merchant/v1/orders',
      headers: api(live),
      payload: { amount: 100, currency: 'CNY', description: 'x', shopOrderNumber: 'NOKEY-1' },
    });
    expect(noKey.statusCode).toBe(400);
    const created = await order(live, { shopOrderNumber: 'PAGE-A' });
    expect(created).toMatchObject({ status: 'open', payUrl: `/pay/${created.id}` });
    await order(live, { shopOrderNumber: 'PAGE-B' });
    await order(live, { shopOrderNumber: 'PAGE-C' });
    const got = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) });
    expect(got.json()).toMatchObject({ amount: 2590, currency: 'CNY', metadata: { cart: 'c-1' } });
    const first = await t.app.inject({ url: '/api/merchant/v1/orders?limit=2', headers: api(live) });
    expect(first.json().items).toHaveLength(2);
    const cursor = first.json().nextCursor as string;
    expect(cursor).toBe(first.json().items[1].id);
    const second = await t.app.inject({
      url: `/api/merchant/v1/orders?limit=2&startingAfter=${cursor}`,
      headers: api(live),
    });
    const ids = [...first.json().items, ...second.json().items].map((o: { id: string }) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(created.id);
  });

  it('keeps the shop order number unique per merchant; bad input writes nothing', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM merchant_api_orders');
    await order(live, { shopOrderNumber: 'DUP-1' });
    const again = await createOrder(live, { shopOrderNumber: 'DUP-1' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MERCHANT_API_ORDER_NUMBER_TAKEN');
    for (const bad of [
      { returnUrl: 'http://shop.example/return' },
      { notifyUrl: 'javascript:alert(1)' },
      { expiresInSeconds: 10 },
      { amount: 0 },
      { amount: 1.5 },
      { currency: 'USD' },
      { shopOrderNumber: '订单' },
      { extra: 1 },
    ]) {
      const refused = await createOrder(live, bad);
      expect(refused.statusCode, JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
      expect(refused.statusCode, JSON.stringify(bad)).toBeLessThan(500);
    }
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM merchant_api_orders');
    expect(Number(after.rows[0].n)).toBe(Number(before.rows[0].n) + 1);
  });

  it('is paid once from the pay page, then refunded in parts, never above what was paid', async () => {
    const created = await order(live, { amount: 3000 });
    const page = await payPage(created.id);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ merchantName: shop.name, amount: 3000, status: 'open' });
    expect(page.json().returnUrl).toBe(`https://shop.example/return?order=${created.id}`);
    const before = await balanceOf(t, buyer.walletId);
    const paid = await pay(t, buyer, { payload: page.json().payload });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(await balanceOf(t, buyer.walletId)).toBe(before - 3000n);
    const again = await pay(t, buyer, { payload: page.json().payload });
    expect(again.json().code).toBe('QR_ALREADY_PAID');
    const got = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) });
    expect(got.json()).toMatchObject({ status: 'paid', paymentId: paid.json().id });
    expect((await payPage(created.id)).json()).toMatchObject({ status: 'paid', payload: null });

    const refund = (amount: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/merchant/v1/orders/${created.id}/refunds`,
        headers: post(live),
        payload: { amount, reason: 'part' },
      });
    expect((await refund(1000)).statusCode).toBe(201);
    expect((await refund(1500)).statusCode).toBe(201);
    const over = await refund(501);
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'MERCHANT_API_REFUND_EXCEEDS_PAID', refundableFen: 500 });
    expect(await balanceOf(t, buyer.walletId)).toBe(before - 500n);
    const refunds = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}/refunds`, headers: api(live) });
    expect(
      refunds
        .json()
        .items.map((r: { amount: number }) => r.amount)
        .sort(),
    ).toEqual([1000, 1500]);
    const one = await t.app.inject({
      url: `/api/merchant/v1/refunds/${refunds.json().items[0].id}`,
      headers: api(live),
    });
    expect(one.json()).toMatchObject({ orderId: created.id, status: 'succeeded' });
    expect(
      (await t.app.inject({ url: `/api/merchant/v1/refunds/${one.json().id}`, headers: api(test) })).statusCode,
    ).toBe(404);
    const close = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${created.id}/close`,
      headers: post(live),
    });
    expect(close.json()).toMatchObject({ code: 'MERCHANT_API_ORDER_NOT_OPEN', status: 'paid' });
  });

  it('cannot be paid once closed or expired', async () => {
    const closing = await order(live);
    const payload = (await payPage(closing.id)).json().payload as string;
    const prepared = await preparePayment(t, buyer, { payload });
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${closing.id}/close`,
      headers: post(live),
    });
    expect(closed.json().status).toBe('closed');
    expect((await prepared.complete?.())?.json().code).toBe('QR_ALREADY_PAID');
    expect((await pay(t, buyer, { payload })).statusCode).toBe(404);
    expect((await payPage(closing.id)).json()).toMatchObject({ status: 'closed', payload: null });

    const expiring = await order(live, { expiresInSeconds: 60 });
    const late = (await payPage(expiring.id)).json().payload as string;
    clock.advanceMs(61_000);
    expect((await pay(t, buyer, { payload: late })).json().code).toBe('QR_EXPIRED');
    const got = await t.app.inject({ url: `/api/merchant/v1/orders/${expiring.id}`, headers: api(live) });
    expect(got.json().status).toBe('expired');
    expect((await payPage(expiring.id)).json().payload).toBeNull();
  });

  it('is paid at most once when two devices race for it', async () => {
    const second = await walletHolder(t, { balanceFen: 100_000n });
    const created = await order(live, { amount: 4200 });
    const payload = (await payPage(created.id)).json().payload as string;
    const [a, b] = await Promise.all([preparePayment(t, buyer, { payload }), preparePayment(t, second, { payload })]);
    const answers = await Promise.all([a.complete?.(), b.complete?.(), a.complete?.(), b.complete?.()]);
    const completed = new Set(
      answers.filter((r) => r?.statusCode === 200).map((r) => (r?.json() as { id: string }).id),
    );
    expect(completed.size).toBe(1);
    const got = await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) });
    expect(got.json().status).toBe('paid');
    expect(completed.has(got.json().paymentId)).toBe(true);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});

describe('test mode', () => {
  it('keeps test orders apart and never touches balances', async () => {
    const before = await balanceOf(t, shop.settlementAccountId);
    const created = await order(test, { returnUrl: 'http://localhost:3000/return' });
    expect((await payPage(created.id)).json()).toMatchObject({ mode: 'test', payload: null });
    expect((await t.app.inject({ url: `/api/merchant/v1/orders/${created.id}`, headers: api(live) })).statusCode).toBe(
      404,
    );
    const livePay = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/test/orders/${created.id}/pay`,
      headers: post(live),
    });
    expect(livePay.json().code).toBe('MERCHANT_API_TEST_MODE_ONLY');
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/test/orders/${created.id}/pay`,
      headers: post(test),
    });
    expect(paid.json().status).toBe('paid');
    const refund = (amount: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/merchant/v1/orders/${created.id}/refunds`,
        headers: post(test),
        payload: { amount },
      });
    const answers = await Promise.all([refund(2000), refund(2000)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(before);
  });
});

describe('rolling keys (last: it moves the clock a day)', () => {
  it('rolls a key (the old one works 24 h more) and revokes one at once', async () => {
    const first = await makeKey('test');
    const rolled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/api-keys/${first.id}/roll`,
      headers: shop.auth,
    });
    expect(rolled.statusCode, rolled.body).toBe(201);
    const second = rolled.json().secret as string;
    const use = (key: string) => t.app.inject({ url: '/api/merchant/v1/orders', headers: api(key) });
    expect((await use(first.secret)).statusCode).toBe(200);
    expect((await use(second)).statusCode).toBe(200);
    clock.advanceMs(24 * 3600_000 + 1000);
    expect((await use(first.secret)).statusCode).toBe(401);
    expect((await use(second)).statusCode).toBe(200);
    shop.auth = await merchantSignIn(t, shop.ownerPhone);
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/api-keys/${rolled.json().id}/revoke`,
      headers: shop.auth,
    });
    expect(revoked.json().status).toBe('revoked');
    expect((await use(second)).statusCode).toBe(401);
  });
});
