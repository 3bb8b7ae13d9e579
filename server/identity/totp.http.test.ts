import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { totpNow } from './totp.js';

/**
 * TOTP as a second factor: setup never touches a factor that is on, turning it off needs a current
 * code, and turning it on or off (or a refused setup) notifies the holder and is audited.
 */

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const post = (user: TestUser, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: user.auth, payload });
const kinds = async (user: TestUser) => (await t.services.notifications.list(user.userId)).items.map((n) => n.kind);
const audited = async (user: TestUser, action: string) => t.services.audit.search({ subjectId: user.userId, action });
const totpEnabled = async (user: TestUser) =>
  (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().totpEnabled as boolean;

/** A holder with TOTP on, and the secret their authenticator holds. */
async function withTotp(): Promise<{ user: TestUser; secret: string }> {
  const user = await registerUser(t);
  const { secret } = (await post(user, '/api/v1/me/totp/setup')).json();
  expect((await post(user, '/api/v1/me/totp/enable', { code: await totpNow(secret, clock.now()) })).statusCode).toBe(
    204,
  );
  clock.advanceMs(30_000);
  return { user, secret };
}

describe('TOTP', () => {
  it('turning it on notifies the holder and is audited', async () => {
    const { user } = await withTotp();
    expect(await totpEnabled(user)).toBe(true);
    expect(await kinds(user)).toContain('security.totp_enabled');
    expect(await audited(user, 'user.totp_setup_started')).toHaveLength(1);
    expect(await audited(user, 'user.totp_enabled')).toHaveLength(1);
  });

  it('setup on an account with TOTP on is refused, changes nothing, and tells the holder', async () => {
    const { user, secret } = await withTotp();
    const again = await post(user, '/api/v1/me/totp/setup');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('TOTP_ALREADY_ENABLED');
    expect(again.json().secret).toBeUndefined();
    expect(await totpEnabled(user)).toBe(true);
    // The old authenticator still works, so the factor was not replaced.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: {
        phone: user.phone,
        password: user.password,
        deviceId: user.deviceId,
        totpCode: await totpNow(secret, clock.now()),
        client: 'api',
      },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(await kinds(user)).toContain('security.totp_setup_refused');
    const [refused] = await audited(user, 'user.totp_setup_refused');
    expect(refused).toMatchObject({ actorKind: 'user', actorId: user.userId });
  });

  it('turning it off needs a current code; with one it works, notifies and audits', async () => {
    const { user, secret } = await withTotp();
    expect((await post(user, '/api/v1/me/totp/disable', {})).json().code).toBe('VALIDATION_FAILED');
    const wrong = await post(user, '/api/v1/me/totp/disable', {
      code: '000000' === (await totpNow(secret, clock.now())) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('TOTP_INVALID');
    expect(await totpEnabled(user)).toBe(true);
    expect(await audited(user, 'user.totp_disable_refused')).toHaveLength(1);
    expect(await kinds(user)).not.toContain('security.totp_disabled');

    const off = await post(user, '/api/v1/me/totp/disable', { code: await totpNow(secret, clock.now()) });
    expect(off.statusCode).toBe(204);
    expect(await totpEnabled(user)).toBe(false);
    expect(await kinds(user)).toContain('security.totp_disabled');
    expect(await audited(user, 'user.totp_disabled')).toHaveLength(1);
    expect(
      (await post(user, '/api/v1/me/totp/disable', { code: await totpNow(secret, clock.now()) })).json().code,
    ).toBe('TOTP_NOT_ENABLED');
    // Once off, a new setup is allowed again.
    expect((await post(user, '/api/v1/me/totp/setup')).statusCode).toBe(200);
  });

  it('refuses to enable twice', async () => {
    const { user, secret } = await withTotp();
    const twice = await post(user, '/api/v1/me/totp/enable', { code: await totpNow(secret, clock.now()) });
    expect(twice.json().code).toBe('TOTP_ALREADY_ENABLED');
  });
});
