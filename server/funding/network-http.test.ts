import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeRemote,
  type ReceivedRequest,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { InterbankUnavailable } from './network.js';
import { createHttpInterbankNetwork } from './network-http.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const last = () => remote.received.at(-1) as ReceivedRequest;
const network = () => createHttpInterbankNetwork(fakeSettings(`${remote.url}/cnaps`), { clock });

describe('the interbank network over HTTP', () => {
  it('starts an online payment, signed, with the order id as idempotency key', async () => {
    remote.answer(() => ({
      status: 200,
      body: { networkRef: 'ibp_9', redirectUrl: 'https://bank.example.com/pay/9' },
    }));
    const started = await network().startPayment({
      requestId: 'obk_1',
      bankCode: 'ICBC',
      amountFen: 5_000n,
      currency: 'CNY',
      returnUrl: 'https://wallet.example.com/topup/online/obk_1',
    });
    expect(started).toEqual({ networkRef: 'ibp_9', redirectUrl: 'https://bank.example.com/pay/9' });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/cnaps/v1/online-payments',
      json: { requestId: 'obk_1', bankCode: 'ICBC', amountFen: 5000 },
    });
    expect(signatureOf(last()).valid).toBe(true);
    // A bank page that is not https is not followed.
    remote.answer(() => ({ status: 200, body: { networkRef: 'ibp_9', redirectUrl: 'http://bank.example.com/' } }));
    await expect(
      network().startPayment({ requestId: 'obk_2', bankCode: 'ICBC', amountFen: 1n, currency: 'CNY', returnUrl: 'x' }),
    ).rejects.toBeInstanceOf(InterbankUnavailable);
  });

  it('reads a payment status, a 404 as not found, and anything else as unavailable', async () => {
    remote.answer(() => ({ status: 200, body: { status: 'paid', networkRef: 'ibp_9', amountFen: 5000 } }));
    expect(await network().queryPayment('obk_1')).toEqual({ status: 'paid', networkRef: 'ibp_9', amountFen: 5000n });
    expect(last()).toMatchObject({ method: 'GET', path: '/cnaps/v1/online-payments/obk_1' });
    remote.answer(() => ({ status: 404, body: {} }));
    expect(await network().queryPayment('obk_1')).toEqual({ status: 'not_found' });
    remote.answer(() => ({ status: 200, body: { status: 'paid' } }));
    await expect(network().queryPayment('obk_1')).rejects.toBeInstanceOf(InterbankUnavailable);
    remote.answer(() => ({ status: 502, body: {} }));
    await expect(network().queryPayment('obk_1')).rejects.toBeInstanceOf(InterbankUnavailable);
  });

  it('returns a transfer with its reason', async () => {
    remote.answer(() => ({ status: 200, body: { returned: true } }));
    await network().returnTransfer({ networkRef: 'ibt/1', reason: 'NAME_MISMATCH' });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/cnaps/v1/credit-transfers/ibt%2F1/return',
      json: { reason: 'NAME_MISMATCH' },
    });
    remote.answer(() => ({ status: 409, body: {} }));
    await expect(network().returnTransfer({ networkRef: 'ibt_2', reason: 'UNKNOWN_ACCOUNT' })).rejects.toBeInstanceOf(
      InterbankUnavailable,
    );
  });
});
