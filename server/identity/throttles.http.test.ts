import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { PASSWORD, newPhone, registerUser } from '../../test/identity-factories.js';
import { MERCHANT_PASSWORD, activeMerchant } from '../../test/payment-factories.js';
import { manualClock } from '../platform/clock.js';
import { GUESS_LOCK_AFTER } from '../platform/throttle.js';
import { MERCHANT_FAILURES_PER_IP_PER_15_MIN } from '../payments/merchant-auth.js';
import { STAFF_FAILURES_PER_IP_PER_15_MIN } from './staff.js';
import { totpNow } from './totp.js';

// Every argon2 verification is counted, to show which guesses were evaluated (not how long they took).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});
const verifications = (hashed?: string) =>
  vi.mocked(verify).mock.calls.filter(([against]) => hashed === undefined || against === hashed).length;

const clock = manualClock('2026-11-23T02:00:00Z');
const PARALLEL_GUESSES = 12;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());
beforeEach(() => {
  vi.mocked(verify).mockClear();
  // Each test starts past every lock and throttle window of the one before.
  clock.advanceMs(2 * 3600_000);
});

const codes = (responses: { json(): { code?: string } }[]) => responses.map((response) => response.json().code).sort();
const expectedGuessOutcome = (evaluated: string) =>
  [
    ...Array(GUESS_LOCK_AFTER).fill(evaluated),
    ...Array(PARALLEL_GUESSES - GUESS_LOCK_AFTER).fill('ACCOUNT_LOCKED'),
  ].sort();

async function createStaff(phone = newPhone()) {
  const password = 'staff-lantern-river-77';
  const created = await t.services.identity.staff.create({ phone, name: '客服小李', password, roles: ['support'] });
  if (!created.ok) throw new Error(created.error.code);
  const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM staff WHERE id = $1', [
    created.value.id,
  ]);
  const login = async (guess: string, remoteAddress = '10.60.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/auth/login',
      payload: {
        phone,
        password: guess,
        totpCode: await totpNow(created.value.totpSecret, clock.now()),
        client: 'api',
      },
      remoteAddress,
    });
  return { password, hash: rows[0].password_hash, login };
}

describe('staff sign-in', () => {
  it('verifies an unknown phone against a dummy argon2 hash, with the same answer as a wrong password', async () => {
    const staff = await createStaff();
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/auth/login',
      payload: { phone: newPhone(), password: 'some-guess-123', totpCode: '123456', client: 'api' },
      remoteAddress: '10.60.0.2',
    });
    expect(verifications()).toBe(1);
    expect(vi.mocked(verify).mock.calls[0][0]).toMatch(/^\$argon2id\$/);
    const wrong = await staff.login('some-guess-123', '10.60.0.2');
    expect(verifications()).toBe(2);
    expect({ status: unknown.statusCode, code: unknown.json().code }).toEqual({
      status: wrong.statusCode,
      code: wrong.json().code,
    });
    expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('evaluates no more parallel wrong guesses than the lock allows', async () => {
    const staff = await createStaff();
    const answers = await Promise.all(
      Array.from({ length: PARALLEL_GUESSES }, (_, i) => staff.login(`wrong-password-${i}`)),
    );
    expect(verifications(staff.hash)).toBe(GUESS_LOCK_AFTER);
    expect(codes(answers)).toEqual(expectedGuessOutcome('INVALID_CREDENTIALS'));
    const right = await staff.login(staff.password);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    clock.advanceMs(Number(right.headers['retry-after']) * 1000);
    expect((await staff.login(staff.password)).statusCode).toBe(200);
  });

  it('throttles failures per address', async () => {
    const address = '10.60.1.1';
    const guess = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/auth/login',
        payload: { phone: newPhone(), password: 'some-guess-123', totpCode: '123456', client: 'api' },
        remoteAddress: address,
      });
    for (let i = 0; i < STAFF_FAILURES_PER_IP_PER_15_MIN; i++)
      expect((await guess()).json().code).toBe('INVALID_CREDENTIALS');
    const refused = await guess();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const staff = await createStaff();
    expect((await staff.login(staff.password, address)).json().code).toBe('RATE_LIMITED');
    expect((await staff.login(staff.password, '10.60.1.2')).statusCode).toBe(200);
  });
});

describe('merchant sign-in', () => {
  it('evaluates no more parallel wrong guesses than the lock allows', async () => {
    const shop = await activeMerchant(t);
    const { rows } = await t.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM merchant_staff WHERE merchant_id = $1',
      [shop.id],
    );
    vi.mocked(verify).mockClear();
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/merchant/auth/login',
        payload: { phone: shop.ownerPhone, password, client: 'api' },
        remoteAddress: '10.61.0.1',
      });
    const answers = await Promise.all(Array.from({ length: PARALLEL_GUESSES }, (_, i) => login(`wrong-password-${i}`)));
    expect(verifications(rows[0].password_hash)).toBe(GUESS_LOCK_AFTER);
    expect(codes(answers)).toEqual(expectedGuessOutcome('INVALID_CREDENTIALS'));
    expect((await login(MERCHANT_PASSWORD)).json().code).toBe('ACCOUNT_LOCKED');
  });

  it('throttles failures per address', async () => {
    const address = '10.61.1.1';
    const guess = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/merchant/auth/login',
        payload: { phone: newPhone(), password: 'some-guess-123', client: 'api' },
        remoteAddress: address,
      });
    for (let i = 0; i < MERCHANT_FAILURES_PER_IP_PER_15_MIN; i++)
      expect((await guess()).json().code).toBe('INVALID_CREDENTIALS');
    const refused = await guess();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
  });
});

describe('wallet holder password checks', () => {
  async function holderWithHash() {
    const holder = await registerUser(t);
    const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      holder.userId,
    ]);
    vi.mocked(verify).mockClear();
    return { ...holder, hash: rows[0].password_hash };
  }

  it('password change: parallel wrong current passwords stop at the lock, which also locks sign-in', async () => {
    const holder = await holderWithHash();
    const change = (currentPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: holder.auth,
        payload: { currentPassword, newPassword: 'harbour-signal-58-quartz' },
      });
    const answers = await Promise.all(
      Array.from({ length: PARALLEL_GUESSES }, (_, i) => change(`wrong-password-${i}`)),
    );
    expect(verifications(holder.hash)).toBe(GUESS_LOCK_AFTER);
    expect(codes(answers)).toEqual(expectedGuessOutcome('PASSWORD_INVALID'));
    const right = await change(PASSWORD);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    expect(right.headers['retry-after']).toBeDefined();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: holder.phone, password: PASSWORD, deviceId: holder.deviceId, client: 'api' },
    });
    expect(signIn.json().code).toBe('ACCOUNT_LOCKED');
    const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      holder.userId,
    ]);
    expect(rows[0].password_hash).toBe(holder.hash);
  });

  it('first PIN: parallel wrong passwords stop at the lock', async () => {
    const holder = await holderWithHash();
    const setPin = (password: string) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/me/pin',
        headers: holder.auth,
        payload: { newPin: '482915', password },
      });
    const answers = await Promise.all(
      Array.from({ length: PARALLEL_GUESSES }, (_, i) => setPin(`wrong-password-${i}`)),
    );
    expect(verifications(holder.hash)).toBe(GUESS_LOCK_AFTER);
    expect(codes(answers)).toEqual(expectedGuessOutcome('PASSWORD_INVALID'));
    expect((await setPin(PASSWORD)).json().code).toBe('ACCOUNT_LOCKED');
    expect((await t.app.inject({ url: '/api/v1/me', headers: holder.auth })).json().pinSet).toBe(false);
  });

  it('a right password clears the count', async () => {
    const holder = await holderWithHash();
    const change = (currentPassword: string, newPassword = 'harbour-signal-58-quartz') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: holder.auth,
        payload: { currentPassword, newPassword },
      });
    for (let i = 0; i < GUESS_LOCK_AFTER - 1; i++)
      expect((await change(`wrong-password-${i}`)).json().code).toBe('PASSWORD_INVALID');
    expect((await change(PASSWORD)).statusCode).toBe(200);
    expect((await change('wrong-password-x')).json().code).toBe('PASSWORD_INVALID');
    expect((await change('harbour-signal-58-quartz', 'lantern-river-93-pebble')).statusCode).toBe(200);
  });
});

describe('throttle counters', () => {
  it('are pruned once their window has ended', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/auth/login',
      payload: { phone: newPhone(), password: 'some-guess-123', totpCode: '123456', client: 'api' },
      remoteAddress: '10.62.0.1',
    });
    clock.advanceMs(15 * 60_000);
    expect(await t.services.identity.throttle.prune()).toBeGreaterThan(0);
    const { rows } = await t.db.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM throttle_counters WHERE window_end <= $1',
      [clock.now()],
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
