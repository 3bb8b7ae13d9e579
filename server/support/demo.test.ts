import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { DEMO_MERCHANTS, DEMO_STAFF, DEMO_USERS, seedDemo } from '../demo/seed.js';

/** The console's queue and the merchant's dispute page are not empty on `npm start`; seeding twice adds nothing. */

let t: TestApp;
const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-support-demo-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo customer service', () => {
  it('opens tickets (one with a conversation) and a dispute waiting for the demo merchant, once', async () => {
    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    const support = t.services.support;
    const queue = await support.tickets.queue({
      status: null,
      category: null,
      assignee: { kind: 'any' },
      complaint: null,
      breachedAt: null,
      search: null,
      before: null,
      limit: 50,
    });
    // Three tickets and the dispute's complaint ticket.
    expect(queue.length).toBe(4);
    const holder = (await t.services.identity.findUserIdFor({ phone: DEMO_USERS[0].phone })) as string;
    const agent = (await t.services.identity.staff.idByPhone(DEMO_STAFF[1].phone)) as string;
    const talk = queue.find((ticket) => ticket.category === 'payment_failed');
    expect(talk).toMatchObject({ user_id: holder, assignee_id: agent });
    const seen = await support.tickets.get({ kind: 'user', id: holder }, talk?.id as string);
    expect(seen?.messages.map((m) => m.author_kind)).toEqual(['holder', 'staff', 'holder']);

    const merchant = (await t.services.payments.merchants.list({ limit: 10 })).items.find(
      (m) => m.name === DEMO_MERCHANTS[0].name,
    );
    const disputes = await support.disputes.listOfMerchant(merchant?.id as string, {});
    expect(disputes.items).toEqual([
      expect.objectContaining({ user_id: holder, status: 'awaiting_merchant', claimed_amount: 3_800n }),
    ]);

    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    expect((await support.disputes.listOfMerchant(merchant?.id as string, {})).items).toHaveLength(1);
    expect((await support.tickets.listMine(holder, { closed: null })).items).toHaveLength(2);
  }, 180_000);
});
