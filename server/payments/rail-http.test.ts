import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeRemote,
  type ReceivedRequest,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { createHttpPayoutRail } from './rail-http.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const payout = {
  payoutId: 'mpo_1',
  merchantId: 'mer_1',
  amountFen: 123456n,
  bankName: '招商银行',
  accountNumber: '6214830000001234',
};

describe('the payout rail over HTTP', () => {
  it('sends the payout signed, with its id as idempotency key, and maps the answers', async () => {
    const rail = createHttpPayoutRail(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 200, body: { railReference: 'ibps_1' } }));
    expect(await rail.send(payout)).toEqual({ ok: true, value: { railReference: 'ibps_1' } });
    const sent = remote.received.at(-1) as ReceivedRequest;
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/v1/transfers',
      json: { payoutId: 'mpo_1', amountFen: 123456, currency: 'CNY', accountNumber: '6214830000001234' },
    });
    expect(sent.headers['idempotency-key']).toBe('mpo_1');
    expect(signatureOf(sent).valid).toBe(true);
    remote.answer(() => ({ status: 422, body: { code: 'DECLINED', message: 'account closed' } }));
    expect(await rail.send(payout)).toEqual({ ok: false, error: { code: 'DECLINED', message: 'account closed' } });
    remote.answer(() => ({ status: 500 }));
    expect(await rail.send(payout)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('is UNAVAILABLE (retried later) when the rail does not answer in time', async () => {
    remote.answer(() => 'hang');
    const rail = createHttpPayoutRail(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    expect(await rail.send(payout)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
