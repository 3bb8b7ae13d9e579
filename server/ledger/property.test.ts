import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { manualClock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { createLedgerService, type LedgerService } from './service.js';
import type { LedgerCommand } from './types.js';

/**
 * Random sequences of every ledger operation, valid and invalid. After each command the ledger's
 * invariants hold, a refused command changed nothing, and a successful one moved exactly its amount.
 */

let t: TestDatabase;
let ledger: LedgerService;
const clock = manualClock('2026-11-23T02:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase();
  ledger = createLedgerService({ db: t.db, clock });
});
afterAll(async () => {
  await ledger?.close();
  await t?.close();
});

type Op =
  | { op: 'transfer'; from: number; to: number; amount: number; ref: number }
  | { op: 'multi'; legs: { from: number; to: number; amount: number }[]; ref: number }
  | { op: 'hold'; from: number; to: number; amount: number; ref: number; ttlMs: number }
  | { op: 'post'; hold: number; amount: number | null; ref: number }
  | { op: 'void'; hold: number; ref: number }
  | { op: 'reverse'; entry: number; ref: number }
  | { op: 'tick'; ms: number }
  | { op: 'repeat' };

// Index 0 is the bank clearing account, 1–4 wallets, 5 a merchant, 6 an account that does not exist.
const ACCOUNTS = 7;
const account = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: ACCOUNTS - 2 }) },
  { weight: 1, arbitrary: fc.constant(ACCOUNTS - 1) },
);
const amount = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 30_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5) },
);
const ref = fc.integer({ min: 0, max: 30 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('transfer' as const), from: account, to: account, amount, ref }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('multi' as const),
      legs: fc.array(fc.record({ from: account, to: account, amount }), { minLength: 1, maxLength: 3 }),
      ref,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      from: account,
      to: account,
      amount,
      ref,
      ttlMs: fc.integer({ min: 1_000, max: 120_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('post' as const),
      hold: fc.nat(3),
      amount: fc.option(amount, { nil: null }),
      ref,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('void' as const), hold: fc.nat(3), ref }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), entry: fc.nat(6), ref }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 90_000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('repeat' as const) }) },
);

async function snapshot(db: Queryable, ids: string[]) {
  const accounts = await db.query<{ id: string; balance: bigint; pending_debits: bigint; pending_credits: bigint }>(
    'SELECT id, balance, pending_debits, pending_credits FROM ledger_accounts WHERE id = ANY($1::text[]) ORDER BY id',
    [ids],
  );
  const counts = await db.query<{ entries: bigint; holds: bigint; resolved: bigint }>(
    `SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM ledger_holds) AS holds,
            (SELECT count(*) FROM ledger_holds WHERE status <> 'pending') AS resolved`,
  );
  return JSON.stringify({ accounts: accounts.rows, counts: counts.rows[0] }, (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

async function checkInvariants(db: Queryable, ids: string[]) {
  const { rows } = await db.query<{
    id: string;
    kind: string;
    balance: bigint;
    pending_debits: bigint;
    derived: bigint;
    held: bigint;
  }>(
    `SELECT a.id, a.kind, a.balance, a.pending_debits,
            COALESCE((SELECT sum(amount) FROM ledger_postings p WHERE p.account_id = a.id), 0)::bigint AS derived,
            COALESCE((SELECT sum(amount) FROM ledger_holds h WHERE h.debit_account_id = a.id AND h.status =
      'pending'), 0)::bigint AS held
     FROM ledger_accounts a WHERE a.id = ANY($1::text[])`,
    [ids],
  );
  for (const row of rows) {
    expect(row.balance, `balance of ${row.kind} equals its postings`).toBe(row.derived);
    expect(row.pending_debits, `pending debits of ${row.kind} equal open holds`).toBe(row.held);
    if (row.kind === 'customer_wallet' || row.kind === 'merchant_settlement')
      expect(row.balance - row.pending_debits >= 0n).toBe(true);
  }
  const sums = await db.query<{ total: bigint }>(
    'SELECT COALESCE(sum(amount), 0)::bigint AS total FROM ledger_postings',
  );
  expect(sums.rows[0].total).toBe(0n);
  const unbalanced = await db.query('SELECT entry_seq FROM ledger_postings GROUP BY entry_seq HAVING sum(amount) <> 0');
  expect(unbalanced.rows).toEqual([]);
}

let run = 0;
const tally = new Map<string, number>();

it('keeps every invariant under random operations, valid and invalid', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
      run++;
      const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
      const wallets = [];
      for (let i = 0; i < 4; i++)
        wallets.push(
          await ledger.createAccount({
            kind: 'customer_wallet',
            currency: 'CNY',
            limits: i === 3 ? { dailyFen: 40_000n, balanceCapFen: 200_000n } : {},
          }),
        );
      const merchant = await ledger.createAccount({ kind: 'merchant_settlement', currency: 'CNY' });
      const ids = [bank.id, ...wallets.map((w) => w.id), merchant.id, `acc_missing${run}`];
      const realIds = ids.slice(0, 6);
      await ledger.transfer({
        reference: `p${run}-seed`,
        currency: 'CNY',
        legs: wallets.map((w) => ({ debitAccountId: bank.id, creditAccountId: w.id, amountFen: 50_000n })),
        limitExempt: true,
      });
      const holdIds: string[] = [];
      const entryIds: string[] = [];
      let previous: LedgerCommand | undefined;

      for (const op of ops) {
        if (op.op === 'tick') {
          clock.advanceMs(op.ms);
          continue;
        }
        if (op.op === 'repeat') {
          // A retried request: the previous command again, unchanged. It must replay or fail the same way.
          if (!previous) continue;
        }
        const reference = op.op === 'repeat' ? '' : `p${run}-r${op.ref}`;
        let command: LedgerCommand = previous as LedgerCommand;
        switch (op.op) {
          case 'transfer':
            command = {
              type: 'transfer',
              reference,
              currency: 'CNY',
              legs: [{ debitAccountId: ids[op.from], creditAccountId: ids[op.to], amountFen: BigInt(op.amount) }],
            };
            break;
          case 'multi':
            command = {
              type: 'transfer',
              reference,
              currency: 'CNY',
              legs: op.legs.map((leg) => ({
                debitAccountId: ids[leg.from],
                creditAccountId: ids[leg.to],
                amountFen: BigInt(leg.amount),
              })),
            };
            break;
          case 'hold':
            command = {
              type: 'hold',
              reference,
              currency: 'CNY',
              debitAccountId: ids[op.from],
              creditAccountId: ids[op.to],
              amountFen: BigInt(op.amount),
              expiresAt: new Date(clock.now().getTime() + op.ttlMs),
            };
            break;
          case 'post':
            command = {
              type: 'post_hold',
              reference,
              holdId: holdIds.length ? holdIds[op.hold % holdIds.length] : 'hld_none',
              amountFen: op.amount === null ? undefined : BigInt(op.amount),
            };
            break;
          case 'void':
            command = {
              type: 'void_hold',
              reference,
              holdId: holdIds.length ? holdIds[op.hold % holdIds.length] : 'hld_none',
            };
            break;
          case 'reverse':
            command = {
              type: 'reverse',
              reference,
              entryId: entryIds.length ? entryIds[op.entry % entryIds.length] : 'ent_none',
            };
            break;
        }
        previous = command;
        const before = await snapshot(t.db, realIds);
        const balancesBefore = new Map(
          (await Promise.all(realIds.map((id) => ledger.getAccount(id)))).map((a) => [a!.id, a!.balanceFen]),
        );
        const outcome = await ledger.submit(command);
        const label = `${command.type}:${outcome.ok ? (outcome.value.replayed ? 'replay' : 'ok') : outcome.error.code}`;
        tally.set(label, (tally.get(label) ?? 0) + 1);
        if (!outcome.ok || outcome.value.replayed) {
          expect(await snapshot(t.db, realIds), `${outcome.ok ? 'replayed' : outcome.error.code} changed nothing`).toBe(
            before,
          );
        } else {
          const value = outcome.value;
          if (value.type === 'hold') holdIds.push(value.hold.id);
          if ('entry' in value) entryIds.push(value.entry.id);
          if (value.type === 'transfer' && command.type === 'transfer') {
            const expected = new Map(balancesBefore);
            for (const leg of command.legs) {
              expected.set(leg.debitAccountId, (expected.get(leg.debitAccountId) ?? 0n) - leg.amountFen);
              expected.set(leg.creditAccountId, (expected.get(leg.creditAccountId) ?? 0n) + leg.amountFen);
            }
            for (const id of realIds) expect((await ledger.getAccount(id))?.balanceFen).toBe(expected.get(id));
          }
        }
        await checkInvariants(t.db, realIds);
      }
    }),
    { numRuns: 60 },
  );
}, 180_000);

it('exercised every operation, its replays and its refusals', () => {
  for (const label of [
    'transfer:ok',
    'transfer:replay',
    'transfer:INSUFFICIENT_FUNDS',
    'transfer:REFERENCE_CONFLICT',
    'hold:ok',
    'post_hold:ok',
    'void_hold:ok',
    'reverse:ok',
    'void_hold:HOLD_ALREADY_RESOLVED',
  ]) {
    expect(tally.get(label) ?? 0, label).toBeGreaterThan(0);
  }
});
