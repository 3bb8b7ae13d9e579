import { expect } from 'vitest';
import { residentIdCheckChar } from '../server/identity/resident-id.js';
import { type OutboxMessage, readOutbox } from '../server/notifications/sms.js';
import { createPiiCipher } from '../server/platform/crypto.js';
import { TEST_PII_KEY, type TestApp } from './app.js';

let phoneCounter = 0;

export function testAddress(seed: string): string {
  const n = Number(seed.slice(-6)) || 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
let idCounter = 0;

/** A fresh, valid mainland mobile number per call. */
export function newPhone(): string {
  phoneCounter++;
  return `137${String(process.pid % 10_000).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

/** A valid resident ID number for a birth date (YYYYMMDD), unique per call. */
export function newIdNumber(birth = '19900307'): string {
  idCounter++;
  const first17 = `110101${birth}${String((process.pid + idCounter) % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

const testCipher = createPiiCipher(TEST_PII_KEY);

/** What the sandbox texted to a phone (of one purpose, when given), newest first, unsealed with the test key. */
export async function outboxOf(t: TestApp, phone: string, purpose?: string): Promise<OutboxMessage[]> {
  return readOutbox(t.db, testCipher, { phone, purpose, limit: 200 });
}

/**
 * The newest SMS code texted to a phone for a purpose, read from the sandbox outbox. Give the
 * purpose: under a manual clock several messages share one timestamp, and ids made in the same
 * millisecond are not ordered, so "the newest" of different purposes is ambiguous.
 */
export async function latestCode(t: TestApp, phone: string, purpose?: string): Promise<string> {
  const [newest] = (await outboxOf(t, phone, purpose ? `code:${purpose}` : undefined)).filter((message) =>
    message.purpose.startsWith('code:'),
  );
  const match = /(\d{6})/.exec(newest?.text ?? '');
  if (!match) throw new Error(`no code was texted to ${phone}`);
  return match[1];
}

/** Asks the API to text a code and returns exactly the code that this request sent. */
export async function requestCode(t: TestApp, phone: string, purpose: string): Promise<string> {
  const outbox = () => outboxOf(t, phone, `code:${purpose}`);
  const before = new Set((await outbox()).map((message) => message.id));
  // Each test client has its own address, so the per-IP caps of one test don't leak into another.
  const sent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sms-codes',
    payload: { phone, purpose },
    remoteAddress: testAddress(phone),
  });
  expect(sent.statusCode, sent.body).toBe(202);
  const fresh = (await outbox()).filter((message) => !before.has(message.id));
  const match = fresh.length === 1 ? /(\d{6})/.exec(fresh[0].text) : null;
  if (!match) throw new Error(`expected one new code texted to ${phone}, found ${fresh.length}`);
  return match[1];
}

export const PASSWORD = 'river-lantern-42-moon';

export interface TestUser {
  userId: string;
  phone: string;
  idNumber: string;
  name: string;
  password: string;
  deviceId: string;
  token: string;
  auth: { authorization: string };
}

/** Registers a wallet holder through the API, signs them in and returns their bearer token. */
export async function registerUser(
  t: TestApp,
  overrides: Partial<Pick<TestUser, 'phone' | 'idNumber' | 'name' | 'password'>> = {},
): Promise<TestUser> {
  const phone = overrides.phone ?? newPhone();
  const idNumber = overrides.idNumber ?? newIdNumber();
  const name = overrides.name ?? '张三';
  const password = overrides.password ?? PASSWORD;
  const deviceId = `device-${phone}`;
  const smsCode = await requestCode(t, phone, 'register');
  const remoteAddress = testAddress(phone);
  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { phone, smsCode, idNumber, name, password, deviceId },
    remoteAddress,
  });
  expect(registered.statusCode, registered.body).toBe(202);
  // Registration answers the same whether or not it opened a wallet; signing in on the registering device tells.
  const signedIn = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone, password, deviceId, client: 'api' },
    remoteAddress,
  });
  expect(signedIn.statusCode, signedIn.body).toBe(200);
  const { userId, token } = signedIn.json();
  return { userId, phone, idNumber, name, password, deviceId, token, auth: { authorization: `Bearer ${token}` } };
}
