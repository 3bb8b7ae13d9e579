import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { linkCard, type TestCard } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-02T04:00:00Z');
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

beforeAll(async () => {
  t = await createTestApp({ clock });
  alice = await registerUser(t, { name: '欧阳娜娜' });
  bob = await registerUser(t, { name: '李四' });
  card = await linkCard(t, alice, { bin: '621483', last4: '8899' });
  const bobCard = await linkCard(t, bob);
  await t.services.wallet.orders.topUp(bob.userId, { cardId: bobCard.id, amountFen: 10_000n, currency: 'CNY' });
  const topUp = await t.services.wallet.orders.topUp(alice.userId, {
    cardId: card.id,
    amountFen: 20_000n,
    currency: 'CNY',
  });
  if (!topUp.ok) throw new Error(topUp.error.code);
  clock.advanceMs(60_000);
  const walletOf = async (user: TestUser) =>
    (await t.services.wallet.history.balance(user.userId))?.accountId as string;
  const p2p = await t.services.ledger.transfer({
    reference: 'p2p:receipt-1',
    currency: 'CNY',
    legs: [{ debitAccountId: await walletOf(alice), creditAccountId: await walletOf(bob), amountFen: 3_000n }],
    metadata: { kind: 'p2p', counterparty: '*四 137****0002', ref: 'trf_receipt1', note: '午饭 AA' },
  });
  if (!p2p.ok) throw new Error(p2p.error.code);
  p2pEntryId = p2p.value.entry.id;
  clock.set('2026-12-01T02:00:00Z');
  await signIn(alice);
  await signIn(bob);
});
afterAll(async () => t?.close());

const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.auth });

describe('receipts and records', () => {
  it('every movement has a numeric transaction number, and a payment method in detail', async () => {
    const items = (await get(alice, '/api/v1/wallet/history')).json().items;
    expect(items.map((item: { transactionNo: string }) => item.transactionNo)).toEqual([
      expect.stringMatching(/^202611021\d{19}$/),
      expect.stringMatching(/^202611021\d{19}$/),
    ]);
    expect(new Set(items.map((item: { transactionNo: string }) => item.transactionNo)).size).toBe(2);

    const p2p = (await get(alice, `/api/v1/wallet/history/${p2pEntryId}`)).json();
    expect(p2p).toMatchObject({ amount: -3_000, method: { kind: 'balance' }, note: '午饭 AA' });
    // The same movement seen by the payee has the same number.
    const bobsView = (await get(bob, `/api/v1/wallet/history/${p2pEntryId}`)).json();
    expect(bobsView.transactionNo).toBe(p2p.transactionNo);

    const topUp = (await get(alice, `/api/v1/wallet/history/${items[1].id}`)).json();
    expect(topUp.method).toEqual({
      kind: 'card',
      bankName: '招商银行',
      bankNameEn: 'China Merchants Bank',
      cardType: 'debit',
      last4: '8899',
    });
    // The number finds the movement.
    const found = (await get(alice, `/api/v1/wallet/history?q=${topUp.transactionNo}`)).json().items;
    expect(found.map((item: { id: string }) => item.id)).toEqual([items[1].id]);
  });

  it("a month's money in and out", async () => {
    const november = await get(alice, '/api/v1/wallet/history/months/2026-11');
    expect(november.statusCode, november.body).toBe(200);
    expect(november.json()).toEqual({ month: '2026-11', income: 20_000, spending: 3_000, count: 2 });
    expect((await get(alice, '/api/v1/wallet/history/months/2026-10')).json()).toMatchObject({ income: 0, count: 0 });
    expect((await get(alice, '/api/v1/wallet/history/months/2026-13')).statusCode).toBe(400);
  });

  it('the electronic receipt is a PDF for the holder only', async () => {
    const pdf = await get(alice, `/api/v1/wallet/history/${p2pEntryId}/receipt`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/tongbao-receipt-\d{28}\.pdf/);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain('SourceHanSansSC');
    if (process.env.WALLET_RECEIPT_PDF)
      (await import('node:fs')).writeFileSync(process.env.WALLET_RECEIPT_PDF, pdf.rawPayload);
    const stranger = await registerUser(t, { name: '王五' });
    await signIn(stranger);
    expect((await get(stranger, `/api/v1/wallet/history/${p2pEntryId}/receipt`)).statusCode).toBe(404);
  });
});
