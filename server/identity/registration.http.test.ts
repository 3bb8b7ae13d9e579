import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { PASSWORD, latestCode, newIdNumber, newPhone, registerUser, requestCode } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

async function userCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM users');
  return Number(rows[0].n);
}

const register = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { client: 'api', ...payload } });

describe('registration', () => {
  it('opens a wallet at the basic tier and answers a session', async () => {
    const user = await registerUser(t, { name: '欧阳娜娜' });
    const me = await t.app.inject({ url: '/api/v1/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.userId, name: '***娜', tier: 'basic', frozen: false, pinSet: false });
    expect(me.json().phone).toBe(`${user.phone.slice(0, 3)}****${user.phone.slice(-4)}`);
    expect(me.json().idNumber).toMatch(/^1101\*{10}\d{3}[\dX]$/);
    const wallet = await t.services.ledger.getAccount(me.json().walletAccountId);
    expect(wallet).toMatchObject({ kind: 'customer_wallet', ownerRef: user.userId, balanceFen: 0n, limits: { balanceCapFen: 200_000n, dailyFen: 200_000n, yearlyFen: 5_000_000n } });
  });

  it('stores personal data encrypted, never in clear', async () => {
    const user = await registerUser(t);
    const { rows } = await t.db.query<Record<string, string>>('SELECT * FROM users WHERE id = $1', [user.userId]);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(user.phone);
    expect(stored).not.toContain(user.idNumber);
    expect(stored).not.toContain('张三');
  });

  it.each([
    ['a bad phone', { phone: '12345' }, 'INVALID_PHONE'],
    ['a bad ID check digit', { idNumber: '110101199003071234' }, 'INVALID_ID_NUMBER'],
    ['a minor', { idNumber: newIdNumber('20100101') }, 'UNDERAGE'],
    ['a name with digits', { name: 'Zhang3' }, 'INVALID_NAME'],
    ['a common password', { password: 'woaini1314' }, 'PASSWORD_TOO_WEAK'],
    ['a password with the birth date', { password: 'sunny19900307day' }, 'PASSWORD_TOO_WEAK'],
    ['a short password', { password: 'abc' }, 'PASSWORD_TOO_WEAK'],
  ])('refuses %s and writes nothing', async (_name, change, code) => {
    const phone = newPhone();
    const smsCode = await requestCode(t, phone, 'register');
    const before = await userCount();
    const response = await register({ phone, smsCode, idNumber: newIdNumber(), name: '李四', password: PASSWORD, ...change });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().code).toBe(code);
    expect(await userCount()).toBe(before);
  });

  it('needs the right SMS code, once, within five minutes', async () => {
    const phone = newPhone();
    const idNumber = newIdNumber();
    const code = await requestCode(t, phone, 'register');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await register({ phone, smsCode: wrong, idNumber, name: '王五', password: PASSWORD })).json().code).toBe('SMS_CODE_INVALID');
    clock.advanceMs(5 * 60_000 + 1);
    expect((await register({ phone, smsCode: code, idNumber, name: '王五', password: PASSWORD })).json().code).toBe('SMS_CODE_INVALID');
    const fresh = await requestCode(t, phone, 'register');
    expect((await register({ phone, smsCode: fresh, idNumber, name: '王五', password: PASSWORD })).statusCode).toBe(201);
    expect((await register({ phone, smsCode: fresh, idNumber: newIdNumber(), name: '王五', password: PASSWORD })).json().code).toBe('PHONE_TAKEN');
  });

  it('voids a code after three wrong tries', async () => {
    const phone = newPhone();
    const code = await requestCode(t, phone, 'register');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 3; i++) await register({ phone, smsCode: wrong, idNumber: newIdNumber(), name: '赵六', password: PASSWORD });
    expect((await register({ phone, smsCode: code, idNumber: newIdNumber(), name: '赵六', password: PASSWORD })).json().code).toBe('SMS_CODE_INVALID');
  });

  it('allows one wallet per phone and per ID number', async () => {
    const first = await registerUser(t);
    const phone = newPhone();
    const smsCode = await requestCode(t, phone, 'register');
    expect((await register({ phone, smsCode, idNumber: first.idNumber, name: '张三', password: PASSWORD })).json().code).toBe('ID_NUMBER_TAKEN');
    expect((await register({ phone: first.phone, smsCode, idNumber: newIdNumber(), name: '张三', password: PASSWORD })).json().code).toBe('PHONE_TAKEN');
  });

  it('limits SMS codes to five per phone per hour', async () => {
    const phone = newPhone();
    for (let i = 0; i < 5; i++) await requestCode(t, phone, 'register');
    const sixth = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sms-codes', payload: { phone, purpose: 'register' } });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('SMS_RATE_LIMITED');
    clock.advanceMs(3600_000 + 1);
    expect(await requestCode(t, phone, 'register')).toMatch(/^\d{6}$/);
  });

  it('texts codes that the dev outbox shows', async () => {
    const phone = newPhone();
    await requestCode(t, phone, 'register');
    const outbox = await t.app.inject({ url: `/api/dev/outbox?phone=${phone}` });
    expect(outbox.json().items[0].text).toContain(await latestCode(t, phone));
    const page = await t.app.inject({ url: '/dev/outbox' });
    expect(page.headers['content-type']).toContain('text/html');
  });
});
