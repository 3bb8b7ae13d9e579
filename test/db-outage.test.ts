import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../server/ledger/verify.js';
import { openPostgres } from '../server/platform/db/postgres.js';
import { type Jobs, createJobs } from '../server/platform/jobs.js';
import { type TestApp, createTestApp } from './app.js';
import { type TestDatabase, createTestDatabase, testEngine } from './db.js';
import { type TcpProxy, startTcpProxy } from './tcp-proxy.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from './transfer-factories.js';

/**
 * PostgreSQL taken away and given back, through a TCP proxy in this process (the shared PostgreSQL
 * keeps running): requests answer 503 problem+json with Retry-After at once, readiness turns false,
 * the server recovers by itself, jobs resume, and nothing is half-applied.
 */
describe.skipIf(testEngine !== 'postgres')('database outage', () => {
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let jobs: Jobs;
  let payer: WalletHolder;
  let payee: WalletHolder;
  const handled: string[] = [];
  const waiters = new Map<string, () => void>();

  beforeAll(async () => {
    direct = await createTestDatabase();
    const target = new URL(direct.url as string);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = proxy.url(direct.url as string);
    const db = openPostgres({ url, poolSize: 8, connectTimeoutMs: 500, statementTimeoutMs: 5_000 });
    t = await createTestApp({ database: { db, url, close: () => db.close() } });
    jobs = createJobs({
      db,
      databaseUrl: url,
      logger: pino({ level: 'silent' }),
      definitions: [
        {
          name: 'outage-test',
          handler: async (data) => {
            const { tag } = data as { tag: string };
            handled.push(tag);
            waiters.get(tag)?.();
          },
        },
      ],
    });
    await jobs.start({ work: true });
    // Many payments a minute from one holder: lift the velocity rule so the test measures the outage.
    const lifted = await t.services.risk.rules.change(
      'velocity',
      { thresholds: { maxCount: 1_000_000, maxAmountFen: 1_000_000_000_000 }, reason: 'outage test' },
      { id: 'test' },
    );
    expect(lifted.ok).toBe(true);
    payer = await walletHolder(t, { balanceFen: 1_000_000n });
    payee = await walletHolder(t, { name: '李四' });
  }, 120_000);

  afterAll(async () => {
    proxy?.restore();
    await jobs?.stop();
    await t?.close();
    await t?.database.close();
    await proxy?.close();
    await direct?.close();
  });

  const send = (amount: number, key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: moneyHeaders(payer, key),
      payload: { payee: { walletId: payee.walletId }, amount, currency: 'CNY', confirmation: { pin: payer.pin } },
    });

  const jobHandled = (tag: string) => new Promise<void>((resolve) => waiters.set(tag, resolve));
  /** Handled, and marked completed by pg-boss (so the cut does not fall between the two). */
  const jobDone = async (tag: string, handled: Promise<void>) => {
    await handled;
    await expect
      .poll(async () => {
        const { rows } = await direct.db.query<{ state: string }>(
          `SELECT state FROM pgboss.job WHERE name = 'outage-test' AND data->>'tag' = $1`,
          [tag],
        );
        return rows[0]?.state;
      })
      .toBe('completed');
  };

  it('answers 503 with Retry-After at once, turns unready, and recovers by itself', async () => {
    const before = await send(100, 'outage-before');
    expect(before.statusCode, before.body).toBe(201);
    const firstJob = jobHandled('before');
    await jobs.send('outage-test', { tag: 'before' });
    await jobDone('before', firstJob);

    proxy.cut();
    const started = performance.now();
    const during = await send(250, 'outage-during');
    const waited = performance.now() - started;
    expect(during.statusCode, during.body).toBe(503);
    expect(during.headers['content-type']).toContain('application/problem+json');
    expect(during.json().code).toBe('SERVICE_UNAVAILABLE');
    expect(during.headers['retry-after']).toBe('1');
    // No hanging: the answer comes within the pool's connection timeout, not a TCP timeout.
    expect(waited).toBeLessThan(5_000);
    const reading = await t.app.inject({ url: '/api/v1/me', headers: payer.auth });
    expect(reading.statusCode).toBe(503);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().status).toBe('database_unreachable');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    proxy.restore();
    await expect.poll(async () => (await t.app.inject({ url: '/readyz' })).statusCode, { timeout: 20_000 }).toBe(200);
    // The failed request left nothing behind: its retry with the same key moves the money once.
    const retried = await send(250, 'outage-during');
    expect(retried.statusCode, retried.body).toBe(201);
    expect(await balanceOf(t, payee.walletId)).toBe(350n);

    // Jobs resume on their own.
    const secondJob = jobHandled('after');
    await jobs.send('outage-test', { tag: 'after' });
    await jobDone('after', secondJob);
    expect(handled).toEqual(['before', 'after']);
  }, 60_000);

  it('applies nothing by halves when the database goes away mid-request', async () => {
    const payeeBefore = await balanceOf(t, payee.walletId);
    const payerBefore = await balanceOf(t, payer.walletId);
    const amounts = Array.from({ length: 40 }, (_, i) => 1 + i);
    const keys = amounts.map((_, i) => `outage-mid-${i}`);
    const first = Promise.all(amounts.map((amount, i) => send(amount, keys[i])));
    // Cut while the requests are on their way (some committed, some in flight, some not started).
    setImmediate(() => proxy.cut());
    const answers = await first;
    for (const answer of answers) expect([201, 503], answer.body).toContain(answer.statusCode);
    expect(answers.some((answer) => answer.statusCode === 503)).toBe(true);
    proxy.restore();
    await expect.poll(async () => (await t.app.inject({ url: '/readyz' })).statusCode, { timeout: 20_000 }).toBe(200);
    // Clients retry what got no success with the same key until it is answered.
    for (let i = 0; i < amounts.length; i++) {
      if (answers[i].statusCode === 201) continue;
      await expect
        .poll(
          async () => (await send(amounts[i], keys[i])).statusCode,
          // A request cut mid-way may leave its key in flight until the lock times out (60 s).
          { timeout: 90_000, interval: 1_000 },
        )
        .toBe(201);
    }
    const total = BigInt(amounts.reduce((sum, amount) => sum + amount, 0));
    expect(await balanceOf(t, payee.walletId)).toBe(payeeBefore + total);
    expect(await balanceOf(t, payer.walletId)).toBe(payerBefore - total);
    const report = await verifyLedger(t.db);
    expect(report.problems).toEqual([]);
  }, 120_000);
});
