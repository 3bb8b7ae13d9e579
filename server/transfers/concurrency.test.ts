import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { testEngine } from '../../test/db.js';
import { prng } from '../../test/ledger-factories.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';

/**
 * Many transfers from the same wallets at once, over HTTP, with retried Idempotency-Keys: no wallet
 * goes below zero, the money is conserved, and no key or transfer posts twice.
 */

const onPostgres = testEngine === 'postgres';
const LIMITS = { dailyFen: 100_000_000n, balanceCapFen: 1_000_000_000n };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // Bursts from one holder are this file's subject: the risk engine's velocity rule (tested at its
  // boundary in server/risk/rules.test.ts) would ask these payers to step up, so an admin lifts it here.
  const lifted = await t.services.risk.rules.change(
    'velocity',
    { thresholds: { maxCount: 1_000_000, maxAmountFen: 100_000_000_000 }, reason: 'test: bursts from one holder' },
    { id: 'stf_test' },
  );
  expect(lifted.ok).toBe(true);
});
afterAll(async () => t?.close());

async function p2pEntries(): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM ledger_entries WHERE reference LIKE 'p2p:%'`,
  );
  return Number(rows[0].n);
}

describe(`concurrent transfers (${testEngine})`, () => {
  it('never overdraws one wallet under a burst of one-request sends, each key sent twice at once', async () => {
    const payer = await walletHolder(t, { name: '张三', balanceFen: 10_000n, limits: LIMITS });
    const payees = [
      await walletHolder(t, { name: '李四', limits: LIMITS }),
      await walletHolder(t, { name: '王五', limits: LIMITS }),
    ];
    const attempts = onPostgres ? 60 : 30;
    const send = (i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: moneyHeaders(payer, `burst-${i}`),
        payload: {
          payee: { walletId: payees[i % 2].walletId },
          amount: 300,
          currency: 'CNY',
          confirmation: { pin: payer.pin },
        },
      });
    const answers = await Promise.all(Array.from({ length: attempts }, (_, i) => [send(i), send(i)]).flat());
    // A retry after everything settled replays the first answer.
    const retries = await Promise.all(Array.from({ length: attempts }, (_, i) => send(i)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(
      statuses.every((status) => [201, 409, 422].includes(status)),
      JSON.stringify(statuses),
    ).toBe(true);

    const completed = new Set(
      [...answers, ...retries]
        .filter((answer) => answer.statusCode === 201)
        .map((answer) => answer.json().id as string),
    );
    const expected = Math.min(attempts, Math.floor(10_000 / 300));
    expect(completed.size).toBe(expected);
    for (const retry of retries) expect([201, 422]).toContain(retry.statusCode);
    expect(await balanceOf(t, payer.walletId)).toBe(10_000n - BigInt(expected) * 300n);
    const received = (await balanceOf(t, payees[0].walletId)) + (await balanceOf(t, payees[1].walletId));
    expect(received).toBe(BigInt(expected) * 300n);
    const { rows } = await t.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM transfers WHERE payer_user_id = $1 AND status = 'completed'`,
      [payer.userId],
    );
    expect(Number(rows[0].n)).toBe(expected);
  });

  it('completes each prepared transfer once when completions race with different keys', async () => {
    const payer = await walletHolder(t, { name: '赵六', balanceFen: 5_000n, limits: LIMITS });
    const payee = await walletHolder(t, { name: '孙七', limits: LIMITS });
    const count = onPostgres ? 12 : 6;
    const prepared = [];
    for (let i = 0; i < count; i++) {
      const answer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: moneyHeaders(payer),
        payload: { payee: { walletId: payee.walletId }, amount: 700, currency: 'CNY' },
      });
      expect(answer.statusCode, answer.body).toBe(201);
      prepared.push(answer.json());
    }
    for (const transfer of prepared) {
      const confirmed = await t.app.inject({
        method: 'POST',
        url: `/api/v1/confirmations/${transfer.confirmation.id}/pin`,
        headers: payer.auth,
        payload: { pin: payer.pin },
      });
      expect(confirmed.statusCode).toBe(200);
    }
    const entriesBefore = await p2pEntries();
    const complete = (transfer: { id: string; confirmation: { id: string } }) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/transfers/${transfer.id}/complete`,
        headers: moneyHeaders(payer),
        payload: { confirmationId: transfer.confirmation.id },
      });
    await Promise.all(prepared.flatMap((transfer) => [complete(transfer), complete(transfer), complete(transfer)]));
    const fitting = Math.min(count, Math.floor(5_000 / 700));
    expect(await p2pEntries()).toBe(entriesBefore + fitting);
    expect(await balanceOf(t, payer.walletId)).toBe(5_000n - BigInt(fitting) * 700n);
    expect(await balanceOf(t, payee.walletId)).toBe(BigInt(fitting) * 700n);
  });

  it('keeps the total among holders paying each other at random', async () => {
    const holders: WalletHolder[] = [];
    for (let i = 0; i < 5; i++)
      holders.push(await walletHolder(t, { name: '钱八', balanceFen: 2_000n, limits: LIMITS }));
    const random = prng(42);
    const plans = Array.from({ length: onPostgres ? 80 : 30 }, (_, i) => {
      const from = Math.floor(random() * holders.length);
      const to = (from + 1 + Math.floor(random() * (holders.length - 1))) % holders.length;
      return { i, from: holders[from], to: holders[to], amount: 1 + Math.floor(random() * 900) };
    });
    const answers = await Promise.all(
      plans.map((plan) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/transfers',
          headers: moneyHeaders(plan.from, `mesh-${plan.i}`),
          payload: {
            payee: { walletId: plan.to.walletId },
            amount: plan.amount,
            currency: 'CNY',
            confirmation: { pin: plan.from.pin },
          },
        }),
      ),
    );
    for (const answer of answers) expect([201, 422], answer.body).toContain(answer.statusCode);
    let total = 0n;
    for (const holder of holders) {
      const balance = await balanceOf(t, holder.walletId);
      expect(balance >= 0n).toBe(true);
      total += balance;
    }
    expect(total).toBe(10_000n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
