import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the web app once per run (skipped when web/dist is newer than its sources) and copies it
 * to a private folder that the test servers serve (TONGBAO_WEB_DIST), so a rebuild elsewhere in
 * the work tree cannot change the files under a running test.
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
  return () => rmSync(snapshot, { recursive: true, force: true });
}
