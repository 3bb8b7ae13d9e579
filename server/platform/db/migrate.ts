import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort();
  return files.map((file) => {
    const sql = readFileSync(join(dir, file), 'utf8');
    return {
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
}

// Any constant works; it only has to be the same in every process migrating this database.
const MIGRATION_LOCK_KEY = 7_362_149_001;

/**
 * Applies pending forward-only migrations in one transaction. An advisory lock makes several
 * processes starting together take turns; an edited, already-applied migration stops start-up.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<{ applied: string[] }> {
  return db.transaction(async (tx) => {
    // A migration may rewrite a big table: no statement timeout for this transaction.
    await tx.exec('SET LOCAL statement_timeout = 0');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const done = new Map(rows.map((row) => [row.version, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.version}_${migration.name} was edited after it was applied`);
        }
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(`${String(migration.version).padStart(3, '0')}_${migration.name}`);
    }
    return { applied };
  });
}
