import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { setLimits } from '../../test/transfer-factories.js';
import { idem, linkCard, setPin, TEST_PIN, type TestCard, topUp } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';

// Withdrawals ask the risk engine before the money is held (channel withdraw): a hold waits for the
// holder's "was this you?" and the next submit pays out once; a denial fails the order and freezes
// the wallet; a block fails it at once; a step-up leaves it waiting. The device reaches the engine.
const NIGHT = '2026-11-23T17:30:00Z'; // 01:30 in Shanghai: large amounts are held
const NOON = '2026-11-24T04:00:00Z';
const clock = manualClock(NOON);
let t: TestApp;

interface Holder extends TestUser {
  card: TestCard;
  walletId: string;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

async function holder(name: string, balance: number): Promise<Holder> {
  clock.set(NOON);
  const user = await registerUser(t, { name });
  const walletId = (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().walletAccountId as string;
  await setLimits(t, walletId, { dailyFen: 100_000_000n, balanceCapFen: 1_000_000_000n });
  const card = await linkCard(t, user);
  await setPin(t, user);
  await topUp(t, user, card.id, balance);
  return { ...user, card, walletId };
}

/** Prepares a withdrawal and approves its confirmation with the PIN; submit() sends it (from a device, if given). */
async function confirmedWithdrawal(user: Holder, amount: number) {
  const prepared = await t.app.inject({
    method: 'POST',
    url: '/api/v1/wallet/withdrawals',
    headers: { ...user.auth, ...idem() },
    payload: { cardId: user.card.id, amount, currency: 'CNY' },
  });
  expect(prepared.statusCode, prepared.body).toBe(201);
  const { withdrawal, confirmation } = prepared.json();
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: user.auth,
    payload: { pin: TEST_PIN },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const submit = (headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
      headers: { ...user.auth, ...idem(), ...headers },
    });
  return { id: withdrawal.id as string, submit };
}

const order = async (user: Holder, id: string) =>
  (await t.app.inject({ url: `/api/v1/wallet/withdrawals/${id}`, headers: user.auth })).json();
const account = async (user: Holder) => t.services.ledger.getAccount(user.walletId);
const codes = (body: { reasons?: { code: string }[] }) => (body.reasons ?? []).map((reason) => reason.code);

async function held(user: Holder, amount: number) {
  const withdrawal = await confirmedWithdrawal(user, amount);
  clock.set(NIGHT);
  const first = await withdrawal.submit();
  expect([first.statusCode, first.json().code], first.body).toEqual([202, 'RISK_CONFIRMATION_REQUIRED']);
  expect(codes(first.json())).toContain('RISK_NIGHT_LARGE');
  expect(first.json().orderId).toBe(withdrawal.id);
  const pending = (await t.app.inject({ url: '/api/v1/risk/confirmations', headers: user.auth })).json().items as {
    id: string;
    amount: number;
  }[];
  const riskHold = pending.find((item) => item.amount === amount);
  if (!riskHold) throw new Error('no held withdrawal to confirm');
  return { ...withdrawal, riskHoldId: riskHold.id };
}

describe('withdrawals and the risk engine', () => {
  it('held at night: waits with the money reserved; confirmed, the next submit pays out once', async () => {
    const user = await holder('张三', 500_000);
    const { id, submit, riskHoldId } = await held(user, 300_000);
    expect((await order(user, id)).status).toBe('awaiting_confirmation');
    expect((await account(user))?.availableFen).toBe(200_000n);
    expect((await account(user))?.balanceFen).toBe(500_000n);

    const challenge = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
        headers: user.auth,
      })
    ).json();
    expect(challenge).toMatchObject({ amount: 300_000, currency: 'CNY', payee: `card:${user.card.id}` });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/confirmations/${challenge.confirmationId}/pin`,
          headers: user.auth,
          payload: { pin: TEST_PIN },
        })
      ).statusCode,
    ).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/confirm`,
      headers: { ...user.auth, ...idem() },
      payload: { confirmationId: challenge.confirmationId },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await account(user))?.availableFen).toBe(500_000n);

    const paid = await submit();
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('succeeded');
    const again = await submit();
    expect([again.statusCode, again.json().code]).toEqual([409, 'ORDER_NOT_AWAITING_CONFIRMATION']);
    expect((await account(user))?.balanceFen).toBe(200_000n);
    expect((await account(user))?.availableFen).toBe(200_000n);
  });

  it('denied: the order fails, nothing is paid out, the wallet is frozen', async () => {
    const user = await holder('李四', 500_000);
    const { id, submit, riskHoldId } = await held(user, 250_000);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/deny`,
      headers: { ...user.auth, ...idem() },
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(await order(user, id)).toMatchObject({ status: 'failed', failureReason: 'RISK_BLOCKED' });
    expect((await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().frozen).toBe(true);
    const refused = await submit();
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'ORDER_NOT_AWAITING_CONFIRMATION']);
    expect((await account(user))?.balanceFen).toBe(500_000n);
    expect((await account(user))?.availableFen).toBe(500_000n);
  });

  it('blocked while restricted: the order fails with the risk problem and holds nothing', async () => {
    const user = await holder('王五', 50_000);
    const restricted = await t.services.risk.restrictions.restrict(
      user.userId,
      { reasonCode: 'staff', details: { note: 'test' }, liftBy: 'support', source: 'staff' },
      { kind: 'staff', id: 'stf_test' },
    );
    expect(restricted.ok).toBe(true);
    const { id, submit } = await confirmedWithdrawal(user, 10_000);
    const refused = await submit();
    expect([refused.statusCode, refused.json().code], refused.body).toEqual([403, 'RISK_RESTRICTED']);
    expect(await order(user, id)).toMatchObject({ status: 'failed', failureReason: 'RISK_RESTRICTED' });
    expect((await account(user))?.availableFen).toBe(50_000n);
  });

  it('a device never seen before asks for a step-up on ¥600; the order waits, its money untouched', async () => {
    const user = await holder('赵六', 100_000);
    const { id, submit } = await confirmedWithdrawal(user, 60_000);
    const stepUp = await submit({ 'x-device-id': `unknown-device-${process.pid}` });
    expect([stepUp.statusCode, stepUp.json().code], stepUp.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(codes(stepUp.json())).toContain('RISK_NEW_DEVICE');
    expect((await order(user, id)).status).toBe('awaiting_confirmation');
    expect((await account(user))?.availableFen).toBe(100_000n);
  });
});
