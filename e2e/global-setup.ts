import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds the web app once per run (skipped when web/dist is already newer than its sources). */
export default function setup() {
  const root = join(import.meta.dirname, '..');
  const result = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'build-if-stale.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed');
}
