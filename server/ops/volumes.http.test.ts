import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import type { StaffRole } from '../identity/staff.js';
import { manualClock } from '../platform/clock.js';
import { signedInStaff, type TestStaff } from './test-support.js';

/** The overview's money volumes of the day, over HTTP: Beijing days, kinds grouped, roles enforced. */

// 2026-12-03 10:00 in Beijing; the Beijing day began at 2026-12-02T16:00Z.
const clock = manualClock('2026-12-03T02:00:00Z');
let t: TestApp;
const staff = {} as Record<StaffRole, TestStaff>;
let wallet: string;
let bank: string;
let seq = 0;

async function movement(kind: string, amountFen: bigint, at: string, reverse = false) {
  clock.set(new Date(at));
  const moved = await t.services.ledger.transfer({
    reference: `volumes-${seq++}`,
    currency: 'CNY',
    legs: [
      kind === 'withdraw' || kind === 'merchant_payment' || kind === 'p2p'
        ? { debitAccountId: wallet, creditAccountId: bank, amountFen }
        : { debitAccountId: bank, creditAccountId: wallet, amountFen },
    ],
    metadata: { kind },
    limitExempt: true,
  });
  if (!moved.ok) throw new Error(moved.error.code);
  if (reverse)
    expect((await t.services.ledger.reverse({ entryId: moved.value.entry.id, reference: `volumes-r-${seq}` })).ok).toBe(
      true,
    );
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const role of ['support', 'kyc_reviewer', 'risk_analyst', 'admin'] as StaffRole[])
    staff[role] = await signedInStaff(t, [role], clock.now());
  wallet = (await t.services.ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' })).id;
  bank = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
  await movement('topup', 900_00n, '2026-12-02T15:59:00Z'); // 23:59 yesterday in Beijing: not today
  await movement('topup', 500_00n, '2026-12-02T16:00:00Z'); // 00:00 today in Beijing
  await movement('online_banking', 250_50n, '2026-12-03T01:00:00Z');
  await movement('merchant_payment', 38_80n, '2026-12-03T01:10:00Z');
  await movement('merchant_payment', 12_00n, '2026-12-03T01:20:00Z');
  await movement('p2p', 66_00n, '2026-12-03T01:30:00Z');
  await movement('withdraw', 100_00n, '2026-12-03T01:40:00Z');
  await movement('salary', 1_000_00n, '2026-12-03T01:45:00Z'); // not one of the four
  clock.set(new Date('2026-12-03T02:00:00Z'));
});
afterAll(async () => t?.close());

const volumes = (who?: TestStaff) =>
  t.app.inject({ method: 'GET', url: '/api/v1/ops/overview/volumes', headers: who?.auth ?? {} });

describe("today's volumes", () => {
  it('counts and sums payments, transfers, top-ups and withdrawals of the Beijing day', async () => {
    const answer = await volumes(staff.admin);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({
      day: '2026-12-03',
      since: '2026-12-02T16:00:00.000Z',
      payments: { count: 2, amount: 50_80, currency: 'CNY' },
      transfers: { count: 1, amount: 66_00, currency: 'CNY' },
      topups: { count: 2, amount: 750_50, currency: 'CNY' },
      withdrawals: { count: 1, amount: 100_00, currency: 'CNY' },
    });
  });

  it('counts a reversed movement once, not its reversal', async () => {
    await movement('p2p', 10_00n, '2026-12-03T02:05:00Z', true);
    clock.set(new Date('2026-12-03T02:10:00Z'));
    expect((await volumes(staff.risk_analyst)).json().transfers).toEqual({ count: 2, amount: 76_00, currency: 'CNY' });
  });

  it('answers risk analysts and admins only', async () => {
    expect((await volumes(staff.risk_analyst)).statusCode).toBe(200);
    expect((await volumes(staff.support)).statusCode).toBe(403);
    expect((await volumes(staff.kyc_reviewer)).statusCode).toBe(403);
    expect((await volumes()).statusCode).toBe(401);
  });

  it('starts a new day at midnight in Beijing', async () => {
    clock.set(new Date('2026-12-03T16:00:00Z'));
    // A fresh sign-in: the morning's session has timed out by now.
    const next = (await volumes(await signedInStaff(t, ['admin'], clock.now()))).json();
    expect(next.day).toBe('2026-12-04');
    expect(next.payments).toEqual({ count: 0, amount: 0, currency: 'CNY' });
  });
});
