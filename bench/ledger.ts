import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerService } from '../server/ledger/service.js';
import { systemClock } from '../server/platform/clock.js';
import { migrate } from '../server/platform/db/migrate.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import {
  CHECKER_ID,
  percentile,
  pgbenchTps,
  psql,
  request,
  runCli,
  setupRequest,
  startServer,
  withDatabase,
} from './harness.js';

/**
 * Ledger throughput over HTTP against the real server, compared with pgbench's tpcb-like workload
 * on the same PostgreSQL in the same run; then the same HTTP run on embedded PGlite.
 *
 *   npm run bench:ledger            (DATABASE_URL defaults to the local PostgreSQL)
 *   BENCH_SECONDS=20 BENCH_CLIENTS=16 npm run bench:ledger
 *
 * Money moved through the operator API needs a second approval (docs/operations.md), so one
 * measured operation is the whole movement: asked for as one operator (202, pending), then
 * approved as a second operator identity, which runs the ledger transfer. The line shows both
 * halves' p50, so the cost of the second approval stays visible; the in-process line is the
 * ledger alone.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const WALLETS = Number(process.env.BENCH_WALLETS ?? 1000);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_URL = withDatabase(BASE_URL, 'postgres');
const runId = `${process.pid}_${Date.now().toString(36)}`;

interface Measured {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  /** The two halves of an HTTP movement: asking (pending) and approving (the transfer). */
  askP50?: number;
  approveP50?: number;
}

/** Asks for a transfer, then approves it as the second operator; the latency of each half. */
async function move(
  url: string,
  body: unknown,
  key: string,
): Promise<{ status: number; body: string; askMs: number; approveMs: number }> {
  const started = performance.now();
  const asked = await request(url, 'POST', '/api/v1/ledger/transfers', body, { 'idempotency-key': key });
  const askMs = performance.now() - started;
  if (asked.status !== 202) return { ...asked, askMs, approveMs: 0 };
  const { approval } = JSON.parse(asked.body) as { approval: { id: string } };
  const approved = await request(
    url,
    'POST',
    `/api/v1/ledger/approvals/${approval.id}/approve`,
    { note: 'bench checker' },
    { 'idempotency-key': `${key}:approve`, 'x-operator-id': CHECKER_ID },
  );
  return { ...approved, askMs, approveMs: performance.now() - started - askMs };
}

async function prepare(url: string): Promise<string[]> {
  const open = async (kind: string) => {
    const answer = await setupRequest(url, 'POST', '/api/v1/ledger/accounts', { kind, currency: 'CNY' });
    if (answer.status !== 201) throw new Error(`account: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body).id as string;
  };
  const bank = await open('bank_clearing');
  const wallets: string[] = [];
  for (let i = 0; i < WALLETS; i += 50) {
    wallets.push(
      ...(await Promise.all(Array.from({ length: Math.min(50, WALLETS - i) }, () => open('customer_wallet')))),
    );
  }
  for (let i = 0; i < wallets.length; i += 10) {
    const legs = wallets
      .slice(i, i + 10)
      .map((wallet) => ({ debitAccountId: bank, creditAccountId: wallet, amount: 10_000_000 }));
    let answer = await move(url, { reference: `fund-${i}`, currency: 'CNY', legs }, `fund-${i}`);
    // The same key asked again while the fresh server sheds load (503): the movement is made once.
    for (let attempt = 1; answer.status === 503 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      answer = await move(url, { reference: `fund-${i}`, currency: 'CNY', legs }, `fund-${i}`);
    }
    if (answer.status !== 200) throw new Error(`funding: ${answer.status} ${answer.body}`);
  }
  return wallets;
}

async function drive(url: string, wallets: string[], label: string): Promise<Measured> {
  const latencies: number[] = [];
  const askLatencies: number[] = [];
  const approveLatencies: number[] = [];
  let errors = 0;
  let sequence = 0;
  // Warm up connections and the JIT before measuring.
  const warmUntil = Date.now() + 1_500;
  const endAt = warmUntil + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const now = Date.now();
        if (now >= endAt) return;
        const n = sequence++;
        const from = Math.floor(Math.random() * wallets.length);
        const to = (from + 1 + Math.floor(Math.random() * (wallets.length - 1))) % wallets.length;
        const started = performance.now();
        const answer = await move(
          url,
          {
            reference: `${label}-${runId}-${n}`,
            currency: 'CNY',
            legs: [
              {
                debitAccountId: wallets[from],
                creditAccountId: wallets[to],
                amount: 1 + Math.floor(Math.random() * 100),
              },
            ],
          },
          `${label}-${runId}-${n}`,
        );
        if (now < warmUntil) continue;
        latencies.push(performance.now() - started);
        askLatencies.push(answer.askMs);
        approveLatencies.push(answer.approveMs);
        if (answer.status !== 200) errors++;
      }
    }),
  );
  for (const list of [latencies, askLatencies, approveLatencies]) list.sort((a, b) => a - b);
  return {
    ops: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    askP50: percentile(askLatencies, 50),
    approveP50: percentile(approveLatencies, 50),
  };
}

function verify(env: Record<string, string>): void {
  const { status, output } = runCli(['verify-ledger'], env);
  if (status !== 0) throw new Error(`verify-ledger failed after the benchmark:\n${output}`);
}

const halves = (m: Measured) =>
  m.askP50 === undefined
    ? ''
    : ` (ask p50 ${m.askP50.toFixed(1)} ms + approve p50 ${(m.approveP50 ?? 0).toFixed(1)} ms)`;
const fmt = (m: Measured) =>
  `${Math.round(m.ops)} ops/s p50 ${m.p50.toFixed(1)} ms p99 ${m.p99.toFixed(1)} ` +
  `ms${halves(m)}${m.errors ? ` errors ${m.errors}` : ''}`;

async function onPostgres(): Promise<Measured> {
  const database = `tongbao_bench_${runId}`;
  psql(ADMIN_URL, `CREATE DATABASE ${database}`);
  const env = { DATABASE_URL: withDatabase(BASE_URL, database) };
  try {
    const server = await startServer(env);
    try {
      const wallets = await prepare(server.url);
      return await drive(server.url, wallets, 'pg');
    } finally {
      await server.stop();
      verify(env);
    }
  } finally {
    psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

async function onPglite(): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-bench-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  try {
    const server = await startServer(env);
    try {
      const wallets = await prepare(server.url);
      return await drive(server.url, wallets, 'lite');
    } finally {
      await server.stop();
      verify(env);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The ledger service called directly, no HTTP: shows what the HTTP and idempotency layers cost. */
async function inProcess(): Promise<Measured> {
  const database = `tongbao_bench_core_${runId}`;
  psql(ADMIN_URL, `CREATE DATABASE ${database}`);
  const db = openPostgres({ url: withDatabase(BASE_URL, database) });
  try {
    await migrate(db);
    const ledger = createLedgerService({ db, clock: systemClock });
    const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const wallets: string[] = [];
    for (let i = 0; i < WALLETS; i++)
      wallets.push((await ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' })).id);
    await Promise.all(
      wallets.map((wallet) =>
        ledger.transfer({
          reference: `fund-${wallet}`,
          currency: 'CNY',
          legs: [{ debitAccountId: bank.id, creditAccountId: wallet, amountFen: 10_000_000n }],
        }),
      ),
    );
    const latencies: number[] = [];
    let errors = 0;
    let sequence = 0;
    const endAt = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < endAt) {
          const n = sequence++;
          const from = Math.floor(Math.random() * wallets.length);
          const to = (from + 1 + Math.floor(Math.random() * (wallets.length - 1))) % wallets.length;
          const started = performance.now();
          const result = await ledger.transfer({
            reference: `core-${n}`,
            currency: 'CNY',
            legs: [{ debitAccountId: wallets[from], creditAccountId: wallets[to], amountFen: BigInt(1 + (n % 100)) }],
          });
          latencies.push(performance.now() - started);
          if (!result.ok) errors++;
        }
      }),
    );
    await ledger.close();
    latencies.sort((a, b) => a - b);
    return { ops: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
  } finally {
    await db.close();
    psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

const ledger = await onPostgres();
const tps = pgbenchTps({ baseUrl: BASE_URL, runId, clients: CLIENTS, seconds: SECONDS });
console.log(
  `ledger-transfer (ask + second-operator approval): ${fmt(ledger)} | pgbench tpcb-like: ${Math.round(tps)} tps | ` +
    `ratio ${(ledger.ops / tps).toFixed(2)}`,
);
const lite = await onPglite();
console.log(`ledger-transfer (ask + approval, pglite): ${fmt(lite)}`);
const core = await inProcess();
console.log(`ledger-transfer (in-process, no HTTP, postgres): ${fmt(core)} | ratio ${(core.ops / tps).toFixed(2)}`);
process.exit(0);
