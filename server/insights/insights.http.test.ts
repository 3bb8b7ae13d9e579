import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  merchantSignIn,
  pay,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { type WalletHolder, bankAccount, walletHolder } from '../../test/transfer-factories.js';
import type { EntryView, Metadata } from '../ledger/types.js';
import { manualClock, shanghaiDay } from '../platform/clock.js';

/**
 * Insights over HTTP: categories from merchant codes, bills and refunds; every figure of the month
 * view against the sum of the holder's ledger movements; re-categorising and rules (past included);
 * budgets alerting once per level; the year view, assets; and nobody reads another holder's figures.
 */

let t: TestApp;
const clock = manualClock('2026-10-10T04:00:00Z');
let noodles: TestMerchant;
let market: TestMerchant;
let alice: WalletHolder;
let bob: WalletHolder;
let moves = 0;

/** A movement out of (negative) or into a wallet with the metadata convention, as another domain posts it. */
async function move(walletId: string, amountFen: bigint, metadata: Metadata): Promise<EntryView> {
  const bank = await bankAccount(t);
  const legs =
    amountFen < 0n
      ? [{ debitAccountId: walletId, creditAccountId: bank, amountFen: -amountFen }]
      : [{ debitAccountId: bank, creditAccountId: walletId, amountFen }];
  const done = await t.services.ledger.transfer({
    reference: `insights-test:${++moves}`,
    currency: 'CNY',
    legs,
    metadata,
    limitExempt: true,
  });
  if (!done.ok) throw new Error(done.error.code);
  return done.value.entry;
}

const get = (holder: WalletHolder, url: string) => t.app.inject({ url, headers: holder.auth });

/** Every ledger entry of a wallet (newest first), read through the ledger service. */
async function ledgerEntries(walletId: string): Promise<EntryView[]> {
  const all: EntryView[] = [];
  for (let before: bigint | undefined; ;) {
    const page = await t.services.ledger.listEntries(walletId, { beforeSeq: before, limit: 100 });
    all.push(...page);
    if (page.length < 100) return all;
    before = page[page.length - 1].seq;
  }
}

const net = (entry: EntryView, walletId: string) =>
  entry.postings.filter((p) => p.accountId === walletId).reduce((sum, p) => sum + p.amountFen, 0n);

beforeAll(async () => {
  // Months pass in these tests: sessions outlive them.
  const longMs = 400 * 86_400_000;
  t = await createTestApp({ clock, config: { sessionIdleMs: longMs, sessionAbsoluteMs: longMs } });
  noodles = await activeMerchant(t, { name: '老王面馆', mcc: '5812' });
  market = await activeMerchant(t, { name: '联华超市', mcc: '5411' });
  alice = await walletHolder(t, { balanceFen: 1_000_000n });
  bob = await walletHolder(t, { name: '李四', balanceFen: 10_000n });
  // October: one grocery payment and one bill.
  await move(alice.walletId, -30_000n, {
    kind: 'merchant_payment',
    counterparty: market.name,
    ref: 'pay_oct1',
    merchantId: market.id,
    paymentId: 'pay_oct1',
  });
  await move(alice.walletId, -12_000n, { kind: 'bill_payment', counterparty: '上海电力', ref: 'bpy_oct1' });
  clock.set('2026-11-05T04:00:00Z');
});
afterAll(async () => t?.close());

describe('the month view', () => {
  let paymentId: string;

  it('categorises payments by merchant code, bills as utilities, refunds into the payment’s month', async () => {
    const paid = await pay(t, alice, { merchantNumber: noodles.merchantNumber, amount: 8_850 });
    expect(paid.statusCode, paid.body).toBe(200);
    paymentId = paid.json().id;
    await move(alice.walletId, -4_500n, {
      kind: 'merchant_payment',
      counterparty: market.name,
      ref: 'pay_nov1',
      merchantId: market.id,
      paymentId: 'pay_nov1',
    });
    await move(alice.walletId, -20_000n, {
      kind: 'p2p',
      ref: 'trf_1',
      counterpartyOut: '*四 139****0001',
      counterpartyIn: '*三 138****0002',
    });
    await move(alice.walletId, 500_000n, { kind: 'p2p', ref: 'trf_2', counterpartyIn: '*司 工资' });
    await move(alice.walletId, 100_000n, { kind: 'topup', counterparty: '招商银行 **** 1234', ref: 'top_1' });
    // A refund a month later reduces October's groceries, not November's.
    await move(alice.walletId, 10_000n, {
      kind: 'refund',
      counterparty: market.name,
      ref: 'rfd_1',
      merchantId: market.id,
      paymentId: 'pay_oct1',
    });
    clock.set('2026-11-06T04:00:00Z');
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/payments/${paymentId}/refunds`,
      headers: { ...(await merchantSignIn(t, noodles.ownerPhone)), 'idempotency-key': `insights-refund-${paymentId}` },
      payload: { amount: 850, password: MERCHANT_PASSWORD },
    });
    expect(refunded.statusCode, refunded.body).toBe(201);

    const month = (await get(alice, '/api/v1/insights/months/2026-11')).json();
    expect(month.spent).toBe(8_850 - 850 + 4_500);
    expect(month.byCategory).toEqual([
      { category: 'dining', amount: 8_000, count: 1, shareBp: 6400 },
      { category: 'groceries', amount: 4_500, count: 1, shareBp: 3600 },
    ]);
    expect(month.flows).toMatchObject({ income: 500_000, transfersIn: 500_000, transfersOut: 20_000, topups: 100_000 });
    expect(month.topMerchants[0]).toEqual({ name: '老王面馆', category: 'dining', amount: 8_000, count: 1 });
    expect(month.byDay.find((d: { day: string }) => d.day === '2026-11-05').amount).toBe(12_500);
    expect(month.byDay).toHaveLength(6);
    expect(month.previousMonth).toEqual({ month: '2026-10', spent: 30_000 - 10_000 + 12_000 });
    const october = (await get(alice, '/api/v1/insights/months/2026-10')).json();
    expect(october.byCategory).toEqual([
      { category: 'groceries', amount: 20_000, count: 1, shareBp: 6250 },
      { category: 'utilities', amount: 12_000, count: 1, shareBp: 3750 },
    ]);
    expect(month.sixMonthAverage).toEqual({ spent: 32_000, months: 1 });
  });

  it('has every figure equal to the sum of the holder’s ledger movements', async () => {
    const entries = await ledgerEntries(alice.walletId);
    for (const monthKey of ['2026-10', '2026-11']) {
      const month = (await get(alice, `/api/v1/insights/months/${monthKey}`)).json();
      const list = (await get(alice, `/api/v1/insights/months/${monthKey}/movements?limit=100`)).json().items as {
        id: string;
        amount: number;
        category: string | null;
        kind: string;
      }[];
      // Each listed movement is one ledger entry, with the wallet's own net posting.
      for (const item of list) {
        const entry = entries.find((e) => e.id === item.id);
        expect(entry, item.id).toBeDefined();
        expect(BigInt(item.amount)).toBe(net(entry as EntryView, alice.walletId));
      }
      const spentFromLedger = list.filter((i) => i.category !== null).reduce((sum, i) => sum - BigInt(i.amount), 0n);
      expect(BigInt(month.spent)).toBe(spentFromLedger);
      const byCategory = month.byCategory.reduce((s: number, c: { amount: number }) => s + c.amount, 0);
      const byDay = month.byDay.reduce((s: number, d: { amount: number }) => s + d.amount, 0);
      expect(byCategory).toBe(month.spent);
      expect(byDay).toBe(month.spent);
      for (const c of month.byCategory) {
        const items = (await get(alice, `/api/v1/insights/months/${monthKey}/movements?category=${c.category}`)).json()
          .items as { amount: number }[];
        expect(items.reduce((s, i) => s - i.amount, 0)).toBe(c.amount);
      }
      const income = list
        .filter((i) => i.kind === 'transfer_in' || i.kind === 'income')
        .reduce((s, i) => s + i.amount, 0);
      expect(month.income).toBe(income);
    }
    // Every entry of the wallet is counted exactly once across the months it touches.
    const counted = [
      ...(await get(alice, '/api/v1/insights/months/2026-10/movements?limit=100')).json().items,
      ...(await get(alice, '/api/v1/insights/months/2026-11/movements?limit=100')).json().items,
    ].map((i: { id: string }) => i.id);
    expect(counted.sort()).toEqual(entries.map((e) => e.id).sort());
  });

  it('counts nothing twice when many readers catch up at once', async () => {
    await move(alice.walletId, -1_000n, {
      kind: 'merchant_payment',
      counterparty: market.name,
      ref: 'pay_nov2',
      merchantId: market.id,
      paymentId: 'pay_nov2',
    });
    const months = await Promise.all(Array.from({ length: 6 }, () => get(alice, '/api/v1/insights/months/2026-11')));
    for (const m of months) expect(m.json().spent).toBe(13_500);
    await Promise.all(Array.from({ length: 4 }, () => t.services.insights.catchUp()));
    expect((await get(alice, '/api/v1/insights/months/2026-11')).json().spent).toBe(13_500);
  });

  it('refuses bad months and cursors', async () => {
    expect((await get(alice, '/api/v1/insights/months/2026-13')).json().code).toBe('INSIGHTS_MONTH_INVALID');
    expect((await get(alice, '/api/v1/insights/months/26-11')).json().code).toBe('VALIDATION_FAILED');
    expect((await get(alice, '/api/v1/insights/months/2026-12')).json().code).toBe('INSIGHTS_MONTH_INVALID');
    expect((await get(alice, '/api/v1/insights/months/1999-12')).json().code).toBe('INSIGHTS_MONTH_INVALID');
    expect((await get(alice, '/api/v1/insights/months/2026-11/movements?cursor=nope')).json().code).toBe(
      'INVALID_CURSOR',
    );
    expect((await get(alice, '/api/v1/insights/months/2026-11/movements?category=food')).statusCode).toBe(400);
    const page = (await get(alice, '/api/v1/insights/months/2026-11/movements?limit=2')).json();
    const next = (
      await get(alice, `/api/v1/insights/months/2026-11/movements?limit=2&cursor=${page.nextCursor}`)
    ).json();
    expect(page.items).toHaveLength(2);
    expect(next.items.map((i: { id: string }) => i.id)).not.toContain(page.items[0].id);
  });
});

describe('re-categorising and rules', () => {
  const categoryOf = async (name: string) =>
    (await get(alice, '/api/v1/insights/months/2026-11'))
      .json()
      .byCategory.find((c: { category: string }) => c.category === name)?.amount ?? 0;

  it('moves one payment to another category, its refund with it, and back to automatic', async () => {
    const dining = (await get(alice, '/api/v1/insights/months/2026-11/movements?category=dining')).json().items;
    const payment = dining.find((i: { kind: string }) => i.kind === 'payment');
    expect(payment).toMatchObject({ mcc: '5812', categorySource: 'mcc', categorisable: true });
    const put = (id: string, category: string | null) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/insights/movements/${id}/category`,
        headers: alice.auth,
        payload: { category },
      });
    const moved = await put(payment.id, 'entertainment');
    expect(moved.json()).toMatchObject({ category: 'entertainment', categorySource: 'manual' });
    expect(await categoryOf('entertainment')).toBe(8_000);
    expect(await categoryOf('dining')).toBe(0);
    expect((await put(payment.id, null)).json()).toMatchObject({ category: 'dining', categorySource: 'mcc' });
    expect(await categoryOf('dining')).toBe(8_000);
    const refund = dining.find((i: { kind: string }) => i.kind === 'refund');
    expect((await put(refund.id, 'dining')).json().code).toBe('INSIGHTS_NOT_CATEGORISABLE');
    expect((await put('ent_doesnotexist', 'dining')).json().code).toBe('INSIGHTS_MOVEMENT_NOT_FOUND');
  });

  it('makes transfers to 李四 rent, past ones included, until the rule is deleted', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/insights/rules',
      headers: alice.auth,
      payload: { match: '*四 139*', category: 'housing' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ match: '*四 139*', category: 'housing', matched: 1 });
    expect(await categoryOf('housing')).toBe(20_000);
    const month = (await get(alice, '/api/v1/insights/months/2026-11')).json();
    expect(month.spent).toBe(33_500);
    expect(month.flows.transfersOut).toBe(0);
    // A new transfer to the same person is rent as it arrives.
    await move(alice.walletId, -5_000n, { kind: 'p2p', ref: 'trf_3', counterpartyOut: '*四 139****0001' });
    expect(await categoryOf('housing')).toBe(25_000);
    const rules = (await get(alice, '/api/v1/insights/rules')).json().items;
    expect(rules).toEqual([expect.objectContaining({ id: created.json().id, matched: 2 })]);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/insights/rules/${created.json().id}`,
      headers: alice.auth,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await categoryOf('housing')).toBe(0);
    expect((await get(alice, '/api/v1/insights/months/2026-11')).json().flows.transfersOut).toBe(25_000);
  });

  it('refuses empty, oversized and ambiguous rules', async () => {
    const post = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/insights/rules', headers: alice.auth, payload });
    expect((await post({ match: '**', category: 'housing' })).json().code).toBe('INSIGHTS_RULE_INVALID');
    expect((await post({ match: '长'.repeat(41), category: 'housing' })).json().code).toBe('INSIGHTS_RULE_INVALID');
    expect((await post({ category: 'housing' })).json().code).toBe('INSIGHTS_RULE_INVALID');
    expect((await post({ match: 'x', category: 'rent' })).json().code).toBe('VALIDATION_FAILED');
  });
});

describe('budgets', () => {
  it('alerts once at 80 % and once at 100 % per month, and is honest about a change mid-month', async () => {
    clock.set('2026-12-02T04:00:00Z');
    const set = (category: string | null, amount: number) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/insights/budgets',
        headers: alice.auth,
        payload: { category, amount },
      });
    const overall = await set(null, 10_000);
    expect(overall.statusCode, overall.body).toBe(200);
    expect(overall.json()).toMatchObject({ category: null, amount: 10_000, spent: 0, status: 'ok', percent: 0 });
    expect((await set('dining', 5_000)).json()).toMatchObject({ category: 'dining', spent: 0 });
    const shop = (amount: bigint, ref: string) =>
      move(alice.walletId, -amount, {
        kind: 'merchant_payment',
        counterparty: noodles.name,
        ref,
        merchantId: noodles.id,
        paymentId: ref,
      });
    await shop(4_100n, 'pay_dec1'); // dining 82 %, overall 41 %
    await shop(1_000n, 'pay_dec2'); // dining 102 %
    let budgets = (await get(alice, '/api/v1/insights/budgets')).json();
    expect(budgets.items.map((b: { status: string }) => b.status)).toEqual(['ok', 'exceeded']);
    expect(budgets.alerts.map((a: { level: number; category: string | null }) => [a.category, a.level])).toEqual([
      ['dining', 80],
      ['dining', 100],
    ]);
    await shop(3_000n, 'pay_dec3'); // overall 81 %
    await shop(100n, 'pay_dec4'); // still above 80 %: no second alert
    budgets = (await get(alice, '/api/v1/insights/budgets')).json();
    expect(budgets.alerts).toHaveLength(3);
    expect(budgets.items[0]).toMatchObject({ spent: 8_200, percent: 82, status: 'warning', remaining: 1_800 });
    expect(budgets.items[0].forecast).toBe(Math.floor((8_200 * 31) / 2));
    // Raising the budget mid-month keeps what was spent; lowering it past 100 % alerts at once, once.
    const raised = await set(null, 20_000);
    expect(raised.json()).toMatchObject({ spent: 8_200, percent: 41, changedThisMonth: true, previousAmount: 10_000 });
    const lowered = await set(null, 8_000);
    expect(lowered.json()).toMatchObject({ status: 'exceeded', previousAmount: 10_000 });
    await set(null, 7_000);
    budgets = (await get(alice, '/api/v1/insights/budgets')).json();
    const levels = (alerts: { level: number; category: string | null }[]) =>
      alerts.map((a) => `${a.category ?? 'all'}:${a.level}`).sort();
    expect(levels(budgets.alerts)).toEqual(['all:100', 'all:80', 'dining:100', 'dining:80']);
    const notices = (await get(alice, '/api/v1/notifications'))
      .json()
      .items.filter((n: { kind: string }) => n.kind === 'budget_alert');
    expect(notices).toHaveLength(4);
    // A new month starts over.
    clock.set('2027-01-03T04:00:00Z');
    await shop(7_000n, 'pay_jan1');
    budgets = (await get(alice, '/api/v1/insights/budgets')).json();
    expect(budgets.month).toBe('2027-01');
    expect(levels(budgets.alerts)).toEqual(['all:100', 'all:80', 'dining:100', 'dining:80']);
    const december = (await get(alice, '/api/v1/insights/budgets?month=2026-12')).json();
    expect(december.items[0]).toMatchObject({ spent: 8_200, forecast: 8_200 });
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/insights/budgets/${december.items[1].id}`,
          headers: alice.auth,
        })
      ).statusCode,
    ).toBe(204);
  });
});

describe('the year, assets and who may see what', () => {
  it('sums the year from its months and finds the busiest day', async () => {
    const year = (await get(alice, '/api/v1/insights/years/2026')).json();
    const months = await Promise.all(
      ['2026-10', '2026-11', '2026-12'].map(
        async (m) => (await get(alice, `/api/v1/insights/months/${m}`)).json().spent,
      ),
    );
    expect(year.spent).toBe(months.reduce((a: number, b: number) => a + b, 0));
    expect(year.byMonth.reduce((s: number, m: { spent: number }) => s + m.spent, 0)).toBe(year.spent);
    expect(year.complete).toBe(true);
    expect(year.busiestDay).toMatchObject({ day: '2026-10-10' });
    expect(year.biggestPayment).toMatchObject({ amount: 30_000, counterparty: '联华超市' });
    expect(year.facts.favouriteMerchant).toMatchObject({ name: '老王面馆' });
    expect((await get(alice, '/api/v1/insights/years/2028')).json().code).toBe('INSIGHTS_YEAR_INVALID');
  });

  it('shows total assets with the wallet’s month-ends', async () => {
    const assets = (await get(alice, '/api/v1/insights/assets')).json();
    const wallet = (await t.services.ledger.getAccount(alice.walletId))?.balanceFen;
    expect(BigInt(assets.lines[0].amount)).toBe(wallet);
    expect(assets.history).toHaveLength(12);
    expect(assets.history[11]).toMatchObject({ month: shanghaiDay(clock.now()).slice(0, 7), wallet: Number(wallet) });
    const november = assets.history.find((h: { month: string }) => h.month === '2026-11');
    expect(november.wallet).toBe(Number(wallet) + 7_000 + 8_200);
  });

  it('keeps one holder’s movements, rules and budgets from another', async () => {
    const alices = (await get(alice, '/api/v1/insights/months/2026-11/movements')).json().items[0].id;
    expect((await get(bob, `/api/v1/insights/movements/${alices}`)).statusCode).toBe(404);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/insights/movements/${alices}/category`,
      headers: bob.auth,
      payload: { category: 'dining' },
    });
    expect(put.statusCode).toBe(404);
    expect((await get(bob, '/api/v1/insights/months/2026-11')).json().spent).toBe(0);
    expect((await t.app.inject({ url: '/api/v1/insights/months/2026-11' })).statusCode).toBe(401);
  });
});
