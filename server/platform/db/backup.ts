import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite, refuseInsideTransaction } from './pglite.js';
import type { Db } from './types.js';

/**
 * Backup and restore of the embedded database (PGlite). PostgreSQL is backed up with pg_dump or base
 * backups and WAL archiving instead (docs/operations.md).
 *
 * PGlite's `dumpDataDir` alone takes only its query lock, which a transaction gives up between two
 * statements: a dump could land in the middle of one (a crash image, which restore must recover).
 * So the dump runs inside a PGlite transaction of its own, which holds the transaction lock: every
 * other transaction and query waits, the ones before have committed, and a CHECKPOINT first writes
 * everything to the data files. The copy is a point between two transactions, taken online (requests
 * wait for the second or so it takes). Never call it inside a transaction: it would wait for it.
 */
export async function dumpPglite(db: Db): Promise<Buffer> {
  const pglite = (db as Db & { pglite?: PGlite }).pglite;
  if (db.engine !== 'pglite' || !pglite)
    throw new Error('backup is for the embedded database; use pg_dump for PostgreSQL');
  refuseInsideTransaction('A backup');
  const dump = await pglite.transaction(async (tx) => {
    await tx.exec('CHECKPOINT');
    return pglite.dumpDataDir('gzip');
  });
  return Buffer.from(await dump.arrayBuffer());
}

/** Writes `bytes` to `file` by way of `<file>.partial`: a crash never leaves half a backup under the name. */
export function writeBackupFile(file: string, bytes: Uint8Array): void {
  writeFileSync(`${file}.partial`, bytes, { mode: 0o600 });
  renameSync(`${file}.partial`, file);
}

/** Backs up an open embedded database to a file (online, see dumpPglite); the size in bytes. */
export async function backupPglite(db: Db, file: string): Promise<number> {
  const bytes = await dumpPglite(db);
  writeBackupFile(file, bytes);
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
