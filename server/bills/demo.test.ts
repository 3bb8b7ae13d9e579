import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { DEMO_USERS, seedDemo } from '../demo/seed.js';

/** The demo holders have saved biller accounts with a bill due and one overdue; seeding twice changes nothing. */

let t: TestApp;
const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-bills-demo-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo bills', () => {
  it('gives each demo holder a bill due and one overdue, idempotently', async () => {
    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    await seedDemo({ services: t.services, db: t.db, dataDir, spendingMonths: 0 });
    for (const user of DEMO_USERS) {
      const userId = await t.services.identity.findUserIdFor({ phone: user.phone });
      expect(userId).not.toBeNull();
      const accounts = await t.services.bills.accounts.list(userId as string);
      expect(accounts.map((a) => a.label).sort()).toEqual(['家', '父母家']);
      const due = await t.services.bills.accounts.due(userId as string);
      expect(due.overdueCount).toBe(1);
      expect(due.count).toBe(3);
    }
  }, 120_000);
});
