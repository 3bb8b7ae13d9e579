import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, operatorMove, request, runCli, startServer } from '../bench/harness.js';
import { prng } from './ledger-factories.js';
import { createTestDatabase, testEngine, type TestDatabase } from './db.js';

/** Two real server processes sharing one PostgreSQL database, moving money at once. */
describe.skipIf(testEngine !== 'postgres')('two server processes on one database', () => {
  let t: TestDatabase;
  let servers: RunningServer[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    servers = await Promise.all([
      startServer({ DATABASE_URL: t.url as string }),
      startServer({ DATABASE_URL: t.url as string }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await t?.close();
  });

  it('conserves money, never overdraws and posts each reference once', async () => {
    const [a, b] = servers;
    const open = async (kind: string) =>
      JSON.parse((await request(a.url, 'POST', '/api/v1/ledger/accounts', { kind, currency: 'CNY' })).body)
        .id as string;
    const bank = await open('bank_clearing');
    const wallets: string[] = [];
    for (let i = 0; i < 10; i++) wallets.push(await open('customer_wallet'));
    const funded = await operatorMove(
      a.url,
      {
        reference: 'mp-fund',
        currency: 'CNY',
        legs: wallets.map((wallet) => ({ debitAccountId: bank, creditAccountId: wallet, amount: 20_000 })),
      },
      'mp-fund',
    );
    expect(funded.status).toBe(200);

    const random = prng(42);
    // Each movement is two calls and its own approval transaction (maker-checker), so fewer than before.
    const TRANSFERS = 1_000;
    const bodies = Array.from({ length: TRANSFERS }, (_, i) => {
      const from = Math.floor(random() * 10);
      const to = (from + 1 + Math.floor(random() * 9)) % 10;
      return {
        reference: `mp-${i}`,
        currency: 'CNY',
        legs: [{ debitAccountId: wallets[from], creditAccountId: wallets[to], amount: 1 + Math.floor(random() * 500) }],
      };
    });
    const statuses = new Map<string, number>();
    const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async (_, worker) => {
        while (next < TRANSFERS) {
          const i = next++;
          const server = servers[worker % 2];
          // Each movement is asked for by one operator and approved by a second (docs/operations.md).
          const answer = await operatorMove(server.url, bodies[i], `mp-key-${i}`);
          count(`${answer.status}`);
          if (i % 10 === 3) {
            // The same request and approval again on the other process: replays, or 409 while the first still runs.
            const other = servers[(worker + 1) % 2];
            const again = await operatorMove(other.url, bodies[i], `mp-key-${i}`);
            expect([answer.status, 409]).toContain(again.status);
            if (again.status !== 409) expect(again.body).toBe(answer.body);
            // The same ledger reference under a new key (a new request, approved again): the ledger replays it, never
            // posts twice.
            const sameReference = await operatorMove(other.url, bodies[i], `mp-key-${i}-retry`);
            if (answer.status === 200) expect(JSON.parse(sameReference.body).replayed).toBe(true);
          }
        }
      }),
    );
    for (const status of statuses.keys()) expect(['200', '422']).toContain(status);
    expect(statuses.get('200')).toBeGreaterThan(TRANSFERS / 2);

    const totals = await t.db.query<{ total: bigint; negative: bigint }>(
      `SELECT sum(balance)::bigint AS total, count(*) FILTER (WHERE balance < 0) AS negative FROM ledger_accounts
        WHERE kind = 'customer_wallet'`,
    );
    expect(totals.rows[0].total).toBe(200_000n);
    expect(Number(totals.rows[0].negative)).toBe(0);
    const twice = await t.db.query(`SELECT reference FROM ledger_entries GROUP BY reference HAVING count(*) > 1`);
    expect(twice.rows).toEqual([]);
    const verified = runCli(['verify-ledger'], { DATABASE_URL: t.url as string });
    expect(verified.output).toContain('ledger OK');
    expect(verified.status).toBe(0);
  }, 360_000);
});
