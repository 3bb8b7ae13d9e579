import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TEST_OPERATOR_TOKEN, TEST_PII_KEY, TEST_PIN_KEYS } from '../test/app.js';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { newIdNumber, newPhone, PASSWORD, testAddress } from '../test/identity-factories.js';
import {
  type FakeRemote,
  type ReceivedRequest,
  FAKE_SECRET,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../test/outside-fakes.js';
import { idem, newCardNumber } from '../test/wallet-factories.js';
import { buildApp } from './app.js';
import type { OutsideSystems } from './config-outside.js';
import { ALL_SANDBOXES } from './outside-adapters.js';
import { readOutbox } from './notifications/sms.js';
import { manualClock } from './platform/clock.js';
import { createPiiCipher } from './platform/crypto.js';
import { readEmailOutbox } from './notifications/email.js';
import { CALLBACK_SIGNATURE_HEADER, signCallback } from './wallet/card-network.js';

const clock = manualClock('2026-11-23T02:00:00Z');
const CALLBACK_SECRET = 'card-network-callback-secret-0123456789';
const base = {
  operatorToken: TEST_OPERATOR_TOKEN,
  logLevel: 'silent',
  production: true,
  publicUrl: 'https://wallet.example.com',
  piiKey: TEST_PII_KEY,
  pinKeys: TEST_PIN_KEYS,
};

/** Every outside system is the fake remote, each under a base path of its own. */
function realAdapters(url: string): OutsideSystems {
  return {
    sms: { kind: 'http', settings: fakeSettings(`${url}/sms`) },
    email: { kind: 'http', settings: fakeSettings(`${url}/mail`) },
    documentCheck: { kind: 'http', settings: fakeSettings(`${url}/ocr`) },
    cardNetwork: { kind: 'http', settings: fakeSettings(`${url}/unionpay`), callbackSecret: CALLBACK_SECRET },
    payoutRail: { kind: 'http', settings: fakeSettings(`${url}/ibps`) },
    billNetwork: { kind: 'http', settings: fakeSettings(`${url}/bills`) },
    fundCompany: { kind: 'http', settings: fakeSettings(`${url}/funds`) },
    creditBureau: { kind: 'http', settings: fakeSettings(`${url}/bureau`) },
    interbankNetwork: {
      kind: 'http',
      settings: fakeSettings(`${url}/cnaps`),
      callbackSecret: 'interbank-network-notification-secret-0123',
    },
  };
}

let remote: FakeRemote;
let database: TestDatabase;
let app: FastifyInstance;
/** What the fake network answers to charges, set per test. */
let chargeAnswer: { status: number; body: unknown } = {
  status: 200,
  body: { status: 'succeeded', networkRef: 'np_1' },
};

beforeAll(async () => {
  remote = await startFakeRemote((request) => {
    if (request.path === '/sms/v1/messages') return { status: 202, body: { id: `gw_${request.rawBody.length}` } };
    if (request.path === '/mail/v1/emails') return { status: 202, body: { id: `mail_${request.rawBody.length}` } };
    if (request.path === '/unionpay/v1/bindings')
      return { status: 200, body: { status: 'code_sent', bindingId: 'bnd_1', expiresAt: '2026-11-23T02:05:00Z' } };
    if (request.path === '/unionpay/v1/bindings/bnd_1/confirm')
      return { status: 200, body: { status: 'bound', agreementId: 'agr_1' } };
    if (request.path === '/unionpay/v1/charges') return chargeAnswer;
    return { status: 404 };
  });
  database = await createTestDatabase();
  ({ app } = await buildApp({ config: { ...base, outsideSystems: realAdapters(remote.url) }, db: database.db, clock }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await remote?.close();
});

const sent = (path: string) => remote.received.filter((request) => request.path === path);

describe('production with real adapters', () => {
  it('has no development-only route', async () => {
    expect(app.hasRoute({ method: 'GET', url: '/dev/outbox' })).toBe(false);
    expect(app.hasRoute({ method: 'GET', url: '/api/dev/outbox' })).toBe(false);
    expect(app.hasRoute({ method: 'GET', url: '/dev/email-outbox' })).toBe(false);
    expect(app.hasRoute({ method: 'GET', url: '/api/dev/email-outbox' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/api/dev/bills/issue' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/api/v1/dev/savings/clock' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/api/v1/dev/credit/run-day' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/api/v1/dev/credit/card-network/purchases' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/api/v1/dev/credit/bureau' })).toBe(false);
    expect((await app.inject({ url: '/dev/outbox' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/dev/outbox' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/healthz' })).headers['x-tongbao-sandbox']).toBeUndefined();
  });

  it('texts codes through the signed SMS gateway, links a card and tops up through the card network', async () => {
    const phone = newPhone();
    const codeSent = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sms-codes',
      payload: { phone, purpose: 'register' },
      remoteAddress: testAddress(phone),
    });
    expect(codeSent.statusCode, codeSent.body).toBe(202);
    const text = sent('/sms/v1/messages').at(-1) as ReceivedRequest;
    expect(text.json).toMatchObject({ phone, purpose: 'code:register' });
    expect(signatureOf(text).valid).toBe(true);
    // Nothing lands in the sandbox outbox: the real gateway got the text.
    expect(await readOutbox(database.db, createPiiCipher(TEST_PII_KEY), { phone, limit: 10 })).toEqual([]);
    const smsCode = /(\d{6})/.exec((text.json as { text: string }).text)?.[1];
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        phone,
        smsCode,
        idNumber: newIdNumber(),
        name: '张三',
        password: PASSWORD,
        deviceId: `device-${phone}`,
      },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone, password: PASSWORD, deviceId: `device-${phone}`, client: 'api' },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const auth = { authorization: `Bearer ${signedIn.json().token}` };

    // The recovery e-mail's code goes through the signed e-mail gateway, never to the sandbox outbox.
    const email = `zhang.${phone}@example.com`;
    const mailed = await app.inject({ method: 'PUT', url: '/api/v1/me/email', headers: auth, payload: { email } });
    expect(mailed.statusCode, mailed.body).toBe(202);
    const mail = sent('/mail/v1/emails').at(-1) as ReceivedRequest;
    expect(mail.json).toMatchObject({ to: email, purpose: 'code:verify' });
    expect(signatureOf(mail).valid).toBe(true);
    expect(await readEmailOutbox(database.db, createPiiCipher(TEST_PII_KEY), { to: email, limit: 10 })).toEqual([]);

    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/wallet/cards',
      headers: auth,
      payload: { cardNumber: newCardNumber('4321'), holderName: '张三', reservedPhone: phone },
    });
    expect(started.statusCode, started.body).toBe(202);
    expect(sent('/unionpay/v1/bindings').at(-1)?.json).toMatchObject({ holderName: '张三', phone });
    const cardId = started.json().card.id as string;
    const confirmed = await app.inject({
      method: 'POST',
      url: `/api/v1/wallet/cards/${cardId}/confirm`,
      headers: auth,
      payload: { code: '123456' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    chargeAnswer = { status: 200, body: { status: 'succeeded', networkRef: 'np_1' } };
    const topUp = await app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...auth, ...idem() },
      payload: { cardId, amount: 8850, currency: 'CNY' },
    });
    expect(topUp.statusCode, topUp.body).toBe(201);
    expect(topUp.json()).toMatchObject({ status: 'succeeded', amount: 8850 });
    const charge = sent('/unionpay/v1/charges').at(-1) as ReceivedRequest;
    expect(charge.json).toMatchObject({
      requestId: topUp.json().id,
      agreementId: 'agr_1',
      amountFen: 8850,
      currency: 'CNY',
    });
    expect(charge.headers['idempotency-key']).toBe(topUp.json().id);
    expect(signatureOf(charge, FAKE_SECRET).valid).toBe(true);

    // The network's answer never comes: the top-up stays processing, and only a correctly signed callback settles it.
    chargeAnswer = { status: 502, body: { error: 'gateway' } };
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...auth, ...idem() },
      payload: { cardId, amount: 1200, currency: 'CNY' },
    });
    expect(unknown.json()).toMatchObject({ status: 'processing' });
    const event = JSON.stringify({
      eventId: 'evt_1',
      requestId: unknown.json().id,
      kind: 'charge',
      status: 'succeeded',
      networkRef: 'np_2',
      amountFen: 1200,
      currency: 'CNY',
    });
    const callback = (signature: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/wallet/card-network/callbacks',
        headers: { 'content-type': 'application/json', [CALLBACK_SIGNATURE_HEADER]: signature },
        payload: event,
      });
    const forged = await callback(signCallback('derived-from-the-pii-key-is-not-it', event, clock.now()));
    expect(forged.statusCode).toBe(401);
    expect((await callback(signCallback(CALLBACK_SECRET, event, clock.now()))).json()).toEqual({
      received: true,
      settled: true,
    });
    const balance = await app.inject({ url: '/api/v1/wallet/balance', headers: auth });
    expect(balance.json()).toMatchObject({ balance: 10050, available: 10050 });
  });
});

describe('production with a sandbox', () => {
  it('refuses to build the app without the staging flag', async () => {
    const t = await createTestDatabase();
    try {
      await expect(
        buildApp({
          config: { ...base, outsideSystems: { ...realAdapters('https://x.example.com'), sms: { kind: 'sandbox' } } },
          db: t.db,
          clock,
        }),
      ).rejects.toThrow(/production never runs a sandbox \(SMS gateway\)/);
      await expect(
        buildApp({
          config: {
            ...base,
            outsideSystems: { ...realAdapters('https://x.example.com'), creditBureau: { kind: 'sandbox' } },
          },
          db: t.db,
          clock,
        }),
      ).rejects.toThrow(/production never runs a sandbox \(credit bureau\)/);
      await expect(buildApp({ config: base, db: t.db, clock })).rejects.toThrow(
        /SMS gateway, e-mail gateway, identity document check, bank card network, interbank payout rail/,
      );
    } finally {
      await t.close();
    }
  });

  it('with --allow-sandbox, says so on every answer (API, pages, errors) and still has no dev routes', async () => {
    const t = await createTestDatabase();
    const staging = await buildApp({
      config: { ...base, allowSandbox: true, outsideSystems: ALL_SANDBOXES },
      db: t.db,
      clock,
    });
    try {
      for (const url of ['/healthz', '/', '/merchant/', '/ops/', '/api/v1/wallet/balance', '/dev/outbox']) {
        const answer = await staging.app.inject({ url });
        expect(answer.headers['x-tongbao-sandbox'], url).toBe('on');
      }
      expect(staging.app.hasRoute({ method: 'GET', url: '/dev/outbox' })).toBe(false);
    } finally {
      await staging.app.close();
      await t.close();
    }
  });
});
