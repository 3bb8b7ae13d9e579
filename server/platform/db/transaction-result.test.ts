import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { Rollback, type RollbackWith, inTransaction } from './transaction-result.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.exec('CREATE TABLE result_probe (id TEXT PRIMARY KEY)');
});
afterAll(async () => t?.close());

const probes = async () =>
  (await t.db.query<{ id: string }>('SELECT id FROM result_probe ORDER BY id')).rows.map((row) => row.id);

it('commits what the transaction returns and answers it as ok', async () => {
  const outcome = await inTransaction(t.db, async (tx) => {
    await tx.query("INSERT INTO result_probe (id) VALUES ('kept')");
    return 'kept';
  });
  expect(outcome).toEqual({ ok: true, value: 'kept' });
  expect(await probes()).toEqual(['kept']);
});

it('undoes every write on a rollback and answers its error', async () => {
  const outcome = await inTransaction(t.db, async (tx, rollback: RollbackWith<{ code: 'NOPE' }>) => {
    await tx.query("INSERT INTO result_probe (id) VALUES ('undone')");
    return rollback({ code: 'NOPE' });
  });
  expect(outcome).toEqual({ ok: false, error: { code: 'NOPE' } });
  expect(await probes()).toEqual(['kept']);
});

it('takes a Rollback thrown by a helper that only has the tx, and lets unexpected errors through', async () => {
  const helper = async () => {
    throw new Rollback({ code: 'FROM_HELPER' });
  };
  expect(
    await inTransaction(t.db, async (tx) => {
      await tx.query("INSERT INTO result_probe (id) VALUES ('helper')");
      await helper();
    }),
  ).toEqual({ ok: false, error: { code: 'FROM_HELPER' } });
  await expect(
    inTransaction(t.db, async (tx) => {
      await tx.query("INSERT INTO result_probe (id) VALUES ('boom')");
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await probes()).toEqual(['kept']);
});
