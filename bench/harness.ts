import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Shared pieces of the benchmarks: start the real server, talk to it over keep-alive HTTP, measure. */

export const ROOT = join(import.meta.dirname, '..');
export const OPERATOR_TOKEN = `op_bench_${'x'.repeat(40)}`;
/** The operator API names who acts: calls are made as OPERATOR_ID; movements are approved as CHECKER_ID. */
export const OPERATOR_ID = 'bench-maker';
export const CHECKER_ID = 'bench-checker';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `tongbao serve` as a child process and waits until /readyz answers (60 s unless
 * `readyWithinMs` says otherwise: a test on a loaded machine gives an embedded database longer).
 */
export async function startServer(
  env: Record<string, string>,
  { readyWithinMs = 60_000 }: { readyWithinMs?: number } = {},
): Promise<RunningServer> {
  const port = await freePort();
  // BENCH_NODE_ARGS passes flags such as --cpu-prof to the server under test.
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'server/main.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TONGBAO_OPERATOR_TOKEN: OPERATOR_TOKEN,
      TONGBAO_WORKERS: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number;
  body: string;
}

export function request(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          authorization: `Bearer ${OPERATOR_TOKEN}`,
          'x-operator-id': OPERATOR_ID,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload).toString() }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A money movement through the operator API, both halves: asked for as OPERATOR_ID (202, pending),
 * then approved as CHECKER_ID, which moves the money. Answers the approval (or the refusal).
 */
export async function operatorMove(
  url: string,
  body: unknown,
  key: string,
  path = '/api/v1/ledger/transfers',
): Promise<HttpAnswer> {
  const asked = await request(url, 'POST', path, body, { 'idempotency-key': key });
  if (asked.status !== 202) return asked;
  const { approval } = JSON.parse(asked.body) as { approval: { id: string } };
  const headers = { 'idempotency-key': `${key}:approve`, 'x-operator-id': CHECKER_ID };
  return request(url, 'POST', `/api/v1/ledger/approvals/${approval.id}/approve`, { note: 'second operator' }, headers);
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))];
}

export function psql(adminUrl: string, sql: string): void {
  const result = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function runCli(args: string[], env: Record<string, string>): { status: number; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TONGBAO_OPERATOR_TOKEN: OPERATOR_TOKEN, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** pgbench's tpcb-like run on a database of its own, as the yardstick: its transactions per second. */
export function pgbenchTps(options: { baseUrl: string; runId: string; clients: number; seconds: number }): number {
  const adminUrl = withDatabase(options.baseUrl, 'postgres');
  const database = `tongbao_bench_pgb_${options.runId}`;
  psql(adminUrl, `CREATE DATABASE ${database}`);
  try {
    const url = withDatabase(options.baseUrl, database);
    const init = spawnSync('pgbench', ['-i', '-s', '16', '-q', url], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
    const run = spawnSync(
      'pgbench',
      ['-c', String(options.clients), '-j', '2', '-T', String(options.seconds), '-M', 'prepared', url],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
    const match =
      /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
    if (!match) throw new Error(`could not read pgbench's tps:\n${run.stdout}`);
    return Number(match[1]);
  } finally {
    psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

/**
 * A setup call (seeding, signing in), asked again while a freshly started server sheds load: it
 * answers 503 with Retry-After under a burst (argon2id sign-ins, account openings on embedded PGlite).
 */
export async function setupRequest(...args: Parameters<typeof request>): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await request(...args);
    if (answer.status !== 503 || attempt === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
