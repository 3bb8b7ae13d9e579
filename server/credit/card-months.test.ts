import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { type CardEvent, type CardStatement, naiveInterest } from '../../test/card-interest-naive.js';
import { creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, type WalletHolder, fund } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import type { CreditService } from './service.js';

/**
 * Six months of one credit card on the manual clock, the daily job run each morning: a statement
 * paid in full (no interest), one paid at the minimum and one in part (interest from each purchase's
 * posting date, the back days charged at once the morning after the due day), then paid in full
 * again. Every interest posting, day by day, equals an independent calculation to the fen; the
 * statements' interest and balances and the receivable agree with it.
 */

const START = '2026-01-10';
const END = '2026-07-12';
const clock = manualClock(`${START}T02:00:00Z`);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let t: TestApp;
let credit: CreditService;
let holder: WalletHolder;
let cardId = '';

beforeAll(async () => {
  t = await createTestApp({ clock });
  credit = t.services.credit;
  holder = await creditHolder(t);
  const applied = await credit.applications.apply(holder.userId, { product: 'card', monthlyIncomeFen: 1_500_000n });
  if (!applied.ok) throw new Error(applied.error.code);
  const signed = await credit.signing.sign(holder.userId, applied.value.id, TEST_PIN);
  if (!signed.ok) throw new Error(signed.error.code);
  cardId = signed.value.card_id as string;
}, 120_000);
afterAll(async () => t?.close());

type Plan = { purchase: bigint } | { repay: 'full' | 'minimum' | 'statement' | bigint };
const PLAN: Record<string, Plan[]> = {
  '2026-01-12': [{ purchase: 100_000n }],
  '2026-01-25': [{ purchase: 50_000n }],
  '2026-02-14': [{ purchase: 80_000n }],
  '2026-02-20': [{ repay: 'statement' }], // the February statement in full: no interest
  '2026-03-03': [{ purchase: 20_000n }],
  '2026-03-15': [{ purchase: 30_000n }],
  '2026-03-20': [{ repay: 'minimum' }], // the March statement loses its grace on 31 March
  '2026-04-18': [{ purchase: 12_345n }],
  '2026-04-25': [{ repay: 50_000n }], // the April statement in part: loses its grace too
  '2026-05-15': [{ repay: 'full' }], // everything owed
  '2026-06-20': [{ repay: 'statement' }], // June's statement (the interest of May) in full
};

async function repay(mode: 'full' | 'minimum' | 'custom', amountFen: bigint | null) {
  const prepared = await credit.cards.prepareRepayment(holder.userId, cardId, { mode, amountFen, clientKey: null });
  if (!prepared.ok) throw new Error(prepared.error.code);
  const amount = prepared.value.repayment.amount;
  await fund(t, holder.walletId, amount);
  const confirmed = await credit.ctx.identity.confirmations.confirmWithPin(
    holder.userId,
    prepared.value.confirmationId,
    TEST_PIN,
  );
  expect(confirmed.ok).toBe(true);
  const done = await credit.cards.completeRepayment(
    holder.userId,
    prepared.value.repayment.id,
    prepared.value.confirmationId,
  );
  if (!done.ok) throw new Error(done.error.code);
  return amount;
}

describe('a credit card over six months', () => {
  it('posts interest per posting date, day by day, to the fen', { timeout: 240_000 }, async () => {
    const card = await credit.cards.ownCard(holder.userId, cardId);
    if (!card) throw new Error('no card');
    expect(card.statement_day).toBe(10);
    const events: CardEvent[] = [];
    const statements: CardStatement[] = [];
    const expectedInterest: { day: string; amount: bigint }[] = [];
    const owedAtStatement = new Map<string, bigint>();
    let ids = 0;
    const push = (kind: CardEvent['kind'], day: string, amount: bigint) =>
      events.push({ id: `e${String(++ids).padStart(5, '0')}`, kind, amount, day, statement_id: null });
    const owed = () => events.reduce((sum, e) => (e.kind === 'repayment' ? sum - e.amount : sum + e.amount), 0n);

    for (let day = START; day <= END; day = addDays(day, 1)) {
      clock.set(`${day}T02:00:00Z`);
      for (const step of PLAN[day] ?? []) {
        if ('purchase' in step) {
          const bought = await credit.cards.purchase({
            cardId,
            amountFen: step.purchase,
            merchantName: '京东',
            mcc: '5311',
            networkRef: `months-${day}`,
          });
          expect(bought.ok).toBe(true);
          push('purchase', day, step.purchase);
        } else if (step.repay === 'statement') {
          const view = await credit.cards.view(card);
          const left = (view.current?.balance ?? 0n) - (view.current?.paid ?? 0n);
          push('repayment', day, await repay('custom', left));
        } else if (typeof step.repay === 'bigint') {
          push('repayment', day, await repay('custom', step.repay));
        } else {
          push('repayment', day, await repay(step.repay, null));
        }
      }
      await credit.runDaily();
      // The independent side of the same morning: yesterday's interest, then the statement.
      const posted = expectedInterest.reduce((sum, row) => sum + row.amount, 0n);
      const due = naiveInterest(events, statements, card.annual_rate_bp, addDays(day, -1)) - posted;
      if (due > 0n) {
        push('interest', day, due);
        expectedInterest.push({ day, amount: due });
      }
      if (day.endsWith('-10')) {
        const id = `S${day}`;
        for (const e of events) if (e.statement_id === null && e.day <= day) e.statement_id = id;
        statements.push({ id, statement_day: day, due_day: addDays(day, 20), autopay_tried_on: addDays(day, 20) });
        owedAtStatement.set(day, owed());
      }
    }

    const rows = (await credit.cards.transactions(cardId, null, 500)).filter((row) => row.kind === 'interest');
    const actual = rows.map((row) => ({ day: row.day, amount: row.amount })).sort((a, b) => (a.day < b.day ? -1 : 1));
    expect(actual).toEqual(expectedInterest);
    // No interest before the March statement's due day was over; the back days came at once on 31 March.
    expect(actual[0].day).toBe('2026-03-31');
    expect(actual.at(-1)?.day).toBe('2026-05-15');
    expect(actual.length).toBeGreaterThan(30);

    const made = await credit.cards.statements(cardId);
    expect(made.map((row) => row.statement_day).sort()).toEqual([...owedAtStatement.keys()]);
    for (const statement of made) {
      expect(statement.balance, statement.statement_day).toBe(owedAtStatement.get(statement.statement_day));
      const billed = events
        .filter((e) => e.kind === 'interest' && e.statement_id === `S${statement.statement_day}`)
        .reduce((sum, e) => sum + e.amount, 0n);
      expect(statement.interest, statement.statement_day).toBe(billed);
    }
    const account = await t.services.ledger.getAccount(card.account_id);
    expect(account?.balanceFen).toBe(-owed());
    expect(await credit.cards.owedOf(card)).toBe(owed());
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
