import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { idem, linkCard, setPin, TEST_PIN, type TestCard, topUp, withdraw } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { signCallback } from './card-network.js';
import { createWalletService } from './service.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

async function holder(name = '张三'): Promise<{ user: TestUser; card: TestCard }> {
  const user = await registerUser(t, { name });
  const card = await linkCard(t, user);
  return { user, card };
}

const balanceOf = async (user: TestUser) => {
  const balance = await t.services.wallet.history.balance(user.userId);
  return { balance: Number(balance?.balanceFen), available: Number(balance?.availableFen) };
};
const orderOf = async (user: TestUser, id: string) => t.services.wallet.orders.get(user.userId, id);
const entriesFor = async (reference: string) =>
  (await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries WHERE reference = $1', [reference]))
    .rows[0].n;
const deliverCallbacks = () => t.services.wallet.sandbox?.deliverDueCallbacks(100) ?? Promise.resolve(0);
const checkPending = () => t.services.wallet.orders.checkPending(100);

describe('top-up outcomes', () => {
  it('success credits once; the later callback changes nothing', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_000);
    expect(order).toMatchObject({ status: 'succeeded', amount: 10_000 });
    expect(await balanceOf(user)).toEqual({ balance: 10_000, available: 10_000 });
    clock.advanceMs(6_000);
    expect(await deliverCallbacks()).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(user)).toEqual({ balance: 10_000, available: 10_000 });
    expect(await entriesFor(`topup:${order.id}`)).toBe(1n);
    const notes = (await t.app.inject({ url: '/api/v1/notifications', headers: user.auth })).json().items;
    expect(notes.map((n: { kind: string }) => n.kind)).toContain('wallet.topup_succeeded');
  });

  it('a decline leaves the wallet untouched and says why', async () => {
    const { user, card } = await holder();
    expect(await topUp(t, user, card.id, 10_051)).toMatchObject({
      status: 'failed',
      failureReason: 'BANK_INSUFFICIENT_FUNDS',
    });
    const poor = await linkCard(t, user, { last4: '0004' });
    expect(await topUp(t, user, poor.id, 5_000)).toMatchObject({
      status: 'failed',
      failureReason: 'BANK_INSUFFICIENT_FUNDS',
    });
    expect(await balanceOf(user)).toEqual({ balance: 0, available: 0 });
  });

  it('timeout then success: processing, then settled by the status check, once', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_061);
    expect(order.status).toBe('processing');
    expect(await balanceOf(user)).toEqual({ balance: 0, available: 0 });
    clock.advanceMs(31_000);
    expect(await checkPending()).toBeGreaterThanOrEqual(1);
    expect((await orderOf(user, order.id))?.status).toBe('succeeded');
    expect(await balanceOf(user)).toEqual({ balance: 10_061, available: 10_061 });
    await deliverCallbacks();
    expect(await balanceOf(user)).toEqual({ balance: 10_061, available: 10_061 });
    expect(await entriesFor(`topup:${order.id}`)).toBe(1n);
  });

  it('timeout then failure: processing, then failed by the late callback', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_062);
    expect(order.status).toBe('processing');
    clock.advanceMs(30_000);
    await deliverCallbacks();
    expect(await orderOf(user, order.id)).toMatchObject({ status: 'failed', failureReason: 'BANK_SYSTEM_ERROR' });
    expect(await balanceOf(user)).toEqual({ balance: 0, available: 0 });
  });

  it('a late success callback settles a processing top-up; a duplicate callback changes nothing', async () => {
    const { user, card } = await holder();
    const late = await topUp(t, user, card.id, 10_063);
    expect(late.status).toBe('processing');
    const twice = await topUp(t, user, card.id, 10_065);
    expect(twice.status).toBe('succeeded');
    clock.advanceMs(61_000);
    expect(await deliverCallbacks()).toBeGreaterThanOrEqual(3);
    expect((await orderOf(user, late.id))?.status).toBe('succeeded');
    expect(await balanceOf(user)).toEqual({ balance: 20_128, available: 20_128 });
    expect(await entriesFor(`topup:${twice.id}`)).toBe(1n);
    const delivered = await t.db.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM card_network_sandbox_callbacks WHERE request_id = $1 AND delivered_at IS NOT NULL',
      [twice.id],
    );
    expect(delivered.rows[0].n).toBe(2n);
  });

  it('a callback before the response: settled once, the response agrees', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_066);
    expect(order.status).toBe('succeeded');
    expect(await balanceOf(user)).toEqual({ balance: 10_066, available: 10_066 });
    expect(await entriesFor(`topup:${order.id}`)).toBe(1n);
  });

  it('processing with no callback ever: the status check settles it when the network does', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_067);
    expect(order.status).toBe('processing');
    clock.advanceMs(31_000);
    await checkPending();
    expect((await orderOf(user, order.id))?.status).toBe('processing');
    clock.advanceMs(120_000);
    await checkPending();
    expect((await orderOf(user, order.id))?.status).toBe('succeeded');
    expect(await balanceOf(user)).toEqual({ balance: 10_067, available: 10_067 });
  });

  it('a request the network never received fails after the grace period', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_068);
    expect(order.status).toBe('processing');
    clock.advanceMs(31_000);
    await checkPending();
    expect((await orderOf(user, order.id))?.status).toBe('processing');
    clock.advanceMs(120_000);
    await checkPending();
    expect(await orderOf(user, order.id)).toMatchObject({ status: 'failed', failureReason: 'NOT_RECEIVED' });
    expect(await balanceOf(user)).toEqual({ balance: 0, available: 0 });
  });

  it('a crash between the network call and recording its answer is recovered by the job, crediting once', async () => {
    const { user, card } = await holder();
    const sandbox = t.services.wallet.sandbox;
    if (!sandbox) throw new Error('the test app runs the sandbox');
    const crashing = createWalletService({
      db: t.db,
      clock,
      cipher: t.services.identity.ctx.cipher,
      ledger: t.services.ledger,
      identity: t.services.identity,
      notifications: t.services.notifications,
      sms: { send: async () => ({ id: 'unused' }) },
      network: {
        ...sandbox,
        charge: async (request) => {
          await sandbox.charge(request);
          throw new Error('the process died before it recorded the answer');
        },
      },
    });
    const started = await crashing.orders.topUp(user.userId, { cardId: card.id, amountFen: 12_300n, currency: 'CNY' });
    expect(started.ok && started.value.status).toBe('processing');
    expect(await balanceOf(user)).toEqual({ balance: 0, available: 0 });
    clock.advanceMs(31_000);
    await checkPending();
    await deliverCallbacks();
    await checkPending();
    expect(await balanceOf(user)).toEqual({ balance: 12_300, available: 12_300 });
    if (started.ok) expect(await entriesFor(`topup:${started.value.id}`)).toBe(1n);
  });
});

describe('withdrawals', () => {
  let user: TestUser;
  let card: TestCard;

  beforeAll(async () => {
    ({ user, card } = await holder('王芳'));
    await setPin(t, user);
    await topUp(t, user, card.id, 150_000);
  });

  it('holds, pays out, posts on success', async () => {
    const paid = await withdraw(t, user, card.id, 20_000);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'succeeded', kind: 'withdraw', arrival: 'realtime' });
    expect(await balanceOf(user)).toEqual({ balance: 130_000, available: 130_000 });
    const notes = (await t.app.inject({ url: '/api/v1/notifications', headers: user.auth })).json().items;
    expect(notes.map((n: { kind: string }) => n.kind)).toContain('wallet.withdraw_succeeded');
  });

  it('voids the hold on a decline and after a timeout that failed', async () => {
    const declined = await withdraw(t, user, card.id, 10_052);
    expect(declined.json()).toMatchObject({ status: 'failed', failureReason: 'CARD_BLOCKED' });
    expect(await balanceOf(user)).toEqual({ balance: 130_000, available: 130_000 });
    const unknown = await withdraw(t, user, card.id, 10_062);
    expect(unknown.json().status).toBe('processing');
    expect(await balanceOf(user)).toEqual({ balance: 130_000, available: 130_000 - 10_062 });
    clock.advanceMs(30_000);
    await deliverCallbacks();
    expect((await orderOf(user, unknown.json().id))?.status).toBe('failed');
    expect(await balanceOf(user)).toEqual({ balance: 130_000, available: 130_000 });
  });

  it('arrives within 2 hours when asked: held until then', async () => {
    const later = await withdraw(t, user, card.id, 10_000, 'within_2h');
    expect(later.json().status).toBe('processing');
    expect(await balanceOf(user)).toEqual({ balance: 130_000, available: 120_000 });
    clock.advanceMs(2 * 3600_000 + 1_000);
    await deliverCallbacks();
    expect((await orderOf(user, later.json().id))?.status).toBe('succeeded');
    expect(await balanceOf(user)).toEqual({ balance: 120_000, available: 120_000 });
  });

  it('needs the confirmation bound to this withdrawal; unconfirmed ones expire', async () => {
    await setPinIfSessionExpired();
    const prepared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: card.id, amount: 5_000, currency: 'CNY' },
    });
    expect(prepared.statusCode, prepared.body).toBe(201);
    const { withdrawal, confirmation } = prepared.json();
    expect(withdrawal.status).toBe('awaiting_confirmation');
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...user.auth, ...idem() },
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('CONFIRMATION_INVALID');
    expect(await balanceOf(user)).toEqual({ balance: 120_000, available: 120_000 });
    const other = await registerUser(t, { name: '李四' });
    const byOther = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...other.auth, ...idem() },
    });
    expect(byOther.statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/v1/wallet/withdrawals/${withdrawal.id}`, headers: other.auth })).statusCode,
    ).toBe(404);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${confirmation.id}/pin`,
      headers: user.auth,
      payload: { pin: TEST_PIN },
    });
    expect(confirmed.statusCode).toBe(200);
    const key = idem();
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...user.auth, ...key },
    });
    expect(submitted.json().status).toBe('succeeded');
    const replayed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...user.auth, ...key },
    });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...user.auth, ...idem() },
    });
    expect(again.json().code).toBe('ORDER_NOT_AWAITING_CONFIRMATION');
    expect(await balanceOf(user)).toEqual({ balance: 115_000, available: 115_000 });

    const abandoned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: card.id, amount: 5_000, currency: 'CNY' },
    });
    clock.advanceMs(7 * 60_000);
    await checkPending();
    expect((await orderOf(user, abandoned.json().withdrawal.id))?.status).toBe('expired');
  });

  it('takes back a next-day withdrawal before it arrives, not a paid one', async () => {
    await setPinIfSessionExpired();
    const nextDay = await withdraw(t, user, card.id, 10_000, 'next_day');
    expect(nextDay.json()).toMatchObject({ status: 'processing', arrival: 'next_day' });
    expect(await balanceOf(user)).toEqual({ balance: 115_000, available: 105_000 });
    const notes = (await t.app.inject({ url: '/api/v1/notifications', headers: user.auth })).json().items;
    expect(notes[0].kind).toBe('wallet.withdraw_processing');
    const cancel = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/wallet/withdrawals/${nextDay.json().id}/cancel`,
        headers: { ...user.auth, ...idem() },
      });
    const cancelled = await cancel();
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'failed', failureReason: 'CANCELLED' });
    expect(await balanceOf(user)).toEqual({ balance: 115_000, available: 115_000 });
    expect((await cancel()).json().code).toBe('WITHDRAWAL_NOT_CANCELLABLE');
    clock.advanceMs(2 * 24 * 3600_000);
    await deliverCallbacks();
    expect(await balanceOf(user)).toEqual({ balance: 115_000, available: 115_000 });
  });

  it('refuses credit cards, overdrafts, frozen wallets and amounts over the tier limits', async () => {
    await setPinIfSessionExpired();
    const credit = await linkCard(t, user, { bin: '622575' });
    const toCredit = await withdraw(t, user, credit.id, 1_000);
    expect(toCredit.json().code).toBe('CREDIT_CARD_NOT_ALLOWED');
    const tooMuch = await withdraw(t, user, card.id, 1_000_000);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().code).toBe('INSUFFICIENT_FUNDS');
    const overCap = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: card.id, amount: 100_000, currency: 'CNY' },
    });
    expect(overCap.statusCode).toBe(422);
    expect(overCap.json()).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'balanceCapFen' });

    // A tighter daily limit than the amount: the ledger refuses the hold, nothing is written.
    const walletId = (await t.services.wallet.history.balance(user.userId))?.accountId as string;
    await t.db.transaction((tx) =>
      t.services.ledger.setLimits(tx, walletId, { balanceCapFen: 200_000n, dailyFen: 40_000n, yearlyFen: 5_000_000n }),
    );
    const overDaily = await withdraw(t, user, card.id, 45_000);
    expect(overDaily.statusCode).toBe(422);
    expect(overDaily.json()).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'dailyFen' });
    expect(await balanceOf(user)).toEqual({ balance: 115_000, available: 115_000 });

    const frozen = await t.app.inject({ method: 'POST', url: '/api/v1/me/freeze', headers: user.auth });
    expect(frozen.statusCode).toBe(204);
    const whileFrozen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/withdrawals',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: card.id, amount: 1_000, currency: 'CNY' },
    });
    expect(whileFrozen.statusCode).toBe(423);
    expect(whileFrozen.json().code).toBe('ACCOUNT_FROZEN');
  });

  async function setPinIfSessionExpired() {
    // Long clock jumps end the test sessions (idle timeout): sign in again through a fresh token.
    const me = await t.app.inject({ url: '/api/v1/me', headers: user.auth });
    if (me.statusCode === 200) return;
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    });
    expect(login.statusCode, login.body).toBe(200);
    user.auth = { authorization: `Bearer ${login.json().token}` };
  }
});

describe('bad input and idempotency', () => {
  it('answers clear problems and replays the same key', async () => {
    const { user, card } = await holder();
    for (const amount of [0, -5, 1.5, '100', 2 ** 53]) {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/wallet/topups',
        headers: { ...user.auth, ...idem() },
        payload: { cardId: card.id, amount, currency: 'CNY' },
      });
      expect(bad.statusCode, String(amount)).toBe(400);
      expect(bad.json().code).toBe('VALIDATION_FAILED');
    }
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: user.auth,
      payload: { cardId: card.id, amount: 100, currency: 'CNY' },
    });
    expect(noKey.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const usd = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: card.id, amount: 100, currency: 'USD' },
    });
    expect(usd.statusCode).toBe(400);
    const other = await holder('李四');
    const othersCard = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...user.auth, ...idem() },
      payload: { cardId: other.card.id, amount: 100, currency: 'CNY' },
    });
    expect(othersCard.statusCode).toBe(404);
    expect(othersCard.json().code).toBe('CARD_NOT_FOUND');

    const key = idem();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...user.auth, ...key },
      payload: { cardId: card.id, amount: 2_000, currency: 'CNY' },
    });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/wallet/topups',
      headers: { ...user.auth, ...key },
      payload: { cardId: card.id, amount: 2_000, currency: 'CNY' },
    });
    expect(second.json().id).toBe(first.json().id);
    expect(await balanceOf(user)).toEqual({ balance: 2_000, available: 2_000 });
  });

  it('the HTTP callback route checks the signature and settles once', async () => {
    const { user, card } = await holder();
    const order = await topUp(t, user, card.id, 10_064);
    expect(order.status).toBe('processing');
    const body = JSON.stringify({
      eventId: 'evt_test',
      requestId: order.id,
      kind: 'charge',
      status: 'succeeded',
      networkRef: 'UP1',
      amountFen: 10_064,
      currency: 'CNY',
    });
    const post = (signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/wallet/card-network/callbacks',
        headers: { 'content-type': 'application/json', 'tongbao-network-signature': signature },
        payload: body,
      });
    const forged = await post(signCallback('not-the-secret', body, clock.now()));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('CALLBACK_SIGNATURE_INVALID');
    const stale = await post(
      signCallback(t.services.wallet.ctx.callbackSecret, body, new Date(clock.now().getTime() - 10 * 60_000)),
    );
    expect(stale.statusCode).toBe(401);
    const good = await post(signCallback(t.services.wallet.ctx.callbackSecret, body, clock.now()));
    expect(good.json()).toEqual({ received: true, settled: true });
    const duplicate = await post(signCallback(t.services.wallet.ctx.callbackSecret, body, clock.now()));
    expect(duplicate.json()).toEqual({ received: true, settled: false });
    expect(await balanceOf(user)).toEqual({ balance: 10_064, available: 10_064 });
    // The network later says it failed after all: recorded as a break for staff, the money stays.
    clock.advanceMs(61_000);
    await deliverCallbacks();
    const breaks = await t.db.query<{ kind: string }>(
      'SELECT kind FROM wallet_reconciliation_breaks WHERE reference = $1',
      [order.id],
    );
    expect(breaks.rows.map((row) => row.kind)).toEqual(['late_network_result']);
  });
});
