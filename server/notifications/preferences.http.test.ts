import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { outboxOf, registerUser, testAddress, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { createPiiCipher } from '../platform/crypto.js';
import { readEmailOutbox } from './email.js';

const clock = manualClock('2026-11-23T02:00:00Z');
const cipher = createPiiCipher(TEST_PII_KEY);
let t: TestApp;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp({ clock });
  user = await registerUser(t);
});
afterAll(async () => t?.close());

const url = '/api/v1/me/notification-preferences';
const get = async (who = user) => (await t.app.inject({ url, headers: who.auth })).json();
const put = (items: unknown[], who = user) =>
  t.app.inject({ method: 'PUT', url, headers: who.auth, payload: { items } });
const notice = (kind: string, title: string) => ({
  kind,
  titleZh: title,
  titleEn: title,
  bodyZh: `${title}内容`,
  bodyEn: `${title} body`,
});
const inbox = async (who = user): Promise<string[]> =>
  (await t.app.inject({ url: '/api/v1/notifications?limit=50', headers: who.auth }))
    .json()
    .items.map((item: { title: string }) => item.title);

describe('notification preferences', () => {
  it('start from the defaults: everything in the app, security also by SMS and e-mail and locked', async () => {
    const fresh = await registerUser(t);
    const prefs = await get(fresh);
    expect(prefs.emailAvailable).toBe(false);
    expect(prefs.items.map((item: { category: string }) => item.category)).toEqual([
      'security',
      'payments',
      'transfers',
      'bills',
      'savings',
      'credit',
      'support',
      'announcements',
    ]);
    expect(prefs.items[0]).toEqual({ category: 'security', inApp: true, sms: true, email: true, locked: true });
    expect(prefs.items[2]).toEqual({ category: 'transfers', inApp: true, sms: false, email: false, locked: false });
  });

  it('refuses to turn security notices off with a stable code, and saves nothing of that request', async () => {
    for (const channel of ['inApp', 'sms', 'email']) {
      const refused = await put([
        { category: 'transfers', sms: true },
        { category: 'security', [channel]: false },
      ]);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'NOTIFICATION_PREFERENCE_LOCKED', category: 'security' });
    }
    expect((await get()).items[2]).toMatchObject({ category: 'transfers', sms: false });
    expect((await put([{ category: 'security', inApp: true }])).statusCode).toBe(200);
  });

  it('refuses an unknown category or channel', async () => {
    expect((await put([{ category: 'lottery', inApp: false }])).statusCode).toBe(400);
    expect((await put([{ category: 'bills', fax: true }])).statusCode).toBe(400);
    expect((await put([])).statusCode).toBe(400);
  });

  it('changes only the categories and channels given', async () => {
    const saved = await put([{ category: 'transfers', inApp: false, sms: true }]);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().items[2]).toEqual({
      category: 'transfers',
      inApp: false,
      sms: true,
      email: false,
      locked: false,
    });
    await put([{ category: 'transfers', email: true }]);
    expect((await get()).items[2]).toMatchObject({ inApp: false, sms: true, email: true });
    expect((await get()).items[1]).toMatchObject({ category: 'payments', inApp: true, sms: false });
  });

  it('are honoured when sending: a category turned off stays out of the app, SMS goes when chosen', async () => {
    const holder = await registerUser(t);
    await put([{ category: 'transfers', inApp: false, sms: true }], holder);
    await put([{ category: 'announcements', inApp: false }], holder);
    const textsBefore = (await outboxOf(t, holder.phone)).length;
    clock.advanceMs(1000);
    await t.services.notifications.notify(holder.userId, notice('transfer.received', '收到转账'));
    await t.services.notifications.notify(holder.userId, notice('announcement.maintenance', '系统维护'));
    await t.services.notifications.notify(holder.userId, notice('payment.completed', '付款成功'));
    // A security notice goes in the app whatever the holder chose elsewhere.
    await t.services.notifications.notify(holder.userId, notice('security.new_device', '新设备登录'));
    const titles = await inbox(holder);
    expect(titles).toContain('付款成功');
    expect(titles).toContain('新设备登录');
    expect(titles).not.toContain('收到转账');
    expect(titles).not.toContain('系统维护');
    const texts = await outboxOf(t, holder.phone);
    expect(texts.length).toBe(textsBefore + 1);
    expect(texts[0]).toMatchObject({ purpose: 'transfer.received', text: '【通宝】收到转账内容' });
  });

  it('are honoured per holder when notices are stored in one round trip (both parties of a payment)', async () => {
    const quiet = await registerUser(t);
    const texted = await registerUser(t);
    await put([{ category: 'transfers', inApp: false }], quiet);
    await put([{ category: 'transfers', sms: true }], texted);
    const textsBefore = (await outboxOf(t, texted.phone)).length;
    clock.advanceMs(1000);
    await t.services.notifications.notifyEach([
      { userId: quiet.userId, notification: notice('transfer.sent', '转账成功甲') },
      { userId: texted.userId, notification: notice('transfer.received', '收到转账乙') },
      { userId: quiet.userId, notification: notice('security.new_device', '新设备登录丙') },
    ]);
    expect(await inbox(quiet)).toContain('新设备登录丙');
    expect(await inbox(quiet)).not.toContain('转账成功甲');
    expect(await inbox(texted)).toContain('收到转账乙');
    const texts = await outboxOf(t, texted.phone);
    expect(texts.length).toBe(textsBefore + 1);
    expect(texts[0]).toMatchObject({ purpose: 'transfer.received', text: '【通宝】收到转账乙内容' });
  });

  it('send by e-mail only while the holder has a verified address and chose it', async () => {
    const holder = await registerUser(t);
    const address = `holder.${holder.phone}@example.com`;
    await put([{ category: 'payments', email: true }], holder);
    await t.services.notifications.notify(holder.userId, notice('payment.completed', '付款一'));
    expect(await readEmailOutbox(t.db, cipher, { to: address, limit: 10 })).toEqual([]);

    const started = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/email',
      headers: holder.auth,
      payload: { email: address },
      remoteAddress: testAddress(holder.phone),
    });
    expect(started.statusCode, started.body).toBe(202);
    const [mail] = await readEmailOutbox(t.db, cipher, { to: address, limit: 1 });
    const code = /(\d{6})/.exec(mail.text)?.[1];
    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/email/verify',
      headers: holder.auth,
      payload: { code },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect((await get(holder)).emailAvailable).toBe(true);

    clock.advanceMs(1000);
    await t.services.notifications.notify(holder.userId, notice('payment.completed', '付款二'));
    await t.services.notifications.notify(holder.userId, notice('transfer.received', '转账三'));
    const mails = await readEmailOutbox(t.db, cipher, { to: address, limit: 10 });
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toContain('【通宝】付款二 / 付款二');
    expect(subjects.some((subject) => subject.includes('转账三'))).toBe(false);
    // The change of address itself is a security notice: it went to the new address too.
    expect(mails.some((m) => m.purpose === 'security.email_added')).toBe(true);
  });
});
