import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRemote, FAKE_KEY_ID, fakeSettings, signatureOf, startFakeRemote } from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { OutboundTimeout } from '../platform/outbound-http.js';
import { createHttpEmail } from './email-http.js';
import { EmailDeliveryError } from './email.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const message = {
  to: 'li.lei@example.com',
  subject: '【通宝】验证码 / Your code',
  text: '您的验证码是 123456',
  purpose: 'code:verify',
};

describe('the e-mail gateway over HTTP', () => {
  it('posts the message signed with the key and maps 2xx { id } to the message id', async () => {
    remote.answer(() => ({ status: 202, body: { id: 'mail-1' } }));
    const email = createHttpEmail(fakeSettings(`${remote.url}/mailer`), { clock });
    expect(await email.send(message)).toEqual({ id: 'mail-1' });
    const request = remote.received.at(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/mailer/v1/emails', json: message });
    expect(request?.headers['tongbao-key-id']).toBe(FAKE_KEY_ID);
    expect(signatureOf(request as NonNullable<typeof request>)).toEqual({
      t: Date.parse('2026-11-23T02:00:00Z') / 1000,
      valid: true,
    });
  });

  it('turns a bounce, an answer without an id, a dead gateway and a timeout into EmailDeliveryError', async () => {
    const email = createHttpEmail(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 422, body: { error: 'mailbox does not exist' } }));
    await expect(email.send(message)).rejects.toBeInstanceOf(EmailDeliveryError);
    remote.answer(() => ({ status: 200, body: { queued: true } }));
    await expect(email.send(message)).rejects.toBeInstanceOf(EmailDeliveryError);
    const dead = createHttpEmail(fakeSettings('http://127.0.0.1:1'), { clock });
    await expect(dead.send(message)).rejects.toBeInstanceOf(EmailDeliveryError);
    remote.answer(() => 'hang');
    const slow = createHttpEmail(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    const failure = await slow.send(message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmailDeliveryError);
    expect((failure as Error).cause).toBeInstanceOf(OutboundTimeout);
  });
});
