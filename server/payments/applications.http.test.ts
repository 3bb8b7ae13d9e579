import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { createPiiCipher } from '../platform/crypto.js';
import { testAddress } from '../../test/identity-factories.js';
import { activeMerchant, applicationInput } from '../../test/payment-factories.js';
import { readOutbox } from '../notifications/sms.js';
import { manualClock } from '../platform/clock.js';
import { APPLICATIONS_PER_IP_PER_HOUR, APPLICATIONS_PER_PHONE_PER_DAY, type MerchantInput } from './merchants.js';

// Every argon2 hash is counted, to show the public form hashes only after the cheap checks and the throttles.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, hash: vi.fn(real.hash) };
});

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());
beforeEach(() => {
  vi.mocked(hash).mockClear();
  clock.advanceMs(25 * 3600_000);
});

const apply = (input: MerchantInput, remoteAddress = testAddress(input.owner.phone)) =>
  t.app.inject({ method: 'POST', url: '/api/v1/merchant-applications', payload: input, remoteAddress });
const merchantCount = async () =>
  Number((await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM merchants')).rows[0].n);
const answer = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
  status: response.statusCode,
  type: response.headers['content-type'],
  body: response.body,
});

describe('merchant applications', () => {
  it('answers an owner phone that has a merchant login exactly as a new one, and texts it', async () => {
    const existing = await activeMerchant(t);
    const before = await merchantCount();
    const fresh = await apply(applicationInput());
    const taken = applicationInput();
    const takenAnswer = await apply({ ...taken, owner: { ...taken.owner, phone: existing.ownerPhone } });
    expect(answer(fresh)).toEqual({
      status: 202,
      type: 'application/json; charset=utf-8',
      body: '{"status":"received"}',
    });
    expect(answer(takenAnswer)).toEqual(answer(fresh));
    expect(takenAnswer.body).not.toContain('MERCHANT_STAFF_PHONE_TAKEN');
    expect(await merchantCount()).toBe(before + 1);
    const [texted] = await readOutbox(t.db, createPiiCipher(TEST_PII_KEY), { phone: existing.ownerPhone, limit: 1 });
    expect(texted.purpose).toBe('merchant.application');
    expect(texted.text).toContain('已是商户员工账号');
  });

  it('throttles per address, before any argon2 work', async () => {
    const address = '10.70.0.1';
    for (let i = 0; i < APPLICATIONS_PER_IP_PER_HOUR; i++)
      expect((await apply(applicationInput(), address)).statusCode).toBe(202);
    expect(vi.mocked(hash)).toHaveBeenCalledTimes(APPLICATIONS_PER_IP_PER_HOUR);
    const before = await merchantCount();
    const refused = await apply(applicationInput(), address);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(vi.mocked(hash)).toHaveBeenCalledTimes(APPLICATIONS_PER_IP_PER_HOUR);
    expect(await merchantCount()).toBe(before);
    expect((await apply(applicationInput(), '10.70.0.2')).statusCode).toBe(202);
  });

  it('throttles per owner phone, whatever the address', async () => {
    const input = applicationInput();
    for (let i = 0; i < APPLICATIONS_PER_PHONE_PER_DAY; i++)
      expect((await apply(input, `10.71.0.${i + 1}`)).statusCode).toBe(202);
    const refused = await apply(input, '10.71.0.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    clock.advanceMs(Number(refused.headers['retry-after']) * 1000);
    expect((await apply(input, '10.71.0.99')).statusCode).toBe(202);
  });

  it('refuses a bad form without hashing anything or using up the throttle', async () => {
    const weak = await apply(
      applicationInput({ owner: { name: 'x', phone: '13700009999', password: '12345678' } }),
      '10.72.0.1',
    );
    expect(weak.json().code).toBe('PASSWORD_TOO_WEAK');
    expect(vi.mocked(hash)).not.toHaveBeenCalled();
    for (let i = 0; i < APPLICATIONS_PER_IP_PER_HOUR; i++)
      expect((await apply(applicationInput(), '10.72.0.1')).statusCode).toBe(202);
  });
});
