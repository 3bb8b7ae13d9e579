import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeRemote,
  type ReceivedRequest,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { CardNetworkTimeout } from './card-network.js';
import { CardNetworkUnreadableAnswer, createHttpCardNetwork } from './card-network-http.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const last = () => remote.received.at(-1) as ReceivedRequest;
const network = () => createHttpCardNetwork(fakeSettings(`${remote.url}/unionpay`), { clock });
const charge = { requestId: 'wor_1', agreementId: 'agr_1', amountFen: 8850n, currency: 'CNY' };

describe('the card network over HTTP', () => {
  it('binds a card in two signed steps', async () => {
    remote.answer((request) =>
      request.path.endsWith('/confirm')
        ? { status: 200, body: { status: 'bound', agreementId: 'agr_9' } }
        : { status: 200, body: { status: 'code_sent', bindingId: 'bnd/7', expiresAt: '2026-11-23T02:05:00Z' } },
    );
    const started = await network().startBinding({
      cardNumber: '6222020000000001234',
      holderName: '张三',
      idNumber: '11010519900307123X',
      phone: '13812345678',
    });
    expect(started).toEqual({ status: 'code_sent', bindingId: 'bnd/7', expiresAt: new Date('2026-11-23T02:05:00Z') });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/unionpay/v1/bindings',
      json: { cardNumber: '6222020000000001234', phone: '13812345678' },
    });
    expect(signatureOf(last()).valid).toBe(true);
    expect(await network().confirmBinding({ bindingId: 'bnd/7', code: '123456' })).toEqual({
      status: 'bound',
      agreementId: 'agr_9',
    });
    expect(last()).toMatchObject({ path: '/unionpay/v1/bindings/bnd%2F7/confirm', json: { code: '123456' } });
    expect(signatureOf(last()).valid).toBe(true);
  });

  it('maps a declined binding, and throws on an unreadable answer', async () => {
    remote.answer(() => ({ status: 200, body: { status: 'declined', reason: 'CARD_BLOCKED' } }));
    expect(await network().confirmBinding({ bindingId: 'bnd_1', code: '1' })).toEqual({
      status: 'declined',
      reason: 'CARD_BLOCKED',
    });
    remote.answer(() => ({ status: 200, body: { status: 'declined', reason: 'SOMETHING_NEW' } }));
    await expect(network().confirmBinding({ bindingId: 'bnd_1', code: '1' })).rejects.toBeInstanceOf(
      CardNetworkUnreadableAnswer,
    );
  });

  it('charges with the order id as idempotency key and amount in fen, and maps each outcome', async () => {
    remote.answer(() => ({ status: 200, body: { status: 'succeeded', networkRef: 'np_1' } }));
    expect(await network().charge(charge)).toEqual({ status: 'succeeded', networkRef: 'np_1' });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/unionpay/v1/charges',
      json: { requestId: 'wor_1', agreementId: 'agr_1', amountFen: 8850, currency: 'CNY' },
    });
    expect(last().headers['idempotency-key']).toBe('wor_1');
    expect(signatureOf(last()).valid).toBe(true);
    remote.answer(() => ({ status: 200, body: { status: 'failed', reason: 'BANK_INSUFFICIENT_FUNDS' } }));
    expect(await network().charge(charge)).toEqual({ status: 'failed', reason: 'BANK_INSUFFICIENT_FUNDS' });
    remote.answer(() => ({ status: 200, body: { status: 'processing' } }));
    expect(await network().payout({ ...charge, arrival: 'next_day' })).toEqual({ status: 'processing' });
    expect(last()).toMatchObject({ path: '/unionpay/v1/payouts', json: { arrival: 'next_day', amountFen: 8850 } });
  });

  it('leaves the outcome unknown on a timeout (CardNetworkTimeout) or an unreadable answer', async () => {
    remote.answer(() => 'hang');
    const slow = createHttpCardNetwork(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    await expect(slow.charge(charge)).rejects.toBeInstanceOf(CardNetworkTimeout);
    remote.answer(() => ({ status: 502, body: { status: 'succeeded', networkRef: 'np_x' } }));
    await expect(network().payout({ ...charge, arrival: 'realtime' })).rejects.toBeInstanceOf(
      CardNetworkUnreadableAnswer,
    );
  });

  it('queries status (404 is not_found), cancels payouts and reads the settlement file', async () => {
    remote.answer(() => ({ status: 404 }));
    expect(await network().query('wor_2')).toEqual({ status: 'not_found' });
    expect(last()).toMatchObject({ method: 'GET', path: '/unionpay/v1/requests/wor_2', rawBody: '' });
    expect(signatureOf(last()).valid).toBe(true);
    remote.answer(() => ({
      status: 200,
      body: { status: 'too_late', outcome: { status: 'succeeded', networkRef: 'np_3' } },
    }));
    expect(await network().cancelPayout('wor_3')).toEqual({
      status: 'too_late',
      outcome: { status: 'succeeded', networkRef: 'np_3' },
    });
    expect(last().path).toBe('/unionpay/v1/payouts/wor_3/cancel');
    const line = {
      requestId: 'wor_4',
      kind: 'charge',
      amountFen: 100,
      currency: 'CNY',
      networkRef: 'np_4',
      completedAt: '2026-11-22T10:00:00Z',
    };
    remote.answer(() => ({ status: 200, body: { lines: [line] } }));
    expect(await network().settlementFile('2026-11-22')).toEqual([
      { ...line, amountFen: 100n, completedAt: new Date(line.completedAt) },
    ]);
    remote.answer(() => ({ status: 200, body: { lines: [{ ...line, amountFen: 1.5 }] } }));
    await expect(network().settlementFile('2026-11-22')).rejects.toBeInstanceOf(CardNetworkUnreadableAnswer);
  });
});
