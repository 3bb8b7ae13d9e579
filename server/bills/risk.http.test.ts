import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';
import { withLuhn } from './catalogue.js';

/**
 * A bill payment the risk engine holds: nothing reaches the biller until the holder answers "was
 * this you?"; confirmed, the same payment goes through once; denied, it fails with the money back.
 */

const clock = manualClock('2026-12-03T04:00:00Z');
let t: TestApp;
let accounts = 0;
const power = () => withLuhn(`3${String(++accounts + 500).padStart(6, '0')}00`);

beforeAll(async () => {
  t = await createTestApp({ clock });
  const lowered = await t.services.risk.rules.change(
    'new_payee_large',
    { thresholds: { minAmountFen: 1 }, reason: 'test: hold every payment to a new biller account' },
    { id: 'stf_test' },
  );
  expect(lowered.ok).toBe(true);
});
afterAll(async () => t?.close());

/** Inquires a bill, prepares its payment, confirms it with the PIN and submits: the risk engine holds it. */
async function heldBillPayment(holder: WalletHolder) {
  const accountNumber = power();
  const found = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/inquiries',
    headers: holder.auth,
    payload: { billerId: 'blr_sh_power', accountNumber },
  });
  const bill = found.json().bills[0] as { billRef: string; total: number };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/payments',
    headers: moneyHeaders(holder),
    payload: { currency: 'CNY', billerId: 'blr_sh_power', accountNumber, billRef: bill.billRef, amount: bill.total },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { payment, confirmation } = created.json();
  const pinned = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: holder.auth,
    payload: { pin: holder.pin },
  });
  expect(pinned.statusCode, pinned.body).toBe(200);
  const submit = () =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/bills/payments/${payment.id}/submit`,
      headers: moneyHeaders(holder),
    });
  const held = await submit();
  expect(held.statusCode, held.body).toBe(202);
  expect(held.json().code).toBe('RISK_CONFIRMATION_REQUIRED');
  const riskHoldId = held.json().holdId as string;
  expect(riskHoldId).toBeTruthy();
  return { paymentId: payment.id as string, amount: BigInt(bill.total), riskHoldId, submit };
}

const status = async (holder: WalletHolder, paymentId: string) =>
  (await t.app.inject({ url: `/api/v1/bills/payments/${paymentId}`, headers: holder.auth })).json().status;

describe('bill payments with the risk engine', () => {
  it('held: the biller sees nothing; confirmed, the same payment is paid once', async () => {
    const holder = await walletHolder(t, { balanceFen: 1_000_000n });
    const { paymentId, amount, riskHoldId, submit } = await heldBillPayment(holder);
    expect(await status(holder, paymentId)).toBe('awaiting_confirmation');
    const { rows } = await t.db.query('SELECT 1 FROM bill_sandbox_bills WHERE paid_by = $1', [paymentId]);
    expect(rows).toEqual([]);

    const challenge = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
        headers: holder.auth,
      })
    ).json();
    expect(challenge).toMatchObject({ amount: Number(amount), currency: 'CNY' });
    const pinned = await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${challenge.confirmationId}/pin`,
      headers: holder.auth,
      payload: { pin: holder.pin },
    });
    expect(pinned.statusCode, pinned.body).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/confirm`,
      headers: moneyHeaders(holder),
      payload: { confirmationId: challenge.confirmationId },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const paid = await submit();
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('succeeded');
    expect(await balanceOf(t, holder.walletId)).toBe(1_000_000n - amount);
    const again = await submit();
    expect(again.json().code).toBe('BILL_PAYMENT_NOT_AWAITING_CONFIRMATION');
    expect(await balanceOf(t, holder.walletId)).toBe(1_000_000n - amount);
    expect((await t.services.ledger.getAccount(holder.walletId))?.pendingDebitsFen).toBe(0n);
  });

  it('denied: the payment fails, nothing is taken and nothing is left reserved', async () => {
    const holder = await walletHolder(t, { balanceFen: 1_000_000n });
    const { paymentId, riskHoldId, submit } = await heldBillPayment(holder);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/deny`,
      headers: moneyHeaders(holder),
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(await status(holder, paymentId)).toBe('failed');
    const refused = await submit();
    expect(refused.statusCode).toBe(409);
    expect(await balanceOf(t, holder.walletId)).toBe(1_000_000n);
    expect((await t.services.ledger.getAccount(holder.walletId))?.pendingDebitsFen).toBe(0n);
  });
});
