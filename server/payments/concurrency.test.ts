import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  issueQr,
  merchantMoneyHeaders,
  pay,
  preparePayment,
  seedPaymentCode,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';

/** Every money path under concurrent requests: on PostgreSQL these race for real. */

let t: TestApp;
let shop: TestMerchant;

beforeAll(async () => {
  t = await createTestApp();
  shop = await activeMerchant(t);
  // Bursts from one holder are this file's subject: the risk engine's velocity rule (tested at its
  // boundary in server/risk/rules.test.ts, bursts included) would ask these payers to step up.
  const lifted = await t.services.risk.rules.change(
    'velocity',
    { thresholds: { maxCount: 1_000_000, maxAmountFen: 100_000_000_000 }, reason: 'test: bursts from one holder' },
    { id: 'stf_test' },
  );
  expect(lifted.ok).toBe(true);
});
afterAll(async () => t?.close());

const codes = (responses: { statusCode: number; json(): { code?: string } }[]) =>
  responses.map((r) => (r.statusCode < 300 ? 'ok' : (r.json().code as string))).sort();

describe('concurrent payments', () => {
  it('pays a dynamic code at most once when several payers race', async () => {
    const code = await issueQr(t, shop, { kind: 'dynamic', amount: 4200, orderReference: 'RACE-1' });
    const payers = await Promise.all(Array.from({ length: 6 }, () => walletHolder(t, { balanceFen: 10_000n })));
    const prepared = [];
    for (const payer of payers) prepared.push(await preparePayment(t, payer, { payload: code.payload }));
    const before = await balanceOf(t, shop.settlementAccountId);
    const results = await Promise.all(prepared.map((p) => p.complete!()));
    expect(codes(results)).toEqual([
      'QR_ALREADY_PAID',
      'QR_ALREADY_PAID',
      'QR_ALREADY_PAID',
      'QR_ALREADY_PAID',
      'QR_ALREADY_PAID',
      'ok',
    ]);
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(before + 4200n);
    const { rows } = await t.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM payments WHERE dynamic_qr_id = $1 AND status = 'completed'`,
      [code.id],
    );
    expect(Number(rows[0].n)).toBe(1);
  });

  it('never overdraws one wallet paying many times at once', async () => {
    const payer = await walletHolder(t, { balanceFen: 1000n });
    const prepared = [];
    for (let i = 0; i < 8; i++)
      prepared.push(await preparePayment(t, payer, { merchantNumber: shop.merchantNumber, amount: 300 }));
    const results = await Promise.all(prepared.map((p) => p.complete!()));
    expect(codes(results).filter((c) => c === 'ok')).toHaveLength(3);
    expect(
      codes(results)
        .filter((c) => c !== 'ok')
        .every((c) => c === 'INSUFFICIENT_FUNDS'),
    ).toBe(true);
    expect(await balanceOf(t, payer.walletId)).toBe(100n);
  });

  it('keeps static-code payments within ¥500 a day under a burst', async () => {
    const payer = await walletHolder(t, { balanceFen: 150_000n });
    const code = await issueQr(t, shop, { kind: 'static' });
    const prepared = [];
    for (let i = 0; i < 5; i++)
      prepared.push(await preparePayment(t, payer, { payload: code.payload, amount: 20_000 }));
    const results = await Promise.all(prepared.map((p) => p.complete!()));
    expect(codes(results)).toEqual([
      'STATIC_QR_DAILY_LIMIT',
      'STATIC_QR_DAILY_LIMIT',
      'STATIC_QR_DAILY_LIMIT',
      'ok',
      'ok',
    ]);
    expect(await balanceOf(t, payer.walletId)).toBe(110_000n);
  });

  it('accepts one payment code once when a merchant sends it several times at once', async () => {
    const payer = await walletHolder(t, { balanceFen: 10_000n });
    const seed = await seedPaymentCode(t, payer);
    const code = seed.codeAt(new Date());
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/merchant/charges',
          headers: merchantMoneyHeaders(shop),
          payload: { code, amount: 100 },
        }),
      ),
    );
    expect(codes(results)).toEqual([
      'PAYMENT_CODE_USED',
      'PAYMENT_CODE_USED',
      'PAYMENT_CODE_USED',
      'PAYMENT_CODE_USED',
      'ok',
    ]);
  });

  it('takes password-free allowance atomically: a burst never passes the daily cap', async () => {
    const payer = await walletHolder(t, { balanceFen: 150_000n });
    const on = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password-free',
      headers: payer.auth,
      payload: { enabled: true, pin: payer.pin },
    });
    expect(on.statusCode, on.body).toBe(200);
    const taken = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.db.transaction((tx) => t.services.payments.passwordFree.take(tx, payer.userId, 20_000n)),
      ),
    );
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect((await t.services.payments.passwordFree.get(payer.userId)).usedTodayFen).toBe(100_000n);
  });
});

describe('concurrent refunds', () => {
  it('never refund more than was paid', async () => {
    const payer = await walletHolder(t, { balanceFen: 5_000n });
    const paid = (await pay(t, payer, { merchantNumber: shop.merchantNumber, amount: 1000 })).json();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/merchant/payments/${paid.id}/refunds`,
          headers: merchantMoneyHeaders(shop),
          payload: { amount: 300, password: MERCHANT_PASSWORD },
        }),
      ),
    );
    expect(codes(results).filter((c) => c === 'ok')).toHaveLength(3);
    // At most five password checks of one staff member run at once (server/payments/staff-reauth.ts):
    // a sixth arriving while five are in flight is refused as locked, whatever its password.
    expect(
      codes(results)
        .filter((c) => c !== 'ok')
        .every((c) => c === 'REFUND_EXCEEDS_PAYMENT' || c === 'REFUND_PASSWORD_LOCKED'),
    ).toBe(true);
    const after = (await t.app.inject({ url: `/api/v1/merchant/payments/${paid.id}`, headers: shop.auth })).json();
    expect(after.refundedAmount).toBe(900);
    expect(await balanceOf(t, payer.walletId)).toBe(4_900n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
