import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { manualClock } from '../platform/clock.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;
let carol: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };

async function ask(requester: WalletHolder, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/transfer-requests', headers: requester.auth, payload });
}

async function kinds(holder: WalletHolder): Promise<string[]> {
  return (await t.app.inject({ url: '/api/v1/notifications?limit=50', headers: holder.auth }))
    .json()
    .items.map((n: { kind: string }) => n.kind);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  alice = await walletHolder(t, { name: '张三', limits: LIMITS });
  bob = await walletHolder(t, { name: '李四', balanceFen: 500_000n, limits: LIMITS });
  carol = await walletHolder(t, { name: '王五', limits: LIMITS });
});
afterAll(async () => t?.close());

describe('requests for money', () => {
  it('asks, is approved with the PIN, and is paid exactly once', async () => {
    const asked = await ask(alice, { payer: { phone: bob.phone }, amount: 6600, currency: 'CNY', note: '电影票' });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json();
    expect(request).toMatchObject({
      status: 'pending',
      direction: 'outgoing',
      amount: 6600,
      counterparty: { name: '*四' },
    });
    expect(new Date(request.expiresAt).getTime() - clock.now().getTime()).toBe(7 * 24 * 3600_000);
    expect(await kinds(bob)).toContain('transfer_request.received');

    const incoming = (await t.app.inject({ url: '/api/v1/transfer-requests?box=incoming', headers: bob.auth })).json();
    expect(incoming.items[0]).toMatchObject({ id: request.id, direction: 'incoming', counterparty: { name: '*三' } });
    const outgoing = (
      await t.app.inject({ url: '/api/v1/transfer-requests?box=outgoing', headers: alice.auth })
    ).json();
    expect(outgoing.items[0].id).toBe(request.id);

    // Only the one asked can pay; the requester cannot approve their own request.
    const selfApprove = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/approve`,
      headers: moneyHeaders(alice),
      payload: {},
    });
    expect(selfApprove.statusCode).toBe(404);
    const stranger = await t.app.inject({ url: `/api/v1/transfer-requests/${request.id}`, headers: carol.auth });
    expect(stranger.statusCode).toBe(404);

    const before = await balanceOf(t, alice.walletId);
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/approve`,
      headers: moneyHeaders(bob),
      payload: { confirmation: { pin: bob.pin } },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ status: 'completed', requestId: request.id, amount: 6600, note: '电影票' });
    expect(await balanceOf(t, alice.walletId)).toBe(before + 6600n);
    const after = (await t.app.inject({ url: `/api/v1/transfer-requests/${request.id}`, headers: alice.auth })).json();
    expect(after).toMatchObject({ status: 'paid', transferId: paid.json().id });

    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/approve`,
      headers: moneyHeaders(bob),
      payload: { confirmation: { pin: bob.pin } },
    });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'TRANSFER_REQUEST_NOT_PENDING']);
    expect(await balanceOf(t, alice.walletId)).toBe(before + 6600n);
  });

  it('approves in two steps; a request cancelled meanwhile is not paid', async () => {
    const request = (await ask(alice, { payer: { walletId: bob.walletId }, amount: 300, currency: 'CNY' })).json();
    const prepared = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/transfer-requests/${request.id}/approve`,
        headers: moneyHeaders(bob),
        payload: {},
      })
    ).json();
    expect(prepared.status).toBe('awaiting_confirmation');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/confirmations/${prepared.confirmation.id}/pin`,
          headers: bob.auth,
          payload: { pin: bob.pin },
        })
      ).statusCode,
    ).toBe(200);
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/cancel`,
      headers: alice.auth,
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect(await kinds(bob)).toContain('transfer_request.cancelled');
    const before = await balanceOf(t, bob.walletId);
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfers/${prepared.id}/complete`,
      headers: moneyHeaders(bob),
      payload: { confirmationId: prepared.confirmation.id },
    });
    expect([late.statusCode, late.json().code]).toEqual([409, 'TRANSFER_REQUEST_NOT_PENDING']);
    expect(await balanceOf(t, bob.walletId)).toBe(before);
  });

  it('pays a request once when two approvals complete at the same time', async () => {
    const request = (await ask(alice, { payer: { walletId: bob.walletId }, amount: 400, currency: 'CNY' })).json();
    const approvals = [];
    for (let i = 0; i < 2; i++) {
      const prepared = (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/transfer-requests/${request.id}/approve`,
          headers: moneyHeaders(bob),
          payload: {},
        })
      ).json();
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/confirmations/${prepared.confirmation.id}/pin`,
            headers: bob.auth,
            payload: { pin: bob.pin },
          })
        ).statusCode,
      ).toBe(200);
      approvals.push(prepared);
    }
    const before = await balanceOf(t, alice.walletId);
    const answers = await Promise.all(
      approvals.map((prepared) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/transfers/${prepared.id}/complete`,
          headers: moneyHeaders(bob),
          payload: { confirmationId: prepared.confirmation.id },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    expect(await balanceOf(t, alice.walletId)).toBe(before + 400n);
    expect(
      (await t.app.inject({ url: `/api/v1/transfer-requests/${request.id}`, headers: alice.auth })).json().status,
    ).toBe('paid');
  });

  it('declines, refuses answers to answered requests, and only lets each side do its part', async () => {
    const request = (await ask(alice, { payer: { walletId: bob.walletId }, amount: 700, currency: 'CNY' })).json();
    const notMine = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/decline`,
      headers: alice.auth,
    });
    expect(notMine.statusCode).toBe(404);
    const notYours = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/cancel`,
      headers: bob.auth,
    });
    expect(notYours.statusCode).toBe(404);
    const declined = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/decline`,
      headers: bob.auth,
    });
    expect(declined.json().status).toBe('declined');
    expect(await kinds(alice)).toContain('transfer_request.declined');
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfer-requests/${request.id}/cancel`,
      headers: alice.auth,
    });
    expect([cancel.statusCode, cancel.json().code]).toEqual([409, 'TRANSFER_REQUEST_NOT_PENDING']);
  });

  it('refuses bad requests: oneself, bad amounts, long notes, unknown payers', async () => {
    const before = (await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM transfer_requests')).rows[0].n;
    expect((await ask(alice, { payer: { walletId: alice.walletId }, amount: 100, currency: 'CNY' })).json().code).toBe(
      'SELF_TRANSFER',
    );
    for (const payload of [
      { payer: { walletId: bob.walletId }, amount: 0, currency: 'CNY' },
      { payer: { walletId: bob.walletId }, amount: 100, currency: 'CNY', note: 'n'.repeat(51) },
      { payer: { walletId: bob.walletId }, amount: 100, currency: 'CNY', expiresInHours: 0 },
      { payer: { phone: 'abc' }, amount: 100, currency: 'CNY' },
    ]) {
      expect((await ask(alice, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await ask(alice, { payer: { phone: '13900000001' }, amount: 100, currency: 'CNY' })).statusCode).toBe(404);
    expect((await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM transfer_requests')).rows[0].n).toBe(before);
  });

  it('expires unanswered requests and awaiting transfers, and tells both sides', async () => {
    const request = (
      await ask(carol, { payer: { walletId: bob.walletId }, amount: 900, currency: 'CNY', expiresInHours: 1 })
    ).json();
    const stale = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: moneyHeaders(bob),
        payload: { payee: { walletId: carol.walletId }, amount: 5, currency: 'CNY' },
      })
    ).json();
    // Sessions time out within the hour too, so the rest is checked through the services.
    clock.advanceMs(3600_000 + 1);
    expect(await t.services.transferRequests.expire()).toBeGreaterThanOrEqual(1);
    expect(await t.services.transfers.expire()).toBeGreaterThanOrEqual(1);
    expect((await t.services.transferRequests.get(carol.userId, request.id))?.status).toBe('expired');
    expect((await t.services.transfers.get(bob.userId, stale.id))?.status).toBe('expired');
    const kindsOf = async (holder: WalletHolder) =>
      (await t.services.notifications.list(holder.userId, { limit: 50 })).items.map((n) => n.kind);
    expect(await kindsOf(carol)).toContain('transfer_request.expired');
    expect(await kindsOf(bob)).toContain('transfer_request.expired');
    const approve = await t.services.transferRequests.approve(bob.userId, request.id, { pin: bob.pin });
    expect(approve.ok ? 'ok' : approve.error.code).toBe('TRANSFER_REQUEST_NOT_PENDING');
  });
});
