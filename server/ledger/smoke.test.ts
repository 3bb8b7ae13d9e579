import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { systemClock } from '../platform/clock.js';
import { createLedgerService } from './service.js';

describe('ledger smoke', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());
  it('moves money', async () => {
    const ledger = createLedgerService({ db: t.db, clock: systemClock });
    const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const a = await ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' });
    const r = await ledger.transfer({
      reference: 't1',
      currency: 'CNY',
      legs: [{ debitAccountId: bank.id, creditAccountId: a.id, amountFen: 100n }],
    });
    expect(r.ok).toBe(true);
    expect((await ledger.getAccount(a.id))?.balanceFen).toBe(100n);
    await ledger.close();
  });
});
