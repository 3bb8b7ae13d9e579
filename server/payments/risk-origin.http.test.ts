import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { activeMerchant, type TestMerchant } from '../../test/payment-factories.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { outboxOf } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';

// The payer's device (X-Device-Id) and address reach the risk engine, so its device and network
// rules fire for merchant payments too (rules at their boundaries: server/risk/rules.test.ts).
const clock = manualClock('2026-11-23T04:00:00Z'); // noon in Shanghai
let t: TestApp;
let shop: TestMerchant;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
});
afterAll(async () => t?.close());

const reasonCodes = (body: { reasons?: { code: string }[] }) => (body.reasons ?? []).map((reason) => reason.code);

/** Prepare, then confirm with the PIN and complete from the given device and address. */
async function payFrom(
  holder: WalletHolder,
  amount: number,
  from: { headers?: Record<string, string>; remoteAddress?: string },
) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: moneyHeaders(holder),
    payload: { merchantNumber: shop.merchantNumber, amount },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { payment, confirmation } = created.json();
  expect(
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/confirmations/${confirmation.id}/pin`,
        headers: holder.auth,
        payload: { pin: holder.pin },
      })
    ).statusCode,
  ).toBe(200);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/${payment.id}/complete`,
    headers: { ...moneyHeaders(holder), ...from.headers },
    remoteAddress: from.remoteAddress,
    payload: { confirmationId: confirmation.id },
  });
}

describe('merchant payments tell the risk engine where they come from', () => {
  it('a device never seen before asks for a step-up on ¥600, completing or paying in one request', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const device = { 'x-device-id': `unknown-device-${process.pid}` };
    const completed = await payFrom(holder, 60_000, { headers: device });
    expect([completed.statusCode, completed.json().code], completed.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(reasonCodes(completed.json())).toContain('RISK_NEW_DEVICE');
    const oneRequest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { ...moneyHeaders(holder), ...device },
      payload: { merchantNumber: shop.merchantNumber, amount: 60_000, confirmation: { pin: holder.pin } },
    });
    expect([oneRequest.statusCode, oneRequest.json().code], oneRequest.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(await balanceOf(t, holder.walletId)).toBe(100_000n);
    // Without a device named, nothing about the device is known, and the payment goes through.
    const plain = await payFrom(holder, 60_000, {});
    expect(plain.statusCode, plain.body).toBe(200);
    expect(await balanceOf(t, holder.walletId)).toBe(40_000n);
  });

  it('after the texted code, the same request under the same key goes through, once', async () => {
    // The wallet retries with the key it used: a kept STEP_UP_REQUIRED would be replayed to it forever.
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const device = { 'x-device-id': `retry-device-${process.pid}` };
    const headers = { ...moneyHeaders(holder, `step-up-retry-${process.pid}`), ...device };
    const payload = { merchantNumber: shop.merchantNumber, amount: 60_000, confirmation: { pin: holder.pin } };
    const pay = () => t.app.inject({ method: 'POST', url: '/api/v1/payments', headers, payload });
    const asked = await pay();
    expect([asked.statusCode, asked.json().code], asked.body).toEqual([403, 'STEP_UP_REQUIRED']);
    const assessmentId = asked.json().assessmentId as string;
    const sms = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/step-ups/${assessmentId}/sms`,
      headers: holder.auth,
    });
    expect(sms.statusCode, sms.body).toBe(202);
    const [texted] = await outboxOf(t, holder.phone, 'risk_step_up');
    const smsCode = /验证码(\d{6})/.exec(texted?.text ?? '')?.[1];
    const verified = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/step-ups/${assessmentId}/verify`,
      headers: holder.auth,
      payload: { smsCode },
    });
    expect(verified.statusCode, verified.body).toBe(204);
    const paid = await pay();
    expect([paid.statusCode, paid.json().status], paid.body).toEqual([200, 'completed']);
    const replayed = await pay();
    expect([replayed.statusCode, replayed.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(await balanceOf(t, holder.walletId)).toBe(40_000n);
  });

  it('a datacenter address asks for a step-up on ¥300', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const refused = await payFrom(holder, 30_000, { remoteAddress: '198.18.0.7' });
    expect([refused.statusCode, refused.json().code], refused.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(reasonCodes(refused.json())).toContain('RISK_NETWORK_CHANGE');
    expect(await balanceOf(t, holder.walletId)).toBe(100_000n);
  });
});
