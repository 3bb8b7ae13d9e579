import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { migrate, readMigrations } from './migrate.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.close());

it('applies nothing twice', async () => {
  expect((await migrate(t.db)).applied).toEqual([]);
  const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM schema_migrations');
  expect(Number(rows[0].n)).toBe(readMigrations().length);
});

it('refuses to start when an applied migration was edited', async () => {
  const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
  await expect(migrate(t.db, edited)).rejects.toThrow(/edited/);
});

it('applies a new migration in order and rolls back a failing one completely', async () => {
  const existing = readMigrations();
  const next = existing.at(-1)!.version + 100;
  const good = { version: next, name: 'test_table', sql: 'CREATE TABLE migrate_probe (id int)', checksum: 'a' };
  const bad = {
    version: next + 1,
    name: 'broken',
    sql: 'CREATE TABLE migrate_probe2 (id int); SELECT * FROM no_such_table',
    checksum: 'b',
  };
  await expect(migrate(t.db, [...existing, good, bad])).rejects.toThrow();
  const { rows } = await t.db.query<{ n: bigint }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE 'migrate_probe%'",
  );
  expect(Number(rows[0].n)).toBe(0);
  expect((await migrate(t.db, [...existing, good])).applied).toEqual([`${next}_test_table`]);
});
