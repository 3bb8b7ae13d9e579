import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';

// P2P transfers with the risk engine wired in, through HTTP: a held transfer waits while the holder
// is asked "was this you?"; confirming completes it once, denying fails it and freezes the wallet.
// The device and network the request came from reach the engine.
const NIGHT = '2026-11-23T17:30:00Z'; // 01:30 in Shanghai: large amounts are held
const NOON = '2026-11-24T04:00:00Z';
const clock = manualClock(NIGHT);
const LIMITS = { dailyFen: 100_000_000n, balanceCapFen: 1_000_000_000n };
let t: TestApp;
let bob: WalletHolder;

beforeAll(async () => {
  t = await createTestApp({ clock });
  bob = await walletHolder(t, { name: '李四', limits: LIMITS });
});
afterAll(async () => t?.close());

async function p2pEntries(transferId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ledger_entries WHERE reference = $1`, [
    `p2p:${transferId}`,
  ]);
  return Number(rows[0].n);
}

const available = async (walletId: string) => (await t.services.ledger.getAccount(walletId))?.availableFen;
const transfer = async (holder: WalletHolder, id: string) =>
  (await t.app.inject({ url: `/api/v1/transfers/${id}`, headers: holder.auth })).json();
const complete = (holder: WalletHolder, id: string, confirmationId: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/transfers/${id}/complete`,
    headers: moneyHeaders(holder),
    payload: { confirmationId },
  });

/** A large transfer at night, sent with the PIN in one request: held. */
async function heldTransfer(payer: WalletHolder, amount: number) {
  clock.set(NIGHT);
  const sent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: moneyHeaders(payer),
    payload: { payee: { walletId: bob.walletId }, amount, currency: 'CNY', confirmation: { pin: payer.pin } },
  });
  expect(sent.statusCode, sent.body).toBe(202);
  const problem = sent.json();
  expect(problem.code).toBe('RISK_CONFIRMATION_REQUIRED');
  expect(problem.reasons.map((reason: { code: string }) => reason.code)).toContain('RISK_NIGHT_LARGE');
  expect(problem.transferId).toMatch(/^trf_/);
  const pending = (await t.app.inject({ url: '/api/v1/risk/confirmations', headers: payer.auth })).json().items as {
    id: string;
    amount: number;
  }[];
  const held = pending.find((item) => item.amount === amount);
  if (!held) throw new Error('no held transfer to confirm');
  // The answer names the held movement and where to confirm it (docs/risk.md, issue 19).
  expect(problem).toMatchObject({
    holdId: held.id,
    confirmUrl: `/api/v1/risk/confirmations/${held.id}`,
    confirmPath: `/risk/confirmations/${held.id}`,
  });
  const linked = await t.app.inject({ url: problem.confirmUrl, headers: payer.auth });
  expect(linked.json()).toMatchObject({ id: held.id, amount, status: 'pending' });
  expect((await t.app.inject({ url: problem.confirmUrl, headers: bob.auth })).statusCode).toBe(404);
  return {
    transferId: problem.transferId as string,
    confirmationId: problem.confirmationId as string,
    riskHoldId: held.id,
  };
}

describe('a held P2P transfer', () => {
  it('waits with the money reserved; the holder confirms; the transfer then posts exactly once', async () => {
    const alice = await walletHolder(t, { name: '张三', balanceFen: 1_000_000n, limits: LIMITS });
    const { transferId, confirmationId, riskHoldId } = await heldTransfer(alice, 300_000);
    expect((await transfer(alice, transferId)).status).toBe('awaiting_confirmation');
    expect(await available(alice.walletId)).toBe(1_000_000n - 300_000n);
    expect(await p2pEntries(transferId)).toBe(0);
    // Completing again before the holder answers still waits, and moves nothing.
    const early = await complete(alice, transferId, confirmationId);
    expect([early.statusCode, early.json().code]).toEqual([202, 'RISK_CONFIRMATION_REQUIRED']);

    // Bob cannot answer for alice.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
          headers: bob.auth,
        })
      ).statusCode,
    ).toBe(404);
    const challenge = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
        headers: alice.auth,
      })
    ).json();
    expect(challenge).toMatchObject({ amount: 300_000, currency: 'CNY', payee: `wallet:${bob.walletId}` });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/confirmations/${challenge.confirmationId}/pin`,
          headers: alice.auth,
          payload: { pin: alice.pin },
        })
      ).statusCode,
    ).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/confirm`,
      headers: moneyHeaders(alice),
      payload: { confirmationId: challenge.confirmationId },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // The engine tells the transfers domain at once, which completes the transfer with alice's PIN-approved
    // confirmation.
    expect((await transfer(alice, transferId)).status).toBe('completed');

    // Completing now (the engine answers allow for this transfer) posts once, however often asked.
    const answers = await Promise.all([
      complete(alice, transferId, confirmationId),
      complete(alice, transferId, confirmationId),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json().status).toBe('completed');
    }
    expect(await p2pEntries(transferId)).toBe(1);
    expect(await balanceOf(t, alice.walletId)).toBe(1_000_000n - 300_000n);
    expect(await available(alice.walletId)).toBe(1_000_000n - 300_000n);
    expect((await transfer(bob, transferId)).status).toBe('completed');
  });

  it('denied: the transfer fails, nothing moves, the wallet is frozen', async () => {
    const carol = await walletHolder(t, { name: '王五', balanceFen: 1_000_000n, limits: LIMITS });
    const bobBefore = await balanceOf(t, bob.walletId);
    const { transferId, confirmationId, riskHoldId } = await heldTransfer(carol, 250_000);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${riskHoldId}/deny`,
      headers: moneyHeaders(carol),
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(await transfer(carol, transferId)).toMatchObject({ status: 'failed', failureCode: 'RISK_BLOCKED' });
    expect((await t.app.inject({ url: '/api/v1/me', headers: carol.auth })).json().frozen).toBe(true);
    const refused = await complete(carol, transferId, confirmationId);
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'TRANSFER_NOT_PENDING']);
    expect(await p2pEntries(transferId)).toBe(0);
    expect(await balanceOf(t, carol.walletId)).toBe(1_000_000n);
    expect(await available(carol.walletId)).toBe(1_000_000n);
    expect(await balanceOf(t, bob.walletId)).toBe(bobBefore);
  });
});

describe('where the request came from reaches the engine', () => {
  const send = (
    payer: WalletHolder,
    amount: number,
    extra: { headers?: Record<string, string>; remoteAddress?: string } = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: { ...moneyHeaders(payer), ...extra.headers },
      remoteAddress: extra.remoteAddress,
      payload: { payee: { walletId: bob.walletId }, amount, currency: 'CNY', confirmation: { pin: payer.pin } },
    });

  it('a device never seen before asks for a step-up on ¥600; the same without a device goes through', async () => {
    clock.set(NOON);
    const dave = await walletHolder(t, { name: '赵六', balanceFen: 100_000n, limits: LIMITS });
    const stepUp = await send(dave, 60_000, { headers: { 'x-device-id': `unknown-device-${process.pid}` } });
    expect([stepUp.statusCode, stepUp.json().code], stepUp.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(stepUp.json().reasons.map((reason: { code: string }) => reason.code)).toContain('RISK_NEW_DEVICE');
    expect(await balanceOf(t, dave.walletId)).toBe(100_000n);
    const plain = await send(dave, 60_000);
    expect(plain.statusCode, plain.body).toBe(201);
  });

  it('a datacenter address asks for a step-up on ¥300', async () => {
    clock.set(NOON);
    const erin = await walletHolder(t, { name: '孙七', balanceFen: 100_000n, limits: LIMITS });
    const stepUp = await send(erin, 30_000, { remoteAddress: '203.0.113.9' });
    expect([stepUp.statusCode, stepUp.json().code], stepUp.body).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(stepUp.json().reasons.map((reason: { code: string }) => reason.code)).toContain('RISK_NETWORK_CHANGE');
    expect(await balanceOf(t, erin.walletId)).toBe(100_000n);
  });
});
