import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Db } from '../server/platform/db/types.js';
import { openPglite } from '../server/platform/db/pglite.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import { adminUrl, databaseUrl } from './engine.js';

export type TestEngine = 'pglite' | 'postgres';

export const testEngine: TestEngine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Db;
  /** Connection string when the engine is PostgreSQL (for a second process), else undefined. */
  url: string | undefined;
  close(): Promise<void>;
}

/** A fresh, migrated database for one test file (or one test), on the engine of this project. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine === 'postgres') {
    const base = process.env.DATABASE_URL as string;
    const name = `tongbao_t_${inject('pgTemplate').slice('tongbao_tpl_'.length)}_${randomBytes(4).toString('hex')}`;
    const admin = openPostgres({ url: adminUrl(base), poolSize: 1 });
    try {
      await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    } finally {
      await admin.close();
    }
    const url = databaseUrl(base, name);
    const db = openPostgres({ url, poolSize: 40 });
    return { db, url, close: () => db.close() };
  }
  const dump = readFileSync(inject('pgliteTemplate'));
  const db = await openPglite({ loadDataDir: new Blob([dump]) });
  return { db, url: undefined, close: () => db.close() };
}
