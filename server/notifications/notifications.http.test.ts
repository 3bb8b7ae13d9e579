import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OPERATOR_TOKEN, TEST_PII_KEY, TEST_PIN_KEYS, createTestApp, type TestApp } from '../../test/app.js';
import { createTestDatabase } from '../../test/db.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { buildApp } from '../app.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp({ clock });
  user = await registerUser(t);
  // Registration itself leaves a "wallet opened" notice; start this test's count from nothing unread.
  await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: user.auth, payload: { all: true } });
  for (let i = 0; i < 7; i++) {
    clock.advanceMs(1000);
    await t.services.notifications.notify(user.userId, {
      kind: 'test.note',
      titleZh: `通知${i}`,
      titleEn: `Note ${i}`,
      bodyZh: `内容${i}`,
      bodyEn: `Body ${i}`,
    });
  }
});
afterAll(async () => t?.close());

const list = (query = '', language = 'en') =>
  t.app.inject({ url: `/api/v1/notifications${query}`, headers: { ...user.auth, 'accept-language': language } });

describe('notifications', () => {
  it('pages newest first with a cursor, in the reader’s language', async () => {
    const first = (await list('?limit=3')).json();
    expect(first.items.map((n: { title: string }) => n.title)).toEqual(['Note 6', 'Note 5', 'Note 4']);
    expect(first.unread).toBe(7);
    const second = (await list(`?limit=3&before=${first.nextBefore}`)).json();
    expect(second.items.map((n: { title: string }) => n.title)).toEqual(['Note 3', 'Note 2', 'Note 1']);
    expect((await list('?limit=1', 'zh-CN')).json().items[0]).toMatchObject({
      title: '通知6',
      body: '内容6',
      read: false,
    });
  });

  it('marks chosen ones read, then all', async () => {
    const [newest] = (await list('?limit=1')).json().items;
    const marked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: user.auth,
      payload: { ids: [newest.id, 'ntf_not_mine'] },
    });
    expect(marked.json()).toEqual({ marked: 1 });
    expect((await list('?limit=1')).json()).toMatchObject({ items: [{ id: newest.id, read: true }], unread: 6 });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/notifications/read',
          headers: user.auth,
          payload: { all: true },
        })
      ).json(),
    ).toEqual({ marked: 6 });
    expect((await list()).json().unread).toBe(0);
  });

  it('closes the SMS outbox in production', async () => {
    const database = await createTestDatabase();
    const { app } = await buildApp({
      config: {
        operatorToken: TEST_OPERATOR_TOKEN,
        logLevel: 'silent',
        production: true,
        publicUrl: 'https://wallet.example.com',
        piiKey: TEST_PII_KEY,
        allowSandbox: true,
        pinKeys: TEST_PIN_KEYS,
      },
      db: database.db,
      clock,
    });
    try {
      expect((await app.inject({ url: '/api/dev/outbox' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/dev/outbox' })).statusCode).toBe(404);
      expect((await t.app.inject({ url: '/api/dev/outbox' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('the development outbox page', () => {
  it('shows when each text was sent in Beijing time, labelled, as the app does', async () => {
    const page = await t.app.inject({ url: '/dev/outbox' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('北京时间 Time (Beijing, UTC+8)');
    // The registration code was sent at 02:00 UTC on the test clock: 10:00 in Beijing.
    expect(page.body).toContain('2026-11-23 10:00:00');
    expect(page.body).not.toContain('2026-11-23 02:00:00');
  });
});
