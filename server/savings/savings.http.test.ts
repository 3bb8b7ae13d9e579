import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { fundIncome, earningShares } from './rules.js';

let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;

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
const C1 = {
  ...C3,
  age: 'a',
  income: 'a',
  share: 'a',
  experience: 'a',
  years: 'a',
  horizon: 'a',
  goal: 'a',
  loss: 'a',
  reaction: 'a',
  knowledge: 'a',
};

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

async function writes() {
  return {
    orders: await count('savings_orders'),
    moves: await count('savings_share_moves'),
    deposits: await count('savings_deposits'),
    acks: await count('savings_risk_acknowledgements'),
    entries: await count('ledger_entries'),
  };
}

async function assess(holder: WalletHolder, answers: Record<string, string>) {
  const answered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/savings/questionnaire',
    headers: holder.auth,
    payload: { version: '2026-1', answers },
  });
  expect(answered.statusCode, answered.body).toBe(201);
  return answered.json();
}

function subscribe(holder: WalletHolder, payload: Record<string, unknown>, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/savings/subscriptions',
    headers: moneyHeaders(holder, key),
    payload: { currency: 'CNY', ...payload },
  });
}

function redeem(holder: WalletHolder, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/savings/redemptions',
    headers: moneyHeaders(holder),
    payload: { currency: 'CNY', productId: 'svp_mmf', ...payload },
  });
}

async function holdings(holder: WalletHolder) {
  const answer = await t.app.inject({ url: '/api/v1/savings/holdings', headers: holder.auth });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
}

/** A bad request answers its problem and writes nothing at all. */
async function refusedWithoutWrites(
  send: () => Promise<{ statusCode: number; json(): { code: string } }>,
  status: number,
  code: string,
) {
  const before = await writes();
  const answer = await send();
  expect(answer.statusCode).toBe(status);
  expect(answer.json().code).toBe(code);
  expect(await writes()).toEqual(before);
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await walletHolder(t, { name: '张三', balanceFen: 10_000_000n, limits: {} });
  bob = await walletHolder(t, { name: '李四', balanceFen: 10_000_000n, limits: {} });
});
afterAll(async () => t?.close());

describe('catalogue and questionnaire', () => {
  it('lists the seeded products with risk level, terms and warning', async () => {
    const list = await t.app.inject({ url: '/api/v1/savings/products', headers: alice.auth });
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json().items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining(['svp_mmf', 'svp_bond', 'svp_mix', 'svp_td3m', 'svp_td1y', 'svp_td3y']));
    const td = await t.app.inject({ url: '/api/v1/savings/products/svp_td1y', headers: alice.auth });
    expect(td.json()).toMatchObject({ kind: 'term_deposit', termMonths: 12, annualRatePct: '1.4500', riskLevel: 'R1' });
    const mmf = await t.app.inject({ url: '/api/v1/savings/products/svp_mmf', headers: alice.auth });
    expect(mmf.json().riskWarning.en).toContain('Past performance does not guarantee future results');
    const missing = await t.app.inject({ url: '/api/v1/savings/products/svp_nothing', headers: alice.auth });
    expect(missing.json().code).toBe('SAVINGS_PRODUCT_NOT_FOUND');
  });

  it('scores the questionnaire and refuses incomplete or outdated answers', async () => {
    const form = await t.app.inject({ url: '/api/v1/savings/questionnaire', headers: alice.auth });
    expect(form.json().questions).toHaveLength(10);
    await refusedWithoutWrites(
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/savings/questionnaire',
          headers: alice.auth,
          payload: { version: '2026-1', answers: { ...C3, knowledge: 'z' } },
        }),
      422,
      'SAVINGS_QUESTIONNAIRE_INVALID',
    );
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/v1/savings/questionnaire',
      headers: alice.auth,
      payload: { version: '2019-1', answers: C3 },
    });
    expect(old.json().code).toBe('SAVINGS_QUESTIONNAIRE_OUTDATED');
  });
});

describe('bad input: a 4xx problem and nothing written', () => {
  it('refuses buying without an assessment, below the minimum, above the risk level, or when expired', async () => {
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_mmf', amount: 10_000 }),
      409,
      'SAVINGS_QUESTIONNAIRE_REQUIRED',
    );
    await assess(bob, C1);
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_mmf', amount: 99 }),
      422,
      'SAVINGS_BELOW_MINIMUM',
    );
    // Bond and mixed funds need the verified tier; C1 holders never buy above R1 anyway.
    await t.db.transaction((tx) => t.services.identity.setTier(tx, bob.userId, 'verified'));
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_bond', amount: 100_000, acknowledgeRisk: true }),
      403,
      'SAVINGS_RISK_REFUSED',
    );
    await assess(bob, { ...C3, age: 'c' }); // C2
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_mix', amount: 100_000 }),
      409,
      'SAVINGS_RISK_ACK_REQUIRED',
    );
    await t.db.query(`UPDATE savings_assessments SET expires_at = now() - interval '1 day' WHERE user_id = $1`, [
      bob.userId,
    ]);
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_mmf', amount: 10_000 }),
      409,
      'SAVINGS_QUESTIONNAIRE_EXPIRED',
    );
    await assess(bob, C3);
  });

  it('refuses a basic-tier holder a verified-tier product and a deposit without a maturity choice', async () => {
    await assess(alice, C3);
    await refusedWithoutWrites(
      () => subscribe(alice, { productId: 'svp_bond', amount: 100_000 }),
      403,
      'SAVINGS_TIER_NOT_ALLOWED',
    );
    await refusedWithoutWrites(
      () => subscribe(bob, { productId: 'svp_td1y', amount: 100_000 }),
      422,
      'SAVINGS_MATURITY_CHOICE_REQUIRED',
    );
  });

  it('refuses redeeming more than held, fast past the cap, and another holder’s deposit', async () => {
    await refusedWithoutWrites(() => redeem(alice, { amount: 100, speed: 'fast' }), 422, 'SAVINGS_INSUFFICIENT_SHARES');
    const opened = await subscribe(bob, {
      productId: 'svp_td3m',
      amount: 100_000,
      maturityChoice: 'to_wallet',
      confirmation: { pin: bob.pin },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const depositId = opened.json().depositId;
    const theirs = await t.app.inject({ url: `/api/v1/savings/deposits/${depositId}`, headers: alice.auth });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('SAVINGS_DEPOSIT_NOT_FOUND');
    const certificate = await t.app.inject({
      url: `/api/v1/savings/deposits/${depositId}/certificate`,
      headers: alice.auth,
    });
    expect(certificate.statusCode).toBe(404);
    await refusedWithoutWrites(
      () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/savings/deposits/${depositId}/early-withdrawal`,
          headers: moneyHeaders(alice),
          payload: { confirmation: { pin: alice.pin } },
        }),
      404,
      'SAVINGS_DEPOSIT_NOT_FOUND',
    );
  });
});

describe('the money-market sweep', () => {
  it('buys with the PIN, earns from the next business day, pays income to the fen, redeems fast', async () => {
    const walletBefore = await balanceOf(t, alice.walletId);
    const bought = await subscribe(alice, {
      productId: 'svp_mmf',
      amount: 2_000_000,
      confirmation: { pin: alice.pin },
    });
    expect(bought.statusCode, bought.body).toBe(201);
    expect(bought.json()).toMatchObject({ status: 'completed', type: 'subscribe', amount: 2_000_000 });
    expect(await balanceOf(t, alice.walletId)).toBe(walletBefore - 2_000_000n);
    let view = await holdings(alice);
    expect(view.funds[0]).toMatchObject({ productId: 'svp_mmf', shares: 2_000_000, pendingShares: 2_000_000 });

    for (let day = 0; day < 8 && view.funds[0].lastIncome === null; day++) {
      const moved = await t.app.inject({ method: 'POST', url: '/api/v1/dev/savings/clock', payload: { days: 1 } });
      expect(moved.statusCode, moved.body).toBe(200);
      view = await holdings(alice);
    }
    const income = await t.app.inject({ url: '/api/v1/savings/income?productId=svp_mmf', headers: alice.auth });
    const items = income.json().items;
    const first = items[items.length - 1];
    expect(first.eligibleShares).toBe(2_000_000);
    const per10k = BigInt(first.per10k.replace('.', ''));
    expect(BigInt(first.amount)).toBe(fundIncome(earningShares(2_000_000n, 2_000_000n), per10k));
    expect(view.funds[0].totalIncome).toBeGreaterThan(0);

    const fast = await redeem(alice, { amount: 600_000, speed: 'fast', confirmation: { pin: alice.pin } });
    expect(fast.statusCode, fast.body).toBe(201);
    expect(fast.json().status).toBe('completed');
    await refusedWithoutWrites(
      () => redeem(alice, { amount: 500_000, speed: 'fast', confirmation: { pin: alice.pin } }),
      422,
      'SAVINGS_FAST_REDEEM_CAP',
    );
    const ordinary = await redeem(alice, { amount: 500_000, speed: 'ordinary', confirmation: { pin: alice.pin } });
    expect(ordinary.json()).toMatchObject({ status: 'processing' });
    expect(ordinary.json().arrivesOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('confirms in two steps like a transfer', async () => {
    const prepared = await subscribe(alice, { productId: 'svp_mmf', amount: 10_000 });
    expect(prepared.statusCode, prepared.body).toBe(201);
    const order = prepared.json();
    expect(order.status).toBe('awaiting_confirmation');
    expect(order.confirmation.payee).toBe('savings:TB-MMF');
    const pin = await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${order.confirmation.id}/pin`,
      headers: alice.auth,
      payload: { pin: alice.pin },
    });
    expect(pin.statusCode, pin.body).toBe(200);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/savings/orders/${order.id}/complete`,
      headers: moneyHeaders(alice),
      payload: { confirmationId: order.confirmation.id },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('completed');
    const other = await t.app.inject({ url: `/api/v1/savings/orders/${order.id}`, headers: bob.auth });
    expect(other.statusCode).toBe(404);
  });

  it('leaves the ledger and every holding consistent', async () => {
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    expect(await t.services.savings.holdings.verify()).toEqual({ ok: true, problems: [] });
  });
});
