import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { MERCHANT_PASSWORD, activeMerchant, type TestMerchant } from '../../test/payment-factories.js';
import { walletHolder } from '../../test/transfer-factories.js';
import { MERCHANT_COOKIE, MERCHANT_CSRF_COOKIE } from './merchant-auth.js';

let t: TestApp;
let shop: TestMerchant;

beforeAll(async () => {
  t = await createTestApp();
  shop = await activeMerchant(t);
});
afterAll(async () => t?.close());

function cookiesOf(response: { cookies: { name: string; value: string }[] }) {
  return Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
}

describe('merchant staff sessions', () => {
  it('web sign-in sets an httpOnly cookie and writes need the CSRF token', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/auth/login',
      payload: { phone: shop.ownerPhone, password: MERCHANT_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().token).toBeUndefined();
    const session = login.cookies.find((c) => c.name === MERCHANT_COOKIE);
    expect(session?.httpOnly).toBe(true);
    const cookies = cookiesOf(login);
    const me = await t.app.inject({ url: '/api/v1/merchant/me', cookies });
    expect(me.json()).toMatchObject({ role: 'owner', merchant: { id: shop.id } });
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/qr-codes',
      cookies,
      payload: { kind: 'static' },
    });
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/qr-codes',
      cookies,
      headers: { 'x-csrf-token': cookies[MERCHANT_CSRF_COOKIE] },
      payload: { kind: 'static' },
    });
    expect(withCsrf.statusCode).toBe(201);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/auth/logout',
      cookies,
      headers: { 'x-csrf-token': cookies[MERCHANT_CSRF_COOKIE] },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/merchant/me', cookies })).statusCode).toBe(401);
  });

  it('a wallet holder cookie does not open merchant routes, nor a merchant cookie wallet routes', async () => {
    const holder = await walletHolder(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: holder.phone, password: holder.password, deviceId: holder.deviceId },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/merchant/me', cookies: cookiesOf(login) })).statusCode).toBe(403);
    const merchantLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/auth/login',
      payload: { phone: shop.ownerPhone, password: MERCHANT_PASSWORD },
    });
    expect(
      (await t.app.inject({ url: '/api/v1/payments/pending', cookies: cookiesOf(merchantLogin) })).statusCode,
    ).toBe(401);
  });

  it('refuses wrong passwords and locks after five', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/merchant/auth/login',
        payload: { phone: shop.ownerPhone, password: 'not-the-password', client: 'api' },
      });
      expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/auth/login',
      payload: { phone: shop.ownerPhone, password: MERCHANT_PASSWORD, client: 'api' },
    });
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    // Sessions already open keep working.
    expect((await t.app.inject({ url: '/api/v1/merchant/me', headers: shop.auth })).statusCode).toBe(200);
  });
});
