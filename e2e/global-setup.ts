import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Builds the web app once per run (skipped when web/dist is newer than its sources) and copies it
 * to a private folder that the test servers serve (TONGBAO_WEB_DIST), so a rebuild elsewhere in
 * the work tree cannot change the files under a running test. Migrates one embedded database
 * (TONGBAO_E2E_TEMPLATE) that every test server starts from a copy of: creating and migrating
 * PGlite took seconds at each of the twenty servers' starts.
 */
export default function setup() {
  const root = join(import.meta.dirname, '..');
  const snapshot = join(root, '.tmp', `e2e-web-${process.pid}`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'web', 'scripts', 'build-if-stale.mjs'), '--copy-to', snapshot],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('building the web app failed');
  process.env.TONGBAO_WEB_DIST = snapshot;
  const template = mkdtempSync(join(tmpdir(), 'tongbao-e2e-template-'));
  const migrated = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts'), 'migrate'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: template, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: 'inherit',
  });
  if (migrated.status !== 0) throw new Error("migrating the browser tests' template database failed");
  process.env.TONGBAO_E2E_TEMPLATE = template;
  return () => {
    rmSync(snapshot, { recursive: true, force: true });
    rmSync(template, { recursive: true, force: true });
  };
}
