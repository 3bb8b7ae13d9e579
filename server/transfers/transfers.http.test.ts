import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  balanceOf,
  fund,
  moneyHeaders,
  setLimits,
  walletHolder,
  type WalletHolder,
} from '../../test/transfer-factories.js';
import { DEFAULT_LOOKUPS_PER_HOUR } from './service.js';

let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;
let carol: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

async function prepare(payer: WalletHolder, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/transfers', headers: moneyHeaders(payer), payload });
}

async function confirmPin(holder: WalletHolder, confirmationId: string, pin = holder.pin) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmationId}/pin`,
    headers: holder.auth,
    payload: { pin },
  });
}

async function complete(holder: WalletHolder, transferId: string, confirmationId: string, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/transfers/${transferId}/complete`,
    headers: moneyHeaders(holder, key),
    payload: { confirmationId },
  });
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await walletHolder(t, { name: '张三', balanceFen: 1_000_000n, limits: LIMITS });
  bob = await walletHolder(t, { name: '李四', limits: LIMITS });
  carol = await walletHolder(t, { name: '王五', limits: LIMITS });
});
afterAll(async () => t?.close());

describe('payee lookup', () => {
  it('shows the masked name and phone by phone number or wallet id', async () => {
    const byPhone = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { phone: bob.phone } },
    });
    expect(byPhone.statusCode, byPhone.body).toBe(200);
    expect(byPhone.json()).toEqual({
      name: '*四',
      phone: `${bob.phone.slice(0, 3)}****${bob.phone.slice(-4)}`,
      walletId: bob.walletId,
    });
    const byWallet = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { walletId: bob.walletId } },
    });
    expect(byWallet.json().name).toBe('*四');
  });

  it('answers unknown payees, bad phones and oneself with clear problems', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { phone: '13900000000' } },
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'PAYEE_NOT_FOUND']);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { phone: '12345' } },
    });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_PHONE']);
    const self = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { walletId: alice.walletId } },
    });
    expect([self.statusCode, self.json().code]).toEqual([422, 'SELF_TRANSFER']);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      payload: { payee: { phone: bob.phone } },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('caps phone lookups per holder per hour', async () => {
    const dave = await walletHolder(t, { name: '赵六' });
    for (let i = 0; i < DEFAULT_LOOKUPS_PER_HOUR; i++) {
      const answer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers/payee-lookup',
        headers: dave.auth,
        payload: { payee: { phone: `1390000${String(i).padStart(4, '0')}` } },
      });
      expect(answer.statusCode).toBe(404);
    }
    const capped = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: dave.auth,
      payload: { payee: { phone: bob.phone } },
    });
    expect([capped.statusCode, capped.json().code]).toEqual([429, 'PAYEE_LOOKUP_LIMITED']);
    // Transfers by phone count too; by wallet id (not enumerable) they do not.
    expect((await prepare(dave, { payee: { phone: bob.phone }, amount: 1, currency: 'CNY' })).statusCode).toBe(429);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/payee-lookup',
      headers: alice.auth,
      payload: { payee: { phone: bob.phone } },
    });
    expect(other.statusCode).toBe(200);
  });
});

describe('two-step transfer', () => {
  it('prepares, confirms with the PIN, completes once, and notifies both sides', async () => {
    const [aliceBefore, bobBefore] = [await balanceOf(t, alice.walletId), await balanceOf(t, bob.walletId)];
    const prepared = await prepare(alice, {
      payee: { phone: bob.phone },
      amount: 8850,
      currency: 'CNY',
      note: '午饭 AA',
    });
    expect(prepared.statusCode, prepared.body).toBe(201);
    const transfer = prepared.json();
    expect(transfer).toMatchObject({
      status: 'awaiting_confirmation',
      direction: 'outgoing',
      amount: 8850,
      note: '午饭 AA',
      counterparty: { name: '*四' },
    });
    expect(transfer.confirmation.payee).toBe(`wallet:${bob.phone.slice(0, 3)}****${bob.phone.slice(-4)}`);
    const cid = transfer.confirmation.id;

    const early = await complete(alice, transfer.id, cid);
    expect([early.statusCode, early.json().code]).toEqual([422, 'CONFIRMATION_INVALID']);
    expect(await balanceOf(t, alice.walletId)).toBe(aliceBefore);

    expect((await confirmPin(alice, cid)).statusCode).toBe(200);
    const done = await complete(alice, transfer.id, cid, `complete-${transfer.id}`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', confirmation: null });
    expect(done.json().entryId).toMatch(/^ent_/);
    expect(await balanceOf(t, alice.walletId)).toBe(aliceBefore - 8850n);
    expect(await balanceOf(t, bob.walletId)).toBe(bobBefore + 8850n);

    const replay = await complete(alice, transfer.id, cid, `complete-${transfer.id}`);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const again = await complete(alice, transfer.id, cid);
    expect([again.statusCode, again.json().status]).toEqual([200, 'completed']);
    expect(await balanceOf(t, alice.walletId)).toBe(aliceBefore - 8850n);

    const entry = await t.services.ledger.getEntry(done.json().entryId);
    const masked = (holder: WalletHolder) => `${holder.phone.slice(0, 3)}****${holder.phone.slice(-4)}`;
    expect(entry?.metadata).toMatchObject({
      kind: 'p2p',
      ref: transfer.id,
      note: '午饭 AA',
      counterpartyOut: `*四 ${masked(bob)}`,
      counterpartyIn: `*三 ${masked(alice)}`,
    });
    expect(JSON.stringify(entry?.metadata)).not.toContain(bob.phone);

    const kinds = async (holder: WalletHolder) =>
      (await t.app.inject({ url: '/api/v1/notifications', headers: holder.auth }))
        .json()
        .items.map((n: { kind: string }) => n.kind);
    expect(await kinds(alice)).toContain('transfer.sent');
    expect(await kinds(bob)).toContain('transfer.received');
  });

  it('shows each side the other masked, and nobody else anything', async () => {
    const sent = await prepare(alice, {
      payee: { walletId: bob.walletId },
      amount: 100,
      currency: 'CNY',
      confirmation: { pin: alice.pin },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().id;
    const forAlice = (await t.app.inject({ url: `/api/v1/transfers/${id}`, headers: alice.auth })).json();
    const forBob = (await t.app.inject({ url: `/api/v1/transfers/${id}`, headers: bob.auth })).json();
    expect(forAlice).toMatchObject({
      direction: 'outgoing',
      counterparty: { name: '*四', phone: `${bob.phone.slice(0, 3)}****${bob.phone.slice(-4)}` },
    });
    expect(forBob).toMatchObject({
      direction: 'incoming',
      counterparty: { name: '*三', phone: `${alice.phone.slice(0, 3)}****${alice.phone.slice(-4)}` },
    });
    expect(JSON.stringify(forBob)).not.toContain(alice.phone);
    const forCarol = await t.app.inject({ url: `/api/v1/transfers/${id}`, headers: carol.auth });
    expect([forCarol.statusCode, forCarol.json().code]).toEqual([404, 'TRANSFER_NOT_FOUND']);
    const carolList = (await t.app.inject({ url: '/api/v1/transfers', headers: carol.auth })).json();
    expect(carolList.items.map((item: { id: string }) => item.id)).not.toContain(id);
    // The payee cannot complete, and nobody else can either.
    const byBob = await complete(bob, id, 'cfm_x');
    expect(byBob.statusCode).toBe(404);
  });

  it('refuses a confirmation made for another transfer', async () => {
    const x = (await prepare(alice, { payee: { walletId: bob.walletId }, amount: 500, currency: 'CNY' })).json();
    const y = (await prepare(alice, { payee: { walletId: carol.walletId }, amount: 500, currency: 'CNY' })).json();
    expect((await confirmPin(alice, x.confirmation.id)).statusCode).toBe(200);
    const before = await balanceOf(t, alice.walletId);
    const crossed = await complete(alice, y.id, x.confirmation.id);
    expect([crossed.statusCode, crossed.json().code]).toEqual([422, 'CONFIRMATION_INVALID']);
    expect(await balanceOf(t, alice.walletId)).toBe(before);
    expect((await t.app.inject({ url: `/api/v1/transfers/${y.id}`, headers: alice.auth })).json().status).toBe(
      'awaiting_confirmation',
    );
    // The confirmation is still good for the transfer it was made for, once.
    expect((await complete(alice, x.id, x.confirmation.id)).json().status).toBe('completed');
    expect(await balanceOf(t, alice.walletId)).toBe(before - 500n);
  });
});

describe('one-request transfer', () => {
  it('sends at once with the PIN and replays by Idempotency-Key without posting twice', async () => {
    const before = await balanceOf(t, alice.walletId);
    const key = `send-once-${Date.now()}`;
    const payload = {
      payee: { walletId: carol.walletId },
      amount: 1234,
      currency: 'CNY',
      note: 'rent',
      confirmation: { pin: alice.pin },
    };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: moneyHeaders(alice, key),
      payload,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().status).toBe('completed');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: moneyHeaders(alice, key),
      payload,
    });
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await balanceOf(t, alice.walletId)).toBe(before - 1234n);
  });

  it('refuses a wrong PIN and moves nothing', async () => {
    // A fresh payer: alice has paid often enough in this file for the risk engine's velocity rule.
    const erin = await walletHolder(t, { name: '孙七', balanceFen: 10_000n, limits: LIMITS });
    const wrong = await prepare(erin, {
      payee: { walletId: carol.walletId },
      amount: 100,
      currency: 'CNY',
      confirmation: { pin: '000001' },
    });
    expect([wrong.statusCode, wrong.json().code]).toEqual([422, 'PIN_INVALID']);
    expect(await balanceOf(t, erin.walletId)).toBe(10_000n);
    // The right PIN still works after one wrong try.
    const right = await prepare(erin, {
      payee: { walletId: carol.walletId },
      amount: 1,
      currency: 'CNY',
      confirmation: { pin: erin.pin },
    });
    expect(right.statusCode, right.body).toBe(201);
    expect(await balanceOf(t, erin.walletId)).toBe(9_999n);
  });
});

describe('refusals', () => {
  it('refuses transfers to oneself, beyond the balance and to unknown payees, writing nothing', async () => {
    const before = await count('transfers');
    const self = await prepare(alice, { payee: { phone: alice.phone }, amount: 100, currency: 'CNY' });
    expect([self.statusCode, self.json().code]).toEqual([422, 'SELF_TRANSFER']);
    const tooMuch = await prepare(bob, {
      payee: { walletId: alice.walletId },
      amount: 999_999_999,
      currency: 'CNY',
      confirmation: { pin: bob.pin },
    });
    expect([tooMuch.statusCode, tooMuch.json().code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
    const unknown = await prepare(alice, {
      payee: { walletId: 'acc_0000000000000000000000nope' },
      amount: 100,
      currency: 'CNY',
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'PAYEE_NOT_FOUND']);
    expect(await count('transfers')).toBe(before);
  });

  it('answers bad input with 4xx problems and writes nothing', async () => {
    const [transfers, entries, confirmations] = [
      await count('transfers'),
      await count('ledger_entries'),
      await count('payment_confirmations'),
    ];
    const base = { payee: { walletId: bob.walletId }, amount: 100, currency: 'CNY' };
    const bad: Record<string, unknown>[] = [
      { ...base, amount: 0 },
      { ...base, amount: -5 },
      { ...base, amount: 1.5 },
      { ...base, amount: '100' },
      { ...base, amount: 2 ** 53 },
      { ...base, currency: 'USD' },
      { ...base, note: 'x'.repeat(51) },
      { ...base, note: 'bad\u0000note' },
      { ...base, extra: true },
      { ...base, payee: { walletId: 'not an id' } },
      { ...base, payee: { phone: bob.phone, walletId: bob.walletId } },
      { ...base, payee: {} },
      { ...base, confirmation: { pin: '12345' } },
      { amount: 100, currency: 'CNY' },
    ];
    for (const payload of bad) {
      const answer = await prepare(alice, payload);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    const noKey = await t.app.inject({ method: 'POST', url: '/api/v1/transfers', headers: alice.auth, payload: base });
    expect([noKey.statusCode, noKey.json().code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    const note50 = await prepare(alice, { ...base, note: '备'.repeat(50) });
    expect(note50.statusCode).toBe(201);
    expect([await count('transfers'), await count('ledger_entries'), await count('payment_confirmations')]).toEqual([
      transfers + 1,
      entries,
      confirmations + 1,
    ]);
  });

  it('refuses a frozen payer with ACCOUNT_FROZEN', async () => {
    const erin = await walletHolder(t, { name: '孙七', balanceFen: 50_000n, limits: LIMITS });
    const prepared = (await prepare(erin, { payee: { walletId: bob.walletId }, amount: 100, currency: 'CNY' })).json();
    expect((await confirmPin(erin, prepared.confirmation.id)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/me/freeze', headers: erin.auth })).statusCode).toBe(204);
    const frozenNew = await prepare(erin, {
      payee: { walletId: bob.walletId },
      amount: 100,
      currency: 'CNY',
      confirmation: { pin: erin.pin },
    });
    expect([frozenNew.statusCode, frozenNew.json().code]).toEqual([423, 'ACCOUNT_FROZEN']);
    // A transfer prepared and confirmed before the freeze is refused by the ledger at completion.
    const late = await complete(erin, prepared.id, prepared.confirmation.id);
    expect([late.statusCode, late.json().code]).toEqual([423, 'ACCOUNT_FROZEN']);
    expect((await t.app.inject({ url: `/api/v1/transfers/${prepared.id}`, headers: erin.auth })).json()).toMatchObject({
      status: 'failed',
      failureCode: 'ACCOUNT_FROZEN',
    });
    expect(await balanceOf(t, erin.walletId)).toBe(50_000n);
  });

  it('applies tier limits per payment and per day', async () => {
    const fay = await walletHolder(t, {
      name: '周八',
      limits: { perMovementFen: 5_000n, dailyFen: 8_000n, balanceCapFen: 1_000_000n },
    });
    await fund(t, fay.walletId, 100_000n);
    const perPayment = await prepare(fay, {
      payee: { walletId: bob.walletId },
      amount: 5_001,
      currency: 'CNY',
      confirmation: { pin: fay.pin },
    });
    expect([perPayment.statusCode, perPayment.json().code, perPayment.json().limit]).toEqual([
      422,
      'LIMIT_EXCEEDED',
      'perMovementFen',
    ]);
    expect(
      (
        await prepare(fay, {
          payee: { walletId: bob.walletId },
          amount: 5_000,
          currency: 'CNY',
          confirmation: { pin: fay.pin },
        })
      ).statusCode,
    ).toBe(201);
    const daily = await prepare(fay, {
      payee: { walletId: bob.walletId },
      amount: 3_001,
      currency: 'CNY',
      confirmation: { pin: fay.pin },
    });
    expect([daily.statusCode, daily.json().code, daily.json().limit]).toEqual([422, 'LIMIT_EXCEEDED', 'dailyFen']);
    expect(await balanceOf(t, fay.walletId)).toBe(95_000n);
    await setLimits(t, fay.walletId, { dailyFen: 20_000n, balanceCapFen: 1_000_000n });
    expect(
      (
        await prepare(fay, {
          payee: { walletId: bob.walletId },
          amount: 3_001,
          currency: 'CNY',
          confirmation: { pin: fay.pin },
        })
      ).statusCode,
    ).toBe(201);
  });
});

describe('listing', () => {
  it('pages through my transfers newest first with a cursor', async () => {
    const gus = await walletHolder(t, { name: '吴九', balanceFen: 10_000n, limits: LIMITS });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await prepare(gus, {
            payee: { walletId: carol.walletId },
            amount: 10 + i,
            currency: 'CNY',
            confirmation: { pin: gus.pin },
          })
        ).json().id,
      );
    const first = (await t.app.inject({ url: '/api/v1/transfers?limit=2', headers: gus.auth })).json();
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([ids[4], ids[3]]);
    const second = (
      await t.app.inject({ url: `/api/v1/transfers?limit=2&before=${first.nextBefore}`, headers: gus.auth })
    ).json();
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const incoming = (
      await t.app.inject({ url: '/api/v1/transfers?direction=incoming&limit=100', headers: carol.auth })
    ).json();
    expect(incoming.items.filter((item: { id: string }) => ids.includes(item.id))).toHaveLength(5);
    expect((await t.app.inject({ url: '/api/v1/transfers?limit=101', headers: gus.auth })).statusCode).toBe(400);
  });
});
