import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  activeMerchant,
  merchantMoneyHeaders,
  seedPaymentCode,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';

/** Group-committed payment-code charges (server/payments/charges.ts): a refused one leaves no trace. */

let t: TestApp;
const clock = manualClock('2026-11-23T03:00:10Z');
let shop: TestMerchant;
let carol: WalletHolder;

const charge = (code: string, amount: number) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/charges',
    headers: merchantMoneyHeaders(shop),
    payload: { code, amount },
  });
const usedToday = async () =>
  (await t.app.inject({ url: '/api/v1/me/password-free', headers: carol.auth })).json().usedTodayAmount;
const paymentsOf = async (userId: string) =>
  Number(
    (await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM payments WHERE user_id = $1', [userId])).rows[0].n,
  );

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  carol = await walletHolder(t, { balanceFen: 5_000n });
  const on = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/password-free',
    headers: carol.auth,
    payload: { enabled: true, pin: carol.pin, perPaymentAmount: 20_000, dailyAmount: 30_000 },
  });
  expect(on.statusCode, on.body).toBe(200);
});
afterAll(async () => t?.close());

it('gives the allowance back and records no payment when the ledger refuses a password-free charge', async () => {
  const seed = await seedPaymentCode(t, carol);
  const refused = await charge(seed.codeAt(clock.now()), 10_000);
  expect(refused.json().code).toBe('INSUFFICIENT_FUNDS');
  expect(await usedToday()).toBe(0);
  expect(await paymentsOf(carol.userId)).toBe(0);
  expect(await balanceOf(t, carol.walletId)).toBe(5_000n);

  clock.advanceMs(60_000);
  const paid = await charge(seed.codeAt(clock.now()), 3_000);
  expect(paid.statusCode, paid.body).toBe(200);
  expect(paid.json()).toMatchObject({ status: 'completed', passwordFree: true, amount: 3_000 });
  expect(await usedToday()).toBe(3_000);
  expect(await paymentsOf(carol.userId)).toBe(1);
  expect(await balanceOf(t, carol.walletId)).toBe(2_000n);
});
