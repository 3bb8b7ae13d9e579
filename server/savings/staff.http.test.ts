import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { signedInStaff, type TestStaff } from '../ops/test-support.js';

/** The console: product and rate changes through maker-checker, the application queue, a holder's view. */

const C3 = {
  age: 'b',
  income: 'b',
  share: 'b',
  experience: 'b',
  years: 'b',
  horizon: 'b',
  goal: 'b',
  loss: 'b',
  reaction: 'b',
  knowledge: 'b',
};

let t: TestApp;
let maker: TestStaff;
let checker: TestStaff;
let analyst: TestStaff;
let support: TestStaff;
let holder: WalletHolder;

beforeAll(async () => {
  t = await createTestApp();
  maker = await signedInStaff(t, ['admin']);
  checker = await signedInStaff(t, ['admin']);
  analyst = await signedInStaff(t, ['risk_analyst']);
  support = await signedInStaff(t, ['support']);
  holder = await walletHolder(t, { name: '王五', balanceFen: 20_000_000n, limits: {} });
  await t.db.transaction((tx) => t.services.identity.setTier(tx, holder.userId, 'verified'));
  expect((await t.services.savings.suitability.submit(holder.userId, { version: '2026-1', answers: C3 })).ok).toBe(
    true,
  );
});
afterAll(async () => t?.close());

describe('products and rates', () => {
  it('changes a rate only when a second admin approves, in effect from the stated time, audited', async () => {
    const effectiveAt = new Date(Date.now() + 3_600_000).toISOString();
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/savings/products/svp_td1y/changes',
      headers: support.auth,
      payload: { changes: { annualRatePct: '1.5000' }, effectiveAt, reason: 'rate review' },
    });
    expect(denied.statusCode).toBe(403);
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/savings/products/svp_td1y/changes',
      headers: maker.auth,
      payload: { changes: { annualRatePct: '1.5000' }, effectiveAt: '2020-01-01T00:00:00Z', reason: 'rate review' },
    });
    expect(past.json().code).toBe('SAVINGS_EFFECTIVE_IN_PAST');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/savings/products/svp_mmf/changes',
      headers: maker.auth,
      payload: { changes: { annualRatePct: '1.5000' }, effectiveAt, reason: 'a fund has no rate' },
    });
    expect(wrong.json().code).toBe('SAVINGS_CHANGE_INVALID');

    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/savings/products/svp_td1y/changes',
      headers: maker.auth,
      payload: { changes: { annualRatePct: '1.5000' }, effectiveAt, reason: 'rate review' },
    });
    expect(asked.statusCode, asked.body).toBe(202);
    const { approvalId } = asked.json();
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/approvals/${approvalId}/approve`,
      headers: maker.auth,
      payload: { note: 'me' },
    });
    expect(self.json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/approvals/${approvalId}/approve`,
      headers: checker.auth,
      payload: { note: 'checked against the board decision' },
    });
    expect(approved.statusCode, approved.body).toBe(200);

    // Not yet in effect: the wallet still shows 1.45 %; the console shows the scheduled version.
    const now = await t.app.inject({ url: '/api/v1/savings/products/svp_td1y', headers: holder.auth });
    expect(now.json().annualRatePct).toBe('1.4500');
    const listed = await t.app.inject({ url: '/api/v1/ops/savings/products', headers: support.auth });
    const td = listed.json().items.find((item: { id: string }) => item.id === 'svp_td1y');
    expect(td.scheduled).toHaveLength(1);
    expect(td.scheduled[0].product.annualRatePct).toBe('1.5000');
    const later = await t.services.savings.products.get('svp_td1y', new Date(Date.now() + 7_200_000));
    expect(later?.terms.rateE4).toBe('15000');
    const { rows } = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE subject_id = 'svp_td1y' ORDER BY created_at`,
    );
    expect(rows.map((row) => row.action)).toEqual([
      'savings.product_change_requested',
      'savings.product_change_approved',
    ]);
  });
});

describe('the application queue', () => {
  it('holds a large deposit until staff approve it, and releases a rejected one', async () => {
    const wallet = await balanceOf(t, holder.walletId);
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/savings/subscriptions',
      headers: moneyHeaders(holder),
      payload: {
        productId: 'svp_td3y',
        amount: 6_000_000,
        currency: 'CNY',
        maturityChoice: 'to_wallet',
        confirmation: { pin: holder.pin },
      },
    });
    expect(big.statusCode, big.body).toBe(201);
    expect(big.json().status).toBe('pending_review');
    const orderId = big.json().id;
    // Reserved, not moved: the balance is the same, the available money is not.
    expect(await balanceOf(t, holder.walletId)).toBe(wallet);
    expect((await t.services.ledger.getAccount(holder.walletId))?.availableFen).toBe(wallet - 6_000_000n);

    const queue = await t.app.inject({ url: '/api/v1/ops/savings/applications', headers: analyst.auth });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().items.map((item: { id: string }) => item.id)).toContain(orderId);
    expect(queue.json().items[0].holder.name).toBe('*五');
    const forbidden = await t.app.inject({ url: '/api/v1/ops/savings/applications', headers: support.auth });
    expect(forbidden.statusCode).toBe(403);

    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/savings/applications/${orderId}/approve`,
      headers: analyst.auth,
      payload: { note: 'source of funds seen' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'completed', reviewNote: 'source of funds seen' });
    const status = await t.app.inject({ url: `/api/v1/savings/orders/${orderId}`, headers: holder.auth });
    expect(status.json().status).toBe('completed');
    expect(await balanceOf(t, holder.walletId)).toBe(wallet - 6_000_000n);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/savings/applications/${orderId}/reject`,
      headers: analyst.auth,
      payload: { note: 'too late' },
    });
    expect(again.json().code).toBe('SAVINGS_APPLICATION_DECIDED');

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/savings/subscriptions',
      headers: moneyHeaders(holder),
      payload: { productId: 'svp_mmf', amount: 5_500_000, currency: 'CNY', confirmation: { pin: holder.pin } },
    });
    expect(second.json().status).toBe('pending_review');
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/savings/applications/${second.json().id}/reject`,
      headers: analyst.auth,
      payload: { note: 'could not reach the holder' },
    });
    expect(rejected.json().status).toBe('rejected');
    expect((await t.services.ledger.getAccount(holder.walletId))?.availableFen).toBe(wallet - 6_000_000n);

    const view = await t.app.inject({ url: `/api/v1/ops/savings/holders/${holder.userId}`, headers: support.auth });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().holdings.deposits[0]).toMatchObject({ productId: 'svp_td3y', principal: 6_000_000 });
    expect(view.json().assessment.level).toBe('C3');
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    expect(await t.services.savings.holdings.verify()).toEqual({ ok: true, problems: [] });
  });
});
