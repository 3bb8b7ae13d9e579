import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from './webhook-signing.js';
import { checkWebhookTarget, isPrivateAddress } from './webhook-targets.js';

/** Webhook signatures against the official `standardwebhooks` package, and the SSRF check of targets. */

describe('Standard Webhooks signatures', () => {
  it('matches the specification test vector', () => {
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      at: new Date(1614265330 * 1000),
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(headers['webhook-timestamp']).toBe('1614265330');
  });

  it('is verified by the official package, with either secret during a rotation', () => {
    const [older, newer] = [newWebhookSecret(), newWebhookSecret()];
    expect(older).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'order.paid', data: { id: 'ord_1', amount: 4280 } });
    const headers = signWebhook({ id: 'msg_1', at: new Date(), body, secrets: [older, newer] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [older, newer]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(older).verify(`${body} `, headers)).toThrow();
    const stale = signWebhook({ id: 'msg_2', at: new Date(Date.now() - 6 * 60_000), body, secrets: [older] });
    expect(() => new Webhook(older).verify(body, stale)).toThrow();
  });
});

describe('webhook targets (SSRF)', () => {
  const live = { mode: 'live' as const, allowPrivate: false };
  const resolvesTo =
    (...addresses: string[]) =>
    async () =>
      addresses;

  it('knows private, loopback, link-local and other non-public addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '203.119.1.1', '2400:3200::1', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses private targets in live mode, by address or by what the name resolves to', async () => {
    const refused = async (url: string, resolve = resolvesTo('93.184.216.34')) =>
      (await checkWebhookTarget(url, { ...live, resolve })).ok ? null : 'refused';
    expect(await refused('https://127.0.0.1/hook')).toBe('refused');
    expect(await refused('https://[::1]/hook')).toBe('refused');
    expect(await refused('https://169.254.169.254/latest/meta-data')).toBe('refused');
    expect(await refused('https://shop.example/hook', resolvesTo('10.0.0.5'))).toBe('refused');
    expect(await refused('https://shop.example/hook', resolvesTo('93.184.216.34', '192.168.0.2'))).toBe('refused');
    expect(await refused('http://shop.example/hook')).toBe('refused');
    expect(await refused('https://user:pw@shop.example/hook')).toBe('refused');
    expect(await refused('https://shop.example/hook')).toBeNull();
    const unresolvable = await checkWebhookTarget('https://nowhere.invalid/', {
      ...live,
      resolve: async () => Promise.reject(new Error('ENOTFOUND')),
    });
    expect(unresolvable.ok ? null : unresolvable.error.reason).toBe('unresolvable');
  });

  it('lets test mode and the development override call a local shop', async () => {
    expect((await checkWebhookTarget('http://localhost:3000/hook', { mode: 'test', allowPrivate: false })).ok).toBe(
      true,
    );
    expect((await checkWebhookTarget('https://127.0.0.1:3000/hook', { mode: 'live', allowPrivate: true })).ok).toBe(
      true,
    );
  });
});
