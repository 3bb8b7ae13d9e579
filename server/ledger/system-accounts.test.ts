import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../test/db.js';
import { systemClock } from '../platform/clock.js';
import type { Db, Queryable, Tx } from '../platform/db/types.js';
import { openPostgres } from '../platform/db/postgres.js';
import { createLedgerService } from './service.js';
import { type SystemAccountTable, systemAccounts } from './system-accounts.js';

/** The wallet domain's table stands in for any domain's `<domain>_system_accounts`. */
function countingTable(): SystemAccountTable & { finds: number } {
  const table = {
    finds: 0,
    async find(q: Queryable, name: string) {
      table.finds++;
      const { rows } = await q.query<{ account_id: string }>(
        'SELECT account_id FROM wallet_system_accounts WHERE name = $1',
        [name],
      );
      return rows[0]?.account_id ?? null;
    },
    async insert(tx: Tx, name: string, accountId: string) {
      await tx.query('INSERT INTO wallet_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
    },
  };
  return table;
}

async function accountsOwnedBy(db: Db, ownerRef: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM ledger_accounts WHERE owner_ref = $1', [ownerRef]);
  return rows.map((row) => row.id);
}

describe(`system accounts (${testEngine})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it('creates the account once, as the spec says, and answers later calls from memory', async () => {
    const ledger = createLedgerService({ db: t.db, clock: systemClock });
    const table = countingTable();
    const get = systemAccounts<'expense_a'>(t.db, ledger, table, () => ({
      kind: 'expense',
      ownerRef: 'system:test:a',
    }));
    const id = await get('expense_a');
    expect(await get('expense_a')).toBe(id);
    expect(table.finds).toBe(1);
    const account = await ledger.getAccount(id);
    expect(account).toMatchObject({ kind: 'expense', currency: 'CNY' });
    expect(await accountsOwnedBy(t.db, 'system:test:a')).toEqual([id]);
  });

  it('a fresh process finds the account made by another instead of making a second', async () => {
    const ledger = createLedgerService({ db: t.db, clock: systemClock });
    const spec = () => ({ kind: 'bank_clearing' as const, ownerRef: 'system:test:b' });
    const first = await systemAccounts(t.db, ledger, countingTable(), spec)('clearing_b');
    const second = await systemAccounts(t.db, ledger, countingTable(), spec)('clearing_b');
    expect(second).toBe(first);
  });

  it.runIf(testEngine === 'postgres')('processes racing to create it agree on one (separate pools)', async () => {
    const pools = [0, 1, 2, 3].map(() => openPostgres({ url: t.url as string, poolSize: 4 }));
    const ledgers = pools.map((db) => createLedgerService({ db, clock: systemClock }));
    try {
      const getters = pools.map((db, i) =>
        systemAccounts(db, ledgers[i], countingTable(), () => ({
          kind: 'expense' as const,
          ownerRef: 'system:test:race',
        })),
      );
      const ids = await Promise.all(getters.flatMap((get) => [get('race'), get('race')]));
      expect(new Set(ids).size).toBe(1);
      // Losers' accounts rolled back with their insert: one account with that owner.
      expect(await accountsOwnedBy(t.db, 'system:test:race')).toEqual([ids[0]]);
    } finally {
      await Promise.all(ledgers.map((ledger) => ledger.close()));
      await Promise.all(pools.map((db) => db.close()));
    }
  });
});
