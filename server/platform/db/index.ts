import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Tx, Queryable, Engine } from './types.js';

/** Opens the configured engine: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR/pglite. */
export async function openDatabase(config: {
  databaseUrl?: string | null;
  dataDir: string;
  resilience?: { dbPoolSize: number; dbConnectTimeoutMs: number; dbStatementTimeoutMs: number };
}): Promise<Db> {
  if (config.databaseUrl)
    return openPostgres({
      url: config.databaseUrl,
      poolSize: config.resilience?.dbPoolSize,
      connectTimeoutMs: config.resilience?.dbConnectTimeoutMs,
      statementTimeoutMs: config.resilience?.dbStatementTimeoutMs,
    });
  mkdirSync(config.dataDir, { recursive: true });
  return openPglite({ dataDir: join(config.dataDir, 'pglite') });
}
