import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  latestCode,
  newPhone,
  outboxOf,
  registerUser,
  testAddress,
  type TestUser,
} from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { totpNow } from './totp.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const login = (
  user: Pick<TestUser, 'phone' | 'password'>,
  extra: Record<string, unknown> = {},
  ip = testAddress(user.phone),
) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone: user.phone, password: user.password, client: 'api', ...extra },
    remoteAddress: ip,
  });

describe('signing in', () => {
  it('signs in on a known device at once, and asks a new device for an SMS code', async () => {
    const user = await registerUser(t);
    const known = await login(user, { deviceId: user.deviceId });
    expect(known.statusCode).toBe(200);
    expect(known.json().token).toMatch(/^ses_/);

    const fresh = await login(user, { deviceId: 'a-new-phone-1234' });
    expect(fresh.statusCode).toBe(403);
    expect(fresh.json().code).toBe('DEVICE_VERIFICATION_REQUIRED');
    const code = await latestCode(t, user.phone, 'login_device');
    const verified = await login(user, { deviceId: 'a-new-phone-1234', smsCode: code });
    expect(verified.statusCode).toBe(200);
    const notes = await t.app.inject({
      url: '/api/v1/notifications',
      headers: { authorization: `Bearer ${verified.json().token}`, 'accept-language': 'en' },
    });
    expect(notes.json().items.map((n: { title: string }) => n.title)).toContain('Sign-in from a new device');
  });

  it('names the new device from its user agent in the notice, the sessions and the devices', async () => {
    const user = await registerUser(t);
    const android =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/131.0.0.0 Mobile Safari/537.36';
    const signIn = (extra: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: user.phone, password: user.password, client: 'api', deviceId: 'pixel-8-device', ...extra },
        headers: { 'user-agent': android },
        remoteAddress: testAddress(user.phone),
      });
    expect((await signIn({})).json().code).toBe('DEVICE_VERIFICATION_REQUIRED');
    const verified = await signIn({ smsCode: await latestCode(t, user.phone, 'login_device') });
    expect(verified.statusCode).toBe(200);
    const auth = { authorization: `Bearer ${verified.json().token}` };
    const notes = await t.app.inject({
      url: '/api/v1/notifications',
      headers: { ...auth, 'accept-language': 'zh-CN' },
    });
    const notice = notes.json().items.find((n: { title: string }) => n.title === '新设备登录提醒');
    expect(notice.body).toContain('新设备（Chrome · Android）');
    const sessions = (await t.app.inject({ url: '/api/v1/me/sessions', headers: auth })).json().items;
    expect(sessions.find((s: { current: boolean }) => s.current).deviceName).toBe('Chrome · Android');
    const devices = (await t.app.inject({ url: '/api/v1/me/devices', headers: auth })).json().items;
    expect(devices.map((d: { label: string }) => d.label)).toContain('Chrome · Android');
  });

  it('answers an unknown phone exactly like a wrong password', async () => {
    const user = await registerUser(t);
    const wrong = await login({ phone: user.phone, password: 'not-the-password-9' }, { deviceId: user.deviceId });
    const unknown = await login({ phone: newPhone(), password: 'not-the-password-9' }, { deviceId: user.deviceId });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
  });

  it('locks after five failures with a growing delay, and tells the holder', async () => {
    const user = await registerUser(t);
    for (let i = 0; i < 4; i++)
      expect((await login({ ...user, password: `wrong-password-${i}` })).json().code).toBe('INVALID_CREDENTIALS');
    const fifth = await login({ ...user, password: 'wrong-password-5' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'ACCOUNT_LOCKED', retryAfterSeconds: 60 });
    expect(fifth.headers['retry-after']).toBe('60');
    // Even the right password waits out the lock.
    expect((await login(user, { deviceId: user.deviceId })).json().code).toBe('ACCOUNT_LOCKED');
    clock.advanceMs(61_000);
    const sixth = await login({ ...user, password: 'wrong-password-6' });
    expect(sixth.json()).toMatchObject({ code: 'ACCOUNT_LOCKED', retryAfterSeconds: 120 });
    clock.advanceMs(121_000);
    expect((await login(user, { deviceId: user.deviceId })).statusCode).toBe(200);
    const texted = await outboxOf(t, user.phone);
    expect(texted.some((message) => message.text.includes('锁定'))).toBe(true);
  });

  it('throttles an address that fails too often', async () => {
    const ip = '10.250.0.1';
    for (let i = 0; i < 50; i++) await login({ phone: newPhone(), password: 'whatever-123456' }, {}, ip);
    const next = await login({ phone: newPhone(), password: 'whatever-123456' }, {}, ip);
    expect(next.statusCode).toBe(429);
    expect(next.json().code).toBe('RATE_LIMITED');
  });

  it('asks for TOTP when it is on, and accepts each code once', async () => {
    const user = await registerUser(t);
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/me/totp/setup', headers: user.auth });
    const { secret } = setup.json();
    const code = await totpNow(secret, clock.now());
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/me/totp/enable', headers: user.auth, payload: { code } }))
        .statusCode,
    ).toBe(204);
    expect((await login(user, { deviceId: user.deviceId })).json().code).toBe('TOTP_REQUIRED');
    // The code that enabled TOTP is spent.
    expect((await login(user, { deviceId: user.deviceId, totpCode: code })).statusCode).toBe(401);
    clock.advanceMs(30_000);
    const next = await totpNow(secret, clock.now());
    expect((await login(user, { deviceId: user.deviceId, totpCode: next })).statusCode).toBe(200);
    expect((await login(user, { deviceId: user.deviceId, totpCode: next })).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('uses an httpOnly cookie for the web and demands the CSRF token on writes', async () => {
    const user = await registerUser(t);
    const web = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId },
    });
    expect(web.statusCode).toBe(200);
    expect(web.json().token).toBeUndefined();
    const cookie = web.cookies.find((c) => c.name === 'tb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const cookies = { tb_session: cookie?.value as string };
    expect((await t.app.inject({ url: '/api/v1/me', cookies })).statusCode).toBe(200);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/me/sessions/revoke-others', cookies });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/sessions/revoke-others',
      cookies,
      headers: { 'x-csrf-token': web.json().csrfToken },
    });
    expect(withCsrf.statusCode).toBe(200);
  });

  it('expires after 30 idle minutes and after 12 hours whatever happens', async () => {
    const user = await registerUser(t);
    clock.advanceMs(29 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/me', headers: user.auth })).statusCode).toBe(200);
    clock.advanceMs(29 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/me', headers: user.auth })).statusCode).toBe(200);
    clock.advanceMs(31 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/me', headers: user.auth })).statusCode).toBe(401);

    const busy = await registerUser(t);
    for (let i = 0; i < 25; i++) {
      clock.advanceMs(29 * 60_000);
      const me = await t.app.inject({ url: '/api/v1/me', headers: busy.auth });
      if (i < 24) expect(me.statusCode).toBe(200);
      else expect(me.statusCode).toBe(401);
    }
  });

  it('lists sessions and revokes one or all others', async () => {
    const user = await registerUser(t);
    const second = await login(user, { deviceId: user.deviceId });
    const listed = await t.app.inject({ url: '/api/v1/me/sessions', headers: user.auth });
    expect(listed.json().items).toHaveLength(2);
    expect(listed.json().items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = listed.json().items.find((s: { current: boolean }) => !s.current);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${other.id}`, headers: user.auth })).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${second.json().token}` } }))
        .statusCode,
    ).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me/devices', headers: user.auth })).json().items).toHaveLength(1);
  });

  it('signs out', async () => {
    const user = await registerUser(t);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: user.auth })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ url: '/api/v1/me', headers: user.auth })).statusCode).toBe(401);
  });
});
