import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../server/platform/db/migrate.js';
import { openPglite } from '../server/platform/db/pglite.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import { adminUrl, TEMPLATE_DIR } from './engine.js';

/**
 * Migrates one template database per run; each test file then starts from a copy of it, which is
 * much faster than migrating per file (PGlite takes seconds to create and migrate).
 */
export default async function setup(project: TestProject) {
  const engine = project.config.env?.TEST_ENGINE ?? 'pglite';
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  if (engine === 'postgres') {
    const url = process.env.DATABASE_URL as string;
    const template = `tongbao_tpl_${runId}`;
    const admin = openPostgres({ url: adminUrl(url), poolSize: 1 });
    await admin.exec(`CREATE DATABASE ${template}`);
    const db = openPostgres({ url: withDatabase(url, template), poolSize: 1 });
    await migrate(db);
    await db.close();
    project.provide('pgTemplate', template);
    return async () => {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()`,
        [`tongbao_t_${runId}%`],
      );
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
        [`tongbao_t_${runId}%`, template],
      );
      for (const row of rows) await admin.exec(`DROP DATABASE IF EXISTS ${row.datname}`);
      await admin.close();
    };
  }
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('none');
  const file = join(TEMPLATE_DIR, `pglite-${runId}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  return () => rmSync(file, { force: true });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteTemplate: string;
  }
}
