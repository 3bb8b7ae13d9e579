import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { idem, linkCard, setPin, TEST_PIN, type TestCard, topUp } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let user: TestUser;
let card: TestCard;

beforeAll(async () => {
  t = await createTestApp({ clock });
  // Parallel withdrawals from one holder are this file's subject: the risk engine's velocity rule
  // (tested at its boundary in server/risk/rules.test.ts) would ask for a step-up, so an admin lifts it here.
  const lifted = await t.services.risk.rules.change(
    'velocity',
    {
      thresholds: { maxCount: 1_000_000, maxAmountFen: 100_000_000_000 },
      reason: 'test: parallel withdrawals from one holder',
    },
    { id: 'stf_test' },
  );
  expect(lifted.ok).toBe(true);
  user = await registerUser(t, { name: '张三' });
  card = await linkCard(t, user);
  await setPin(t, user);
  await topUp(t, user, card.id, 100_000);
});
afterAll(async () => t?.close());

describe('concurrency', () => {
  it('parallel withdrawals never overdraw the wallet', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 16; i++) {
      const prepared = await t.app.inject({
        method: 'POST',
        url: '/api/v1/wallet/withdrawals',
        headers: { ...user.auth, ...idem() },
        payload: { cardId: card.id, amount: 10_000, currency: 'CNY' },
      });
      expect(prepared.statusCode, prepared.body).toBe(201);
      const { withdrawal, confirmation } = prepared.json();
      const confirmed = await t.services.identity.confirmations.confirmWithPin(user.userId, confirmation.id, TEST_PIN);
      expect(confirmed.ok).toBe(true);
      orders.push(withdrawal.id);
    }
    const results = await Promise.all(
      orders.map((id) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/wallet/withdrawals/${id}/submit`,
          headers: { ...user.auth, ...idem() },
        }),
      ),
    );
    const paid = results.filter(
      (response) => response.statusCode === 200 && response.json().status === 'succeeded',
    ).length;
    const refused = results.filter(
      (response) => response.statusCode === 422 && response.json().code === 'INSUFFICIENT_FUNDS',
    ).length;
    expect(paid).toBe(10);
    expect(refused).toBe(6);
    const balance = await t.services.wallet.history.balance(user.userId);
    expect(balance?.balanceFen).toBe(0n);
    expect(balance?.availableFen).toBe(0n);
  });

  it('a callback, the status check and the response racing settle an order once', async () => {
    await topUp(t, user, card.id, 10_000);
    const order = await topUp(t, user, card.id, 10_061);
    expect(order.status).toBe('processing');
    clock.advanceMs(31_000);
    await Promise.all([
      t.services.wallet.orders.checkPending(10),
      t.services.wallet.sandbox?.deliverDueCallbacks(10),
      t.services.wallet.orders.settle(order.id, { status: 'succeeded' }),
      t.services.wallet.orders.settle(order.id, { status: 'succeeded' }),
      t.services.wallet.orders.checkPending(10),
    ]);
    const balance = await t.services.wallet.history.balance(user.userId);
    expect(balance?.balanceFen).toBe(20_061n);
    const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries WHERE reference = $1', [
      `topup:${order.id}`,
    ]);
    expect(rows[0].n).toBe(1n);
    const report = await verifyLedger(t.db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
