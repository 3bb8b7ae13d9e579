import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { idem } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';
import { luhnValid } from './accounts.js';
import { NOTIFICATION_SIGNATURE_HEADER, signNotification } from './network.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let aliceAccount: string;

const balanceOf = async (user: TestUser) => (await t.services.wallet.history.balance(user.userId))?.balanceFen;
const send = (body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/dev/interbank/transfers', payload: body });
const transfer = (overrides: Record<string, unknown> = {}) =>
  send({
    accountNumber: aliceAccount,
    payerName: '王丽',
    payerBank: 'CMB',
    payerAccount: '6225880112345678',
    amount: 10_000,
    ...overrides,
  });
const postNotice = (body: string, signature: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/funding/interbank/notifications',
    headers: { 'content-type': 'application/json', [NOTIFICATION_SIGNATURE_HEADER]: signature },
    payload: body,
  });
const secret = () => t.services.funding.ctx.notificationSecret;
const startTopUp = (user: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/funding/online-banking/orders',
    headers: { ...user.auth, ...idem() },
    payload: { currency: 'CNY', ...payload },
  });
const payAtBank = (redirectUrl: string, action: string, notify = 'once') =>
  t.app.inject({
    method: 'POST',
    url: redirectUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ user: 'sandbox-user', password: 'sandbox', action, notify }).toString(),
  });

beforeAll(async () => {
  t = await createTestApp({ clock, config: { sessionIdleMs: 30 * 86_400_000, sessionAbsoluteMs: 60 * 86_400_000 } });
  alice = await registerUser(t, { name: '王丽' });
  bob = await registerUser(t, { name: '赵强' });
  const found = await t.app.inject({ method: 'GET', url: '/api/v1/funding/receiving-account', headers: alice.auth });
  expect(found.statusCode, found.body).toBe(200);
  aliceAccount = found.json().accountNumber;
});
afterAll(async () => t?.close());

describe('receiving account', () => {
  it('is a 19-digit Luhn number of the bank, shown with the real name, allocated once, one per holder', async () => {
    expect(aliceAccount).toMatch(/^623688\d{13}$/);
    expect(luhnValid(aliceAccount)).toBe(true);
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/funding/receiving-account', headers: alice.auth });
    expect(again.json()).toMatchObject({ accountNumber: aliceAccount, holderName: '王丽', bankNameZh: '通宝银行' });
    const bobs = await t.app.inject({ method: 'GET', url: '/api/v1/funding/receiving-account', headers: bob.auth });
    expect(bobs.json().accountNumber).not.toBe(aliceAccount);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/funding/receiving-account' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('transfers in from other banks', () => {
  it('credits through the ledger, tells the holder, shows the bank and masked account in history', async () => {
    const sent = await transfer();
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().answers).toEqual([expect.objectContaining({ outcome: 'credited' })]);
    expect(await balanceOf(alice)).toBe(10_000n);
    const history = await t.app.inject({ method: 'GET', url: '/api/v1/wallet/history', headers: alice.auth });
    expect(history.json().items[0]).toMatchObject({
      type: 'bank_in',
      counterparty: '招商银行 **** 5678',
      amount: 10_000,
    });
    const notices = await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: alice.auth });
    expect(JSON.stringify(notices.json())).toContain('他行转入到账');
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/funding/incoming', headers: alice.auth });
    expect(listed.json().items[0]).toMatchObject({ payerBank: 'CMB', payerAccount: '**** 5678', status: 'credited' });
    const bobsList = await t.app.inject({ method: 'GET', url: '/api/v1/funding/incoming', headers: bob.auth });
    expect(bobsList.json().items).toEqual([]);
  });

  it('a duplicate delivery credits once', async () => {
    const before = await balanceOf(alice);
    const sent = await transfer({ amount: 2_345, behaviour: 'duplicate' });
    const outcomes = sent
      .json()
      .answers.map((answer: { outcome: string }) => answer.outcome)
      .sort();
    expect(outcomes).toEqual(['credited', 'duplicate']);
    expect(await balanceOf(alice)).toBe((before ?? 0n) + 2_345n);
  });

  it('a payer name that is not the holder’s is returned to the paying bank and nothing is credited', async () => {
    const before = await balanceOf(alice);
    // Bob cannot pay into Alice's receiving account in his own name.
    const sent = await transfer({ payerName: '赵强', amount: 5_000 });
    expect(sent.json().answers).toEqual([expect.objectContaining({ outcome: 'returned' })]);
    expect(await balanceOf(alice)).toBe(before);
    const network = await t.app.inject({ method: 'GET', url: '/api/dev/interbank/transfers' });
    const atNetwork = network
      .json()
      .items.find((item: { networkRef: string }) => item.networkRef === sent.json().networkRef);
    expect(atNetwork).toMatchObject({ status: 'returned', returnReason: 'NAME_MISMATCH' });
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/funding/incoming', headers: alice.auth });
    expect(listed.json().items).toContainEqual(
      expect.objectContaining({ status: 'returned', returnReason: 'NAME_MISMATCH' }),
    );
  });

  it('an unknown account number and an amount over the tier’s balance cap are returned', async () => {
    const unknown = await transfer({ accountNumber: '6236880000000000000' });
    expect(unknown.json().answers[0]).toMatchObject({ outcome: 'returned', reason: 'UNKNOWN_ACCOUNT' });
    const before = await balanceOf(alice);
    // The basic tier (Class III) keeps at most ¥2,000.
    const capped = await transfer({ amount: 200_000 });
    expect(capped.json().answers[0]).toMatchObject({ outcome: 'returned', reason: 'BALANCE_CAP_EXCEEDED' });
    expect(await balanceOf(alice)).toBe(before);
  });

  it('a transfer past the tier’s yearly figure is returned; what came in this year counts', async () => {
    const carol = await registerUser(t, { name: '孙丽' });
    const account = await t.services.funding.accounts.of(carol.userId);
    if (!account.ok) throw new Error(account.error.code);
    const wallet = (await t.services.identity.verifiedIdentity(carol.userId))?.walletAccountId as string;
    await t.db.transaction((tx) => t.services.ledger.setLimits(tx, wallet, { yearlyFen: 15_000n }));
    const to = { accountNumber: account.value.accountNumber, payerName: '孙丽' };
    expect((await transfer({ ...to, amount: 10_000 })).json().answers[0]).toMatchObject({ outcome: 'credited' });
    const over = await transfer({ ...to, amount: 6_000 });
    expect(over.json().answers[0]).toMatchObject({ outcome: 'returned', reason: 'YEARLY_LIMIT_EXCEEDED' });
    expect((await transfer({ ...to, amount: 5_000 })).json().answers[0]).toMatchObject({ outcome: 'credited' });
    expect((await t.services.wallet.history.balance(carol.userId))?.balanceFen).toBe(15_000n);
  });

  it('network down: nothing is sent, a return waits for it; late transfers arrive later', async () => {
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: true } });
    const refused = await transfer();
    expect(refused.statusCode).toBe(503);
    expect(refused.json().code).toBe('INTERBANK_UNAVAILABLE');
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: false } });
    const late = await transfer({ amount: 777, behaviour: 'late' });
    expect(late.json().answers).toEqual([]);
    const before = await balanceOf(alice);
    expect(await t.services.funding.sandbox?.deliverDue(10)).toEqual([]);
    clock.advanceMs(10 * 60_000);
    expect(await t.services.funding.sandbox?.deliverDue(10)).toHaveLength(1);
    expect(await balanceOf(alice)).toBe((before ?? 0n) + 777n);
    // A refused transfer while the network cannot take it back stays 'returning' until it can.
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: true } });
    const body = JSON.stringify({
      kind: 'credit_transfer',
      notificationId: 'ntf_down_1',
      networkRef: 'ibt_down_1',
      accountNumber: aliceAccount,
      payerName: '某人',
      payerBank: 'ICBC',
      payerAccount: '6222020000001111',
      payerBankName: '中国工商银行',
      amountFen: 100,
      currency: 'CNY',
    });
    const answered = await postNotice(body, signNotification(secret(), body, clock.now()));
    expect(answered.json()).toMatchObject({ outcome: 'returned' });
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: false } });
    const { rows } = await t.db.query<{ status: string }>(
      "SELECT status FROM wallet_incoming_transfers WHERE network_ref = 'ibt_down_1'",
    );
    expect(rows[0].status).toBe('returning');
    clock.advanceMs(61_000);
    // The sandbox never saw this transfer, so its return fails loudly; the row shows the retry was made.
    await expect(t.services.funding.incoming.retryReturns(10)).rejects.toThrow(/no transfer ibt_down_1/);
  });

  it('refuses bad signatures, stale times and bad bodies; a replay is acknowledged only', async () => {
    const body = JSON.stringify({
      kind: 'credit_transfer',
      notificationId: 'ntf_sig_1',
      networkRef: 'ibt_sig_1',
      accountNumber: aliceAccount,
      payerName: '王丽',
      payerBank: 'ICBC',
      payerBankName: '中国工商银行',
      payerAccount: '6222020000002222',
      amountFen: 100,
      currency: 'CNY',
    });
    const before = await balanceOf(alice);
    expect((await postNotice(body, signNotification('wrong-secret', body, clock.now()))).json().code).toBe(
      'INTERBANK_SIGNATURE_INVALID',
    );
    const stale = signNotification(secret(), body, new Date(clock.now().getTime() - 600_000));
    expect((await postNotice(body, stale)).statusCode).toBe(401);
    const bad = '{"kind":"credit_transfer"}';
    const invalid = await postNotice(bad, signNotification(secret(), bad, clock.now()));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('INTERBANK_NOTICE_INVALID');
    expect(await balanceOf(alice)).toBe(before);
    const first = await postNotice(body, signNotification(secret(), body, clock.now()));
    expect(first.json()).toMatchObject({ replay: false, outcome: 'credited' });
    const replay = await postNotice(body, signNotification(secret(), body, clock.now()));
    expect(replay.json()).toMatchObject({ replay: true });
    expect(await balanceOf(alice)).toBe((before ?? 0n) + 100n);
  });
});

describe('online-banking top-up', () => {
  it('redirects to the sandbox bank; its signed notification settles the order once', async () => {
    const before = (await balanceOf(bob)) ?? 0n;
    const started = await startTopUp(bob, { bankCode: 'ICBC', amount: 5_000 });
    expect(started.statusCode, started.body).toBe(201);
    const order = started.json();
    expect(order).toMatchObject({
      status: 'pending',
      redirectUrl: expect.stringMatching(/^\/sandbox\/interbank\/pay\//),
    });
    const page = await t.app.inject({ method: 'GET', url: order.redirectUrl });
    expect(page.body).toContain('SANDBOX BANK');
    const paid = await payAtBank(order.redirectUrl, 'pay', 'twice');
    expect(paid.statusCode).toBe(303);
    expect(paid.headers.location).toBe(`/topup/online/${order.id}`);
    const settled = await t.app.inject({
      method: 'GET',
      url: `/api/v1/funding/online-banking/orders/${order.id}`,
      headers: bob.auth,
    });
    expect(settled.json()).toMatchObject({ status: 'succeeded', redirectUrl: null });
    expect(await balanceOf(bob)).toBe(before + 5_000n);
    // Another holder cannot see it.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/funding/online-banking/orders/${order.id}`,
      headers: alice.auth,
    });
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('ONLINE_BANKING_ORDER_NOT_FOUND');
    // Paying again at the bank changes nothing.
    await payAtBank(order.redirectUrl, 'pay');
    expect(await balanceOf(bob)).toBe(before + 5_000n);
  });

  it('when the notification never comes, the status query settles it; an unpaid order expires', async () => {
    const before = (await balanceOf(bob)) ?? 0n;
    const silent = (await startTopUp(bob, { bankCode: 'CCB', amount: 1_200 })).json();
    await payAtBank(silent.redirectUrl, 'pay', 'never');
    const unpaid = (await startTopUp(bob, { bankCode: 'BOC', amount: 300 })).json();
    const get = async (id: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/funding/online-banking/orders/${id}`, headers: bob.auth })
      ).json();
    expect((await get(silent.id)).status).toBe('pending');
    clock.advanceMs(2 * 60_000);
    await t.services.funding.onlineBanking.checkPending(10);
    expect((await get(silent.id)).status).toBe('succeeded');
    expect((await get(unpaid.id)).status).toBe('pending');
    clock.advanceMs(31 * 60_000);
    await t.services.funding.onlineBanking.checkPending(10);
    expect((await get(unpaid.id)).status).toBe('expired');
    expect(await balanceOf(bob)).toBe(before + 1_200n);
  });

  it('a cancelled payment fails; a notice with another amount credits nothing', async () => {
    const before = (await balanceOf(bob)) ?? 0n;
    const cancelled = (await startTopUp(bob, { bankCode: 'ABC', amount: 400 })).json();
    await payAtBank(cancelled.redirectUrl, 'cancel');
    const order = (await startTopUp(bob, { bankCode: 'ABC', amount: 500 })).json();
    const body = JSON.stringify({
      kind: 'online_banking_payment',
      notificationId: 'ntf_amount_1',
      requestId: order.id,
      networkRef: 'ibp_amount_1',
      status: 'paid',
      amountFen: 50,
      currency: 'CNY',
    });
    await postNotice(body, signNotification(secret(), body, clock.now()));
    const states = await Promise.all(
      [cancelled.id, order.id].map(async (id) =>
        (
          await t.app.inject({ method: 'GET', url: `/api/v1/funding/online-banking/orders/${id}`, headers: bob.auth })
        ).json(),
      ),
    );
    expect(states.map((s) => [s.status, s.failureReason])).toEqual([
      ['failed', 'CANCELLED_AT_BANK'],
      ['failed', 'AMOUNT_MISMATCH'],
    ]);
    expect(await balanceOf(bob)).toBe(before);
  });

  it('network down: the top-up is refused 503 and its order ends failed (it holds no room under the cap)', async () => {
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: true } });
    const refused = await startTopUp(bob, { bankCode: 'ICBC', amount: 100 });
    await t.app.inject({ method: 'POST', url: '/api/dev/interbank/network', payload: { down: false } });
    expect([refused.statusCode, refused.json().code]).toEqual([503, 'INTERBANK_UNAVAILABLE']);
    const { rows } = await t.db.query<{ status: string; failure_reason: string }>(
      'SELECT status, failure_reason FROM wallet_online_banking_orders WHERE user_id = $1 AND amount = 100',
      [bob.userId],
    );
    expect(rows[0]).toEqual({ status: 'failed', failure_reason: 'INTERBANK_UNAVAILABLE' });
  });

  it('refuses bad input with problems and writes nothing', async () => {
    const count = async () =>
      (await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM wallet_online_banking_orders')).rows[0].n;
    const before = await count();
    const unknownBank = await startTopUp(bob, { bankCode: 'NOPE', amount: 100 });
    expect([unknownBank.statusCode, unknownBank.json().code]).toEqual([422, 'ONLINE_BANK_NOT_SUPPORTED']);
    const zero = await startTopUp(bob, { bankCode: 'ICBC', amount: 0 });
    expect(zero.statusCode).toBe(400);
    const capped = await startTopUp(bob, { bankCode: 'ICBC', amount: 300_000 });
    expect([capped.statusCode, capped.json().code]).toEqual([422, 'LIMIT_EXCEEDED']);
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/funding/online-banking/orders',
      headers: bob.auth,
      payload: { bankCode: 'ICBC', amount: 100, currency: 'CNY' },
    });
    expect(noKey.statusCode).toBe(400);
    expect(await count()).toBe(before);
    const report = await verifyLedger(t.db);
    expect(report.problems).toEqual([]);
  });
});
