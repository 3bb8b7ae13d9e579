import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, requestCode, type TestUser } from '../../test/identity-factories.js';
import { jobDefinitions } from '../jobs.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let bankId: string;
beforeAll(async () => {
  t = await createTestApp({ clock });
  bankId = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
});
afterAll(async () => t?.close());

let seq = 0;
const ref = (label: string) => `sec-test-${process.pid}-${label}-${++seq}`;
const post = (url: string, user: Pick<TestUser, 'auth'> | null, payload: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url, headers: user?.auth ?? {}, payload });
const me = (user: Pick<TestUser, 'auth'>) => t.app.inject({ url: '/api/v1/me', headers: user.auth });

async function walletOf(user: TestUser): Promise<string> {
  return (await me(user)).json().walletAccountId;
}

async function fund(user: TestUser, amountFen: bigint) {
  const funded = await t.services.ledger.transfer({
    reference: ref('fund'),
    currency: 'CNY',
    legs: [{ debitAccountId: bankId, creditAccountId: await walletOf(user), amountFen }],
    limitExempt: true,
  });
  expect(funded.ok).toBe(true);
}

async function kinds(user: TestUser): Promise<string[]> {
  return (await t.app.inject({ url: '/api/v1/notifications?limit=50', headers: user.auth }))
    .json()
    .items.map((n: { kind: string }) => n.kind);
}

describe('payment PIN and confirmations', () => {
  it('sets a PIN with the password, refuses weak ones, and locks after five wrong tries for 24 hours', async () => {
    const user = await registerUser(t);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/me/pin',
          headers: user.auth,
          payload: { newPin: '135792', password: 'wrong-password-1' },
        })
      ).json().code,
    ).toBe('PASSWORD_INVALID');
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/me/pin',
          headers: user.auth,
          payload: { newPin: '123456', password: user.password },
        })
      ).json().code,
    ).toBe('PIN_TOO_WEAK');
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/me/pin',
          headers: user.auth,
          payload: { newPin: '900307', password: user.password },
        })
      ).json().code,
    ).toBe('PIN_TOO_WEAK');
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/me/pin',
          headers: user.auth,
          payload: { newPin: '135792', password: user.password },
        })
      ).statusCode,
    ).toBe(204);
    expect((await me(user)).json().pinSet).toBe(true);

    const confirmation = await t.services.identity.confirmations.create(user.userId, {
      reference: ref('pin'),
      amountFen: 1_000n,
      currency: 'CNY',
      payee: 'wallet:138****0001',
    });
    for (let i = 1; i < 5; i++) {
      const wrong = await post(`/api/v1/confirmations/${confirmation.id}/pin`, user, { pin: '246801' });
      expect(wrong.json()).toMatchObject({ code: 'PIN_INVALID', triesLeft: 5 - i });
    }
    const fifth = await post(`/api/v1/confirmations/${confirmation.id}/pin`, user, { pin: '246801' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('PIN_LOCKED');
    expect(await kinds(user)).toContain('security.pin_locked');
    const other = await t.services.identity.confirmations.create(user.userId, {
      reference: ref('pin'),
      amountFen: 1_000n,
      currency: 'CNY',
      payee: 'wallet:138****0001',
    });
    expect((await post(`/api/v1/confirmations/${other.id}/pin`, user, { pin: '135792' })).json().code).toBe(
      'PIN_LOCKED',
    );
    clock.advanceMs(24 * 3600_000 + 1000);
    const later = await t.services.identity.confirmations.create(user.userId, {
      reference: ref('pin'),
      amountFen: 1_000n,
      currency: 'CNY',
      payee: 'wallet:138****0001',
    });
    expect(await t.services.identity.confirmations.confirmWithPin(user.userId, later.id, '135792')).toMatchObject({
      ok: true,
      value: { status: 'confirmed' },
    });
  });
});

describe('password change, reminder and recovery', () => {
  it('changes the password, ends the other sessions and tells the holder', async () => {
    const user = await registerUser(t);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    });
    const changed = await post('/api/v1/me/password', user, {
      currentPassword: user.password,
      newPassword: 'copper-kettle-sings-77',
    });
    expect(changed.json()).toEqual({ otherSessionsEnded: 1 });
    expect((await me({ auth: { authorization: `Bearer ${other.json().token}` } })).statusCode).toBe(401);
    expect((await me(user)).statusCode).toBe(200);
    expect(await kinds(user)).toContain('security.password_changed');
  });

  it('reminds holders of an old password once per period, from the daily job, and never forces a change', async () => {
    const user = await registerUser(t);
    const job = jobDefinitions({ db: t.db, clock, services: t.services }).find(
      (definition) => definition.name === 'identity-password-reminders',
    );
    expect(job?.cron).toBeDefined();
    await job?.handler(undefined);
    expect(await kinds(user)).not.toContain('security.password_reminder');
    clock.advanceMs(181 * 24 * 3600_000);
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    });
    const fresh = { auth: { authorization: `Bearer ${session.json().token}` } } as TestUser;
    await job?.handler(undefined);
    await job?.handler(undefined);
    expect((await kinds(fresh)).filter((kind) => kind === 'security.password_reminder')).toHaveLength(1);
    expect((await me(fresh)).statusCode).toBe(200);
  });

  it('recovers a forgotten password with SMS code, ID number and name; every session ends', async () => {
    const user = await registerUser(t);
    let code = await requestCode(t, user.phone, 'recover');
    const base = { phone: user.phone, idNumber: user.idNumber, name: user.name, newPassword: 'amber-harbor-lights-31' };
    expect((await post('/api/v1/auth/recover', null, { ...base, smsCode: code, name: '李四' })).json().code).toBe(
      'IDENTITY_MISMATCH',
    );
    code = await requestCode(t, user.phone, 'recover');
    expect(
      (
        await post('/api/v1/auth/recover', null, {
          ...base,
          smsCode: String((Number(code) + 1) % 1_000_000).padStart(6, '0'),
        })
      ).json().code,
    ).toBe('SMS_CODE_INVALID');
    const recovered = await post('/api/v1/auth/recover', null, { ...base, smsCode: code });
    expect(recovered.statusCode, recovered.body).toBe(204);
    expect((await me(user)).statusCode).toBe(401);
    expect(await t.services.identity.passwords.recentlyRecovered(user.userId)).toBe(true);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: base.newPassword, deviceId: user.deviceId, client: 'api' },
    });
    expect(signedIn.statusCode).toBe(200);
    expect(await kinds({ auth: { authorization: `Bearer ${signedIn.json().token}` } } as TestUser)).toContain(
      'security.password_recovered',
    );
    clock.advanceMs(24 * 3600_000 + 1);
    expect(await t.services.identity.passwords.recentlyRecovered(user.userId)).toBe(false);
  });
});

describe('staff', () => {
  it('signs staff in with password and TOTP only, and keeps the two worlds apart', async () => {
    const { totpNow } = await import('./totp.js');
    const created = await t.services.identity.staff.create({
      phone: '13600001111',
      name: '客服小王',
      password: 'staff-lantern-river-88',
      roles: ['support'],
    });
    if (!created.ok) throw new Error(created.error.code);
    const login = (totpCode: string, password = 'staff-lantern-river-88') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/auth/login',
        payload: { phone: '13600001111', password, totpCode, client: 'api' },
      });
    expect((await login('000000')).json().code).toBe('INVALID_CREDENTIALS');
    expect((await login(await totpNow(created.value.totpSecret, clock.now()), 'wrong-password-12')).json().code).toBe(
      'INVALID_CREDENTIALS',
    );
    const signedIn = await login(await totpNow(created.value.totpSecret, clock.now()));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().token).toMatch(/^sts_/);
    const staff = { authorization: `Bearer ${signedIn.json().token}` };
    expect((await t.app.inject({ url: '/api/v1/staff/me', headers: staff })).json()).toMatchObject({
      roles: ['support'],
    });
    expect((await t.app.inject({ url: '/api/v1/me', headers: staff })).statusCode).toBe(403);
    // A customer with the same phone number and password is not staff.
    const customer = await registerUser(t, { phone: '13600001111', password: 'staff-lantern-river-88' });
    expect((await t.app.inject({ url: '/api/v1/staff/me', headers: customer.auth })).statusCode).toBe(403);
    const audit = await t.services.audit.search({ actorId: created.value.id });
    expect(audit.map((entry) => entry.action)).toContain('staff.signed_in');
  });

  it('keeps the audit log append-only', async () => {
    await expect(t.db.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
