import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { borrow, creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, type WalletHolder } from '../../test/transfer-factories.js';
import { manualClock, shanghaiDay } from '../platform/clock.js';

// 我的资产 with debts (issue 20): what a holder owes on a loan and a credit card, today and at each
// month-end, checked against the credit service's own figures and against the ledger's postings.
const clock = manualClock('2026-10-15T02:00:00Z');
let t: TestApp;
let holder: WalletHolder;
let other: WalletHolder;
let loanId = '';
let cardId = '';

async function signIn(who: WalletHolder): Promise<void> {
  const session = await t.services.identity.sessions.start('user', who.userId, {
    deviceId: null,
    ip: '10.0.0.1',
    userAgent: 'test',
  });
  who.auth = { authorization: `Bearer ${session.token}` };
}

const get = async (who: WalletHolder, url: string) => {
  const answer = await t.app.inject({ url, headers: who.auth });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
};

/** Independently of insights: the holder's debt from the ledger's postings on its receivables before a moment. */
async function owedPerLedger(before: Date): Promise<number> {
  const { rows } = await t.db.query<{ owed: string | null }>(
    `SELECT (-sum(p.amount))::text AS owed FROM ledger_postings p
     JOIN ledger_entries e ON e.seq = p.entry_seq
     WHERE p.account_id IN (SELECT account_id FROM credit_loans WHERE id = $1
                            UNION SELECT account_id FROM credit_cards WHERE id = $2)
       AND e.created_at < $3`,
    [loanId, cardId, before],
  );
  return Number(rows[0].owed ?? 0);
}

/** The first moment of the month after `month` in Shanghai (UTC+8). */
const endOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1) - 8 * 3_600_000);
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  holder = await creditHolder(t, { balanceFen: 50_000n });
  other = await creditHolder(t, { balanceFen: 20_000n });
  loanId = await borrow(t, holder);
  const credit = t.services.credit;
  const card = await credit.applications.apply(holder.userId, { product: 'card', monthlyIncomeFen: 1_500_000n });
  if (!card.ok) throw new Error(card.error.code);
  const issued = await credit.signing.sign(holder.userId, card.value.id, TEST_PIN);
  if (!issued.ok) throw new Error(issued.error.code);
  cardId = issued.value.card_id as string;
  // Fifty days of the daily job: interest posts each day; a card purchase in October and in November.
  for (let day = 0; day < 50; day++) {
    clock.advanceMs(86_400_000);
    if (day === 5 || day === 30) {
      const bought = await credit.cards.purchase({
        cardId,
        amountFen: 123_456n,
        merchantName: '京东',
        mcc: '5311',
        networkRef: `assets-test-${day}`,
      });
      expect(bought.ok).toBe(true);
    }
    await credit.runDaily();
  }
  await signIn(holder);
  await signIn(other);
}, 120_000);
afterAll(async () => t?.close());

describe('我的资产 counts what the holder owes', () => {
  it('lists the loan’s payoff and the card’s balance as the credit pages show them', async () => {
    const assets = await get(holder, '/api/v1/insights/assets');
    const loan = await get(holder, `/api/v1/credit/loans/${loanId}`);
    const card = await t.services.credit.cards.ownCard(holder.userId, cardId);
    const cardOwed = Number((await t.services.credit.cards.view(card as NonNullable<typeof card>)).owed);
    const line = (key: string) => assets.lines.find((l: { key: string }) => l.key === key);
    expect(line('loans')).toEqual({ key: 'loans', amount: loan.payoffToday, path: `/credit/loans/${loanId}` });
    expect(line('credit')).toEqual({ key: 'credit', amount: cardOwed, path: '/credit/card' });
    expect(cardOwed).toBeGreaterThanOrEqual(2 * 123_456);
    // The first installment was paid from the wallet on its due day in November.
    expect(loan.payoffToday).toBeGreaterThan(800_000);
    expect(assets.owed).toBe(loan.payoffToday + cardOwed);
    expect(assets.netWorth).toBe(assets.total - assets.owed);
  });

  it('has each month-end’s debt as the ledger’s postings add up to, and net worth from it', async () => {
    const assets = await get(holder, '/api/v1/insights/assets');
    const thisMonth = shanghaiDay(clock.now()).slice(0, 7);
    expect(thisMonth).toBe('2026-12');
    for (const month of ['2026-09', '2026-10', '2026-11']) {
      const point = assets.history.find((h: { month: string }) => h.month === month);
      expect(point.owed, month).toBe(await owedPerLedger(endOf(month)));
      expect(point.netWorth, month).toBe(point.wallet + point.savings - point.owed);
    }
    const september = assets.history.find((h: { month: string }) => h.month === '2026-09');
    expect(september.owed).toBe(0);
    const october = assets.history.find((h: { month: string }) => h.month === '2026-10');
    expect(october.owed).toBeGreaterThan(1_000_000 + 123_456);
    const now = assets.history.at(-1);
    expect(now.month).toBe(thisMonth);
    expect(now.owed).toBe(await owedPerLedger(new Date(clock.now().getTime() + 1)));
  });

  it('shows another holder nothing of it', async () => {
    const assets = await get(other, '/api/v1/insights/assets');
    expect(assets.owed).toBe(0);
    expect(assets.lines.find((l: { key: string }) => l.key === 'loans')).toMatchObject({ amount: 0, path: '/credit' });
    expect(assets.history.every((h: { owed: number }) => h.owed === 0)).toBe(true);
    expect(assets.netWorth).toBe(assets.total);
  });
});
