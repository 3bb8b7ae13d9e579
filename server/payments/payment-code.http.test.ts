import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { createPiiCipher } from '../platform/crypto.js';
import { signInStaff } from '../../test/kyc-factories.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  applicationInput,
  merchantMoneyHeaders,
  merchantSignIn,
  seedPaymentCode,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { readOutbox } from '../notifications/sms.js';
import { manualClock } from '../platform/clock.js';
import { paymentCodeOtp } from './payment-code.js';

let t: TestApp;
const clock = manualClock('2026-11-23T03:00:10Z');
let shop: TestMerchant;
let alice: WalletHolder;

const charge = (code: string, amount: number, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/charges',
    headers: merchantMoneyHeaders(shop, key),
    payload: { code, amount },
  });

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  alice = await walletHolder(t, { balanceFen: 150_000n });
});
afterAll(async () => t?.close());

describe('payment code derivation', () => {
  it('is HMAC-SHA256 over the 60-second step, dynamically truncated to 8 digits', async () => {
    // An independent computation with WebCrypto, as the web app does it.
    const secret = Buffer.alloc(32, 1);
    const step = 29_400_000;
    const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const message = new DataView(new ArrayBuffer(8));
    message.setBigUint64(0, BigInt(step));
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
    const offset = mac[31] & 0x0f;
    const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
    expect(paymentCodeOtp(secret, step)).toBe(String(binary % 100_000_000).padStart(8, '0'));
  });
});

describe('charging a payment code', () => {
  it('waits for the holder above the password-free allowance; the holder confirms it', async () => {
    const seed = await seedPaymentCode(t, alice);
    const code = seed.codeAt(clock.now());
    expect(code).toMatch(/^28\d{16}$/);
    const charged = await charge(code, 3000);
    expect(charged.statusCode, charged.body).toBe(202);
    expect(charged.json()).toMatchObject({
      status: 'awaiting_confirmation',
      source: 'payment_code',
      passwordFree: false,
    });
    const pending = (await t.app.inject({ url: '/api/v1/payments/pending', headers: alice.auth })).json().items;
    expect(pending[0]).toMatchObject({ id: charged.json().id, amount: 3000, merchantName: '张三面馆' });
    const confirmationId = pending[0].confirmationId;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/confirmations/${confirmationId}/pin`,
          headers: alice.auth,
          payload: { pin: alice.pin },
        })
      ).statusCode,
    ).toBe(200);
    const before = await balanceOf(t, alice.walletId);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/${pending[0].id}/complete`,
      headers: { ...alice.auth, 'idempotency-key': 'pc-1' },
      payload: { confirmationId },
    });
    expect(done.json()).toMatchObject({ status: 'completed' });
    expect(await balanceOf(t, alice.walletId)).toBe(before - 3000n);
  });

  it('accepts each code once, even after the first charge', async () => {
    clock.advanceMs(60_000);
    const seed = await seedPaymentCode(t, alice);
    const code = seed.codeAt(clock.now());
    expect((await charge(code, 100)).statusCode).toBe(202);
    const again = await charge(code, 100);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PAYMENT_CODE_USED');
  });

  it('accepts one step of skew either way, and refuses expired and wrong codes', async () => {
    clock.advanceMs(60_000);
    const seed = await seedPaymentCode(t, alice);
    const ahead = seed.codeAt(new Date(clock.now().getTime() + 60_000));
    expect((await charge(ahead, 100)).statusCode).toBe(202);
    const old = seed.codeAt(new Date(clock.now().getTime() - 180_000));
    const expired = await charge(old, 100);
    expect(expired.json().code).toBe('PAYMENT_CODE_EXPIRED');
    const current = seed.codeAt(clock.now());
    const wrong = current.slice(0, 10) + (current.slice(10) === '00000000' ? '00000001' : '00000000');
    expect((await charge(wrong, 100)).json().code).toBe('PAYMENT_CODE_INVALID');
    expect((await charge('280000000000000000', 100)).json().code).toBe('PAYMENT_CODE_INVALID');
    expect((await charge('12345', 100)).statusCode).toBe(400);
  });

  it("a device's new seed replaces its old one", async () => {
    clock.advanceMs(120_000);
    const first = await seedPaymentCode(t, alice);
    await seedPaymentCode(t, alice);
    expect((await charge(first.codeAt(clock.now()), 100)).json().code).toBe('PAYMENT_CODE_REVOKED');
  });

  it('expires a charge the holder does not confirm', async () => {
    clock.advanceMs(120_000);
    const seed = await seedPaymentCode(t, alice);
    const charged = (await charge(seed.codeAt(clock.now()), 700)).json();
    clock.advanceMs(6 * 60_000);
    expect(await t.services.payments.payments.expire()).toBeGreaterThan(0);
    const after = (await t.app.inject({ url: `/api/v1/payments/${charged.id}`, headers: alice.auth })).json();
    expect(after.status).toBe('expired');
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/${charged.id}/complete`,
      headers: { ...alice.auth, 'idempotency-key': 'late' },
      payload: { confirmationId: charged.confirmationId },
    });
    expect(late.json().code).toBe('PAYMENT_NOT_PENDING');
  });
});

describe('password-free small payments', () => {
  let bob: WalletHolder;
  beforeAll(async () => {
    bob = await walletHolder(t, { balanceFen: 150_000n });
  });

  it('needs the PIN to turn on and refuses caps above the rules', async () => {
    const noPin = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password-free',
      headers: bob.auth,
      payload: { enabled: true },
    });
    expect(noPin.statusCode).toBe(422);
    const tooHigh = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password-free',
      headers: bob.auth,
      payload: { enabled: true, pin: bob.pin, dailyAmount: 100_001 },
    });
    expect(tooHigh.statusCode).toBe(400);
    const on = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password-free',
      headers: bob.auth,
      payload: { enabled: true, pin: bob.pin, perPaymentAmount: 20_000, dailyAmount: 30_000 },
    });
    expect(on.json()).toEqual({ enabled: true, perPaymentAmount: 20_000, dailyAmount: 30_000, usedTodayAmount: 0 });
  });

  it('completes at once within the caps, and asks above them', async () => {
    const seed = await seedPaymentCode(t, bob);
    const at = (minutes: number) => seed.codeAt(new Date(clock.now().getTime() + minutes * 60_000));
    const before = await balanceOf(t, bob.walletId);
    const small = await charge(at(0), 15_000);
    expect(small.statusCode, small.body).toBe(200);
    expect(small.json()).toMatchObject({ status: 'completed', passwordFree: true });
    expect(await balanceOf(t, bob.walletId)).toBe(before - 15_000n);
    const perPayment = await charge(at(1), 20_001);
    expect(perPayment.json().status).toBe('awaiting_confirmation');
    clock.advanceMs(120_000);
    const overDay = await charge(at(0), 15_001);
    expect(overDay.json()).toMatchObject({ status: 'awaiting_confirmation', passwordFree: false });
    const settings = (await t.app.inject({ url: '/api/v1/me/password-free', headers: bob.auth })).json();
    expect(settings.usedTodayAmount).toBe(15_000);
  });

  it('a frozen wallet pays nothing, even password-free', async () => {
    clock.advanceMs(120_000);
    const seed = await seedPaymentCode(t, bob);
    await t.app.inject({ method: 'POST', url: '/api/v1/me/freeze', headers: bob.auth });
    const before = await balanceOf(t, bob.walletId);
    const charged = await charge(seed.codeAt(clock.now()), 100);
    expect(charged.json().code).toBe('ACCOUNT_FROZEN');
    expect(await balanceOf(t, bob.walletId)).toBe(before);
  });
});

describe('merchants: applications, approval, suspension', () => {
  it('a business applies, cannot sign in until approved, and a suspended merchant takes no payments', async () => {
    const input = applicationInput({ name: '李四水果店', latinName: 'Li Si Fruit' });
    const applied = await t.app.inject({ method: 'POST', url: '/api/v1/merchant-applications', payload: input });
    expect(applied.statusCode, applied.body).toBe(202);
    expect(applied.json()).toEqual({ status: 'received' });
    // The applicant learns the merchant number by SMS, not from the answer.
    const [texted] = await readOutbox(t.db, createPiiCipher(TEST_PII_KEY), { phone: input.owner.phone, limit: 1 });
    const merchantNumber = /M\d{9}/.exec(texted?.text ?? '')?.[0] as string;
    const pending = await t.services.payments.merchants.byNumber(merchantNumber);
    expect(pending?.status).toBe('pending');
    const early = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/auth/login',
      payload: { phone: input.owner.phone, password: MERCHANT_PASSWORD, client: 'api' },
    });
    expect(early.json().code).toBe('INVALID_CREDENTIALS');
    const support = await signInStaff(t, ['support'], clock.now());
    const admin = await signInStaff(t, ['admin'], clock.now());
    const id = pending?.id as string;
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/ops/merchants/${id}/approve`, headers: support.auth }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/ops/merchants/${id}/approve`, headers: alice.auth }))
        .statusCode,
    ).toBe(403);
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${id}/approve`,
      headers: admin.auth,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'active',
      payoutAccount: `**** ${input.payoutAccountNumber.slice(-4)}`,
    });
    expect(approved.json().settlementAccountId).toMatch(/^acc_/);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${id}/approve`,
      headers: admin.auth,
    });
    expect(again.json().code).toBe('MERCHANT_STATUS_CONFLICT');
    const owner = await merchantSignIn(t, input.owner.phone);
    const me = await t.app.inject({ url: '/api/v1/merchant/me', headers: owner });
    expect(me.json()).toMatchObject({
      role: 'owner',
      balance: 0,
      merchant: { name: '李四水果店', latinName: 'LI SI FRUIT', latinCity: 'SHANGHAI' },
    });
    const suspended = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${id}/suspend`,
      headers: admin.auth,
      payload: { reason: '风险核查' },
    });
    expect(suspended.json().status).toBe('suspended');
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/qr/preview',
      headers: alice.auth,
      payload: { merchantNumber },
    });
    expect(preview.json().code).toBe('MERCHANT_NOT_ACTIVE');
    const cashier = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${id}/staff`,
      headers: admin.auth,
      payload: { name: '收银员', phone: '13911112222', password: 'cashier-river-lantern-5', role: 'cashier' },
    });
    expect(cashier.statusCode, cashier.body).toBe(201);
    const manager = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${id}/staff`,
      headers: admin.auth,
      payload: { name: '经理', phone: '13911113333', password: 'manager-river-lantern-6', role: 'manager' },
    });
    expect(manager.statusCode, manager.body).toBe(201);
    const staff = await t.app.inject({ url: `/api/v1/ops/merchants/${id}/staff`, headers: support.auth });
    expect(
      staff
        .json()
        .items.map((m: { role: string }) => m.role)
        .sort(),
    ).toEqual(['cashier', 'manager', 'owner']);
    const list = await t.app.inject({ url: '/api/v1/ops/merchants?status=suspended', headers: support.auth });
    expect(list.json().items.map((m: { id: string }) => m.id)).toContain(id);
  });

  it('refuses a bad application with a problem and writes nothing', async () => {
    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant-applications',
      payload: applicationInput({ name: 'A'.repeat(26) }),
    });
    expect(tooLong.statusCode).toBe(400);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant-applications',
      payload: applicationInput({ owner: { name: 'x', phone: '13900000001', password: '12345678' } }),
    });
    expect(weak.json().code).toBe('PASSWORD_TOO_WEAK');
    const badMcc = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant-applications',
      payload: applicationInput({ mcc: '58A2' }),
    });
    expect(badMcc.statusCode).toBe(400);
    // Tag 59 is printable ASCII: the form asks for the English or pinyin name, and refuses Chinese there.
    const { latinName: _omitted, ...noLatin } = applicationInput();
    for (const payload of [noLatin, applicationInput({ latinName: '李四水果店' })]) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/v1/merchant-applications', payload });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().errors[0].field).toBe('latinName');
    }
  });
});
