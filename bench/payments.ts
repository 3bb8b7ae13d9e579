import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { createServices } from '../server/app.js';
import { withLuhn } from '../server/bills/catalogue.js';
import { loadConfig } from '../server/config.js';
import { residentIdCheckChar } from '../server/identity/resident-id.js';
import { systemClock } from '../server/platform/clock.js';
import { openDatabase } from '../server/platform/db/index.js';
import { migrate } from '../server/platform/db/migrate.js';
import { readOutbox } from '../server/notifications/sms.js';
import { SoftwareAuthenticator } from '../test/webauthn-authenticator.js';
import { pgliteTpcbTps } from './pglite-raw.js';
import { riskBuckets, riskP99 } from './risk-metrics.js';
import { databaseWallMs, paymentStages, stageTable } from './payment-stages.js';
import { startWireCounter } from './pg-wire-counter.js';
import { driveCheckout } from './checkout.js';
import {
  OPERATOR_TOKEN,
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
 * Payments over HTTP against the real server: P2P transfers between random signed-in holders, each
 * one request with the payment PIN inline (prepare, confirm and post) and an Idempotency-Key, at 16
 * concurrent clients; then payments by static QR code to 10 hot merchants the same way (the payments
 * domain's `POST /api/v1/payments`), and prepaid bill payments (`POST /api/v1/bills/payments`, PIN inline,
 * through the bill network sandbox); each compared with pgbench's tpcb-like workload on the same
 * PostgreSQL in the same run; then the same on embedded PGlite.
 *
 *   npm run bench:payments            (DATABASE_URL defaults to the local PostgreSQL)
 *   BENCH_SECONDS=20 BENCH_CLIENTS=16 BENCH_USERS=200 npm run bench:payments
 *   BENCH_PGLITE=off BENCH_NODE_ARGS=--cpu-prof npm run bench:payments   (profile the server, PostgreSQL only)
 *   BENCH_COMPLETIONS=1000 npm run bench:payments   (also time completions of pre-confirmed transfers)
 *   BENCH_PASSKEY=off npm run bench:payments        (skip the passkey-confirmed P2P line)
 *   BENCH_ROUND_TRIPS_SQL=file.sql npm run bench:payments   (also write the SQL one payment of each kind sends)
 *   BENCH_STAGES=file.md npm run bench:payments   (also write where one payment's time goes, stage by stage)
 *   BENCH_LINES=p2p,rt npm run bench:payments   (only some lines: p2p, qr, bill, rt, checkout)
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_URL = withDatabase(BASE_URL, 'postgres');
const PII_KEY = randomBytes(32).toString('base64');
const PIN_KEY = `bench:${randomBytes(32).toString('base64')}`;
const PASSWORD = 'river-lantern-42-moon';
const PIN = '482915';
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周婷', '吴强'];
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 10);
const runId = `${process.pid}_${Date.now().toString(36)}`;

interface Holder {
  phone: string;
  deviceId: string;
  walletId: string;
  token: string;
}

/** Risk assessment p99 inside each timed line, from the server's histogram. */
type RiskLines = { p2p: ReturnType<typeof riskP99>; merchantQr: ReturnType<typeof riskP99> | null };

interface Measured {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  errorCodes: Map<string, number>;
}

function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    TONGBAO_PII_KEY: PII_KEY,
    TONGBAO_PIN_KEY: PIN_KEY,
    TONGBAO_OPERATOR_TOKEN: OPERATOR_TOKEN,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1975, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110101${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * Opens wallets through the services, as registration does (SMS code, argon2 password, PIN), raises
 * their limits and funds them from a bank clearing account. Runs before the server starts, so it
 * works on PGlite too (one process per database directory).
 */
interface Seeded {
  holders: Omit<Holder, 'token'>[];
  /** Static QR payloads of the hot merchants; empty when the payments domain is not there. */
  merchantCodes: string[];
}

/** Hot merchants through the payments service, each with a static counter QR code. */
async function seedMerchants(services: ReturnType<typeof createServices>): Promise<string[]> {
  const { payments } = services;
  const codes: string[] = [];
  for (let k = 0; k < MERCHANTS; k++) {
    const merchant = await payments.merchants.create(
      {
        name: `便利店${k + 1}号`,
        mcc: '5411',
        city: '上海',
        contactPhone: `1590000${String(k).padStart(4, '0')}`,
        payoutBankName: '招商银行',
        payoutAccountNumber: `622588000000${String(1000 + k)}`,
        owner: { name: '店主', phone: `1590001${String(k).padStart(4, '0')}`, password: PASSWORD },
      },
      { kind: 'operator', id: 'bench' },
    );
    if (!merchant.ok) throw new Error(`merchant: ${merchant.error.code}`);
    const qr = await payments.qr.create(merchant.value.id, { kind: 'static' });
    if (!qr.ok) throw new Error(`qr: ${qr.error.code}`);
    codes.push(qr.value.payload);
  }
  return codes;
}

async function seed(env: Record<string, string>): Promise<Seeded> {
  const config = loadConfig({ ...process.env, ...serverEnv(env), LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const services = createServices(db, systemClock, config);
    const { identity, ledger } = services;
    // Benchmark holders pay many times a minute, far above any person's pace: lift the velocity
    // rule's count and amount so the run measures payments. Every payment is still assessed.
    const lifted = await services.risk.rules.change(
      'velocity',
      {
        thresholds: { maxCount: 1_000_000, maxAmountFen: 1_000_000_000_000 },
        reason: 'benchmark: holders pay many times a minute',
      },
      { id: 'bench' },
    );
    if (!lifted.ok) throw new Error(`risk rule: ${lifted.error.code}`);
    const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const holders: Omit<Holder, 'token'>[] = [];
    const merchantCodes = await seedMerchants(services);
    const one = async (i: number) => {
      const phone = `158${String(process.pid % 10_000).padStart(4, '0')}${String(i).padStart(4, '0')}`;
      const context = {
        ip: `10.77.${(i >> 8) & 255}.${i & 255}`,
        userAgent: 'bench',
        requestId: `bench-${i}`,
        deviceId: `bench-device-${i}`,
      };
      const sent = await identity.smsCodes.send(phone, 'register', context.ip);
      if (!sent.ok) throw new Error(`sms: ${sent.error.code}`);
      const [texted] = await readOutbox(db, identity.ctx.cipher, { phone, limit: 1 });
      const smsCode = /(\d{6})/.exec(texted.text)?.[1] as string;
      const registered = await identity.registration.register(
        { phone, smsCode, idNumber: idNumber(i), name: NAMES[i % NAMES.length], password: PASSWORD },
        context,
      );
      if (!registered.ok) throw new Error(`register: ${registered.error.code}`);
      if (!registered.value.opened) throw new Error(`register: ${phone} already has a wallet`);
      const { userId, walletAccountId } = registered.value;
      await identity.login.startAfterRegistration(userId, context);
      const pin = await identity.pin.set(userId, { newPin: PIN, password: PASSWORD });
      if (!pin.ok) throw new Error(`pin: ${pin.error.code}`);
      // Limits high enough that the benchmark measures payments, not refusals.
      await db.transaction((tx) =>
        ledger.setLimits(tx, walletAccountId, {
          dailyFen: 10n ** 12n,
          yearlyFen: 10n ** 13n,
          balanceCapFen: 10n ** 13n,
        }),
      );
      const funded = await ledger.transfer({
        reference: `bench-fund:${walletAccountId}`,
        currency: 'CNY',
        legs: [{ debitAccountId: bank.id, creditAccountId: walletAccountId, amountFen: 100_000_000n }],
        limitExempt: true,
      });
      if (!funded.ok) throw new Error(`fund: ${funded.error.code}`);
      holders[i] = { phone, deviceId: context.deviceId, walletId: walletAccountId };
    };
    for (let i = 0; i < USERS; i += 4)
      await Promise.all(Array.from({ length: Math.min(4, USERS - i) }, (_, k) => one(i + k)));
    await ledger.close();
    return { holders, merchantCodes };
  } finally {
    await db.close();
  }
}

/** Signs every holder in over HTTP from their registered device: a bearer token each. */
async function signIn(url: string, holders: Omit<Holder, 'token'>[]): Promise<Holder[]> {
  const signedIn: Holder[] = [];
  for (let i = 0; i < holders.length; i += 8) {
    const group = holders.slice(i, i + 8);
    const login = (holder: Omit<Holder, 'token'>) =>
      setupRequest(
        url,
        'POST',
        '/api/v1/auth/login',
        { phone: holder.phone, password: PASSWORD, deviceId: holder.deviceId, client: 'api' },
        { authorization: '' },
      );
    const answers = await Promise.all(group.map(login));
    answers.forEach((answer, k) => {
      if (answer.status !== 200) throw new Error(`login: ${answer.status} ${answer.body}`);
      signedIn.push({ ...group[k], token: JSON.parse(answer.body).token });
    });
  }
  return signedIn;
}

interface Call {
  path: string;
  body: unknown;
  expect: number;
}

async function drive(url: string, holders: Holder[], label: string, call: (from: number) => Call): Promise<Measured> {
  const latencies: number[] = [];
  const errorCodes = new Map<string, number>();
  let errors = 0;
  let sequence = 0;
  const warmUntil = Date.now() + 1_500;
  const endAt = warmUntil + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const now = Date.now();
        if (now >= endAt) return;
        const n = sequence++;
        const from = Math.floor(Math.random() * holders.length);
        const { path, body, expect } = call(from);
        const started = performance.now();
        const answer = await request(url, 'POST', path, body, {
          authorization: `Bearer ${holders[from].token}`,
          'idempotency-key': `${label}-${runId}-${n}`,
        });
        if (now < warmUntil) continue;
        latencies.push(performance.now() - started);
        if (answer.status !== expect) {
          errors++;
          const code = (() => {
            try {
              return String(JSON.parse(answer.body).code ?? answer.status);
            } catch {
              return String(answer.status);
            }
          })();
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    errorCodes,
  };
}

/** P2P: one request per transfer with the PIN inline, between random holders. */
/** The mean time of `n` payments made one after another (no concurrency) straight to the server. */
async function oneAtATime(url: string, holders: Holder[], label: string, call: (from: number) => Call, n = 40) {
  let total = 0;
  for (let i = 0; i < n + 1; i++) {
    const from = i % holders.length;
    const { path, body } = call(from);
    const started = performance.now();
    await request(url, 'POST', path, body, {
      authorization: `Bearer ${holders[from].token}`,
      'idempotency-key': `${label}-seq-${runId}-${i}`,
    });
    if (i > 0) total += performance.now() - started;
  }
  return total / n;
}

/**
 * Every line pays ¥10.00–¥10.99, so each holder's history has one pace and one size: the risk
 * engine's deviation rule (3 σ from the holder's own mean) then holds none of them, as it held most
 * bill and checkout payments when their amounts were ten times the transfers'.
 */
const paymentAmount = () => 1_000 + Math.floor(Math.random() * 100);

function p2pCall(holders: Holder[]) {
  return (from: number): Call => {
    const to = (from + 1 + Math.floor(Math.random() * (holders.length - 1))) % holders.length;
    return {
      path: '/api/v1/transfers',
      body: {
        payee: { walletId: holders[to].walletId },
        amount: paymentAmount(),
        currency: 'CNY',
        confirmation: { pin: PIN },
      },
      expect: 201,
    };
  };
}

/** Merchant QR: random holders pay one of the hot merchants' static codes, PIN inline. */
function merchantCall(codes: string[]) {
  return (): Call => ({
    path: '/api/v1/payments',
    body: {
      payload: codes[Math.floor(Math.random() * codes.length)],
      amount: paymentAmount(),
      confirmation: { pin: PIN },
    },
    expect: 200,
  });
}

/** Bills: random holders top up their prepaid electricity meter (inquiry, hold, biller, post), PIN inline. */
function billCall() {
  return (from: number): Call => ({
    path: '/api/v1/bills/payments',
    body: {
      billerId: 'blr_bj_power',
      accountNumber: withLuhn(`11${String(from).padStart(5, '0')}00`),
      amount: paymentAmount(),
      currency: 'CNY',
      confirmation: { pin: PIN },
    },
    expect: 200,
  });
}

/**
 * The two-step flow split apart: transfers prepared and PIN-confirmed beforehand (not timed), then
 * only the completions timed, at the same concurrency. Shows what posting costs without the PIN check.
 */
async function driveCompletions(url: string, holders: Holder[], count: number, label: string): Promise<Measured> {
  const pending: { id: string; confirmationId: string; token: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const n = next++;
        const from = Math.floor(Math.random() * holders.length);
        const to = (from + 1 + Math.floor(Math.random() * (holders.length - 1))) % holders.length;
        const auth = { authorization: `Bearer ${holders[from].token}` };
        const prepared = await request(
          url,
          'POST',
          '/api/v1/transfers',
          { payee: { walletId: holders[to].walletId }, amount: 1 + (n % 100), currency: 'CNY' },
          { ...auth, 'idempotency-key': `${label}-prep-${runId}-${n}` },
        );
        if (prepared.status !== 201) throw new Error(`prepare: ${prepared.status} ${prepared.body}`);
        const transfer = JSON.parse(prepared.body);
        const confirmed = await request(
          url,
          'POST',
          `/api/v1/confirmations/${transfer.confirmation.id}/pin`,
          { pin: PIN },
          auth,
        );
        if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.body}`);
        pending.push({ id: transfer.id, confirmationId: transfer.confirmation.id, token: holders[from].token });
      }
    }),
  );
  const latencies: number[] = [];
  const errorCodes = new Map<string, number>();
  let errors = 0;
  let taken = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (taken < pending.length) {
        const item = pending[taken++];
        const at = performance.now();
        const answer = await request(
          url,
          'POST',
          `/api/v1/transfers/${item.id}/complete`,
          { confirmationId: item.confirmationId },
          { authorization: `Bearer ${item.token}`, 'idempotency-key': `${label}-done-${item.id}` },
        );
        latencies.push(performance.now() - at);
        if (answer.status !== 200) {
          errors++;
          errorCodes.set(String(answer.status), (errorCodes.get(String(answer.status)) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    errorCodes,
  };
}

function verifyLedger(env: Record<string, string>): void {
  const { status, output } = runCli(['verify-ledger'], serverEnv(env));
  if (status !== 0) throw new Error(`verify-ledger failed after the benchmark:\n${output}`);
}

const fmt = (m: Measured) =>
  `${Math.round(m.ops)} ops/s p50 ${m.p50.toFixed(1)} ms p99 ${m.p99.toFixed(1)} ` +
  `ms${m.errors ? ` errors ${m.errors} (${[...m.errorCodes].map(([code, n]) => `${code}×${n}`).join(', ')})` : ''}`;

const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 0);
const ROUND_TRIP_PAYMENTS = Number(process.env.BENCH_ROUND_TRIP_PAYMENTS ?? 40);
const PASSKEYS = process.env.BENCH_PASSKEY !== 'off';
/** BENCH_LINES=p2p,rt runs only those lines (p2p, qr, bill, rt for round trips, checkout); all by default. */
const LINES = process.env.BENCH_LINES?.split(',').map((line) => line.trim());
const wanted = (line: string) => !LINES || LINES.includes(line);

/** Gives every holder a software passkey (ES256) through the API; registration needs the password once. */
async function addPasskeys(url: string, holders: Holder[]): Promise<Map<string, SoftwareAuthenticator>> {
  const port = new URL(url).port;
  const keys = new Map<string, SoftwareAuthenticator>();
  for (let i = 0; i < holders.length; i += 8) {
    await Promise.all(
      holders.slice(i, i + 8).map(async (holder) => {
        const auth = { authorization: `Bearer ${holder.token}` };
        const authenticator = new SoftwareAuthenticator(`http://localhost:${port}`);
        const options = await request(
          url,
          'POST',
          '/api/v1/me/passkeys/registration-options',
          { password: PASSWORD },
          auth,
        );
        if (options.status !== 200) throw new Error(`passkey options: ${options.status} ${options.body}`);
        const added = await request(
          url,
          'POST',
          '/api/v1/me/passkeys',
          { name: 'bench', response: authenticator.create(JSON.parse(options.body)) },
          auth,
        );
        if (added.status !== 201) throw new Error(`passkey: ${added.status} ${added.body}`);
        keys.set(holder.token, authenticator);
      }),
    );
  }
  return keys;
}

/**
 * P2P confirmed with a passkey instead of the PIN: prepare, options, assertion, complete — four
 * requests per transfer, timed together as one operation. The holder still approves each transfer.
 */
async function drivePasskeyP2p(
  url: string,
  holders: Holder[],
  keys: Map<string, SoftwareAuthenticator>,
  label: string,
): Promise<Measured> {
  const latencies: number[] = [];
  const errorCodes = new Map<string, number>();
  let errors = 0;
  let sequence = 0;
  const warmUntil = Date.now() + 1_500;
  const endAt = warmUntil + SECONDS * 1000;
  const fail = (step: string, status: number) => {
    errors++;
    errorCodes.set(`${step}:${status}`, (errorCodes.get(`${step}:${status}`) ?? 0) + 1);
  };
  // Each client pays from its own holders: one authenticator never signs two assertions at once
  // (its signature counter must grow, or the server takes the key for a clone).
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const own = holders.map((_, i) => i).filter((i) => i % CLIENTS === client);
      for (;;) {
        const now = Date.now();
        if (now >= endAt || own.length === 0) return;
        const n = sequence++;
        const from = own[Math.floor(Math.random() * own.length)];
        const to = (from + 1 + Math.floor(Math.random() * (holders.length - 1))) % holders.length;
        const auth = { authorization: `Bearer ${holders[from].token}` };
        const started = performance.now();
        const measured = now >= warmUntil;
        const prepared = await request(
          url,
          'POST',
          '/api/v1/transfers',
          { payee: { walletId: holders[to].walletId }, amount: 1 + (n % 100), currency: 'CNY' },
          { ...auth, 'idempotency-key': `${label}-${runId}-${n}` },
        );
        if (prepared.status !== 201) {
          if (measured) fail('prepare', prepared.status);
          continue;
        }
        const transfer = JSON.parse(prepared.body);
        const options = await request(
          url,
          'POST',
          `/api/v1/confirmations/${transfer.confirmation.id}/passkey/options`,
          {},
          auth,
        );
        const assertion = (keys.get(holders[from].token) as SoftwareAuthenticator).get(JSON.parse(options.body));
        const confirmed = await request(
          url,
          'POST',
          `/api/v1/confirmations/${transfer.confirmation.id}/passkey`,
          { response: assertion },
          auth,
        );
        if (confirmed.status !== 200) {
          if (measured) fail('confirm', confirmed.status);
          continue;
        }
        const done = await request(
          url,
          'POST',
          `/api/v1/transfers/${transfer.id}/complete`,
          { confirmationId: transfer.confirmation.id },
          { ...auth, 'idempotency-key': `${label}-done-${runId}-${n}` },
        );
        if (!measured) continue;
        latencies.push(performance.now() - started);
        if (done.status !== 200) fail('complete', done.status);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    errorCodes,
  };
}

interface RoundTrips {
  p2p: number;
  merchantQr: number | null;
  billPay: number;
  notes: string[];
  /** Per payment made one at a time through the counter: the request's time and the database's part of it. */
  timings: Record<string, { directMs: number | null; dbMs: number; countedMs: number }>;
}

/**
 * Database round trips per payment, counted on the wire: a second server on the same PostgreSQL
 * database, through a counting proxy, makes payments one at a time (no concurrency, so no group
 * commit shares a round trip between payments) after one of each kind to warm it. Counts, not times:
 * the proxy adds a hop. With BENCH_ROUND_TRIPS_SQL set, the SQL of the last payment of each kind is
 * written to that file.
 */
async function countRoundTrips(
  env: Record<string, string>,
  holders: Holder[],
  merchantCodes: string[],
  label: string,
  /** A P2P payment's time one at a time straight to the server (no counter in between), when measured. */
  directP2pMs: number | null,
): Promise<RoundTrips> {
  const target = new URL(env.DATABASE_URL);
  const counter = await startWireCounter(target.hostname, Number(target.port || 5432));
  const server = await startServer(serverEnv({ ...env, DATABASE_URL: counter.url(env.DATABASE_URL) }));
  const sql: string[] = [];
  const tables: string[] = [];
  const timings: Record<string, { directMs: number | null; dbMs: number; countedMs: number }> = {};
  const refused = new Map<string, string[]>();
  let sequence = 0;
  const one = async (kind: string, call: (from: number) => Call) => {
    const from = sequence % holders.length;
    const { path, body, expect } = call(from);
    const answer = await request(server.url, 'POST', path, body, {
      authorization: `Bearer ${holders[from].token}`,
      'idempotency-key': `${label}-rt-${kind}-${runId}-${sequence++}`,
    });
    if (answer.status !== expect) {
      const code = String(JSON.parse(answer.body).code ?? answer.status);
      refused.set(kind, [...(refused.get(kind) ?? []), code]);
    }
  };
  const measure = async (kind: string, call: (from: number) => Call) => {
    await one(kind, call);
    counter.reset();
    const started = performance.now();
    for (let i = 0; i < ROUND_TRIP_PAYMENTS - 1; i++) await one(kind, call);
    // Through the counter, which adds two hops to every round trip (the line printed below also gives
    // the time straight to the server).
    const countedMs = (performance.now() - started) / (ROUND_TRIP_PAYMENTS - 1);
    const requestMs = countedMs;
    const stages = paymentStages(counter.trips, ROUND_TRIP_PAYMENTS - 1);
    const dbMs = databaseWallMs(counter.trips) / (ROUND_TRIP_PAYMENTS - 1);
    tables.push(
      `${kind}, one payment at a time (average of ${ROUND_TRIP_PAYMENTS - 1}):\n\n` +
        `${stageTable(stages, requestMs, dbMs)}\n`,
    );
    timings[kind] = { directMs: kind === 'p2p' ? directP2pMs : null, dbMs, countedMs };
    const before = counter.roundTrips;
    counter.reset();
    await one(kind, call);
    sql.push(`-- ${kind}: one payment, ${counter.roundTrips} round trips`, ...counter.statements, '');
    return (before + counter.roundTrips) / ROUND_TRIP_PAYMENTS;
  };
  try {
    const p2p = await measure('p2p', p2pCall(holders));
    const merchantQr = merchantCodes.length > 0 ? await measure('merchant-qr', merchantCall(merchantCodes)) : null;
    const billPay = await measure('bill-pay', billCall());
    if (process.env.BENCH_ROUND_TRIPS_SQL) writeFileSync(process.env.BENCH_ROUND_TRIPS_SQL, sql.join('\n'));
    if (process.env.BENCH_STAGES) writeFileSync(process.env.BENCH_STAGES, tables.join('\n'));
    process.stderr.write(`${tables.join('\n')}\n`);
    // A payment the risk engine holds (or refuses) does different work; say how many there were.
    const notes = [...refused].map(
      ([kind, codes]) => `${kind}: ${codes.length} answered ${[...new Set(codes)].join('/')}`,
    );
    return { p2p, merchantQr, billPay, notes, timings };
  } finally {
    await server.stop();
    await counter.close();
  }
}

async function run(
  env: Record<string, string>,
  label: string,
): Promise<{
  p2p: Measured;
  merchantQr: Measured | null;
  billPay: Measured | null;
  passkey: Measured | null;
  completions: Measured | null;
  roundTrips: RoundTrips | null;
  checkout: Measured | null;
  risk: RiskLines;
}> {
  const { holders, merchantCodes } = await seed(env);
  const server = await startServer(serverEnv(env));
  try {
    const signedIn = await signIn(server.url, holders);
    const riskBefore = await riskBuckets(server.url, 'p2p');
    const p2p = await drive(server.url, signedIn, `${label}-p2p`, p2pCall(signedIn));
    const risk: RiskLines = {
      p2p: riskP99(riskBefore, await riskBuckets(server.url, 'p2p')),
      merchantQr: null,
    };
    const directP2pMs = wanted('rt') ? await oneAtATime(server.url, signedIn, `${label}-p2p`, p2pCall(signedIn)) : null;
    const qrBefore = await riskBuckets(server.url, 'merchant_qr');
    const merchantQr =
      merchantCodes.length > 0 && wanted('qr')
        ? await drive(server.url, signedIn, `${label}-qr`, merchantCall(merchantCodes))
        : null;
    if (merchantQr) risk.merchantQr = riskP99(qrBefore, await riskBuckets(server.url, 'merchant_qr'));
    const billPay = wanted('bill') ? await drive(server.url, signedIn, `${label}-bill`, billCall()) : null;
    const passkey =
      PASSKEYS && label === 'pg'
        ? await drivePasskeyP2p(server.url, signedIn, await addPasskeys(server.url, signedIn), `${label}-pk`)
        : null;
    const completions = COMPLETIONS > 0 ? await driveCompletions(server.url, signedIn, COMPLETIONS, label) : null;
    await server.stop();
    const roundTrips =
      label === 'pg' && wanted('rt') ? await countRoundTrips(env, signedIn, merchantCodes, label, directP2pMs) : null;
    const checkout = merchantCodes.length > 0 && wanted('checkout') ? await runCheckout(env, signedIn, label) : null;
    return { p2p, merchantQr, billPay, passkey, completions, roundTrips, checkout, risk };
  } finally {
    await server.stop();
    verifyLedger(env);
  }
}

/**
 * Online checkout (bench/checkout.ts) on its own server: jobs in process (the webhook job) and the
 * loopback webhook receiver allowed; the first hot merchant's owner makes the key and the endpoint.
 */
async function runCheckout(env: Record<string, string>, holders: Holder[], label: string): Promise<Measured> {
  const server = await startServer(serverEnv({ ...env, TONGBAO_WORKERS: 'on', TONGBAO_WEBHOOK_ALLOW_PRIVATE: '1' }));
  try {
    return await driveCheckout({
      url: server.url,
      holderTokens: holders.map((holder) => holder.token),
      owner: { phone: '15900010000', password: PASSWORD },
      pin: PIN,
      seconds: SECONDS,
      clients: CLIENTS,
      label: `${label}-${runId}`,
    });
  } finally {
    await server.stop();
  }
}

async function onPostgres() {
  const database = `tongbao_bench_pay_${runId}`;
  psql(ADMIN_URL, `CREATE DATABASE ${database}`);
  try {
    return await run({ DATABASE_URL: withDatabase(BASE_URL, database) }, 'pg');
  } finally {
    psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

async function onPglite() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-bench-pay-'));
  try {
    return await run({ DATA_DIR: dataDir, DATABASE_URL: '' }, 'lite');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What one payment PIN check costs on this machine: argon2id with the identity defaults. */
async function argon2Cost(): Promise<{ serialMs: number; perSecond: number }> {
  const hashed = await hash(PIN);
  let started = performance.now();
  for (let i = 0; i < 20; i++) await verify(hashed, PIN);
  const serialMs = (performance.now() - started) / 20;
  started = performance.now();
  await Promise.all(Array.from({ length: 64 }, () => verify(hashed, PIN)));
  return { serialMs, perSecond: 64_000 / (performance.now() - started) };
}

const pg = await onPostgres();
const tps = pgbenchTps({ baseUrl: BASE_URL, runId, clients: CLIENTS, seconds: SECONDS });
console.log(`p2p: ${fmt(pg.p2p)} | pgbench tpcb-like: ${Math.round(tps)} tps | ratio ${(pg.p2p.ops / tps).toFixed(2)}`);
if (pg.merchantQr)
  console.log(
    `merchant-qr: ${fmt(pg.merchantQr)} | pgbench tpcb-like: ${Math.round(tps)} tps | ratio ` +
      `${(pg.merchantQr.ops / tps).toFixed(2)} (${MERCHANTS} hot merchants)`,
  );
else if (wanted('qr')) console.log('merchant-qr: skipped (no payments domain in this build)');
if (pg.billPay)
  console.log(
    `bill-pay: ${fmt(pg.billPay)} | pgbench tpcb-like: ${Math.round(tps)} tps | ratio ` +
      `${(pg.billPay.ops / tps).toFixed(2)} (prepaid top-ups through the bill network sandbox)`,
  );
if (pg.passkey)
  console.log(
    `p2p passkey-confirmed (4 requests per transfer): ${fmt(pg.passkey)} | ratio ${(pg.passkey.ops / tps).toFixed(2)}`,
  );
if (pg.completions)
  console.log(
    `p2p complete step only (pre-confirmed, no PIN check): ${fmt(pg.completions)} | ratio ` +
      `${(pg.completions.ops / tps).toFixed(2)}`,
  );
if (pg.checkout)
  console.log(`checkout: ${fmt(pg.checkout)} (create order + pay with PIN + order.paid webhook received)`);
console.log(
  `risk assessment inside the payment (server histogram): p2p p99 ${pg.risk.p2p.p99} of ${pg.risk.p2p.count}` +
    (pg.risk.merchantQr ? `, merchant-qr p99 ${pg.risk.merchantQr.p99} of ${pg.risk.merchantQr.count}` : ''),
);
if (pg.roundTrips) {
  const each = (value: number | null) => (value === null ? 'n/a' : value.toFixed(1));
  console.log(
    `round-trips per payment (postgres, one at a time): p2p ${each(pg.roundTrips.p2p)}, merchant-qr ` +
      `${each(pg.roundTrips.merchantQr)}, bill-pay ${each(pg.roundTrips.billPay)} (of ${ROUND_TRIP_PAYMENTS} each` +
      `${pg.roundTrips.notes.length > 0 ? `; ${pg.roundTrips.notes.join(', ')}` : ''})`,
  );
  const p2pTime = pg.roundTrips.timings.p2p;
  console.log(
    `p2p one at a time: ${p2pTime.directMs?.toFixed(1) ?? 'n/a'} ms a payment straight to the server; through ` +
      `the counter ${p2pTime.countedMs.toFixed(1)} ms, ${p2pTime.dbMs.toFixed(1)} ms of it waiting on PostgreSQL`,
  );
}
if (process.env.BENCH_PGLITE !== 'off') {
  const lite = await onPglite();
  const rawTps = await pgliteTpcbTps(SECONDS);
  const liteRatio = (ops: number) =>
    `raw PGlite tpcb-like loop: ${Math.round(rawTps)} tps | ratio ${(ops / rawTps).toFixed(2)}`;
  console.log(`p2p (pglite): ${fmt(lite.p2p)} | ${liteRatio(lite.p2p.ops)}`);
  if (lite.merchantQr) console.log(`merchant-qr (pglite): ${fmt(lite.merchantQr)} | ${liteRatio(lite.merchantQr.ops)}`);
  if (lite.billPay) console.log(`bill-pay (pglite): ${fmt(lite.billPay)}`);
  if (lite.completions) console.log(`p2p complete step only (pglite): ${fmt(lite.completions)}`);
  if (lite.checkout) console.log(`checkout (pglite): ${fmt(lite.checkout)}`);
}
const argon = await argon2Cost();
console.log(
  `argon2id PIN verify (in-process): ${argon.serialMs.toFixed(1)} ms each, ${Math.round(argon.perSecond)}/s at most ` +
    `with all cores (one per PIN-confirmed payment)`,
);
process.exit(0);
