import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { linkCard, setPin, TEST_PIN, type TestCard } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { parseDay } from './days.js';

const clock = manualClock('2026-10-30T04:00:00Z');
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let card: TestCard;
let p2pEntryId: string;

async function signIn(user: TestUser): Promise<void> {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
  });
  expect(login.statusCode, login.body).toBe(200);
  user.auth = { authorization: `Bearer ${login.json().token}` };
}

async function topUp(amountFen: bigint) {
  const done = await t.services.wallet.orders.topUp(alice.userId, { cardId: card.id, amountFen, currency: 'CNY' });
  if (!done.ok) throw new Error(done.error.code);
  clock.advanceMs(60_000);
  return done.value;
}

async function withdraw(amountFen: bigint) {
  const prepared = await t.services.wallet.orders.prepareWithdrawal(alice.userId, {
    cardId: card.id,
    amountFen,
    currency: 'CNY',
    arrival: 'realtime',
  });
  if (!prepared.ok) throw new Error(prepared.error.code);
  const confirmed = await t.services.identity.confirmations.confirmWithPin(
    alice.userId,
    prepared.value.confirmation.id,
    TEST_PIN,
  );
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  const submitted = await t.services.wallet.orders.submitWithdrawal(alice.userId, prepared.value.order.id);
  if (!submitted.ok) throw new Error(submitted.error.code);
  clock.advanceMs(60_000);
  return submitted.value;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  alice = await registerUser(t, { name: '欧阳娜娜' });
  bob = await registerUser(t, { name: '李四' });
  card = await linkCard(t, alice, { bin: '621483', last4: '8899' });
  await setPin(t, alice);
  const bobCard = await linkCard(t, bob);
  await t.services.wallet.orders.topUp(bob.userId, { cardId: bobCard.id, amountFen: 10_000n, currency: 'CNY' });

  await topUp(50_000n); // October 30, Shanghai
  clock.set('2026-11-02T03:00:00Z');
  await topUp(20_000n);
  await withdraw(5_000n);
  await topUp(10_051n); // declined by the bank: in the history as failed, not in the statement
  // Another domain (P2P transfers) moves money with the metadata convention.
  const walletOf = async (user: TestUser) =>
    (await t.services.wallet.history.balance(user.userId))?.accountId as string;
  const p2p = await t.services.ledger.transfer({
    reference: 'p2p:test-1',
    currency: 'CNY',
    legs: [{ debitAccountId: await walletOf(bob), creditAccountId: await walletOf(alice), amountFen: 3_000n }],
    metadata: { kind: 'p2p', counterparty: '*四 137****0002', ref: 'trf_test1', note: '午饭 AA' },
  });
  if (!p2p.ok) throw new Error(p2p.error.code);
  p2pEntryId = p2p.value.entry.id;
  clock.advanceMs(60_000);
  await topUp(10_061n); // processing: the network timed out
  clock.set('2026-12-01T02:00:00Z');
  await topUp(1_000n);
  await signIn(alice);
  await signIn(bob);
});
afterAll(async () => t?.close());

const history = (user: TestUser, query = '') =>
  t.app.inject({ url: `/api/v1/wallet/history${query}`, headers: user.auth });

describe('history', () => {
  it('lists every movement newest first, with pending and failed card orders', async () => {
    const page = await history(alice);
    expect(page.statusCode, page.body).toBe(200);
    const items = page.json().items;
    expect(
      items.map((item: { type: string; amount: number; status: string }) => [item.type, item.amount, item.status]),
    ).toEqual([
      ['topup', 1_000, 'succeeded'],
      ['topup', 10_061, 'processing'],
      ['p2p', 3_000, 'succeeded'],
      ['topup', 10_051, 'failed'],
      ['withdraw', -5_000, 'succeeded'],
      ['topup', 20_000, 'succeeded'],
      ['topup', 50_000, 'succeeded'],
    ]);
    expect(items[2]).toMatchObject({
      counterparty: '*四 137****0002',
      note: '午饭 AA',
      reference: 'trf_test1',
      direction: 'in',
    });
    expect(items[4]).toMatchObject({ counterparty: '招商银行 **** 8899', direction: 'out' });
    expect(page.json().nextCursor).toBeNull();
  });

  it('filters by type, dates, amounts and text', async () => {
    const ids = async (query: string) =>
      (await history(alice, query)).json().items.map((item: { amount: number }) => item.amount);
    expect(await ids('?type=withdraw,p2p')).toEqual([3_000, -5_000]);
    expect(await ids('?from=2026-11-01&to=2026-11-30')).toEqual([10_061, 3_000, 10_051, -5_000, 20_000]);
    expect(await ids('?to=2026-10-31')).toEqual([50_000]);
    expect(await ids('?minAmount=5000&maxAmount=10051')).toEqual([10_051, -5_000]);
    expect(await ids('?q=%E5%8D%88%E9%A5%AD')).toEqual([3_000]);
    expect(await ids('?q=8899&type=topup&from=2026-11-02&to=2026-11-02')).toEqual([10_061, 10_051, 20_000]);
  });

  it('pages with a cursor, each movement once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let round = 0; round < 10; round++) {
      const page = await history(alice, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((item: { id: string }) => item.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    const all = (await history(alice)).json().items.map((item: { id: string }) => item.id);
    expect(seen).toEqual(all);
  });

  it('shows a movement in detail to its holder only', async () => {
    const detail = await t.app.inject({ url: `/api/v1/wallet/history/${p2pEntryId}`, headers: alice.auth });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ type: 'p2p', amount: 3_000, entryId: p2pEntryId, order: null });
    const items = (await history(alice, '?type=withdraw')).json().items;
    const withdrawal = await t.app.inject({ url: `/api/v1/wallet/history/${items[0].id}`, headers: alice.auth });
    expect(withdrawal.json().order).toMatchObject({ kind: 'withdraw', status: 'succeeded', arrival: 'realtime' });
    const failed = (await history(alice, '?minAmount=10051&maxAmount=10051')).json().items[0];
    const failedDetail = await t.app.inject({ url: `/api/v1/wallet/history/${failed.id}`, headers: alice.auth });
    expect(failedDetail.json()).toMatchObject({ status: 'failed', note: 'BANK_INSUFFICIENT_FUNDS' });

    // Bob sent the P2P money, so he sees it from his side; but none of Alice's card movements.
    const bobsView = await t.app.inject({ url: `/api/v1/wallet/history/${p2pEntryId}`, headers: bob.auth });
    expect(bobsView.json()).toMatchObject({ amount: -3_000, direction: 'out' });
    expect((await t.app.inject({ url: `/api/v1/wallet/history/${items[0].id}`, headers: bob.auth })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ url: `/api/v1/wallet/history/${failed.id}`, headers: bob.auth })).statusCode).toBe(
      404,
    );
    const bobs = (await history(bob)).json().items;
    expect(bobs.map((item: { amount: number }) => item.amount)).toEqual([-3_000, 10_000]);
    expect((await t.app.inject({ url: '/api/v1/wallet/history' })).statusCode).toBe(401);
  });

  it('answers bad filters with clear problems', async () => {
    const bad = async (query: string, code: string) => {
      const response = await history(alice, query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code, query).toBe(code);
    };
    await bad('?from=2026-02-30', 'INVALID_DATE_RANGE');
    await bad('?from=yesterday', 'INVALID_DATE_RANGE');
    await bad('?from=2026-11-10&to=2026-11-01', 'INVALID_DATE_RANGE');
    await bad('?minAmount=500&maxAmount=100', 'INVALID_AMOUNT_RANGE');
    await bad('?minAmount=-1', 'VALIDATION_FAILED');
    await bad('?limit=1000', 'VALIDATION_FAILED');
    await bad('?cursor=not-a-cursor', 'INVALID_CURSOR');
  });

  it('reports balance and available balance', async () => {
    const balance = await t.app.inject({ url: '/api/v1/wallet/balance', headers: alice.auth });
    expect(balance.json()).toMatchObject({
      balance: 69_000,
      available: 69_000,
      pending: 0,
      currency: 'CNY',
      frozen: false,
    });
  });
});

describe('statements', () => {
  it('sum to the balance change over their period (month and range)', async () => {
    const november = await t.services.wallet.statements.build(alice.userId, { month: '2026-11' });
    if (!november.ok) throw new Error(november.error.code);
    const s = november.value;
    expect([s.fromDay, s.toDay]).toEqual(['2026-11-01', '2026-11-30']);
    expect(s.openingFen).toBe(50_000n);
    expect(s.lines.map((line) => line.amountFen)).toEqual([20_000n, -5_000n, 3_000n]);
    expect(s.openingFen + s.lines.reduce((sum, line) => sum + line.amountFen, 0n)).toBe(s.closingFen);
    expect(s.closingFen).toBe(68_000n);
    expect(s.totalInFen - s.totalOutFen).toBe(s.closingFen - s.openingFen);
    expect(s.lines.at(-1)?.balanceAfterFen).toBe(s.closingFen);
    const all = await t.services.wallet.statements.build(alice.userId, { from: '2026-10-01', to: '2026-12-01' });
    if (!all.ok) throw new Error(all.error.code);
    expect(all.value.openingFen).toBe(0n);
    expect(all.value.closingFen).toBe(69_000n);
    const december = await t.services.wallet.statements.build(alice.userId, { month: '2026-12' });
    expect(december.ok && [december.value.openingFen, december.value.closingFen]).toEqual([68_000n, 69_000n]);
  });

  it('downloads as CSV and as a PDF with the Chinese font embedded', async () => {
    const csv = await t.app.inject({ url: '/api/v1/wallet/statements?month=2026-11', headers: alice.auth });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[2]).toBe('期初余额 Opening balance,500.00');
    expect(lines[5]).toBe('期末余额 Closing balance,680.00');
    expect(lines.slice(8).map((line) => line.split(',')[3])).toEqual(['200.00', '-50.00', '30.00']);
    expect(lines[10]).toContain('*四 137****0002');

    const pdf = await t.app.inject({ url: '/api/v1/wallet/statements?month=2026-11&format=pdf', headers: alice.auth });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('SourceHanSansSC');
    if (process.env.WALLET_STATEMENT_PDF)
      (await import('node:fs')).writeFileSync(process.env.WALLET_STATEMENT_PDF, bytes);
  });

  it('refuses bad periods with clear problems', async () => {
    for (const query of [
      'month=2026-13',
      'month=2026-1',
      'from=2026-11-05&to=2026-11-01',
      'from=2026-11-01',
      'month=2026-11&from=2026-11-01&to=2026-11-02',
      'from=2025-01-01&to=2026-11-30',
      'month=2027-01',
      'from=2026-02-29&to=2026-03-01',
    ]) {
      const response = await t.app.inject({ url: `/api/v1/wallet/statements?${query}`, headers: alice.auth });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code, query).toBe('INVALID_DATE_RANGE');
    }
    expect(parseDay('2028-02-29')).not.toBeNull();
  });
});
