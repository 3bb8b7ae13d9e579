import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite } from './pglite.js';
import type { Db } from './types.js';

/**
 * Backup and restore of the embedded database (PGlite). The dump is PGlite's own `dumpDataDir`
 * (a gzipped tar of the data directory), taken under PGlite's exclusive lock, so it is consistent
 * even while requests run: a transaction that had not committed is not in it. PostgreSQL is backed
 * up with pg_dump or base backups and WAL archiving instead (docs/operations.md).
 */
export async function backupPglite(db: Db, file: string): Promise<number> {
  const pglite = (db as Db & { pglite?: PGlite }).pglite;
  if (db.engine !== 'pglite' || !pglite)
    throw new Error('backup is for the embedded database; use pg_dump for PostgreSQL');
  const dump = await pglite.dumpDataDir('gzip');
  const bytes = Buffer.from(await dump.arrayBuffer());
  // Written beside the target and renamed: a crash never leaves half a backup under the real name.
  writeFileSync(`${file}.partial`, bytes, { mode: 0o600 });
  renameSync(`${file}.partial`, file);
  return bytes.length;
}

/** Restores a backup into an empty or absent data directory (never over a database). */
export async function restorePglite(file: string, dataDir: string): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty: restore into a fresh data directory`);
  const db = await openPglite({ dataDir, loadDataDir: new Blob([readFileSync(file)]) });
  await db.query('SELECT 1');
  await db.close();
}
