import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../server/platform/logging.js';
import type { Db } from '../server/platform/db/types.js';
import { signedInStaff } from '../server/ops/test-support.js';
import { createTestApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { latestCode, requestCode, testAddress } from './identity-factories.js';
import { residentIdForm, submitKyc } from './kyc-factories.js';
import { activeMerchant, pay } from './payment-factories.js';
import { moneyHeaders, walletHolder, type WalletHolder } from './transfer-factories.js';
import { linkCard, topUp } from './wallet-factories.js';

/**
 * Personal data never reaches the logs (finding 7): the pino output of a whole journey at the most
 * verbose level, unhandled errors included, holds none of the phones, ID numbers, card numbers,
 * PINs, passwords and SMS codes the journey used.
 */

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

// A database error as PGlite raises it carries the statement's parameters and the offending values;
// this wrapper makes the next sign-in query fail that way, once, to see what a 5xx writes to the log.
const failNextSignIn: { values: string[] | null } = { values: null };
function failingOnce(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'query') {
        return async (sql: string, params?: readonly unknown[]) => {
          const values = failNextSignIn.values;
          if (values && /FROM users WHERE phone_hash/.test(sql)) {
            failNextSignIn.values = null;
            throw Object.assign(new Error('terminating connection due to administrator command'), {
              code: 'XX000',
              severity: 'FATAL',
              detail: `Key (phone)=(${values[0]}) is in use`,
              params: [...values],
              query: sql,
            });
          }
          return target.query(sql, params);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

let database: TestDatabase;
let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;
const secrets = new Map<string, string>();

const remember = (label: string, value: string) => secrets.set(`${label}:${value}`, value);

beforeAll(async () => {
  database = await createTestDatabase();
  const logger = pino(loggerOptions('trace'), sink);
  t = await createTestApp({ database: { ...database, db: failingOnce(database.db) }, logger });

  // Register (SMS code), set a PIN, then sign in on a new device with an SMS code.
  alice = await walletHolder(t, { name: '赵敏' });
  bob = await walletHolder(t, { name: '钱多' });
  for (const holder of [alice, bob]) {
    remember('phone', holder.phone);
    remember('id', holder.idNumber);
    remember('password', holder.password);
    remember('token', holder.token);
  }
  remember('pin', alice.pin);
  const newDevice = { phone: alice.phone, password: alice.password, client: 'api', deviceId: 'log-test-new-phone' };
  const asked = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: newDevice,
    remoteAddress: testAddress(alice.phone),
  });
  expect(asked.json().code).toBe('DEVICE_VERIFICATION_REQUIRED');
  const loginCode = await latestCode(t, alice.phone, 'login_device');
  remember('sms', loginCode);
  const signedIn = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { ...newDevice, smsCode: loginCode },
    remoteAddress: testAddress(alice.phone),
  });
  expect(signedIn.statusCode, signedIn.body).toBe(200);
  remember('sms', await requestCode(t, bob.phone, 'recover'));

  // Verify identity, bind a card (the bank texts a code), top up, transfer to a phone, pay a shop.
  expect((await submitKyc(t, alice, residentIdForm())).statusCode).toBe(201);
  const card = await linkCard(t, alice);
  remember('card', card.number);
  expect((await topUp(t, alice, card.id, 50_000)).status).toBe('succeeded');
  const lookup = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/payee-lookup',
    headers: alice.auth,
    payload: { payee: { phone: bob.phone } },
  });
  expect(lookup.statusCode, lookup.body).toBe(200);
  const transfer = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: moneyHeaders(alice),
    payload: { payee: { phone: bob.phone }, amount: 1_000, currency: 'CNY' },
  });
  expect(transfer.statusCode, transfer.body).toBe(201);
  const { id: transferId, confirmation } = transfer.json();
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: alice.auth,
    payload: { pin: alice.pin },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const completed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/transfers/${transferId}/complete`,
    headers: moneyHeaders(alice),
    payload: { confirmationId: confirmation.id },
  });
  expect(completed.statusCode, completed.body).toBe(200);
  const shop = await activeMerchant(t);
  remember('phone', shop.ownerPhone);
  expect((await pay(t, alice, { merchantNumber: shop.merchantNumber, amount: 1_234 })).statusCode).toBe(200);

  // A holder searching their history by a phone number: a query string, which is not logged.
  expect((await t.app.inject({ url: `/api/v1/wallet/history?q=${bob.phone}`, headers: alice.auth })).statusCode).toBe(
    200,
  );

  // Staff look the holder up by phone and by ID number; the old query-string lookup is gone.
  const support = await signedInStaff(t, ['support']);
  remember('phone', support.phone);
  for (const body of [{ phone: alice.phone }, { idNumber: alice.idNumber }]) {
    const found = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/customers/search',
      headers: support.auth,
      payload: body,
    });
    expect(found.json().items.map((item: { userId: string }) => item.userId)).toEqual([alice.userId]);
  }
  const byQuery = await t.app.inject({
    url: `/api/v1/ops/customers?idNumber=${alice.idNumber}`,
    headers: support.auth,
  });
  expect(byQuery.statusCode).toBe(404);

  // An unexpected failure while the body holds a phone and password: a 5xx whose error object carries them.
  failNextSignIn.values = [alice.phone, alice.idNumber, alice.password];
  const failed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: newDevice,
    remoteAddress: testAddress(alice.phone),
  });
  expect(failed.statusCode).toBe(500);
  secrets.set('failed-request-id', failed.json().requestId);
});
afterAll(async () => {
  await t?.close();
  await database?.close();
});

// Fields that are numbers of our own making (times, durations, ports): a six-digit code could match inside them by
// chance.
const OWN_NUMBERS = new Set(['time', 'responseTime', 'remotePort', 'pid']);
function loggedText(): string {
  return logLines
    .map((line) => JSON.stringify(JSON.parse(line), (key, value) => (OWN_NUMBERS.has(key) ? undefined : value)))
    .join('\n');
}

describe('the log of a full journey', () => {
  it('logged the journey, its lookups and its failure', () => {
    const text = loggedText();
    expect(logLines.length).toBeGreaterThan(50);
    expect(text).toContain('"url":"/api/v1/ops/customers/search"');
    expect(text).toContain('"url":"/api/v1/wallet/history"');
    const failure = logLines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unhandled error');
    expect(failure).toMatchObject({
      requestId: secrets.get('failed-request-id'),
      err: { code: 'XX000', severity: 'FATAL' },
    });
    expect(failure.err.params).toBeUndefined();
    expect(failure.err.detail).toBeUndefined();
  });

  it('holds none of the phones, ID numbers, card numbers, PINs, passwords, session tokens and SMS codes used', () => {
    const text = loggedText();
    const kinds = new Set([...secrets.keys()].map((key) => key.split(':')[0]));
    expect([...kinds].sort()).toEqual(['card', 'failed-request-id', 'id', 'password', 'phone', 'pin', 'sms', 'token']);
    const found = [...secrets.entries()]
      .filter(([label]) => label !== 'failed-request-id')
      .filter(([, value]) => new RegExp(`(?<![0-9])${value}(?![0-9])`).test(text))
      .map(([label]) => label);
    expect(found).toEqual([]);
  });

  it('keeps no query string in any request line', () => {
    const urls = logLines
      .map((line) => JSON.parse(line))
      .flatMap((entry) => (entry.req?.url ? [entry.req.url as string] : []));
    expect(urls.length).toBeGreaterThan(20);
    expect(urls.filter((url) => url.includes('?'))).toEqual([]);
  });
});
