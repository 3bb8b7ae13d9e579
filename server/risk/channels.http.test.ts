import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { activeMerchant, preparePayment, type TestMerchant } from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';

// Hold and confirm through a real channel's routes: merchant payments leave a held payment
// waiting; the engine reserves the money and asks the holder; the holder's answer decides the
// channel's next attempt.
const clock = manualClock('2026-11-23T04:00:00Z');
let t: TestApp;
let merchant: TestMerchant;
let idem = 0;
const key = () => ({ 'idempotency-key': `channel-${process.pid}-${++idem}` });

beforeAll(async () => {
  t = await createTestApp({ clock });
  const lowered = await t.services.risk.rules.change(
    'new_payee_large',
    { thresholds: { minAmountFen: 5_000 }, reason: 'test: hold small amounts' },
    { id: 'stf_test' },
  );
  expect(lowered.ok).toBe(true);
  merchant = await activeMerchant(t);
});
afterAll(async () => t?.close());

async function heldPayment(holder: WalletHolder, amount: number) {
  const prepared = await preparePayment(t, holder, { merchantNumber: merchant.merchantNumber, amount });
  if (!prepared.complete) throw new Error(prepared.created.body);
  const first = await prepared.complete();
  expect(first.statusCode, first.body).toBe(202);
  expect(first.json().code).toBe('RISK_CONFIRMATION_REQUIRED');
  const pending = (await t.app.inject({ url: '/api/v1/risk/confirmations', headers: holder.auth })).json().items as {
    id: string;
    amount: number;
  }[];
  const held = pending.find((item) => item.amount === amount);
  if (!held) throw new Error('no held payment to confirm');
  return { ...prepared, riskHoldId: held.id };
}

describe('merchant payments with the risk engine', () => {
  it('held: the money is reserved; confirmed with a bound PIN confirmation; the payment completes once', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const { riskHoldId, complete } = await heldPayment(holder, 8_850);
    expect((await t.services.ledger.getAccount(holder.walletId))?.availableFen).toBe(100_000n - 8_850n);
    const challenge = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
        headers: holder.auth,
      })
    ).json();
    expect(challenge).toMatchObject({ amount: 8850, currency: 'CNY', payee: `merchant:${merchant.merchantNumber}` });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/confirmations/${challenge.confirmationId}/pin`,
          headers: holder.auth,
          payload: { pin: holder.pin },
        })
      ).statusCode,
    ).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/confirm`,
      headers: { ...holder.auth, ...key() },
      payload: { confirmationId: challenge.confirmationId },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', entryId: null });
    expect((await t.services.ledger.getAccount(holder.walletId))?.availableFen).toBe(100_000n);

    const settlementBefore = await balanceOf(t, merchant.settlementAccountId);
    const paid = await complete();
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('completed');
    expect(await balanceOf(t, holder.walletId)).toBe(100_000n - 8_850n);
    expect(await balanceOf(t, merchant.settlementAccountId)).toBe(settlementBefore + 8_850n);
  });

  it('denied: the reservation is released, the wallet frozen, and the payment refused', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const { riskHoldId, complete } = await heldPayment(holder, 9_900);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/deny`,
      headers: { ...holder.auth, ...key() },
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect((await t.services.ledger.getAccount(holder.walletId))?.availableFen).toBe(100_000n);
    expect((await t.app.inject({ url: '/api/v1/me', headers: holder.auth })).json().frozen).toBe(true);
    const refused = await complete();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('RISK_BLOCKED');
    expect(refused.json().reasons[0].code).toBe('RISK_NOT_CONFIRMED');
    expect(await balanceOf(t, holder.walletId)).toBe(100_000n);
  });
});
