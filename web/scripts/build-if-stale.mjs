#!/usr/bin/env node
// Builds the web apps when web/dist is missing or older than any source file, so `npm start`
// on a fresh clone serves the real app without a separate build step, and restarts stay fast.
// Concurrent callers (parallel test runs) take turns through a lock directory; `--copy-to DIR`
// also copies the build there under the lock, so a test run serves a snapshot that a later
// rebuild cannot empty under it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(web);
const lock = join(web, '.build-lock');
const STALE_LOCK_MS = 180_000;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  const index = join(web, 'dist', 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  // The problem-code table is shared with the server; its domain tables live beside each domain.
  const problemTables = readdirSync(join(root, 'server'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'server', entry.name, 'problems.ts')))
    .map((entry) => statSync(join(root, 'server', entry.name, 'problems.ts')).mtimeMs);
  const sources = Math.max(newestSource(web), newestSource(join(root, 'server', 'platform', 'http')), ...problemTables, statSync(join(root, 'package-lock.json')).mtimeMs);
  return { builtAt, needed: builtAt === 0 || builtAt < sources || process.argv.includes('--force') };
}

const copyAt = process.argv.indexOf('--copy-to');
const copyTo = copyAt > 0 ? process.argv[copyAt + 1] : undefined;
if (!stale().needed && !copyTo) process.exit(0);

const deadline = Date.now() + STALE_LOCK_MS;
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
try {
  const { builtAt, needed } = stale();
  if (needed) {
    console.log(builtAt ? 'web app sources changed: rebuilding web/dist' : 'building the web app into web/dist (first start)');
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    // Always a production build: under a test runner NODE_ENV is 'test', and Vite then builds React's
    // development runtime (jsxDEV, source paths, slower pages) into the web/dist that `npm start` serves.
    const env = { ...process.env, NODE_ENV: 'production' };
    const result = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit', cwd: root, env });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
  if (copyTo && !process.exitCode) {
    rmSync(copyTo, { recursive: true, force: true });
    cpSync(join(web, 'dist'), copyTo, { recursive: true });
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
