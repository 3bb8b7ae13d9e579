import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import { sandboxPer10kE4 } from './fund-sandbox.js';

/**
 * 400 simulated days of the sweep and of term deposits, checked against a calculation written here
 * from the rules (not from the savings code): income per holder and day to the fen, deposit interest,
 * and every fen of every holder accounted for. The daily job is skipped on some days (caught up
 * later, in order), run twice on others, and crashes half-way on others; the fund publishes late
 * for a while.
 */

const START = '2026-01-05'; // a Monday
const DAYS = 400;
const clock = manualClock(`${START}T02:00:00Z`); // 10:00 in Shanghai

// The rules, restated ---------------------------------------------------------------------------
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const holiday = (day: string) => day.endsWith('-01-01') || /-10-0[1-7]$/.test(day);
const businessDay = (day: string) => ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()) && !holiday(day);
const nextBusiness = (day: string) => {
  let next = addDays(day, 1);
  while (!businessDay(next)) next = addDays(next, 1);
  return next;
};
const halfUp = (a: bigint, b: bigint) => (2n * a + b) / (2n * b);
const daysFrom = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const plusMonths = (day: string, months: number) => {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + m - 1 + months;
  const last = new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
  const month = String((index % 12) + 1).padStart(2, '0');
  return `${Math.floor(index / 12)}-${month}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

interface Move {
  amount: bigint;
  day: string;
  earnsFrom: string | null;
  income?: boolean;
}
const model = new Map<string, Move[]>();
const expectedIncome = new Map<string, bigint>(); // `${userId}|${day}`

function modelIncome(userId: string, day: string): bigint {
  const moves = model.get(userId) ?? [];
  let added = 0n;
  let balance = 0n;
  for (const move of moves) {
    if (move.day > day) continue;
    balance += move.amount;
    if (move.amount > 0n && move.earnsFrom !== null && move.earnsFrom <= day) added += move.amount;
  }
  const earning = added < balance ? added : balance;
  if (earning <= 0n) return 0n;
  return halfUp(earning * sandboxPer10kE4('TB-MMF', day), 100_000_000n);
}

// -------------------------------------------------------------------------------------------------

let t: TestApp;
let holders: WalletHolder[];
const FUNDED = 100_000_000n;
const today = () => new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function order(holder: WalletHolder, input: Parameters<TestApp['services']['savings']['orders']['submit']>[1]) {
  const done = await t.services.savings.orders.submit(holder.userId, input, holder.pin);
  if (!done.ok) throw new Error(`order refused: ${done.error.code}`);
  return done.value;
}

async function subscribe(holder: WalletHolder, amount: bigint) {
  await order(holder, { type: 'subscribe', productId: 'svp_mmf', amountFen: amount, clientKey: null });
  const day = today();
  const trade = businessDay(day) ? day : nextBusiness(day); // 10:00 is before the 15:00 cut-off
  model.get(holder.userId)?.push({ amount, day, earnsFrom: nextBusiness(trade) });
}

async function redeem(holder: WalletHolder, amount: bigint, speed: 'fast' | 'ordinary') {
  await order(holder, { type: 'redeem', productId: 'svp_mmf', amountFen: amount, speed, clientKey: null });
  model.get(holder.userId)?.push({ amount: -amount, day: today(), earnsFrom: null });
}

/** Runs the daily job as the schedule of the day says: skipped, twice, or crashing half-way first. */
async function dailyJob(i: number) {
  if (i % 13 === 5) return;
  if (i % 17 === 9) {
    const ledger = t.services.ledger;
    const real = ledger.execute;
    let calls = 0;
    ledger.execute = async (tx, commands) => {
      const outcome = await real(tx, commands);
      // The movement is written, then the process dies before the transaction commits.
      if (++calls === 2) throw new Error('crash');
      return outcome;
    };
    await t.services.savings.runDaily().catch((error: Error) => {
      if (error.message !== 'crash') throw error;
    });
    ledger.execute = real;
  }
  await t.services.savings.runDaily();
  if (i % 7 === 3) await t.services.savings.runDaily();
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  holders = [];
  for (const name of ['张三', '李四', '王五']) {
    const holder = await walletHolder(t, { name, balanceFen: FUNDED, limits: {} });
    await t.db.transaction((tx) => t.services.identity.setTier(tx, holder.userId, 'verified'));
    const assessed = await t.services.savings.suitability.submit(holder.userId, {
      version: '2026-1',
      answers: {
        age: 'b',
        income: 'b',
        share: 'b',
        experience: 'b',
        years: 'b',
        horizon: 'b',
        goal: 'b',
        loss: 'b',
        reaction: 'b',
        knowledge: 'b',
      },
    });
    expect(assessed.ok).toBe(true);
    model.set(holder.userId, []);
    holders.push(holder);
  }
}, 120_000);
afterAll(async () => t?.close());

describe('400 days of savings', () => {
  it('pays income and interest to the fen, once, in order, and loses no fen', async () => {
    const [a, b, c] = holders;
    const deposits: { holder: WalletHolder; id: string }[] = [];
    const open = async (holder: WalletHolder, productId: string, amount: bigint, choice: 'rollover' | 'to_wallet') => {
      const done = await order(holder, {
        type: 'subscribe',
        productId,
        amountFen: amount,
        maturityChoice: choice,
        clientKey: null,
      });
      deposits.push({ holder, id: done.deposit_id as string });
      return done.deposit_id as string;
    };
    // Assessments last a year: take it again before it runs out.
    let early = '';
    for (let i = 0; i < DAYS; i++) {
      clock.set(`${addDays(START, i)}T02:00:00Z`);
      if (i === 0) {
        await subscribe(a, 3_000_000n);
        await subscribe(b, 1_234_567n);
        await open(a, 'svp_td3m', 2_000_000n, 'rollover');
        await open(b, 'svp_td1y', 3_000_000n, 'to_wallet');
        early = await open(c, 'svp_td6m', 1_000_000n, 'to_wallet');
      }
      if (i > 0 && i % 30 === 0) await subscribe(a, 100_000n + BigInt(i));
      if (i % 11 === 4) await subscribe(c, 50_000n + BigInt(i * 3));
      if (i > 0 && i % 17 === 0) await redeem(b, 50_000n, 'fast');
      if (i > 0 && i % 45 === 0) await redeem(a, 200_000n, 'ordinary');
      if (i === 100) {
        const withdrawn = await order(c, { type: 'early_withdrawal', depositId: early, clientKey: null });
        expect(withdrawn.interest).toBe(halfUp(1_000_000n * 1000n * BigInt(100), 360_000_000n));
      }
      if (i === 360)
        for (const holder of holders)
          await t.services.savings.suitability.submit(holder.userId, {
            version: '2026-1',
            answers: {
              age: 'b',
              income: 'b',
              share: 'b',
              experience: 'b',
              years: 'b',
              horizon: 'b',
              goal: 'b',
              loss: 'b',
              reaction: 'b',
              knowledge: 'b',
            },
          });
      if (i === 200) await t.services.savings.sandbox?.setMode('TB-MMF', 'late', 3);
      if (i === 215) await t.services.savings.sandbox?.setMode('TB-MMF', 'normal');
      await dailyJob(i);
      // The model credits income the way the rules say: each published day, in order, once.
      const lastPaid = await t.db.query<{ day: string }>(
        `SELECT max(day) AS day FROM savings_income_days WHERE product_id = 'svp_mmf'`,
      );
      const through = lastPaid.rows[0].day;
      for (const holder of holders) {
        const moves = model.get(holder.userId) as Move[];
        const credited = new Set(moves.filter((m) => m.income).map((m) => m.day));
        for (let day = START; through && day <= through; day = addDays(day, 1)) {
          const key = `${holder.userId}|${day}`;
          if (expectedIncome.has(key) || credited.has(addDays(day, 1))) continue;
          const income = modelIncome(holder.userId, day);
          expectedIncome.set(key, income);
          if (income > 0n)
            moves.push({ amount: income, day: addDays(day, 1), earnsFrom: addDays(day, 1), income: true });
        }
      }
    }
    // Income: every day's credit equals the calculation, to the fen; none twice.
    const { rows: incomes } = await t.db.query<{ user_id: string; income_day: string; amount: bigint }>(
      `SELECT user_id, income_day, amount FROM savings_share_moves WHERE kind = 'income' ORDER BY income_day`,
    );
    const seen = new Set<string>();
    for (const row of incomes) {
      const key = `${row.user_id}|${row.income_day}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(row.amount, key).toBe(expectedIncome.get(key));
    }
    for (const [key, amount] of expectedIncome) if (amount > 0n) expect(seen.has(key), key).toBe(true);
    expect(incomes.length).toBeGreaterThan(900);
    const lastDay = incomes[incomes.length - 1].income_day;
    // Through the last day published by "today" (the day before the latest business day).
    expect(lastDay >= addDays(today(), -4)).toBe(true);

    // Deposits: interest = principal × rate × days / 360, half up; rollovers chain at maturity.
    const { rows: closed } = await t.db.query<{
      id: string;
      principal: bigint;
      rate_e4: bigint;
      opened_on: string;
      matures_on: string;
      status: string;
      interest_paid: bigint | null;
      term_months: number;
      rolled_into: string | null;
    }>('SELECT * FROM savings_deposits ORDER BY opened_on, id');
    for (const deposit of closed) {
      expect(deposit.matures_on).toBe(plusMonths(deposit.opened_on, deposit.term_months));
      if (deposit.status === 'matured' || deposit.status === 'rolled_over')
        expect(deposit.interest_paid, deposit.id).toBe(
          halfUp(
            deposit.principal * deposit.rate_e4 * BigInt(daysFrom(deposit.opened_on, deposit.matures_on)),
            360_000_000n,
          ),
        );
      if (deposit.status === 'rolled_over') {
        const next = closed.find((row) => row.id === deposit.rolled_into);
        expect(next?.principal).toBe(deposit.principal + (deposit.interest_paid ?? 0n));
        expect(next?.opened_on).toBe(deposit.matures_on);
      }
    }
    // The 3-month deposit rolled over four times in 400 days; the 1-year one matured once.
    expect(closed.filter((row) => row.status === 'rolled_over')).toHaveLength(4);
    expect(closed.filter((row) => row.status === 'matured')).toHaveLength(1);

    // Every fen of every holder: wallet + shares + open deposits + money on its way = funding + income + interest.
    for (const holder of holders) {
      const { rows } = await t.db.query<{
        wallet: bigint;
        shares: bigint;
        deposits: bigint;
        transit: bigint;
        income: bigint;
        interest: bigint;
      }>(
        `SELECT
           (SELECT balance FROM ledger_accounts WHERE id = $2) AS wallet,
           (SELECT coalesce(sum(a.balance), 0)::bigint FROM savings_fund_holdings h JOIN ledger_accounts a ON a.id =
          h.account_id WHERE h.user_id = $1) AS shares,
           (SELECT coalesce(sum(principal), 0)::bigint FROM savings_deposits WHERE user_id = $1 AND status = 'open')
          AS deposits,
           (SELECT coalesce(sum(amount), 0)::bigint FROM savings_orders WHERE user_id = $1 AND status = 'processing')
          AS transit,
           (SELECT coalesce(sum(amount), 0)::bigint FROM savings_share_moves WHERE user_id = $1 AND kind = 'income')
          AS income,
           (SELECT coalesce(sum(interest_paid), 0)::bigint FROM savings_deposits WHERE user_id = $1) AS interest`,
        [holder.userId, holder.walletId],
      );
      const r = rows[0];
      expect(r.wallet + r.shares + r.deposits + r.transit).toBe(FUNDED + r.income + r.interest);
    }

    expect((await verifyLedger(t.db)).problems).toEqual([]);
    expect(await t.services.savings.holdings.verify()).toEqual({ ok: true, problems: [] });
  }, 600_000);
});
