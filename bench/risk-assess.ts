/**
 * Micro-benchmark of the risk assessment an outgoing payment pays for: `assessOutgoing` end to end
 * (existing-reference check, one history statement, identity's signals, the insert), on a migrated
 * database whose holders already have 90 days of history. The same loop times a ledger transfer
 * (the payment the assessment sits in front of) and a bare `SELECT 1`, so the line reads the same
 * on a quiet machine and on a busy one. Prints one line per engine.
 *
 *   npm run bench:risk --                      # PGlite in memory
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:risk --
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createServices } from '../server/app.js';
import { manualClock } from '../server/platform/clock.js';
import { migrate } from '../server/platform/db/migrate.js';
import { openPglite } from '../server/platform/db/pglite.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import type { Db } from '../server/platform/db/types.js';

const HOLDERS = 100;
const HISTORY_EACH = 30;
const MEASURED = Number(process.env.RISK_BENCH_N ?? 2_000);
const CLIENTS = Number(process.env.RISK_BENCH_CLIENTS ?? 1);

async function open(): Promise<{ db: Db; engine: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openPglite();
    return { db, engine: 'pglite', drop: () => db.close() };
  }
  const name = `tongbao_riskbench_${randomBytes(4).toString('hex')}`;
  const admin = openPostgres({ url, poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = openPostgres({ url: target.toString(), poolSize: 20 });
  return {
    db,
    engine: 'postgres',
    drop: async () => {
      await db.close();
      await admin.exec(`DROP DATABASE ${name}`);
      await admin.close();
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const { db, engine, drop } = await open();
  try {
    await migrate(db);
    const clock = manualClock('2026-08-01T04:00:00Z');
    const services = createServices(db, clock, {
      operatorToken: 'op_bench',
      logLevel: 'silent',
      production: false,
      publicUrl: 'http://localhost',
      piiKey: Buffer.alloc(32, 3),
    });
    const { risk } = services;
    let n = 0;
    const movement = (holder: number, amountFen: bigint) => ({
      userId: `usr_bench_${holder}`,
      walletAccountId: `acc_bench_${holder}`,
      amountFen,
      currency: 'CNY' as const,
      payeeKey: `merchant:M${(n * 7) % 50}`,
      payeeDisplay: '便利店',
      channel: 'merchant_qr' as const,
      ip: `10.${holder % 200}.0.${n % 250}`,
      deviceId: `device-${holder}`,
      reference: `bench:${++n}`,
    });
    // 90 days of history: HISTORY_EACH payments per holder, spread out so velocity stays quiet.
    for (let round = 0; round < HISTORY_EACH; round++) {
      for (let holder = 0; holder < HOLDERS; holder++)
        await risk.assessOutgoing(movement(holder, BigInt(1_000 + ((holder * 31 + round * 17) % 9_000))));
      clock.advanceMs(2 * 24 * 3600_000);
    }
    const bank = await services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const wallets: string[] = [];
    for (let i = 0; i < 20; i++)
      wallets.push((await services.ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' })).id);
    const durations: number[] = [];
    const transferMs: number[] = [];
    const selectMs: number[] = [];
    const outcomes = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < MEASURED) {
          const i = next++;
          const input = movement(i % HOLDERS, BigInt(500 + (i % 20_000)));
          const before = performance.now();
          const decision = await risk.assessOutgoing(input);
          durations.push(performance.now() - before);
          const moveStart = performance.now();
          const moved = await services.ledger.transfer({
            reference: `bench-move:${i}`,
            currency: 'CNY',
            legs: [{ debitAccountId: bank.id, creditAccountId: wallets[i % wallets.length], amountFen: 100n }],
          });
          transferMs.push(performance.now() - moveStart);
          if (!moved.ok) throw new Error(moved.error.code);
          const selectStart = performance.now();
          await db.query('SELECT 1');
          selectMs.push(performance.now() - selectStart);
          outcomes.set(decision.outcome, (outcomes.get(decision.outcome) ?? 0) + 1);
          if (i % HOLDERS === HOLDERS - 1) clock.advanceMs(3 * 60_000); // each holder pays every 3 minutes
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    for (const list of [durations, transferMs, selectMs]) list.sort((a, b) => a - b);
    const mix = [...outcomes.entries()].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
    const line = (list: number[]) =>
      `p50 ${percentile(list, 50).toFixed(2)} ms p99 ${percentile(list, 99).toFixed(2)} ms`;
    console.log(
      `risk-assess: ${line(durations)} | ledger transfer ${line(transferMs)} | ` +
        `SELECT 1 ${line(selectMs)} (${engine}, ` +
        `${CLIENTS} client${CLIENTS > 1 ? 's' : ''}, ${Math.round(MEASURED / elapsedS)} loops/s, ${HOLDERS} ` +
        `holders × ${HISTORY_EACH} past movements; ${mix}; load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
    );
    await services.ledger.close();
  } finally {
    await drop();
  }
}

await main();
