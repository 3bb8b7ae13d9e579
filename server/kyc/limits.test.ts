import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { type TestStaff, residentIdForm, signInStaff, submitKyc } from '../../test/kyc-factories.js';
import { createLedgerService } from '../ledger/service.js';
import { manualClock } from '../platform/clock.js';
import type { Tier } from './tiers.js';

/**
 * Tier limits are ledger account limits: checked in the transaction that moves the money, on
 * Asia/Shanghai days, and replaced in one transaction when the tier changes. On PostgreSQL
 * (DATABASE_URL set) the burst below runs truly concurrently across several ledger writers.
 */

const clock = manualClock('2026-11-24T02:00:00Z');
let t: TestApp;
let bank: string;
let shop: string;
let reviewer: TestStaff;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({ clock });
  bank = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
  shop = (await t.services.ledger.createAccount({ kind: 'merchant_settlement', currency: 'CNY' })).id;
  reviewer = await signInStaff(t, ['kyc_reviewer'], clock.now());
});
afterAll(async () => t?.close());

const walletOf = async (user: TestUser) => (await t.services.identity.profile(user.userId))?.walletAccountId as string;

async function fund(wallet: string, amountFen: bigint) {
  return t.services.ledger.transfer({
    reference: `fund-${++seq}`,
    currency: 'CNY',
    legs: [{ debitAccountId: bank, creditAccountId: wallet, amountFen }],
  });
}

async function pay(wallet: string, amountFen: bigint, ledger = t.services.ledger) {
  return ledger.transfer({
    reference: `pay-${++seq}`,
    currency: 'CNY',
    legs: [{ debitAccountId: wallet, creditAccountId: shop, amountFen }],
  });
}

async function limits(user: TestUser) {
  const response = await t.app.inject({ url: '/api/v1/me/limits', headers: { ...user.auth, 'accept-language': 'en' } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

// Staff sessions would idle out while the clock jumps days, so tier changes go through the services here,
// asked by one reviewer and approved by another (the HTTP routes are tested in kyc.http.test.ts).
async function setTier(user: TestUser, tier: Tier) {
  const asked = await t.services.kyc.tierChanges.request(
    { kind: 'staff', id: reviewer.staffId, roles: ['kyc_reviewer'] },
    user.userId,
    tier,
    'limits test',
  );
  if (!asked.ok) throw new Error(asked.error.code);
  const checker = { kind: 'staff' as const, id: 'stf_limits_checker', roles: ['kyc_reviewer'] };
  const approved = await t.services.approvals.decide(asked.value.id, checker, { approve: true, note: 'limits test' });
  if (!approved.ok) throw new Error(approved.error.code);
  return approved.value.outcome as { previousTier: string; tier: Tier };
}

describe('tier limits in the ledger', () => {
  // 60 × ¥300 = ¥18,000 against a ¥10,000 daily limit: exactly 33 payments (¥9,900) fit.
  async function burst(extraWriters: number) {
    const user = await registerUser(t);
    const wallet = await walletOf(user);
    await setTier(user, 'verified');
    expect((await fund(wallet, 1_500_000n)).ok).toBe(true);
    const writers = [
      t.services.ledger,
      ...Array.from({ length: extraWriters }, () => createLedgerService({ db: t.db, clock })),
    ];
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, (_, i) => pay(wallet, 30_000n, writers[i % writers.length])),
      );
      const paidFen = 30_000n * BigInt(outcomes.filter((o) => o.ok).length);
      expect(paidFen <= 1_000_000n, `paid ${paidFen} fen against a daily limit of 1000000`).toBe(true);
      expect(paidFen).toBe(990_000n);
      expect((await t.services.ledger.usage(wallet)).dayFen).toBe(990_000n);
      expect(
        outcomes
          .filter((o) => !o.ok)
          .every((o) => !o.ok && o.error.code === 'LIMIT_EXCEEDED' && o.error.limit === 'dailyFen'),
      ).toBe(true);
      expect((await t.services.ledger.getAccount(wallet))?.balanceFen).toBe(1_500_000n - 990_000n);
      expect((await pay(wallet, 10_000n)).ok).toBe(true); // exactly what remains
      const over = await pay(wallet, 1n);
      expect(over.ok ? null : over.error).toMatchObject({
        code: 'LIMIT_EXCEEDED',
        limit: 'dailyFen',
        remainingFen: 0n,
      });
      expect((await t.services.ledger.usage(wallet)).dayFen).toBe(1_000_000n);
    } finally {
      await Promise.all(writers.slice(1).map((writer) => writer.close()));
    }
  }

  it('never lets a burst of concurrent payments through one ledger pass the daily limit', () => burst(0));

  // Several writers stand for several server processes (or domains calling ledger.execute in their
  // own transactions) on one PostgreSQL. Each transaction waits for the wallet's row lock and must
  // then see the usage the previous one committed.
  it('never lets a burst spread over several ledger writers pass the daily limit', () => burst(3));

  it('starts a new day at midnight Asia/Shanghai (16:00 UTC)', async () => {
    clock.set('2026-11-24T15:59:59.000Z'); // 23:59:59 in Shanghai
    const user = await registerUser(t);
    const wallet = await walletOf(user);
    expect((await fund(wallet, 200_000n)).ok).toBe(true);
    expect((await pay(wallet, 120_000n)).ok).toBe(true);
    expect((await pay(wallet, 80_000n)).ok).toBe(true);
    expect((await fund(wallet, 200_000n)).ok).toBe(true);
    const refused = await pay(wallet, 1n);
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'dailyFen',
      usedFen: 200_000n,
      remainingFen: 0n,
    });
    expect((await limits(user)).limits[0]).toEqual({
      name: 'dailyFen',
      limit: { amount: 200_000, currency: 'CNY' },
      used: { amount: 200_000, currency: 'CNY' },
      remaining: { amount: 0, currency: 'CNY' },
    });

    clock.set('2026-11-24T16:00:00.000Z'); // 00:00:00 the next day in Shanghai
    expect((await pay(wallet, 1n)).ok).toBe(true);
    const view = await limits(user);
    expect(view.limits[0].used.amount).toBe(1);
    expect(view.limits[1]).toMatchObject({
      name: 'yearlyFen',
      used: { amount: 200_001 },
      remaining: { amount: 5_000_000 - 200_001 },
    });
  });

  it('applies a tier change to the very next movement, both ways', async () => {
    clock.set('2026-11-25T03:00:00Z');
    const user = await registerUser(t);
    const wallet = await walletOf(user);
    await fund(wallet, 200_000n);
    expect((await pay(wallet, 200_000n)).ok).toBe(true);
    await fund(wallet, 100_000n);
    expect((await pay(wallet, 100n)).ok).toBe(false);

    expect(await setTier(user, 'verified')).toEqual({ previousTier: 'basic', tier: 'verified' });
    expect((await pay(wallet, 100n)).ok).toBe(true);
    expect((await fund(wallet, 500_000n)).ok).toBe(true); // no balance cap at this tier

    await setTier(user, 'basic');
    const refused = await pay(wallet, 100n);
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'dailyFen' });
    const capped = await fund(wallet, 1n);
    expect(capped.ok ? null : capped.error).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'balanceCapFen' });
  });

  it('answers LIMIT_EXCEEDED with the limit, what remains as an amount, and how to upgrade', async () => {
    const user = await registerUser(t);
    const wallet = await walletOf(user);
    await fund(wallet, 200_000n);
    await pay(wallet, 150_000n);
    const refused = await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: { 'idempotency-key': `lim-${++seq}` },
      payload: {
        reference: `lim-http-${seq}`,
        currency: 'CNY',
        legs: [{ debitAccountId: wallet, creditAccountId: shop, amount: 50_001 }],
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'dailyFen',
      limitFen: 200_000,
      usedFen: 150_000,
      remainingFen: 50_000,
      remaining: { amount: 50_000, currency: 'CNY' },
      upgrade: { nextStepHref: '/api/v1/me/limits', verificationHref: '/api/v1/me/kyc/submissions' },
    });
  });

  it('shows the tier, each limit and the next step as verification progresses', async () => {
    const user = await registerUser(t);
    const basic = await limits(user);
    expect(basic.tier).toBe('basic');
    expect(basic.limits.map((l: { name: string }) => l.name)).toEqual(['dailyFen', 'yearlyFen', 'balanceCapFen']);
    expect(basic.nextStep).toMatchObject({
      action: 'verify_identity',
      tier: 'verified',
      href: '/api/v1/me/kyc/submissions',
    });

    expect((await submitKyc(t, user, residentIdForm(['UNCERTAIN']))).json().status).toBe('manual_review');
    expect((await limits(user)).nextStep.action).toBe('wait_for_review');

    await setTier(user, 'verified');
    const verified = await limits(user);
    expect(verified.limits).toEqual([
      {
        name: 'dailyFen',
        limit: { amount: 1_000_000, currency: 'CNY' },
        used: { amount: 0, currency: 'CNY' },
        remaining: { amount: 1_000_000, currency: 'CNY' },
      },
      {
        name: 'yearlyFen',
        limit: { amount: 20_000_000, currency: 'CNY' },
        used: { amount: 0, currency: 'CNY' },
        remaining: { amount: 20_000_000, currency: 'CNY' },
      },
      { name: 'balanceCapFen', limit: null, used: { amount: 0, currency: 'CNY' }, remaining: null },
    ]);
    expect(verified.nextStep.action).toBe('visit_branch');
    await setTier(user, 'full');
    expect((await limits(user)).nextStep).toBeNull();
  });
});
