import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { testEngine } from '../../test/db.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';

/**
 * Bursts of savings orders from one holder at once, over HTTP (on PostgreSQL truly in parallel):
 * the ¥10,000 daily cap of fast redemptions holds, and buying never overdraws the wallet.
 */

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
let holder: WalletHolder;

beforeAll(async () => {
  t = await createTestApp();
  holder = await walletHolder(t, { name: '张三', balanceFen: 6_000_000n, limits: {} });
  const assessed = await t.services.savings.suitability.submit(holder.userId, { version: '2026-1', answers: C3 });
  expect(assessed.ok).toBe(true);
});
afterAll(async () => t?.close());

const send = (url: string, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: moneyHeaders(holder),
    payload: { currency: 'CNY', productId: 'svp_mmf', confirmation: { pin: holder.pin }, ...payload },
  });

describe(`concurrent savings orders (${testEngine})`, () => {
  it('never lets fast redemptions of one day pass ¥10,000 together', async () => {
    const bought = await send('/api/v1/savings/subscriptions', { amount: 5_000_000 });
    expect(bought.statusCode, bought.body).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => send('/api/v1/savings/redemptions', { amount: 200_000, speed: 'fast' })),
    );
    const completed = answers.filter((answer) => answer.statusCode === 201);
    const refused = answers.filter((answer) => answer.statusCode !== 201);
    expect(completed).toHaveLength(5);
    for (const answer of refused) expect(answer.json().code).toBe('SAVINGS_FAST_REDEEM_CAP');
    const view = await t.app.inject({ url: '/api/v1/savings/holdings', headers: holder.auth });
    expect(view.json().funds[0]).toMatchObject({ shares: 4_000_000, fastRedeemRemainingToday: 0 });
  });

  it('never overdraws the wallet when buying in a burst', async () => {
    const wallet = await balanceOf(t, holder.walletId);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => send('/api/v1/savings/subscriptions', { amount: 600_000 })),
    );
    const completed = answers.filter((answer) => answer.statusCode === 201);
    expect(completed.length).toBe(Number(wallet / 600_000n));
    for (const answer of answers.filter((a) => a.statusCode !== 201))
      expect(answer.json().code).toBe('INSUFFICIENT_FUNDS');
    expect(await balanceOf(t, holder.walletId)).toBe(wallet - BigInt(completed.length) * 600_000n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    expect(await t.services.savings.holdings.verify()).toEqual({ ok: true, problems: [] });
  });
});
