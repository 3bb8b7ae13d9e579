import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { activeMerchant, type TestMerchant } from '../../test/payment-factories.js';
import { balanceOf, setLimits, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';

/**
 * Agreement payments (签约代扣) over HTTP: the shop asks, the holder signs on the hosted page with
 * the PIN, the shop charges within the caps (per charge, per Beijing-time month, also under
 * concurrency), the holder sees and revokes; authorization, bad input and test mode; the daily
 * settlement file against the ledger.
 */

// 2026-12-10 10:00 in Beijing.
const clock = manualClock('2026-12-10T02:00:00Z');
let t: TestApp;
let shop: TestMerchant;
let other: TestMerchant;
let holder: WalletHolder;
let live: string;
let test: string;
let otherLive: string;
let keyCounter = 0;
let numbers = 0;

const api = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (key: string, idem = `mk-${process.pid}-${++keyCounter}`) => ({ ...api(key), 'idempotency-key': idem });

async function makeKey(merchant: TestMerchant, mode: 'live' | 'test') {
  const made = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/api-keys',
    headers: merchant.auth,
    payload: { name: `shop ${mode}`, mode, rateLimitPerMinute: 6000 },
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json().secret as string;
}

const createMandate = (key: string, body: Record<string, unknown> = {}, idem?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/merchant/v1/mandates',
    headers: post(key, idem),
    payload: {
      shopMandateNumber: `M-${++numbers}`,
      description: '视频会员 连续包月',
      capPerCharge: 3000,
      capPerMonth: 10000,
      currency: 'CNY',
      returnUrl: 'https://shop.example/mandate-done',
      ...body,
    },
  });

async function mandate(key: string, body: Record<string, unknown> = {}) {
  const made = await createMandate(key, body);
  expect(made.statusCode, made.body).toBe(201);
  return made.json() as { id: string; status: string; signUrl: string };
}

/** The holder signs on the hosted page: start, approve with the PIN, complete. */
async function sign(who: WalletHolder, id: string) {
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/v1/checkout/mandates/${id}/sign`,
    headers: { ...who.auth, 'idempotency-key': `sign-${++keyCounter}` },
  });
  expect(started.statusCode, started.body).toBe(201);
  const confirmationId = started.json().confirmation.id as string;
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmationId}/pin`,
    headers: who.auth,
    payload: { pin: who.pin },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/checkout/mandates/${id}/complete`,
    headers: { ...who.auth, 'idempotency-key': `complete-${++keyCounter}` },
    payload: { confirmationId },
  });
}

async function signedMandate(key: string, body: Record<string, unknown> = {}, who = holder) {
  const made = await mandate(key, body);
  const signed = await sign(who, made.id);
  expect(signed.statusCode, signed.body).toBe(200);
  return made.id;
}

const charge = (key: string, id: string, amount: number, idem?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/merchant/v1/mandates/${id}/charges`,
    headers: post(key, idem),
    payload: { amount, currency: 'CNY', description: '12月会员费' },
  });

async function counts() {
  const q = async (sql: string) => Number((await t.db.query<{ n: number }>(sql)).rows[0].n);
  return {
    mandates: await q('SELECT count(*)::int AS n FROM merchant_api_mandates'),
    charges: await q('SELECT count(*)::int AS n FROM merchant_api_mandate_charges'),
    months: await q('SELECT coalesce(sum(used), 0)::int AS n FROM merchant_api_mandate_months'),
    payments: await q("SELECT count(*)::int AS n FROM payments WHERE source = 'mandate'"),
  };
}

const myMandates = async (who: WalletHolder) => {
  const listed = await t.app.inject({ url: '/api/v1/me/mandates', headers: who.auth });
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json().items as {
    id: string;
    status: string;
    merchantName: string;
    usedThisMonth: number;
    charges: { amount: number }[];
  }[];
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  other = await activeMerchant(t);
  holder = await walletHolder(t, { balanceFen: 100_000n });
  live = await makeKey(shop, 'live');
  test = await makeKey(shop, 'test');
  otherLive = await makeKey(other, 'live');
});
afterAll(async () => t?.close());
// Each test starts past the risk engine's ten-minute velocity window (still 10 December in Beijing).
beforeEach(() => clock.advanceMs(11 * 60_000));

describe('signing on the hosted page', () => {
  it('shows the shop and the caps, signs with the PIN, and tells the holder', async () => {
    const made = await mandate(live);
    expect(made).toMatchObject({ status: 'pending', signUrl: `/mandate/${made.id}` });
    const page = await t.app.inject({ url: `/api/v1/checkout/mandates/${made.id}` });
    expect(page.json()).toMatchObject({
      merchantName: shop.name,
      merchantNumber: shop.merchantNumber,
      capPerCharge: 3000,
      capPerMonth: 10000,
      status: 'pending',
      returnUrl: `https://shop.example/mandate-done?mandate=${made.id}`,
    });
    // Signing needs a signed-in holder.
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${made.id}/sign`,
      headers: { 'idempotency-key': 'anon-1' },
    });
    expect(anonymous.statusCode).toBe(401);
    const signed = await sign(holder, made.id);
    expect(signed.json()).toMatchObject({ status: 'active', usedThisMonth: 0 });
    const got = await t.app.inject({ url: `/api/merchant/v1/mandates/${made.id}`, headers: api(live) });
    expect(got.json()).toMatchObject({ status: 'active' });
    expect((await myMandates(holder)).find((m) => m.id === made.id)).toMatchObject({
      status: 'active',
      merchantName: shop.name,
    });
    // Signed once: a second signing is refused.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${made.id}/sign`,
      headers: { ...holder.auth, 'idempotency-key': `again-${made.id}` },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MERCHANT_API_MANDATE_NOT_PENDING');
    const notices = await t.app.inject({ url: '/api/v1/notifications', headers: holder.auth });
    expect(notices.body).toContain('merchant_api.mandate_signed');
  });

  it('refuses a confirmation made for another mandate, and an expired request', async () => {
    const a = await mandate(live);
    const b = await mandate(live, { capPerMonth: 20000 });
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${a.id}/sign`,
      headers: { ...holder.auth, 'idempotency-key': `a-${a.id}` },
    });
    const confirmationId = started.json().confirmation.id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${confirmationId}/pin`,
      headers: holder.auth,
      payload: { pin: holder.pin },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${b.id}/complete`,
      headers: { ...holder.auth, 'idempotency-key': `b-${b.id}` },
      payload: { confirmationId },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('CONFIRMATION_INVALID');
    const late = await mandate(live, { expiresInSeconds: 60 });
    clock.advanceMs(61_000);
    const page = await t.app.inject({ url: `/api/v1/checkout/mandates/${late.id}` });
    expect(page.json().status).toBe('expired');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${late.id}/sign`,
      headers: { ...holder.auth, 'idempotency-key': `late-${late.id}` },
    });
    expect(refused.json().code).toBe('MERCHANT_API_MANDATE_NOT_PENDING');
  });
});

describe('charging', () => {
  it('charges within the caps without the holder, notifies, and refuses over the caps writing nothing', async () => {
    const id = await signedMandate(live);
    const before = await balanceOf(t, holder.walletId);
    const shopBefore = await balanceOf(t, shop.settlementAccountId);
    const charged = await charge(live, id, 3000);
    expect(charged.statusCode, charged.body).toBe(201);
    expect(charged.json()).toMatchObject({ object: 'mandate_charge', amount: 3000, status: 'succeeded' });
    expect(charged.json().paymentId).toMatch(/^pay_/);
    expect(await balanceOf(t, holder.walletId)).toBe(before - 3000n);
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(shopBefore + 3000n);
    const notices = await t.app.inject({ url: '/api/v1/notifications', headers: holder.auth });
    expect(notices.body).toContain('payment.mandate_charged');

    const written = await counts();
    const overCharge = await charge(live, id, 3001);
    expect(overCharge.statusCode).toBe(409);
    expect(overCharge.json()).toMatchObject({ code: 'MERCHANT_API_MANDATE_CHARGE_CAP_EXCEEDED' });
    expect(await charge(live, id, 3000)).toHaveProperty('statusCode', 201);
    expect(await charge(live, id, 3000)).toHaveProperty('statusCode', 201);
    // 9000 of 10000 used: 1001 more is past the month's cap.
    const overMonth = await charge(live, id, 1001);
    expect(overMonth.statusCode).toBe(409);
    expect(overMonth.json()).toMatchObject({ code: 'MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED', remainingFen: 1000 });
    expect(await counts()).toEqual({
      ...written,
      charges: written.charges + 2,
      months: written.months + 6000,
      payments: written.payments + 2,
    });
    expect(await charge(live, id, 1000)).toHaveProperty('statusCode', 201);
    expect(await balanceOf(t, holder.walletId)).toBe(before - 10000n);
    const mine = (await myMandates(holder)).find((m) => m.id === id);
    expect(mine?.usedThisMonth).toBe(10000);
    expect(mine?.charges.map((c) => c.amount).sort()).toEqual([1000, 3000, 3000, 3000]);
    const listed = await t.app.inject({ url: `/api/merchant/v1/mandates/${id}/charges?limit=3`, headers: api(live) });
    expect(listed.json().items).toHaveLength(3);
    expect(listed.json().nextCursor).not.toBeNull();
  });

  it('replays a retried charge with the same Idempotency-Key instead of charging twice', async () => {
    const id = await signedMandate(live);
    const first = await charge(live, id, 500, `same-${id}`);
    const second = await charge(live, id, 500, `same-${id}`);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const listed = await t.app.inject({ url: `/api/merchant/v1/mandates/${id}/charges`, headers: api(live) });
    expect(listed.json().items).toHaveLength(1);
  });

  it('applies the holder’s limits and balance as for any payment, writing nothing when refused', async () => {
    const poor = await walletHolder(t, { name: '李四', balanceFen: 1000n });
    const id = await signedMandate(live, {}, poor);
    const written = await counts();
    const broke = await charge(live, id, 2000);
    expect(broke.statusCode).toBe(422);
    expect(broke.json().code).toBe('INSUFFICIENT_FUNDS');
    const limited = await walletHolder(t, { name: '王五', balanceFen: 50_000n });
    await setLimits(t, limited.walletId, { perMovementFen: 1000n });
    const limitedId = await signedMandate(live, {}, limited);
    const over = await charge(live, limitedId, 1500);
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('LIMIT_EXCEEDED');
    expect(await counts()).toEqual({ ...written, mandates: written.mandates + 1 });
    expect(await balanceOf(t, poor.walletId)).toBe(1000n);
  });

  it('is closed during a payments maintenance window', async () => {
    const id = await signedMandate(live);
    const scheduled = await t.services.maintenance.schedule({
      feature: 'payments',
      startsAt: new Date(clock.now().getTime() - 1000),
      endsAt: new Date(clock.now().getTime() + 60_000),
      titleZh: '系统升级',
      titleEn: 'System upgrade',
      messageZh: '支付暂停',
      messageEn: 'Payments paused',
      createdBy: 'test',
    });
    expect(scheduled.ok).toBe(true);
    const closed = await charge(live, id, 100);
    expect(closed.statusCode).toBe(503);
    expect(closed.json().code).toBe('FEATURE_IN_MAINTENANCE');
    clock.advanceMs(61_000);
    expect((await charge(live, id, 100)).statusCode).toBe(201);
  });

  it('never passes the monthly cap with parallel charges', async () => {
    const rich = await walletHolder(t, { name: '赵六', balanceFen: 1_000_000n });
    const id = await signedMandate(live, { capPerCharge: 3000, capPerMonth: 10000 }, rich);
    // Five at once (the risk engine's velocity rule asks for a step-up from the sixth in ten minutes).
    const results = await Promise.all(Array.from({ length: 5 }, () => charge(live, id, 3000)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c === 409)).toHaveLength(2);
    for (const r of results.filter((x) => x.statusCode === 409))
      expect(r.json().code).toBe('MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED');
    expect(await balanceOf(t, rich.walletId)).toBe(1_000_000n - 9000n);
    const used = await t.db.query<{ used: bigint }>(
      'SELECT used FROM merchant_api_mandate_months WHERE mandate_id = $1',
      [id],
    );
    expect(BigInt(used.rows[0].used)).toBe(9000n);
  });
});

describe('authorization', () => {
  it('lets only the mandate’s own merchant and mode see or charge it, and only its holder revoke it', async () => {
    const id = await signedMandate(live);
    const written = await counts();
    for (const key of [otherLive, test]) {
      expect((await t.app.inject({ url: `/api/merchant/v1/mandates/${id}`, headers: api(key) })).statusCode).toBe(404);
      const refused = await charge(key, id, 100);
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('MERCHANT_API_MANDATE_NOT_FOUND');
      const cancel = await t.app.inject({
        method: 'POST',
        url: `/api/merchant/v1/mandates/${id}/cancel`,
        headers: post(key),
      });
      expect(cancel.statusCode).toBe(404);
    }
    const stranger = await walletHolder(t, { name: '钱七' });
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/mandates/${id}/revoke`,
      headers: stranger.auth,
    });
    expect(revoke.statusCode).toBe(404);
    expect(await myMandates(stranger)).toEqual([]);
    // No key at all, or a holder's session on the merchant API.
    expect((await t.app.inject({ method: 'POST', url: `/api/merchant/v1/mandates/${id}/charges` })).statusCode).toBe(
      401,
    );
    const session = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/mandates/${id}/charges`,
      headers: { ...holder.auth, 'idempotency-key': 'session-1' },
      payload: { amount: 100, currency: 'CNY', description: 'x' },
    });
    expect(session.statusCode).toBe(403);
    expect(await counts()).toEqual(written);
  });
});

describe('revoking and cancelling', () => {
  it('the holder revokes in the wallet; the next charge is refused with a stable code', async () => {
    const id = await signedMandate(live);
    expect((await charge(live, id, 100)).statusCode).toBe(201);
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/mandates/${id}/revoke`,
      headers: holder.auth,
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    const refused = await charge(live, id, 100);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'MERCHANT_API_MANDATE_REVOKED', status: 'revoked' });
    const got = await t.app.inject({ url: `/api/merchant/v1/mandates/${id}`, headers: api(live) });
    expect(got.json().status).toBe('revoked');
    // Revoking again changes nothing.
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/me/mandates/${id}/revoke`, headers: holder.auth });
    expect(again.json().status).toBe('revoked');
  });

  it('the shop cancels; an unsigned mandate cannot be charged', async () => {
    const unsigned = await mandate(live);
    const notSigned = await charge(live, unsigned.id, 100);
    expect(notSigned.statusCode).toBe(409);
    expect(notSigned.json().code).toBe('MERCHANT_API_MANDATE_NOT_SIGNED');
    const id = await signedMandate(live);
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/mandates/${id}/cancel`,
      headers: post(live),
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await charge(live, id, 100)).json().code).toBe('MERCHANT_API_MANDATE_REVOKED');
  });
});

describe('bad input', () => {
  it('answers 4xx and writes nothing', async () => {
    const id = await signedMandate(live);
    const written = await counts();
    const bodies: Record<string, unknown>[] = [
      { capPerCharge: 5000, capPerMonth: 4000 },
      { capPerCharge: 0 },
      { capPerMonth: 5_000_001 },
      { capPerCharge: 1.5 },
      { currency: 'USD' },
      { description: '' },
      { shopMandateNumber: '中文编号' },
      { returnUrl: 'ftp://shop.example/x' },
      { returnUrl: 'https://user:pw@shop.example/x' },
      { expiresInSeconds: 10 },
      { unexpected: true },
    ];
    for (const body of bodies) {
      const refused = await createMandate(live, body);
      expect(refused.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(refused.statusCode, JSON.stringify(body)).toBeLessThan(500);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/merchant/v1/mandates',
      headers: api(live),
      payload: { shopMandateNumber: 'NOKEY', description: 'x', capPerCharge: 1, capPerMonth: 1, currency: 'CNY' },
    });
    expect(noKey.statusCode).toBe(400);
    const taken = await createMandate(live, { shopMandateNumber: 'TAKEN-1' });
    expect(taken.statusCode).toBe(201);
    const twice = await createMandate(live, { shopMandateNumber: 'TAKEN-1' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('MERCHANT_API_MANDATE_NUMBER_TAKEN');
    for (const amount of [0, -5, 1.5, 'x', 5_000_001]) {
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/merchant/v1/mandates/${id}/charges`,
        headers: post(live),
        payload: { amount, currency: 'CNY', description: 'x' },
      });
      expect(refused.statusCode, String(amount)).toBe(400);
    }
    const noDescription = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/mandates/${id}/charges`,
      headers: post(live),
      payload: { amount: 100, currency: 'CNY' },
    });
    expect(noDescription.statusCode).toBe(400);
    const unknown = await charge(live, 'mdt_nothing', 100);
    expect(unknown.statusCode).toBe(404);
    const noConfirmation = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${id}/complete`,
      headers: { ...holder.auth, 'idempotency-key': 'nc-1' },
      payload: {},
    });
    expect(noConfirmation.statusCode).toBe(400);
    expect(await counts()).toEqual({ ...written, mandates: written.mandates + 1 });
  });
});

describe('test mode', () => {
  it('signs by the test call and charges within the caps without touching any balance', async () => {
    const made = await mandate(test, { capPerCharge: 500, capPerMonth: 800 });
    // The hosted page cannot sign a test mandate with a real wallet.
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/checkout/mandates/${made.id}/sign`,
      headers: { ...holder.auth, 'idempotency-key': `t-${made.id}` },
    });
    expect(refused.statusCode).toBe(404);
    const liveSign = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/test/mandates/${made.id}/sign`,
      headers: post(live),
    });
    expect(liveSign.statusCode).toBe(403);
    const signed = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/test/mandates/${made.id}/sign`,
      headers: post(test),
    });
    expect(signed.json().status).toBe('active');
    const before = await balanceOf(t, holder.walletId);
    const shopBefore = await balanceOf(t, shop.settlementAccountId);
    const paymentsBefore = (await counts()).payments;
    const first = await charge(test, made.id, 500);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ mode: 'test', paymentId: null });
    expect((await charge(test, made.id, 400)).json().code).toBe('MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED');
    expect(await balanceOf(t, holder.walletId)).toBe(before);
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(shopBefore);
    expect((await counts()).payments).toBe(paymentsBefore);
  });
});

describe('the daily settlement file', () => {
  it('lists the day’s payments and refunds; its totals equal the ledger’s movements', async () => {
    const settled = async (key: string, day: string) => {
      const got = await t.app.inject({ url: `/api/merchant/v1/settlements/${day}`, headers: api(key) });
      expect(got.statusCode, got.body).toBe(200);
      expect(got.headers['content-type']).toContain('text/csv');
      return got.body.trim().split('\r\n');
    };
    // A checkout order paid and partly refunded beside the mandate charges above.
    const order = await t.app.inject({
      method: 'POST',
      url: '/api/merchant/v1/orders',
      headers: post(live),
      payload: { amount: 2590, currency: 'CNY', description: '面', shopOrderNumber: 'SETTLE-1' },
    });
    const page = await t.app.inject({ url: `/api/v1/checkout/orders/${order.json().id}` });
    const { pay } = await import('../../test/payment-factories.js');
    expect((await pay(t, holder, { payload: page.json().payload })).statusCode).toBe(200);
    const refund = await t.app.inject({
      method: 'POST',
      url: `/api/merchant/v1/orders/${order.json().id}/refunds`,
      headers: post(live),
      payload: { amount: 590 },
    });
    expect(refund.statusCode, refund.body).toBe(201);

    const day = '2026-12-10';
    const lines = await settled(live, day);
    expect(lines[0]).toBe('type,id,payment_id,time,source,reference,amount_yuan,fee_yuan,net_yuan');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect(rows.some((r) => r[0] === 'payment' && r[4] === 'mandate')).toBe(true);
    expect(rows.some((r) => r[0] === 'payment' && r[4] === 'dynamic_qr' && r[5] === 'SETTLE-1')).toBe(true);
    expect(rows.some((r) => r[0] === 'refund' && r[8] === '-5.90')).toBe(true);
    const total = lines[lines.length - 1].split(',');
    expect(total[0]).toBe('total');
    const fen = (yuan: string) => BigInt(Math.round(Number(yuan) * 100));
    const net = rows.reduce((sum, r) => sum + fen(r[8]), 0n);
    expect(fen(total[8])).toBe(net);
    // The ledger: what moved on the merchant's settlement account in that Beijing day.
    const moved = await t.db.query<{ sum: bigint | null }>(
      `SELECT sum(p.amount) AS sum FROM ledger_postings p JOIN ledger_entries e ON e.seq = p.entry_seq
       WHERE p.account_id = $1 AND e.created_at >= $2 AND e.created_at < $3`,
      [shop.settlementAccountId, new Date('2026-12-09T16:00:00Z'), new Date('2026-12-10T16:00:00Z')],
    );
    expect(net).toBe(BigInt(moved.rows[0].sum ?? 0));
    expect(net).toBeGreaterThan(0n);
    // The day before had nothing; tomorrow is not a settlement day yet; nonsense is refused.
    expect(await settled(live, '2026-12-09')).toHaveLength(2);
    const future = await t.app.inject({ url: '/api/merchant/v1/settlements/2026-12-11', headers: api(live) });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('MERCHANT_API_SETTLEMENT_DAY_INVALID');
    for (const bad of ['2026-02-30', '20261210', '2026-13-01'])
      expect((await t.app.inject({ url: `/api/merchant/v1/settlements/${bad}`, headers: api(live) })).statusCode).toBe(
        400,
      );
    // Another merchant's file has none of these; test mode lists the test charge only.
    expect(await settled(otherLive, day)).toHaveLength(2);
    const testRows = (await settled(test, day)).slice(1, -1);
    expect(testRows).toHaveLength(1);
    expect(testRows[0]).toContain(',mandate,');
  });
});

describe('the month turns in Beijing time', () => {
  it('counts a new month from midnight in Beijing, and the ledger still verifies', async () => {
    const rich = await walletHolder(t, { name: '孙八', balanceFen: 100_000n });
    const id = await signedMandate(live, { capPerCharge: 3000, capPerMonth: 3000 }, rich);
    // 23:59 on 31 December in Beijing: still December.
    clock.set('2026-12-31T15:59:00Z');
    expect((await charge(live, id, 3000)).statusCode).toBe(201);
    expect((await charge(live, id, 1)).json().code).toBe('MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED');
    clock.advanceMs(2 * 60_000);
    expect((await charge(live, id, 3000)).statusCode).toBe(201);
    expect(await balanceOf(t, rich.walletId)).toBe(94_000n);
    const report = await verifyLedger(t.db);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});
