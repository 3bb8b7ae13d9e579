import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { newPhone, registerUser } from '../../test/identity-factories.js';
import { MERCHANT_PASSWORD, merchantInput } from '../../test/payment-factories.js';
import { totpNow } from './totp.js';

/**
 * Web cookies: each app (wallet, bank staff console, merchant pages) has its own session and CSRF
 * cookie; over HTTPS they are `__Host-` prefixed and Secure, on plain-HTTP development bare.
 */

let database: TestDatabase;
let plain: TestApp;
let https: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  plain = await createTestApp({ database });
  https = await createTestApp({ database, config: { publicUrl: 'https://wallet.example.cn' } });
});
afterAll(async () => {
  await plain?.close();
  await https?.close();
  await database?.close();
});

type Answer = {
  cookies: {
    name: string;
    value: string;
    secure?: boolean;
    httpOnly?: boolean;
    path?: string;
    domain?: string;
    sameSite?: string;
  }[];
};
const jar = (answer: Answer) =>
  Object.fromEntries(answer.cookies.filter((c) => c.value !== '').map((c) => [c.name, c.value]));

async function walletSignIn(t: TestApp) {
  const user = await registerUser(t);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone: user.phone, password: user.password, deviceId: user.deviceId },
  });
}

async function staffSignIn(t: TestApp) {
  const phone = newPhone();
  const password = 'staff-lantern-river-99';
  const created = await t.services.identity.staff.create({ phone, name: '客服', password, roles: ['support'] });
  if (!created.ok) throw new Error(created.error.code);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/auth/login',
    payload: { phone, password, totpCode: await totpNow(created.value.totpSecret, new Date()) },
  });
}

async function merchantSignIn(t: TestApp) {
  const input = merchantInput();
  const created = await t.services.payments.merchants.create(input, { kind: 'operator', id: 'cookie-test' });
  if (!created.ok) throw new Error(created.error.code);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/auth/login',
    payload: { phone: input.owner.phone, password: MERCHANT_PASSWORD },
  });
}

describe('cookie names per app', () => {
  it('on plain HTTP: bare, distinct names for the wallet, the console and the merchant pages', async () => {
    const wallet = await walletSignIn(plain);
    const staff = await staffSignIn(plain);
    const merchant = await merchantSignIn(plain);
    expect(Object.keys(jar(wallet)).sort()).toEqual(['tb_csrf', 'tb_session']);
    expect(Object.keys(jar(staff)).sort()).toEqual(['tb_staff_csrf', 'tb_staff_session']);
    expect(Object.keys(jar(merchant)).sort()).toEqual(['tb_merchant_csrf', 'tb_merchant_session']);
    for (const cookie of [...wallet.cookies, ...staff.cookies, ...merchant.cookies]) expect(cookie.secure).toBeFalsy();
  });

  it('over HTTPS: __Host- prefixed, Secure, host-only, path /', async () => {
    const wallet = await walletSignIn(https);
    const staff = await staffSignIn(https);
    const merchant = await merchantSignIn(https);
    expect(Object.keys(jar(wallet)).sort()).toEqual(['__Host-tb_csrf', '__Host-tb_session']);
    expect(Object.keys(jar(staff)).sort()).toEqual(['__Host-tb_staff_csrf', '__Host-tb_staff_session']);
    expect(Object.keys(jar(merchant)).sort()).toEqual(['__Host-tb_merchant_csrf', '__Host-tb_merchant_session']);
    for (const cookie of [...wallet.cookies, ...staff.cookies, ...merchant.cookies]) {
      expect(cookie).toMatchObject({ secure: true, path: '/', sameSite: 'Lax' });
      expect(cookie.domain).toBeUndefined();
      expect(cookie.httpOnly ?? false).toBe(cookie.name.endsWith('_session'));
    }
  });
});

describe('cookies at work', () => {
  it('over HTTPS only the prefixed cookie signs in: a bare one planted beside it is ignored', async () => {
    const wallet = await walletSignIn(https);
    const token = jar(wallet)['__Host-tb_session'];
    expect((await https.app.inject({ url: '/api/v1/me', cookies: { '__Host-tb_session': token } })).statusCode).toBe(
      200,
    );
    expect((await https.app.inject({ url: '/api/v1/me', cookies: { tb_session: token } })).statusCode).toBe(401);
  });

  it('a staff write echoes the staff CSRF cookie; signing out of the console leaves wallet cookies', async () => {
    const wallet = await walletSignIn(plain);
    const staff = await staffSignIn(plain);
    const cookies = { ...jar(wallet), ...jar(staff) };
    const withWalletToken = await plain.app.inject({
      method: 'POST',
      url: '/api/v1/ops/logout',
      cookies,
      headers: { 'x-csrf-token': cookies.tb_csrf },
    });
    expect(withWalletToken.json().code).toBe('CSRF_FAILED');
    const out = await plain.app.inject({
      method: 'POST',
      url: '/api/v1/ops/logout',
      cookies,
      headers: { 'x-csrf-token': cookies.tb_staff_csrf },
    });
    expect(out.statusCode, out.body).toBe(204);
    const cleared = out.cookies
      .filter((cookie) => cookie.value === '')
      .map((cookie) => cookie.name)
      .sort();
    expect(cleared).toEqual(['tb_staff_csrf', 'tb_staff_session']);
    expect((await plain.app.inject({ url: '/api/v1/me', cookies })).statusCode).toBe(200);
    expect((await plain.app.inject({ url: '/api/v1/ops/permissions', cookies })).statusCode).toBe(401);
  });

  it('over HTTPS, signing out clears the prefixed cookies with the attributes they were set with', async () => {
    const wallet = await walletSignIn(https);
    const cookies = jar(wallet);
    const out = await https.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': cookies['__Host-tb_csrf'] },
    });
    expect(out.statusCode, out.body).toBe(204);
    const cleared = out.cookies.filter((cookie) => cookie.value === '');
    expect(cleared.map((cookie) => cookie.name).sort()).toEqual(['__Host-tb_csrf', '__Host-tb_session']);
    for (const cookie of cleared) expect(cookie).toMatchObject({ secure: true, path: '/' });
  });
});
