import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { createPiiCipher } from '../platform/crypto.js';
import {
  PASSWORD,
  latestCode,
  newIdNumber,
  newPhone,
  registerUser,
  requestCode,
  testAddress,
} from '../../test/identity-factories.js';
import { readOutbox } from '../notifications/sms.js';
import { manualClock } from '../platform/clock.js';
import { REGISTRATIONS_PER_IP_PER_HOUR, REGISTRATIONS_PER_PHONE_PER_HOUR } from './registration.js';

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

// Each registering phone comes from its own address (as requestCode does), so the per-address cap of one test does not
// leak into another.
const register = (payload: Record<string, unknown>, remoteAddress = testAddress(String(payload.phone))) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload, remoteAddress });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const textsTo = async (phone: string) =>
  (await readOutbox(t.db, createPiiCipher(TEST_PII_KEY), { phone, limit: 50 })).map((message) => message.purpose);

describe('registration', () => {
  it('opens a wallet at the basic tier and answers a session', async () => {
    const user = await registerUser(t, { name: '欧阳娜娜' });
    const me = await t.app.inject({ url: '/api/v1/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.userId, name: '***娜', tier: 'basic', frozen: false, pinSet: false });
    expect(me.json().phone).toBe(`${user.phone.slice(0, 3)}****${user.phone.slice(-4)}`);
    expect(me.json().idNumber).toMatch(/^1101\*{10}\d{3}[\dX]$/);
    const wallet = await t.services.ledger.getAccount(me.json().walletAccountId);
    expect(wallet).toMatchObject({
      kind: 'customer_wallet',
      ownerRef: user.userId,
      balanceFen: 0n,
      limits: { balanceCapFen: 200_000n, dailyFen: 200_000n, yearlyFen: 5_000_000n },
    });
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
    const response = await register({
      phone,
      smsCode,
      idNumber: newIdNumber(),
      name: '李四',
      password: PASSWORD,
      ...change,
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().code).toBe(code);
    expect(await userCount()).toBe(before);
  });

  it('needs the right SMS code, once, within five minutes', async () => {
    const phone = newPhone();
    const idNumber = newIdNumber();
    const code = await requestCode(t, phone, 'register');
    expect(
      (await register({ phone, smsCode: wrongCode(code), idNumber, name: '王五', password: PASSWORD })).json().code,
    ).toBe('SMS_CODE_INVALID');
    clock.advanceMs(5 * 60_000 + 1);
    expect((await register({ phone, smsCode: code, idNumber, name: '王五', password: PASSWORD })).json().code).toBe(
      'SMS_CODE_INVALID',
    );
    const fresh = await requestCode(t, phone, 'register');
    const before = await userCount();
    expect((await register({ phone, smsCode: fresh, idNumber, name: '王五', password: PASSWORD })).statusCode).toBe(
      202,
    );
    expect(await userCount()).toBe(before + 1);
    expect(
      (await register({ phone, smsCode: fresh, idNumber: newIdNumber(), name: '王五', password: PASSWORD })).json()
        .code,
    ).toBe('SMS_CODE_INVALID');
  });

  it('voids a code after three wrong tries', async () => {
    const phone = newPhone();
    const code = await requestCode(t, phone, 'register');
    for (let i = 0; i < 3; i++)
      await register({ phone, smsCode: wrongCode(code), idNumber: newIdNumber(), name: '赵六', password: PASSWORD });
    expect(
      (await register({ phone, smsCode: code, idNumber: newIdNumber(), name: '赵六', password: PASSWORD })).json().code,
    ).toBe('SMS_CODE_INVALID');
  });

  it('allows one wallet per phone and per ID number, without saying so: the holder is texted instead', async () => {
    const first = await registerUser(t);
    const phone = newPhone();
    const smsCode = await requestCode(t, phone, 'register');
    const before = await userCount();
    const byId = await register({ phone, smsCode, idNumber: first.idNumber, name: '张三', password: PASSWORD });
    expect(byId.statusCode, byId.body).toBe(202);
    const ownerCode = await requestCode(t, first.phone, 'register');
    const byPhone = await register({
      phone: first.phone,
      smsCode: ownerCode,
      idNumber: newIdNumber(),
      name: '张三',
      password: PASSWORD,
    });
    expect(byPhone.statusCode, byPhone.body).toBe(202);
    expect(await userCount()).toBe(before);
    expect((await textsTo(first.phone)).filter((purpose) => purpose === 'security.registration_attempt')).toHaveLength(
      2,
    );
    // The new phone got no wallet: signing in with it fails like any wrong password.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone, password: PASSWORD, client: 'api' },
    });
    expect(login.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('checks the SMS code before looking at existing wallets', async () => {
    const first = await registerUser(t);
    const phone = newPhone();
    const code = await requestCode(t, phone, 'register');
    const takenId = await register({
      phone,
      smsCode: wrongCode(code),
      idNumber: first.idNumber,
      name: '张三',
      password: PASSWORD,
    });
    expect(takenId.statusCode).toBe(422);
    expect(takenId.json().code).toBe('SMS_CODE_INVALID');
    const ownerCode = await requestCode(t, first.phone, 'register');
    const takenPhone = await register({
      phone: first.phone,
      smsCode: wrongCode(ownerCode),
      idNumber: newIdNumber(),
      name: '张三',
      password: PASSWORD,
    });
    expect(takenPhone.json().code).toBe('SMS_CODE_INVALID');
    expect(await textsTo(first.phone)).not.toContain('security.registration_attempt');
  });

  it('answers a taken phone or ID number exactly as a new wallet', async () => {
    const first = await registerUser(t);
    const answer = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
      status: response.statusCode,
      type: response.headers['content-type'],
      body: response.body,
      cookies: response.headers['set-cookie'],
    });
    const freshPhone = newPhone();
    const fresh = await register({
      phone: freshPhone,
      smsCode: await requestCode(t, freshPhone, 'register'),
      idNumber: newIdNumber(),
      name: '李四',
      password: PASSWORD,
    });
    const otherPhone = newPhone();
    const takenId = await register({
      phone: otherPhone,
      smsCode: await requestCode(t, otherPhone, 'register'),
      idNumber: first.idNumber,
      name: '李四',
      password: PASSWORD,
    });
    const takenPhone = await register({
      phone: first.phone,
      smsCode: await requestCode(t, first.phone, 'register'),
      idNumber: newIdNumber(),
      name: '李四',
      password: PASSWORD,
    });
    expect(answer(fresh)).toEqual({
      status: 202,
      type: 'application/json; charset=utf-8',
      body: '{"status":"submitted"}',
      cookies: undefined,
    });
    expect(answer(takenId)).toEqual(answer(fresh));
    expect(answer(takenPhone)).toEqual(answer(fresh));
    expect(await textsTo(freshPhone)).toContain('account.opened');
  });

  it('texts a code the same way whether or not the phone has a wallet', async () => {
    const holder = await registerUser(t);
    const stranger = newPhone();
    const send = (phone: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-codes',
        payload: { phone, purpose: 'register' },
        remoteAddress: testAddress(phone),
      });
    const [known, unknown] = [await send(holder.phone), await send(stranger)];
    expect({ status: known.statusCode, body: known.body }).toEqual({ status: 202, body: unknown.body });
  });

  it('throttles registration per address', async () => {
    const address = '10.250.0.1';
    const attempt = () =>
      register(
        { phone: newPhone(), smsCode: '000000', idNumber: newIdNumber(), name: '孙七', password: PASSWORD },
        address,
      );
    for (let i = 0; i < REGISTRATIONS_PER_IP_PER_HOUR; i++)
      expect((await attempt()).json().code).toBe('SMS_CODE_INVALID');
    const refused = await attempt();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // A right code from that address is refused too, and writes nothing.
    const phone = newPhone();
    const before = await userCount();
    expect(
      (
        await register(
          {
            phone,
            smsCode: await requestCode(t, phone, 'register'),
            idNumber: newIdNumber(),
            name: '孙七',
            password: PASSWORD,
          },
          address,
        )
      ).json().code,
    ).toBe('RATE_LIMITED');
    expect(await userCount()).toBe(before);
    clock.advanceMs(Number(refused.headers['retry-after']) * 1000);
    expect((await attempt()).json().code).toBe('SMS_CODE_INVALID');
  });

  it('throttles registration per phone, whatever the address', async () => {
    const phone = newPhone();
    const attempt = (i: number) =>
      register(
        { phone, smsCode: '000000', idNumber: newIdNumber(), name: '周八', password: PASSWORD },
        `10.251.0.${i + 1}`,
      );
    for (let i = 0; i < REGISTRATIONS_PER_PHONE_PER_HOUR; i++)
      expect((await attempt(i)).json().code).toBe('SMS_CODE_INVALID');
    const refused = await attempt(REGISTRATIONS_PER_PHONE_PER_HOUR);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    const other = newPhone();
    expect(
      (
        await register(
          { phone: other, smsCode: '000000', idNumber: newIdNumber(), name: '周八', password: PASSWORD },
          '10.251.0.99',
        )
      ).json().code,
    ).toBe('SMS_CODE_INVALID');
  });

  it('limits SMS codes to five per phone per hour', async () => {
    const phone = newPhone();
    for (let i = 0; i < 5; i++) await requestCode(t, phone, 'register');
    const sixth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-codes',
      payload: { phone, purpose: 'register' },
    });
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
