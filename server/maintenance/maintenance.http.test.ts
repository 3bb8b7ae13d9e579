import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let bank: string;
let alice: string;
let n = 0;

const transfer = () =>
  t.operatorMove({
    method: 'POST',
    url: '/api/v1/ledger/transfers',
    headers: { 'idempotency-key': `m-${n}`, 'accept-language': 'en' },
    payload: {
      reference: `m-${n++}`,
      currency: 'CNY',
      legs: [{ debitAccountId: bank, creditAccountId: alice, amount: 100 }],
    },
  });

const window = (feature: 'ledger' | 'all' | 'transfers', startMin: number, endMin: number) =>
  t.services.maintenance.schedule({
    feature,
    startsAt: new Date(clock.now().getTime() + startMin * 60_000),
    endsAt: new Date(clock.now().getTime() + endMin * 60_000),
    titleZh: '系统升级',
    titleEn: 'System upgrade',
    messageZh: '记账服务暂停',
    messageEn: 'Ledger paused',
    createdBy: 'test',
  });

beforeAll(async () => {
  t = await createTestApp({ clock });
  bank = (
    await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/accounts',
      payload: { kind: 'bank_clearing', currency: 'CNY' },
    })
  ).json().id;
  alice = (
    await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/accounts',
      payload: { kind: 'customer_wallet', currency: 'CNY' },
    })
  ).json().id;
});
afterAll(async () => t?.close());

describe('maintenance windows', () => {
  it('closes a tagged route inside its window only, with the announcement', async () => {
    const scheduled = await window('ledger', 10, 70);
    expect(scheduled.ok).toBe(true);
    expect((await transfer()).statusCode).toBe(200);

    const listed = await t.app.inject({ url: '/api/v1/announcements', headers: { 'accept-language': 'en' } });
    expect(listed.json().items).toEqual([
      expect.objectContaining({ feature: 'ledger', active: false, title: 'System upgrade' }),
    ]);

    clock.advanceMs(15 * 60_000);
    const closed = await transfer();
    expect(closed.statusCode).toBe(503);
    expect(closed.json()).toMatchObject({
      code: 'FEATURE_IN_MAINTENANCE',
      feature: 'ledger',
      announcement: { title: 'System upgrade', message: 'Ledger paused', active: true },
    });
    expect(Number(closed.headers['retry-after'])).toBe(55 * 60);
    const zh = await t.app.inject({ url: '/api/v1/announcements' });
    expect(zh.json().items[0].title).toBe('系统升级');
    // Untagged routes stay open.
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    clock.advanceMs(60 * 60_000);
    expect((await transfer()).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/announcements' })).json().items).toEqual([]);
  });

  it('a window for another feature leaves this one open; "all" closes everything tagged', async () => {
    await window('transfers', 0, 30);
    clock.advanceMs(3_000);
    expect((await transfer()).statusCode).toBe(200);
    const all = await window('all', 0, 30);
    expect(all.ok).toBe(true);
    expect((await transfer()).statusCode).toBe(503);
    if (all.ok) await t.services.maintenance.endEarly(all.value.id);
    expect((await transfer()).statusCode).toBe(200);
  });

  it('refuses windows that end before they start or in the past', async () => {
    expect((await window('ledger', 10, 5)).ok).toBe(false);
    expect((await window('ledger', -20, -10)).ok).toBe(false);
  });
});
