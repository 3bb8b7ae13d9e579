import { randomBytes } from 'node:crypto';
import { createServices } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { sampleSpending } from '../server/insights/sample-spending.js';
import type { LedgerCommand } from '../server/ledger/types.js';
import { residentIdCheckChar } from '../server/identity/resident-id.js';
import { readOutbox } from '../server/notifications/sms.js';
import { shanghaiDay } from '../server/platform/clock.js';
import { openDatabase } from '../server/platform/db/index.js';
import { migrate } from '../server/platform/db/migrate.js';
import { OPERATOR_TOKEN, percentile, psql, request, startServer, withDatabase } from './harness.js';

/**
 * Insights at size: one holder with ~100,000 movements over three years (the sample spender at ~90
 * movements a day), posted through the ledger at their own days, counted into the rollups by the
 * insights feed; then the real server answers the month view (every month of the three years in turn)
 * and the year view over HTTP, and the rollup lag is timed: from a payment's commit until the month
 * view shows it.
 *
 *   npm run bench:insights            (DATABASE_URL defaults to the local PostgreSQL)
 *   BENCH_MOVEMENTS=20000 npm run bench:insights
 */

const TARGET = Number(process.env.BENCH_MOVEMENTS ?? 100_000);
const DAYS = 3 * 365;
const MONTH_CALLS = Number(process.env.BENCH_MONTH_CALLS ?? 360);
const YEAR_CALLS = Number(process.env.BENCH_YEAR_CALLS ?? 60);
const LAG_TRIALS = 20;
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_URL = withDatabase(BASE_URL, 'postgres');
const PII_KEY = randomBytes(32).toString('base64');
const PIN_KEY = `bench:${randomBytes(32).toString('base64')}`;
const PASSWORD = 'river-lantern-42-moon';
const PHONE = `1577${String(process.pid % 10_000_000).padStart(7, '0')}`;
const DAY_MS = 86_400_000;
const runId = `${process.pid}_${Date.now().toString(36)}`;

const env = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  TONGBAO_PII_KEY: PII_KEY,
  TONGBAO_PIN_KEY: PIN_KEY,
  TONGBAO_OPERATOR_TOKEN: OPERATOR_TOKEN,
  LOG_LEVEL: 'warn',
  // This measures answers, not load shedding: a machine shared with other work must not shed them.
  TONGBAO_MAX_EVENT_LOOP_DELAY_MS: '0',
});

function idNumber(): string {
  const first17 = `11010119850607${String(100 + (process.pid % 800)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** Registers the holder and posts three years of movements, one ledger batch per day. */
async function seed(databaseUrl: string) {
  const config = loadConfig({ ...process.env, ...env(databaseUrl) });
  const db = await openDatabase(config);
  await migrate(db);
  let clockAt: number | null = null;
  const clock = { now: () => new Date(clockAt ?? Date.now()) };
  const services = createServices(db, clock, config);
  try {
    const { identity, ledger } = services;
    const context = { ip: '10.78.0.1', userAgent: 'bench', requestId: 'bench-insights', deviceId: 'bench-insights' };
    const sent = await identity.smsCodes.send(PHONE, 'register', context.ip);
    if (!sent.ok) throw new Error(`sms: ${sent.error.code}`);
    const [texted] = await readOutbox(db, identity.ctx.cipher, { phone: PHONE, limit: 1 });
    const smsCode = /(\d{6})/.exec(texted.text)?.[1] as string;
    const registered = await identity.registration.register(
      { phone: PHONE, smsCode, idNumber: idNumber(), name: '周婷', password: PASSWORD },
      context,
    );
    if (!registered.ok || !registered.value.opened) throw new Error('register failed');
    const { userId, walletAccountId: wallet } = registered.value;
    await identity.login.startAfterRegistration(userId, context);
    const world = (await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;

    const todayMidnight = Date.parse(`${shanghaiDay(new Date())}T00:00:00Z`) - 8 * 3_600_000;
    const start = todayMidnight - DAYS * DAY_MS;
    const dayOf = (i: number) => shanghaiDay(new Date(start + i * DAY_MS + 12 * 3_600_000));
    const movements = sampleSpending({
      seed: 7,
      days: DAYS,
      dayOf,
      pace: TARGET / DAYS / 3.5,
      rentFen: 450_000n,
      refPrefix: 'bsp',
    }).slice(0, TARGET);
    const days: LedgerCommand[][] = Array.from({ length: DAYS }, () => []);
    movements.forEach((m, i) =>
      days[m.dayIndex].push({
        type: 'transfer',
        reference: `bench-insights:${i}`,
        currency: 'CNY',
        legs:
          m.amountFen < 0n
            ? [{ debitAccountId: wallet, creditAccountId: world, amountFen: -m.amountFen }]
            : [{ debitAccountId: world, creditAccountId: wallet, amountFen: m.amountFen }],
        metadata: m.metadata,
        limitExempt: true,
      }),
    );
    // A float for the mornings before each month's income arrives.
    const float = await ledger.transfer({
      reference: 'bench-insights:float',
      currency: 'CNY',
      legs: [{ debitAccountId: world, creditAccountId: wallet, amountFen: 10_000_000n }],
      limitExempt: true,
    });
    if (!float.ok) throw new Error(`float: ${float.error.code}`);
    let started = performance.now();
    let refused = 0;
    for (const [i, commands] of days.entries()) {
      if (commands.length === 0) continue;
      clockAt = start + i * DAY_MS + 13 * 3_600_000;
      const outcomes = await db.transaction((tx) => ledger.execute(tx, commands));
      refused += outcomes.filter((o) => !o.ok).length;
    }
    clockAt = null;
    const postedS = (performance.now() - started) / 1000;
    started = performance.now();
    const counted = await services.insights.catchUp(1_000_000);
    const countedS = (performance.now() - started) / 1000;
    console.error(
      `seeded ${movements.length} movements (${refused} refused) in ${postedS.toFixed(1)} s; ` +
        `the feed counted ${counted.movements} of ${counted.entries} entries in ${countedS.toFixed(1)} s`,
    );
    return { services, db, wallet, world, movements: movements.length - refused };
  } catch (error) {
    await services.ledger.close();
    await db.close();
    throw error;
  }
}

async function timed(url: string, token: string, paths: string[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const path of paths) {
    const started = performance.now();
    const answer = await request(url, 'GET', path, undefined, { authorization: `Bearer ${token}` });
    latencies.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body}`);
  }
  return latencies.sort((a, b) => a - b);
}

async function main() {
  const database = `tongbao_bench_ins_${runId}`;
  psql(ADMIN_URL, `CREATE DATABASE ${database}`);
  const databaseUrl = withDatabase(BASE_URL, database);
  try {
    const seeded = await seed(databaseUrl);
    const server = await startServer(env(databaseUrl));
    try {
      const login = await request(
        server.url,
        'POST',
        '/api/v1/auth/login',
        { phone: PHONE, password: PASSWORD, deviceId: 'bench-insights', client: 'api' },
        { authorization: '' },
      );
      if (login.status !== 200) throw new Error(`login: ${login.status} ${login.body}`);
      const token = JSON.parse(login.body).token as string;
      const thisMonth = shanghaiDay(new Date()).slice(0, 7);
      const months = Array.from({ length: 36 }, (_, i) => {
        const index = Number(thisMonth.slice(0, 4)) * 12 + Number(thisMonth.slice(5)) - 1 - i;
        return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      });
      await timed(
        server.url,
        token,
        months.slice(0, 6).map((m) => `/api/v1/insights/months/${m}`),
      );
      // For scale: the same server's cheapest signed-in answer (a fixed list) on this machine now.
      const floor = await timed(
        server.url,
        token,
        Array.from({ length: 100 }, () => '/api/v1/insights/categories'),
      );
      console.error(`a signed-in GET of a fixed list: p50 ${percentile(floor, 50).toFixed(1)} ms (the floor)`);
      const month = await timed(
        server.url,
        token,
        Array.from({ length: MONTH_CALLS }, (_, i) => `/api/v1/insights/months/${months[i % months.length]}`),
      );
      const thisYear = Number(thisMonth.slice(0, 4));
      const year = await timed(
        server.url,
        token,
        Array.from({ length: YEAR_CALLS }, (_, i) => `/api/v1/insights/years/${thisYear - (i % 3)}`),
      );
      // Lag: a payment commits in this process; the server's month view shows it.
      const lags: number[] = [];
      for (let trial = 0; trial < LAG_TRIALS; trial++) {
        const before = JSON.parse(
          (
            await request(server.url, 'GET', `/api/v1/insights/months/${thisMonth}`, undefined, {
              authorization: `Bearer ${token}`,
            })
          ).body,
        ).spent as number;
        const paid = await seeded.services.ledger.transfer({
          reference: `bench-insights:lag:${trial}`,
          currency: 'CNY',
          legs: [{ debitAccountId: seeded.wallet, creditAccountId: seeded.world, amountFen: 1_000n }],
          metadata: { kind: 'merchant_payment', counterparty: '瑞幸咖啡', ref: `lag${trial}`, mcc: '5814' },
          limitExempt: true,
        });
        if (!paid.ok) throw new Error(`lag payment: ${paid.error.code}`);
        const committed = performance.now();
        for (;;) {
          const now = JSON.parse(
            (
              await request(server.url, 'GET', `/api/v1/insights/months/${thisMonth}`, undefined, {
                authorization: `Bearer ${token}`,
              })
            ).body,
          ).spent as number;
          if (now === before + 1_000) break;
          if (performance.now() - committed > 60_000) throw new Error('the payment never showed');
        }
        lags.push(performance.now() - committed);
      }
      lags.sort((a, b) => a - b);
      const ms = (value: number) => value.toFixed(1);
      console.log(
        `insights: month view p50 ${ms(percentile(month, 50))} ms p99 ${ms(percentile(month, 99))} ms | ` +
          `year view p50 ${ms(percentile(year, 50))} ms p99 ${ms(percentile(year, 99))} ms | ` +
          `rollup lag ${Math.round(percentile(lags, 50))} ms ` +
          `(postgres, ${seeded.movements} movements over 3 years, one holder)`,
      );
    } finally {
      await server.stop();
      await seeded.services.ledger.close();
      await seeded.db.close();
    }
  } finally {
    psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

await main();
