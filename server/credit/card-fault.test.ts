import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { naiveInterest } from '../../test/card-interest-naive.js';
import { BUREAU, creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, balanceOf, fund } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import type { CreditService } from './service.js';
import * as cardStore from './store-cards.js';

/**
 * Issue 17: a restriction lifted as a false positive protects the credit card too. The holder is
 * restricted the day before the statement's due date, the automatic repayment fails, the statement
 * loses its interest-free period (interest from the purchase's posting date), the holder is told and
 * it is reported. Lifted as a false positive: the due date moves past the lift, every fen of interest
 * charged is reversed, the record is corrected, the months restated, the holder told; repaid on the
 * new due date, the card owes no interest at all. Each figure against test/card-interest-naive.ts.
 */

const clock = manualClock('2026-03-06T02:00:00Z');
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const at = (day: string) => clock.set(`${day}T02:00:00Z`);
const staff = { kind: 'staff' as const, id: 'stf_test' };

let t: TestApp;
let credit: CreditService;

beforeAll(async () => {
  t = await createTestApp({ clock });
  credit = t.services.credit;
});
afterAll(async () => t?.close());

const interestOf = (items: cardStore.CardTransactionRow[]) =>
  items.reduce(
    (sum, row) =>
      row.kind === 'interest' ? sum + row.amount : row.kind === 'interest_reversal' ? sum - row.amount : sum,
    0n,
  );

describe('a card statement due under a restriction lifted as a false positive', () => {
  it('moves past the lift, reverses every fen of interest, takes the record back and tells the holder', async () => {
    at('2026-03-05');
    const holder = await creditHolder(t, { birth: BUREAU.clean, balanceFen: 0n });
    const applied = await credit.applications.apply(holder.userId, { product: 'card', monthlyIncomeFen: 1_500_000n });
    if (!applied.ok || applied.value.status !== 'approved') throw new Error('not approved');
    const signed = await credit.signing.sign(holder.userId, applied.value.id, TEST_PIN);
    if (!signed.ok) throw new Error(signed.error.code);
    const cardId = signed.value.card_id as string;
    at('2026-03-06');
    const bought = await credit.cards.purchase({
      cardId,
      amountFen: 100_000n,
      merchantName: '京东',
      mcc: '5311',
      networkRef: 'fault-1',
    });
    expect(bought.ok).toBe(true);

    // Statement 5 April (¥1,000.00), due 25 April; restricted on the 24th; the job runs every day.
    const due = '2026-04-25';
    for (let day = '2026-03-06'; day <= '2026-05-05'; day = addDays(day, 1)) {
      at(day);
      if (day === addDays(due, -1)) {
        const made = await t.services.risk.restrictions.restrict(
          holder.userId,
          { reasonCode: 'staff_review', details: { note: 'unusual pattern' }, liftBy: 'support', source: 'staff' },
          staff,
        );
        expect(made.ok).toBe(true);
      }
      await credit.runDaily();
    }
    const [may, statement] = await cardStore.listStatements(t.db, cardId, 2);
    expect(statement).toMatchObject({ statement_day: '2026-04-05', due_day: due, balance: 100_000n, paid: 0n });
    expect(statement.autopay_tried_on).toBe(due);
    expect(statement.reported).toBe(true);
    const card = (await cardStore.findCard(t.db, cardId)) as cardStore.CardRow;
    const charged = await cardStore.allTransactions(t.db, cardId, 1000);
    const statements = await cardStore.listStatements(t.db, cardId, 10);
    // What was charged: the purchase from its posting date (6 March) through 4 May, at the card's rate.
    const chargedInterest = interestOf(charged);
    expect(chargedInterest).toBe(naiveInterest(charged, statements, card.annual_rate_bp, '2026-05-04'));
    expect(chargedInterest).toBe((100_000n * 60n * BigInt(card.annual_rate_bp)) / 3_600_000n);
    const report = await credit.ownReport(holder.userId);
    expect(report?.records.filter((r) => !r.removed)).toHaveLength(1);

    // The May statement (made this morning) carries April's ¥1,000.00 and the interest.
    expect(may).toMatchObject({ statement_day: '2026-05-05', due_day: '2026-05-25' });
    expect(may.balance).toBe(100_000n + chargedInterest);
    expect(may.interest).toBe(chargedInterest);

    // Lifted as a false positive on 5 May: April is due with May (25 May), every fen of interest reversed.
    const lifted = await t.services.risk.restrictions.lift(holder.userId, 'false positive after review', staff, {
      falsePositive: true,
    });
    expect(lifted.ok).toBe(true);
    const [mayAfter, moved] = await cardStore.listStatements(t.db, cardId, 2);
    expect(moved).toMatchObject({ due_day: '2026-05-25', original_due_day: due, reported: false, status: 'open' });
    expect(mayAfter).toMatchObject({ balance: 100_000n, interest: 0n, minimum_payment: 10_000n, paid: 0n });
    const items = await cardStore.allTransactions(t.db, cardId, 1000);
    const reversal = items.filter((row) => row.kind === 'interest_reversal');
    expect(reversal.map((row) => row.amount)).toEqual([chargedInterest]);
    expect(interestOf(items)).toBe(0n);
    expect(await cardStore.owedTotal(t.db, cardId)).toBe(100_000n);
    const receivable = await t.services.ledger.getAccount(card.account_id);
    expect(receivable?.balanceFen).toBe(-100_000n);
    const corrected = await credit.ownReport(holder.userId);
    expect(corrected?.records.filter((r) => !r.removed)).toEqual([]);
    const cardAccount = corrected?.accounts.find((a) => a.kind === 'card' && a.lender === '通宝数字银行');
    expect(cardAccount?.months.filter((m) => m.status !== 'N')).toEqual([]);
    const notices = (await credit.noticesOf(holder.userId)).filter(
      (n) => n.kind === 'fault_moved' && n.subject.startsWith('card:'),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].text.en).toContain('2026-05-25');
    expect(notices[0].text.zh).toContain(
      `${chargedInterest / 100n}.${String(chargedInterest % 100n).padStart(2, '0')}`,
    );
    // Lifted again (a retried call): nothing more.
    await credit.restrictionFault({
      userId: holder.userId,
      restrictedAt: new Date(`${addDays(due, -1)}T02:00:00Z`),
      liftedAt: clock.now(),
    });
    expect((await cardStore.allTransactions(t.db, cardId, 1000)).length).toBe(items.length);

    // Money in the wallet: the automatic repayment on the new due date takes exactly ¥1,000.00.
    await fund(t, holder.walletId, 100_000n);
    for (let day = '2026-05-06'; day <= '2026-06-01'; day = addDays(day, 1)) {
      at(day);
      await credit.runDaily();
    }
    const final = await cardStore.allTransactions(t.db, cardId, 1000);
    const finalStatements = await cardStore.listStatements(t.db, cardId, 10);
    expect(final.filter((row) => row.kind === 'repayment').map((row) => row.amount)).toEqual([100_000n]);
    expect(interestOf(final)).toBe(0n);
    expect(
      naiveInterest(
        final.filter((row) => !row.kind.startsWith('interest')),
        finalStatements,
        card.annual_rate_bp,
        '2026-05-31',
      ),
    ).toBe(0n);
    expect(await cardStore.owedTotal(t.db, cardId)).toBe(0n);
    expect(await balanceOf(t, holder.walletId)).toBe(0n);
    expect((await t.services.ledger.getAccount(card.account_id))?.balanceFen).toBe(0n);
    expect((await credit.ownReport(holder.userId))?.records.filter((r) => !r.removed)).toEqual([]);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
