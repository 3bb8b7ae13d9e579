import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness.js';

/**
 * `npm run bench`: every benchmark in turn (ledger, payments, risk, web bundle, and any other
 * `bench:*` script the package declares, such as insights), each in its own process so one does
 * not warm or load the next. It prints each one's summary lines as they come and writes
 * bench/results/<time>-<commit>.json with the machine (cores, memory, load before the run), the
 * PostgreSQL and Node versions and the git commit, so that a result in docs/benchmarks.md can be
 * traced to what produced it.
 *
 *   npm run bench                       (DATABASE_URL defaults to the local PostgreSQL)
 *   BENCH_ONLY=payments,ledger npm run bench
 *
 * A benchmark's summary lines are what it writes to standard output; its progress goes to standard
 * error and is shown only when it fails.
 */

const ORDER = ['ledger', 'payments', 'risk', 'web'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const declared = Object.keys(pkg.scripts)
  .filter((name) => name.startsWith('bench:'))
  .map((name) => name.slice('bench:'.length));
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const names = [
  ...ORDER.filter((name) => declared.includes(name)),
  ...declared.filter((n) => !ORDER.includes(n)),
].filter((name) => !only || only.includes(name));

function text(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadBefore: loadavg().map((value) => Number(value.toFixed(2))),
  node: process.version,
  postgres: text('psql', [databaseUrl, '-Atc', 'SHOW server_version']),
};
const commit = text('git', ['rev-parse', '--short', 'HEAD']);
const dirty = text('git', ['status', '--porcelain']) !== '';

interface Run {
  name: string;
  exitCode: number | null;
  seconds: number;
  lines: string[];
}

function run(name: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let pending = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete.filter((l) => l.trim() !== '')) {
        lines.push(line);
        console.log(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    child.on('close', (exitCode) => {
      if (pending.trim() !== '') lines.push(pending.trim());
      if (exitCode !== 0) console.error(`bench:${name} exited with ${exitCode}\n${errors}`);
      resolve({ name, exitCode, seconds: Math.round((performance.now() - started) / 1000), lines });
    });
  });
}

console.log(
  `bench: ${names.join(', ')} on ${machine.cores} cores (${machine.cpu}), PostgreSQL ${machine.postgres}, ` +
    `Node ${machine.node}, commit ${commit}${dirty ? ' (dirty)' : ''}, load ${machine.loadBefore[0]}`,
);
const runs: Run[] = [];
for (const name of names) runs.push(await run(name));

const at = new Date().toISOString();
const dir = join(ROOT, 'bench', 'results');
if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
const file = join(dir, `${at.replace(/[:.]/g, '-')}-${commit}.json`);
writeFileSync(file, `${JSON.stringify({ at, commit, dirty, machine, runs }, null, 2)}\n`);
console.log(`bench: results written to ${file.slice(ROOT.length + 1)}`);
process.exit(runs.every((r) => r.exitCode === 0) ? 0 : 1);
