import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRemote, FAKE_KEY_ID, fakeSettings, signatureOf, startFakeRemote } from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { OutboundTimeout } from '../platform/outbound-http.js';
import { createHttpSms } from './sms-http.js';
import { SmsDeliveryError } from './sms.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const message = { phone: '13812345678', text: '【通宝】您的验证码是123456', purpose: 'code:register' };

describe('the SMS gateway over HTTP', () => {
  it('posts the message signed with the key and maps 2xx { id } to the message id', async () => {
    remote.answer(() => ({ status: 202, body: { id: 'gw-1' } }));
    const sms = createHttpSms(fakeSettings(`${remote.url}/gateway`), { clock });
    expect(await sms.send(message)).toEqual({ id: 'gw-1' });
    const request = remote.received.at(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/gateway/v1/messages', json: message });
    expect(request?.headers['tongbao-key-id']).toBe(FAKE_KEY_ID);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(signatureOf(request as NonNullable<typeof request>)).toEqual({
      t: Date.parse('2026-11-23T02:00:00Z') / 1000,
      valid: true,
    });
    expect(signatureOf(request as NonNullable<typeof request>, 'another-secret-0123456789abcdefghij').valid).toBe(
      false,
    );
  });

  it('turns a refusal, an answer without an id and a dead gateway into SmsDeliveryError', async () => {
    const sms = createHttpSms(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 400, body: { error: 'bad phone' } }));
    await expect(sms.send(message)).rejects.toBeInstanceOf(SmsDeliveryError);
    remote.answer(() => ({ status: 503 }));
    await expect(sms.send(message)).rejects.toBeInstanceOf(SmsDeliveryError);
    remote.answer(() => ({ status: 200, body: { queued: true } }));
    await expect(sms.send(message)).rejects.toBeInstanceOf(SmsDeliveryError);
    const dead = createHttpSms(fakeSettings('http://127.0.0.1:1'), { clock });
    await expect(dead.send(message)).rejects.toBeInstanceOf(SmsDeliveryError);
  });

  it('never follows a redirect away from the configured gateway', async () => {
    remote.answer((request) =>
      request.path === '/elsewhere'
        ? { status: 202, body: { id: 'gw-redirected' } }
        : { status: 307, headers: { location: `${remote.url}/elsewhere` } },
    );
    const sms = createHttpSms(fakeSettings(remote.url), { clock });
    await expect(sms.send(message)).rejects.toBeInstanceOf(SmsDeliveryError);
    expect(remote.received.at(-1)?.path).toBe('/v1/messages');
  });

  it('gives up after its timeout with SmsDeliveryError', async () => {
    remote.answer(() => 'hang');
    const sms = createHttpSms(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    const failure = await sms.send(message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SmsDeliveryError);
    expect((failure as Error).cause).toBeInstanceOf(OutboundTimeout);
  });
});
