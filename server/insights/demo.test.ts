import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { DEMO_USERS, seedDemo } from '../demo/seed.js';
import { verifyLedger } from '../ledger/verify.js';
import { shanghaiDay } from '../platform/clock.js';
import { addMonths } from './views.js';

/** The demo holders have a year of believable spending; seeding twice adds nothing. */

let t: TestApp;
const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-insights-demo-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo spending', () => {
  it('gives every demo holder twelve months of spending in many categories, idempotently', async () => {
    const started = performance.now();
    await seedDemo({ services: t.services, db: t.db, dataDir });
    const seededMs = performance.now() - started;
    const userId = (await t.services.identity.findUserIdFor({ phone: DEMO_USERS[0].phone })) as string;
    const lastMonth = addMonths(shanghaiDay(new Date()).slice(0, 7), -1);
    const month = await t.services.insights.month(userId, lastMonth);
    if (!month.ok) throw new Error(month.error.code);
    expect(month.value.byCategory.length).toBeGreaterThanOrEqual(6);
    expect(month.value.spentFen).toBeGreaterThan(200_000n);
    expect(month.value.sixMonthAverage.months).toBe(6);
    expect(month.value.topMerchants.length).toBe(10);
    const wallet = await t.services.ledger.accountsOwnedBy(userId);
    expect(wallet[0].balanceFen).toBeGreaterThan(0n);
    const before = (await t.services.ledger.listEntries(wallet[0].id, { limit: 1 }))[0].seq;
    await seedDemo({ services: t.services, db: t.db, dataDir });
    expect((await t.services.ledger.listEntries(wallet[0].id, { limit: 1 }))[0].seq).toBe(before);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    console.log(`demo seed with a year of spending: ${Math.round(seededMs)} ms`);
  }, 180_000);
});
