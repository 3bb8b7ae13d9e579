#!/usr/bin/env node
// Builds the web apps when web/dist is missing or older than any source file, so `npm start`
// on a fresh clone serves the real app without a separate build step, and restarts stay fast.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(web);
const builtAt = existsSync(join(web, 'dist', 'index.html')) ? statSync(join(web, 'dist', 'index.html')).mtimeMs : 0;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// The problem-code table is shared with the server; its domain tables live beside each domain.
const problemTables = readdirSync(join(root, 'server'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'server', entry.name, 'problems.ts')))
  .map((entry) => statSync(join(root, 'server', entry.name, 'problems.ts')).mtimeMs);
const sources = Math.max(newestSource(web), newestSource(join(root, 'server', 'platform', 'http')), ...problemTables, statSync(join(root, 'package-lock.json')).mtimeMs);
if (builtAt > 0 && builtAt >= sources && process.argv[2] !== '--force') process.exit(0);
console.log(builtAt ? 'web app sources changed: rebuilding web/dist' : 'building the web app into web/dist (first start)');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
