/**
 * Wallet first-load JavaScript: builds the web app, then sums the gzip sizes of the scripts the
 * wallet's index.html loads at once (its entry module and every statically imported chunk, which
 * Vite lists as modulepreload links). Lazy routes load later and are not counted. Budget: 250 KB.
 *
 *   npm run bench:web            → web-bundle: N KB gzip (wallet first load, M files; budget 250 KB)
 *                                  web-transfer: home N KB, paycode M KB (bench/web-transfer.ts)
 *   --no-build, --no-transfer    skip the build, or the browser measurement
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { measureWebTransfer } from './web-transfer.js';

const BUDGET_KB = 250;
const root = join(import.meta.dirname, '..');
const dist = join(root, 'web', 'dist');

if (!process.argv.includes('--no-build')) {
  const built = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(root, 'web', 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = new Set<string>();
for (const match of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) scripts.add(match[1]);
for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) scripts.add(match[1]);
let css = 0;
for (const match of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g))
  css += gzipSync(readFileSync(join(dist, match[1]))).length;

let total = 0;
for (const src of scripts) {
  const bytes = gzipSync(readFileSync(join(dist, src.replace(/^\//, ''))), { level: 9 }).length;
  total += bytes;
  if (process.argv.includes('--verbose')) console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KB  ${src}`);
}
const kb = total / 1024;
const transfer = process.argv.includes('--no-transfer') ? null : await measureWebTransfer();
console.log(
  `web-bundle: ${kb.toFixed(1)} KB gzip (wallet first load, ${scripts.size} files; ` +
    `CSS ${(css / 1024).toFixed(1)} KB; ` +
    `budget ${BUDGET_KB} KB)`,
);
if (transfer)
  console.log(
    `web-transfer: home ${transfer.homeKb.toFixed(0)} KB, paycode ${transfer.payCodeKb.toFixed(0)} KB ` +
      `(cold load over HTTP as served, compressed bodies; budget ${BUDGET_KB} KB each; headers another ` +
      `${transfer.headersKb.home.toFixed(0)} and ${transfer.headersKb.payCode.toFixed(0)} KB)`,
  );
if (kb > BUDGET_KB || (transfer && (transfer.homeKb > BUDGET_KB || transfer.payCodeKb > BUDGET_KB))) process.exit(1);
