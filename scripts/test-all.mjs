#!/usr/bin/env node
// `npm test`: the server and web-code tests (PGlite, and PostgreSQL when DATABASE_URL is set) and the
// browser tests, as two vitest runs at the same time. In one run vitest starts the browser project's
// files (one at a time) only after every server file, so on a 2-core CI machine a quarter of an hour
// of browser tests ran alone at the end with a core mostly idle. Arguments go to both runs
// (`npm test -- server/credit` finds no browser test, which is not a failure). The browser run's
// output is kept and printed whole when it ends, so the two logs do not interleave line by line.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = process.argv.slice(2);
const engines = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
const units = [...engines.flatMap((engine) => [engine, `${engine}-mocks`]), 'web'];

function run(projects, { buffered }) {
  const argv = [vitest, 'run', ...projects.flatMap((p) => ['--project', p]), '--passWithNoTests', ...args];
  const child = spawn(process.execPath, argv, { cwd: root, stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  const chunks = [];
  if (buffered) {
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      if (buffered) {
        process.stdout.write(`\n===== browser tests (vitest --project ${projects.join(' ')}) =====\n`);
        process.stdout.write(Buffer.concat(chunks));
        process.stdout.write(`===== browser tests: exit ${code ?? signal} =====\n\n`);
      }
      resolve(code ?? 1);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const [unitCode, browserCode] = await Promise.all([run(units, { buffered: false }), run(['e2e'], { buffered: true })]);
console.log(`npm test: server and web tests exit ${unitCode}, browser tests exit ${browserCode}`);
process.exit(unitCode === 0 && browserCode === 0 ? 0 : 1);
