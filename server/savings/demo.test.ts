import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { DEMO_USERS, seedDemo } from '../demo/seed.js';
import { verifyLedger } from '../ledger/verify.js';

/** Two demo holders own money-market shares with a month of income; seeding twice changes nothing. */

let t: TestApp;
const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-savings-demo-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo savings', () => {
  it('gives two demo holders shares and an income history, idempotently', async () => {
    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    const userId = (await t.services.identity.findUserIdFor({ phone: DEMO_USERS[0].phone })) as string;
    const first = await t.services.savings.holdings.of(userId);
    expect(first.funds[0].shares).toBeGreaterThan(50_000n);
    const income = await t.services.savings.holdings.income(userId, {});
    expect(income.items.length).toBeGreaterThan(15);
    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    const again = await t.services.savings.holdings.of(userId);
    expect(again.funds[0].shares).toBe(first.funds[0].shares);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    expect(await t.services.savings.holdings.verify()).toEqual({ ok: true, problems: [] });
  }, 180_000);
});
