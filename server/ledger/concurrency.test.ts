import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../test/db.js';
import { fundedWallets, prng } from '../../test/ledger-factories.js';
import { systemClock } from '../platform/clock.js';
import { openPostgres } from '../platform/db/postgres.js';
import { createLedgerService, type LedgerService } from './service.js';
import { verifyLedger } from './verify.js';

const onPostgres = testEngine === 'postgres';
// The full Jepsen-style size on PostgreSQL; PGlite is one session, so a smaller run proves the same.
const WORKERS = onPostgres ? 32 : 8;
const TRANSFERS = onPostgres ? 20_000 : 2_000;
const WALLETS = 12;
const START_FEN = 50_000n;

async function walletTotal(t: TestDatabase, ids: string[]): Promise<{ total: bigint; negative: number }> {
  const { rows } = await t.db.query<{ total: bigint; negative: bigint }>(
    `SELECT COALESCE(sum(balance), 0)::bigint AS total, count(*) FILTER (WHERE balance - pending_debits < 0) AS negative
     FROM ledger_accounts WHERE id = ANY($1::text[])`,
    [ids],
  );
  return { total: rows[0].total, negative: Number(rows[0].negative) };
}

describe(`bank test (${testEngine}, ${WORKERS} workers, ${TRANSFERS} transfers)`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  async function runBank(ledgers: LedgerService[], seed: number) {
    const { wallets } = await fundedWallets(ledgers[0], WALLETS, START_FEN);
    const ids = wallets.map((wallet) => wallet.id);
    const random = prng(seed);
    const plans = Array.from({ length: TRANSFERS }, (_, i) => {
      const from = Math.floor(random() * WALLETS);
      const to = (from + 1 + Math.floor(random() * (WALLETS - 1))) % WALLETS;
      // One in ten re-sends an earlier reference with the same content: it must replay, not post.
      const duplicateOf = i > 10 && random() < 0.1 ? Math.floor(random() * i) : -1;
      return { from, to, amountFen: BigInt(1 + Math.floor(random() * 5_000)), duplicateOf };
    });
    const commands = plans.map((plan, i) => {
      const source = plan.duplicateOf >= 0 ? plans[plan.duplicateOf] : plan;
      const n = plan.duplicateOf >= 0 ? plan.duplicateOf : i;
      return {
        reference: `bank-${seed}-${n}`,
        currency: 'CNY' as const,
        legs: [{ debitAccountId: ids[source.from], creditAccountId: ids[source.to], amountFen: source.amountFen }],
      };
    });
    let next = 0;
    const counts = { posted: 0, replayed: 0, refused: 0, reads: 0 };
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        const ledger = ledgers[worker % ledgers.length];
        while (next < commands.length) {
          const command = commands[next++];
          const result = await ledger.transfer(command);
          if (result.ok) counts[result.value.replayed ? 'replayed' : 'posted']++;
          else {
            expect(['INSUFFICIENT_FUNDS', 'REFERENCE_CONFLICT']).toContain(result.error.code);
            // A duplicate that raced an original which was refused: the same command, so it cannot conflict.
            expect(result.error.code).toBe('INSUFFICIENT_FUNDS');
            counts.refused++;
          }
          if (next % 500 === worker) {
            // Reads in the middle of the run must always see the whole money supply.
            const snapshot = await walletTotal(t, ids);
            expect(snapshot.total).toBe(START_FEN * BigInt(WALLETS));
            counts.reads++;
          }
        }
      }),
    );
    const final = await walletTotal(t, ids);
    expect(final.total).toBe(START_FEN * BigInt(WALLETS));
    expect(final.negative).toBe(0);
    const twice = await t.db.query(
      `SELECT reference FROM ledger_entries WHERE reference LIKE $1 GROUP BY reference HAVING count(*) > 1`,
      [`bank-${seed}-%`],
    );
    expect(twice.rows).toEqual([]);
    const { rows } = await t.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM ledger_entries WHERE reference LIKE $1`,
      [`bank-${seed}-%`],
    );
    expect(Number(rows[0].n)).toBe(counts.posted);
    expect(counts.posted + counts.replayed + counts.refused).toBe(TRANSFERS);
    expect(counts.posted).toBeGreaterThan(TRANSFERS / 2);
    const report = await verifyLedger(t.db);
    expect(report.problems).toEqual([]);
    return counts;
  }

  it('conserves money, never overdraws and never posts a reference twice', async () => {
    const ledger = createLedgerService({ db: t.db, clock: systemClock });
    await runBank([ledger], 1);
    await ledger.close();
  }, 240_000);

  it.skipIf(!onPostgres)(
    'holds with several ledger instances (separate pools, as separate processes would)',
    async () => {
      const pools = [0, 1, 2].map(() => openPostgres({ url: t.url as string, poolSize: 12 }));
      const ledgers = pools.map((db) => createLedgerService({ db, clock: systemClock }));
      try {
        await runBank(ledgers, 2);
      } finally {
        for (const ledger of ledgers) await ledger.close();
        for (const pool of pools) await pool.close();
      }
    },
    240_000,
  );

  it('resolves a hold exactly once when two posts and a void race', async () => {
    const ledger = createLedgerService({ db: t.db, clock: systemClock });
    const { wallets } = await fundedWallets(ledger, 2, 100_000n);
    for (let round = 0; round < 20; round++) {
      const held = await ledger.hold({
        reference: `race-hold-${round}`,
        currency: 'CNY',
        debitAccountId: wallets[0].id,
        creditAccountId: wallets[1].id,
        amountFen: 1_000n,
        expiresAt: new Date(Date.now() + 60_000),
      });
      if (!held.ok) throw new Error(held.error.code);
      const holdId = held.value.hold.id;
      const outcomes = await Promise.all([
        ledger.postHold({ reference: `race-post-${round}`, holdId }),
        ledger.voidHold({ reference: `race-void-${round}`, holdId }),
        ledger.postHold({ reference: `race-post2-${round}`, holdId, amountFen: 500n }),
      ]);
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      for (const outcome of outcomes) if (!outcome.ok) expect(outcome.error.code).toBe('HOLD_ALREADY_RESOLVED');
    }
    const [payer] = await Promise.all([ledger.getAccount(wallets[0].id)]);
    expect(payer?.pendingDebitsFen).toBe(0n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    await ledger.close();
  }, 120_000);
});

describe.skipIf(onPostgres)('PGlite: one session shared safely', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.exec('CREATE TABLE trap (id int PRIMARY KEY, note text)');
  });
  afterAll(async () => t?.close());

  it("one transaction's rollback never undoes another's committed write", async () => {
    const results = await Promise.allSettled([
      t.db.transaction(async (tx) => {
        await tx.query("INSERT INTO trap VALUES (1, 'kept')");
        await new Promise((done) => setTimeout(done, 20));
      }),
      t.db.transaction(async (tx) => {
        await tx.query("INSERT INTO trap VALUES (2, 'rolled back')");
        await new Promise((done) => setTimeout(done, 5));
        throw new Error('boom');
      }),
      t.db.query("INSERT INTO trap VALUES (3, 'outside')"),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM trap ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual([1, 3]);
  });
});
