import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { residentIdCheckChar } from '../server/identity/resident-id.js';
import { readOutbox } from '../server/notifications/sms.js';
import { systemClock } from '../server/platform/clock.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import { migrate } from '../server/platform/db/migrate.js';
import { OPERATOR_TOKEN, ROOT, freePort, psql, runCli, withDatabase } from './harness.js';

/**
 * The chaos bank test (issue 22), through HTTP: two `serve` processes and one `worker` on PostgreSQL,
 * CLIENTS clients moving money between HOLDERS holders (P2P transfers with the PIN inline, merchant
 * payments prepared, PIN-confirmed and completed), every money-moving request with an
 * Idempotency-Key. Meanwhile a server is SIGKILLed at random moments and restarted, client
 * connections are dropped mid-request, and (standalone only, on a private PostgreSQL cluster) the
 * database restarts once. A client that gets no answer (or a 5xx, or 409 in progress) retries with the
 * same key until it is answered. At the end: total unchanged to the fen, no negative balance, every
 * holder's balance exactly what the acknowledged payments say (so nothing lost, nothing applied
 * twice), verify-ledger clean, no stuck holds. Mid-run reads of the total always see the full total.
 *
 *   npm run chaos                         (100,000 requests; private cluster when initdb is there)
 *   CHAOS_REQUESTS=3000 CHAOS_KILLS=1 CHAOS_DB_RESTART=0 npm run chaos
 */

const REQUESTS = Number(process.env.CHAOS_REQUESTS ?? 100_000);
const HOLDERS = Number(process.env.CHAOS_HOLDERS ?? 300);
const CLIENTS = Number(process.env.CHAOS_CLIENTS ?? 32);
const MERCHANTS = Number(process.env.CHAOS_MERCHANTS ?? 5);
const KILLS = process.env.CHAOS_KILLS === undefined ? null : Number(process.env.CHAOS_KILLS);
const DB_RESTART = (process.env.CHAOS_DB_RESTART ?? '1') !== '0';
/** Stops starting new operations after this long (the line then counts fewer); 0: no limit. */
const MAX_SECONDS = Number(process.env.CHAOS_MAX_SECONDS ?? 0);
const PII_KEY = randomBytes(32).toString('base64');
const PIN_KEY = `chaos:${randomBytes(32).toString('base64')}`;
const PASSWORD = 'river-lantern-42-moon';
const PIN = '482915';
const START_FEN = 1_000_000n;
const runId = `${process.pid}_${Date.now().toString(36)}`;

const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);

interface Cluster {
  url: string;
  /** `pg_ctl restart -m fast`, without blocking this process: clients and reader go on meanwhile. */
  restart(): Promise<void>;
  stop(): void;
}

/** Runs a command to its end without blocking the event loop. */
function run(command: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** A PostgreSQL cluster of our own in /tmp, so restarting it disturbs nobody. Null when not possible. */
async function privateCluster(): Promise<Cluster | null> {
  const bin = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((dir) =>
    existsSync(join(dir, 'initdb')),
  );
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tongbao-chaos-pg-'));
  spawnSync('chown', ['-R', 'postgres', dir]);
  const asPostgres = (args: string[]) =>
    process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', ...args]) : run(args[0], args.slice(1));
  // --no-sync: a throw-away cluster need not survive a power cut before it starts (it runs with fsync on).
  const init = await asPostgres([
    join(bin, 'initdb'),
    '-D',
    join(dir, 'data'),
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  if (init.status !== 0) {
    log(`no private cluster (initdb: ${init.stderr.trim().split('\n').pop()})`);
    return null;
  }
  const port = await freePort();
  const ctl = async (action: string) => {
    const result = await asPostgres([
      join(bin, 'pg_ctl'),
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'log'),
      '-w',
      '-m',
      'fast',
      '-o',
      `-p ${port} -k ${dir} -c max_connections=300 -c fsync=on`,
      action,
    ]);
    if (result.status !== 0) throw new Error(`pg_ctl ${action}: ${result.stderr}`);
  };
  await ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('restart'),
    stop() {
      try {
        // Synchronous, so it also runs from the last `finally` of a failing run.
        const stop = [join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'fast', 'stop'];
        if (process.getuid?.() === 0) spawnSync('runuser', ['-u', 'postgres', '--', ...stop]);
        else spawnSync(stop[0], stop.slice(1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110101${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function serverEnv(url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    TONGBAO_PII_KEY: PII_KEY,
    TONGBAO_PIN_KEY: PIN_KEY,
    TONGBAO_OPERATOR_TOKEN: OPERATOR_TOKEN,
    LOG_LEVEL: 'fatal',
    // A killed process's keys are taken back after 5 s instead of a minute, so retries go on.
    TONGBAO_IDEMPOTENCY_LOCK_MS: '5000',
  };
}

interface Seeded {
  holders: { phone: string; deviceId: string; walletId: string }[];
  codes: string[];
}

async function seed(url: string): Promise<Seeded> {
  const config = loadConfig({ ...process.env, ...serverEnv(url), LOG_LEVEL: 'silent' });
  const db = openPostgres({ url, poolSize: 8 });
  try {
    await migrate(db);
    const services = createServices(db, systemClock, config);
    const lifted = await services.risk.rules.change(
      'velocity',
      {
        thresholds: { maxCount: 1_000_000, maxAmountFen: 1_000_000_000_000 },
        reason: 'chaos: holders pay many times a minute',
      },
      { id: 'chaos' },
    );
    if (!lifted.ok) throw new Error(`risk rule: ${lifted.error.code}`);
    const bank = await services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const codes: string[] = [];
    for (let k = 0; k < MERCHANTS; k++) {
      const merchant = await services.payments.merchants.create(
        {
          name: `混沌商店${k + 1}`,
          mcc: '5411',
          city: '上海',
          contactPhone: `1570000${String(k).padStart(4, '0')}`,
          payoutBankName: '招商银行',
          payoutAccountNumber: `622588000000${String(2000 + k)}`,
          owner: { name: '店主', phone: `1570001${String(k).padStart(4, '0')}`, password: PASSWORD },
        },
        { kind: 'operator', id: 'chaos' },
      );
      if (!merchant.ok) throw new Error(`merchant: ${merchant.error.code}`);
      const qr = await services.payments.qr.create(merchant.value.id, { kind: 'static' });
      if (!qr.ok) throw new Error(`qr: ${qr.error.code}`);
      codes.push(qr.value.payload);
    }
    const holders: Seeded['holders'] = [];
    const one = async (i: number) => {
      const phone = `156${String(process.pid % 10_000).padStart(4, '0')}${String(i).padStart(4, '0')}`;
      const context = {
        ip: `10.88.${(i >> 8) & 255}.${i & 255}`,
        userAgent: 'chaos',
        requestId: `chaos-${i}`,
        deviceId: `chaos-device-${i}`,
      };
      const sent = await services.identity.smsCodes.send(phone, 'register', context.ip);
      if (!sent.ok) throw new Error(`sms: ${sent.error.code}`);
      const [texted] = await readOutbox(db, services.identity.ctx.cipher, { phone, limit: 1 });
      const smsCode = /(\d{6})/.exec(texted.text)?.[1] as string;
      const registered = await services.identity.registration.register(
        { phone, smsCode, idNumber: idNumber(i), name: '张伟', password: PASSWORD },
        context,
      );
      if (!registered.ok || !registered.value.opened) throw new Error(`register ${phone}`);
      const { userId, walletAccountId } = registered.value;
      await services.identity.login.startAfterRegistration(userId, context);
      const pin = await services.identity.pin.set(userId, { newPin: PIN, password: PASSWORD });
      if (!pin.ok) throw new Error(`pin: ${pin.error.code}`);
      await db.transaction((tx) =>
        services.ledger.setLimits(tx, walletAccountId, {
          dailyFen: 10n ** 12n,
          yearlyFen: 10n ** 13n,
          balanceCapFen: 10n ** 13n,
        }),
      );
      const funded = await services.ledger.transfer({
        reference: `chaos-fund:${walletAccountId}`,
        currency: 'CNY',
        legs: [{ debitAccountId: bank.id, creditAccountId: walletAccountId, amountFen: START_FEN }],
        limitExempt: true,
      });
      if (!funded.ok) throw new Error(`fund: ${funded.error.code}`);
      holders[i] = { phone, deviceId: context.deviceId, walletId: walletAccountId };
    };
    for (let i = 0; i < HOLDERS; i += 4)
      await Promise.all(Array.from({ length: Math.min(4, HOLDERS - i) }, (_, k) => one(i + k)));
    await services.ledger.close();
    return { holders, codes };
  } finally {
    await db.close();
  }
}

/** A process of ours on a fixed port, so a restarted server answers at the same address. */
class Proc {
  child: ChildProcess | null = null;
  constructor(
    readonly command: 'serve' | 'worker',
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts'), this.command], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', TONGBAO_WORKERS: 'off' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (this.command === 'worker') return;
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // not yet listening
      }
      if (Date.now() > deadline) throw new Error(`${this.command} did not become ready`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Answer {
  status: number;
  body: string;
}

/** One attempt; rejects when no answer came (refused, reset, dropped by us mid-request). */
function attempt(
  url: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  dropAfterMs?: number,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    if (dropAfterMs !== undefined) setTimeout(() => req.destroy(new Error('dropped by the client')), dropAfterMs);
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<number> {
  const cluster = DB_RESTART ? await privateCluster() : null;
  const baseUrl = cluster?.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const adminUrl = withDatabase(baseUrl, 'postgres');
  const database = `tongbao_chaos_${runId}`;
  psql(adminUrl, `CREATE DATABASE ${database}`);
  const url = withDatabase(baseUrl, database);
  const procs: Proc[] = [];
  let requests = 0;
  let kills = 0;
  let dbRestarts = 0;
  let dropped = 0;
  try {
    log(`seeding ${HOLDERS} holders and ${MERCHANTS} merchants in ${database}${cluster ? ' (private cluster)' : ''}`);
    const { holders, codes } = await seed(url);
    const env = serverEnv(url);
    const servers = [new Proc('serve', await freePort(), env), new Proc('serve', await freePort(), env)];
    const worker = new Proc('worker', 0, env);
    procs.push(...servers, worker);
    await Promise.all(servers.map((server) => server.start()));
    await worker.start();

    const tokens: string[] = [];
    for (const holder of holders) {
      const answer = await attempt(
        servers[0].url,
        'POST',
        '/api/v1/auth/login',
        {
          phone: holder.phone,
          password: PASSWORD,
          deviceId: holder.deviceId,
          client: 'api',
        },
        {},
      );
      if (answer.status !== 200) throw new Error(`login: ${answer.status} ${answer.body}`);
      tokens.push(JSON.parse(answer.body).token);
    }

    const monitor = openPostgres({ url, poolSize: 2 });
    const totalOf = async () =>
      (
        await monitor.query<{ total: bigint }>(
          `SELECT coalesce(sum(balance), 0)::bigint AS total FROM ledger_accounts WHERE kind <> 'bank_clearing'`,
        )
      ).rows[0].total;
    const expectedTotal = START_FEN * BigInt(HOLDERS);
    const sent = new Map<number, bigint>();
    const received = new Map<number, bigint>();
    const add = (map: Map<number, bigint>, i: number, fen: bigint) => map.set(i, (map.get(i) ?? 0n) + fen);
    let wrongReads = 0;
    let reads = 0;
    let refused = 0;
    let running = true;

    /** Sends until answered with a final status: retries with the same key after no answer, 5xx or 409. */
    const call = async (path: string, body: unknown, headers: Record<string, string>): Promise<Answer> => {
      for (let tries = 0; ; tries++) {
        const server = servers[Math.floor(Math.random() * servers.length)];
        requests++;
        const drop = Math.random() < 0.01 ? Math.floor(Math.random() * 30) : undefined;
        if (drop !== undefined) dropped++;
        try {
          const answer = await attempt(server.url, 'POST', path, body, headers, drop);
          if (answer.status < 500 && answer.status !== 409) return answer;
        } catch {
          // no answer: the server died, the database went away, or we dropped the connection
        }
        await new Promise((done) => setTimeout(done, Math.min(1000, 20 * 2 ** Math.min(tries, 6))));
      }
    };

    let next = 0;
    const client = async (c: number) => {
      while (next < REQUESTS && running) {
        const n = next++;
        const from = Math.floor(Math.random() * holders.length);
        const auth = { authorization: `Bearer ${tokens[from]}` };
        const amount = 1 + Math.floor(Math.random() * 100);
        if (n % 3 !== 2) {
          const to = (from + 1 + Math.floor(Math.random() * (holders.length - 1))) % holders.length;
          const answer = await call(
            '/api/v1/transfers',
            { payee: { walletId: holders[to].walletId }, amount, currency: 'CNY', confirmation: { pin: PIN } },
            { ...auth, 'idempotency-key': `chaos-p2p-${c}-${n}` },
          );
          if (answer.status === 201) {
            add(sent, from, BigInt(amount));
            add(received, to, BigInt(amount));
          } else refused++;
        } else {
          const payload = codes[n % codes.length];
          const prepared = await call(
            '/api/v1/payments',
            { payload, amount },
            { ...auth, 'idempotency-key': `chaos-pay-${c}-${n}` },
          );
          if (prepared.status !== 201) {
            refused++;
            continue;
          }
          const { payment, confirmation } = JSON.parse(prepared.body);
          const confirmed = await call(`/api/v1/confirmations/${confirmation.id}/pin`, { pin: PIN }, auth);
          if (confirmed.status !== 200) {
            refused++;
            continue;
          }
          const done = await call(
            `/api/v1/payments/${payment.id}/complete`,
            { confirmationId: confirmation.id },
            { ...auth, 'idempotency-key': `chaos-done-${c}-${n}` },
          );
          if (done.status === 200) add(sent, from, BigInt(amount));
          else refused++;
        }
      }
    };

    const reader = async () => {
      while (running) {
        try {
          reads++;
          if ((await totalOf()) !== expectedTotal) wrongReads++;
        } catch {
          reads--; // the database is restarting
        }
        await new Promise((done) => setTimeout(done, 200));
      }
    };

    const plannedKills = KILLS ?? Math.max(3, Math.round(REQUESTS / 10_000));
    const killer = async () => {
      for (let k = 0; k < plannedKills && running; k++) {
        const at = ((k + 0.2 + Math.random() * 0.6) / plannedKills) * REQUESTS;
        while (running && next < at) await new Promise((done) => setTimeout(done, 50));
        if (!running) return;
        const victim = servers[Math.floor(Math.random() * servers.length)];
        await victim.kill('SIGKILL');
        kills++;
        log(`killed a server at operation ${next} (${requests} requests)`);
        await victim.start();
      }
    };

    /** PostgreSQL restarted once, a third of the way in: of the operations, or of CHAOS_MAX_SECONDS if sooner. */
    const restarter = async () => {
      if (!cluster) return;
      const byTime = MAX_SECONDS > 0 ? Date.now() + (MAX_SECONDS * 1000) / 3 : Infinity;
      while (running && next < REQUESTS / 3 && Date.now() < byTime) await new Promise((done) => setTimeout(done, 50));
      if (!running) return;
      log(`restarting PostgreSQL at operation ${next} (${requests} requests)`);
      await cluster.restart();
      dbRestarts++;
      log(`PostgreSQL back at operation ${next} (${requests} requests)`);
    };

    const started = Date.now();
    const limit =
      MAX_SECONDS > 0
        ? setTimeout(() => {
            log(`time limit: no new operations after ${MAX_SECONDS} s`);
            running = false;
          }, MAX_SECONDS * 1000)
        : undefined;
    const progress = setInterval(() => log(`${requests} requests, ${kills} kills, ${refused} refused`), 10_000);
    const readerDone = reader();
    await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => client(c)), killer(), restarter()]).finally(() => {
      running = false;
    });
    await readerDone;
    clearInterval(progress);
    running = false;
    clearTimeout(limit);
    log(`load done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${next} of ${REQUESTS} operations`);

    // Let the jobs expire what is left open, then stop everything and check.
    await Promise.all(procs.map((proc) => proc.kill('SIGTERM')));
    const config = loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' });
    const db = openPostgres({ url, poolSize: 4 });
    const services = createServices(db, systemClock, config);
    while ((await services.ledger.expireHolds(500)) > 0);
    await services.ledger.close();
    await db.close();

    const balances = await monitor.query<{ id: string; balance: bigint }>(
      `SELECT id, balance FROM ledger_accounts WHERE kind = 'customer_wallet'`,
    );
    const byId = new Map(balances.rows.map((row) => [row.id, row.balance]));
    let duplicated = 0;
    holders.forEach((holder, i) => {
      const expected = START_FEN - (sent.get(i) ?? 0n) + (received.get(i) ?? 0n);
      const actual = byId.get(holder.walletId) ?? 0n;
      // Paid more than acknowledged (applied twice), or received money nobody was told of.
      if (actual !== expected) duplicated++;
    });
    const negative = (
      await monitor.query<{ n: bigint }>(
        `SELECT count(*)::bigint AS n FROM ledger_accounts WHERE kind <> 'bank_clearing' AND balance < 0`,
      )
    ).rows[0].n;
    const stuck = Number(
      (
        await monitor.query<{ n: bigint }>(
          `SELECT count(*)::bigint AS n FROM ledger_holds WHERE status = 'pending' AND expires_at <= now()`,
        )
      ).rows[0].n,
    );
    const total = await totalOf();
    const totalLost = expectedTotal - total;
    await monitor.close();
    const verify = runCli(['verify-ledger'], env);
    const verified = verify.status === 0;
    if (!verified) log(verify.output);
    log(
      `${reads} mid-run reads of the total, ${wrongReads} saw another total; ${dropped} connections dropped by ` +
        `clients; ${refused} refused`,
    );
    const lostFen = totalLost < 0n ? -totalLost : totalLost;
    const ok =
      lostFen === 0n &&
      duplicated === 0 &&
      stuck === 0 &&
      verified &&
      negative === 0n &&
      wrongReads === 0 &&
      kills > 0 &&
      (!cluster || dbRestarts === 1);
    console.log(
      `chaos: ${requests} requests, ${kills} kills, ${dbRestarts} db restart${dbRestarts === 1 ? '' : 's'} | lost ` +
        `${lostFen} fen, duplicated ${duplicated}, stuck holds ${stuck} | verify-ledger ${verified ? 'ok' : 'FAILED'}`,
    );
    return ok ? 0 : 1;
  } finally {
    await Promise.all(procs.map((proc) => proc.kill('SIGKILL')));
    try {
      psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch {
      // left for the operator
    }
    cluster?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
