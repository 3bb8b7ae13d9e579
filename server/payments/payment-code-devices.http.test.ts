import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { requestCode } from '../../test/identity-factories.js';
import {
  activeMerchant,
  merchantMoneyHeaders,
  preparePayment,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { SoftwareAuthenticator } from '../../test/webauthn-authenticator.js';
import { manualClock } from '../platform/clock.js';
import { paymentCodeAt } from './payment-code.js';
import { MAX_PAYMENT_CODE_DEVICES } from './payment-code-seeds.js';

/**
 * Payment-code devices (issue 14, finding 1): minting a seed needs the PIN or a passkey, at most
 * three devices per holder, and every seed ends with a theft report, password recovery or change, a PIN reset
 * or "sign out other devices"; the holder lists and removes their own devices.
 */

let t: TestApp;
const clock = manualClock('2026-11-24T02:00:10Z');
let shop: TestMerchant;

type Seed = { id: string; seedNumber: string; secret: string };
const codeOf = (seed: Seed, at = clock.now()) =>
  paymentCodeAt(seed.seedNumber, Buffer.from(seed.secret, 'base64url'), at);
const post = (
  url: string,
  holder: Pick<WalletHolder, 'auth'> | null,
  payload: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => t.app.inject({ method: 'POST', url, headers: { ...(holder?.auth ?? {}), ...headers }, payload });
const mintRequest = (holder: WalletHolder, deviceId: string, approval: Record<string, unknown>) =>
  post('/api/v1/payment-code/seed', holder, { deviceId, deviceName: `phone ${deviceId.slice(-4)}`, ...approval });
const charge = (code: string, amount: number) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/charges',
    headers: merchantMoneyHeaders(shop),
    payload: { code, amount },
  });
const devices = (holder: WalletHolder, deviceId?: string) =>
  t.app.inject({
    url: '/api/v1/payment-code/devices',
    headers: { ...holder.auth, ...(deviceId ? { 'x-device-id': deviceId } : {}) },
  });

async function mint(holder: WalletHolder, deviceId: string): Promise<Seed> {
  const minted = await mintRequest(holder, deviceId, { pin: holder.pin });
  expect(minted.statusCode, minted.body).toBe(201);
  return minted.json();
}

/** A charge that the payment code itself let through (paid at once, or waiting for the holder). */
function expectAccepted(response: Awaited<ReturnType<typeof charge>>) {
  expect([200, 202], response.body).toContain(response.statusCode);
  expect(response.json().source).toBe('payment_code');
}

function expectRevoked(response: Awaited<ReturnType<typeof charge>>) {
  expect(response.statusCode, response.body).toBe(422);
  expect(response.json().code).toBe('PAYMENT_CODE_REVOKED');
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
});
afterAll(async () => t?.close());

describe('minting a payment-code seed', () => {
  it('is refused with only a session: no PIN, no confirmation', async () => {
    const holder = await walletHolder(t);
    const bare = await mintRequest(holder, 'stolen-session-device', {});
    expect(bare.statusCode, bare.body).toBe(403);
    expect(bare.json().code).toBe('PAYMENT_CODE_AUTH_REQUIRED');
    const both = await mintRequest(holder, 'stolen-session-device', { pin: holder.pin, confirmationId: 'cfm_x' });
    expect(both.statusCode).toBe(400);
    expect((await devices(holder)).json().items).toEqual([]);
  });

  it('counts a wrong PIN toward the same lockout as payments', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const wrongPin = holder.pin === '000000' ? '111111' : '000000';
    const first = await mintRequest(holder, 'device-pin-0001', { pin: wrongPin });
    expect(first.statusCode).toBe(422);
    expect(first.json()).toMatchObject({ code: 'PIN_INVALID', triesLeft: 4 });
    // A payment's confirmation sees the failure counted by the mint.
    const payment = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { ...holder.auth, 'idempotency-key': `pin-${holder.userId}` },
      payload: { merchantNumber: shop.merchantNumber, amount: 100 },
    });
    const confirmationId = payment.json().confirmation.id;
    expect((await post(`/api/v1/confirmations/${confirmationId}/pin`, holder, { pin: wrongPin })).json()).toMatchObject(
      { code: 'PIN_INVALID', triesLeft: 3 },
    );
    for (const triesLeft of [2, 1])
      expect((await mintRequest(holder, 'device-pin-0001', { pin: wrongPin })).json()).toMatchObject({
        code: 'PIN_INVALID',
        triesLeft,
      });
    expect((await mintRequest(holder, 'device-pin-0001', { pin: wrongPin })).json().code).toBe('PIN_LOCKED');
    const locked = await mintRequest(holder, 'device-pin-0001', { pin: holder.pin });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('PIN_LOCKED');
    expect((await devices(holder)).json().items).toEqual([]);
  });

  it('with a passkey: a confirmation bound to this device, approved once', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const authenticator = new SoftwareAuthenticator();
    const options = await post('/api/v1/me/passkeys/registration-options', holder, { password: holder.password });
    expect(
      (await post('/api/v1/me/passkeys', holder, { response: authenticator.create(options.json()) })).statusCode,
    ).toBe(201);

    const prepared = await post('/api/v1/payment-code/seed/confirmation', holder, { deviceId: 'device-passkey-1' });
    expect(prepared.statusCode, prepared.body).toBe(201);
    const confirmationId = prepared.json().id;
    // Not approved yet: refused, and nothing minted.
    expect((await mintRequest(holder, 'device-passkey-1', { confirmationId })).json().code).toBe(
      'CONFIRMATION_INVALID',
    );
    const assertionOptions = await post(`/api/v1/confirmations/${confirmationId}/passkey/options`, holder);
    expect(assertionOptions.json().challenge).toBe(prepared.json().challenge);
    const approved = await post(`/api/v1/confirmations/${confirmationId}/passkey`, holder, {
      response: authenticator.get(assertionOptions.json()),
    });
    expect(approved.statusCode, approved.body).toBe(200);
    // Approved for device-passkey-1, so it mints nothing on another device.
    expect((await mintRequest(holder, 'device-passkey-2', { confirmationId })).json().code).toBe(
      'CONFIRMATION_INVALID',
    );
    const minted = await mintRequest(holder, 'device-passkey-1', { confirmationId });
    expect(minted.statusCode, minted.body).toBe(201);
    expect(minted.json().id).toMatch(/^pcs_/);
    expect((await mintRequest(holder, 'device-passkey-1', { confirmationId })).json().code).toBe(
      'CONFIRMATION_INVALID',
    );
    expectAccepted(await charge(codeOf(minted.json()), 100));
  });

  it("refuses a payment's confirmation as approval for a seed", async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const prepared = await preparePayment(t, holder, { merchantNumber: shop.merchantNumber, amount: 100 });
    const misused = await mintRequest(holder, 'device-misuse-1', { confirmationId: prepared.confirmationId });
    expect(misused.json().code).toBe('CONFIRMATION_INVALID');
    expect((await devices(holder)).json().items).toEqual([]);
  });

  it(`keeps at most ${MAX_PAYMENT_CODE_DEVICES} devices: a new one revokes the oldest`, async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const seeds: Seed[] = [];
    for (const n of [1, 2, 3, 4]) {
      seeds.push(await mint(holder, `device-cap-000${n}`));
      clock.advanceMs(1000);
    }
    const listed = (await devices(holder)).json().items;
    expect(listed.map((d: { id: string }) => d.id)).toEqual([seeds[3].id, seeds[2].id, seeds[1].id]);
    expectRevoked(await charge(codeOf(seeds[0]), 100));
    for (const seed of seeds.slice(1)) {
      clock.advanceMs(60_000);
      expectAccepted(await charge(codeOf(seed), 100));
    }
    // Minting again on a device already listed replaces its own seed, not another device's.
    const again = await mint(holder, 'device-cap-0004');
    clock.advanceMs(60_000);
    expectRevoked(await charge(codeOf(seeds[3]), 100));
    expect((await devices(holder)).json().items.map((d: { id: string }) => d.id)).toEqual([
      again.id,
      seeds[2].id,
      seeds[1].id,
    ]);
  });
});

describe('every seed ends with the sessions', () => {
  it("the reviewer's scenario: a stolen phone's code is refused after the theft report, even unfrozen", async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const on = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password-free',
      headers: holder.auth,
      payload: { enabled: true, pin: holder.pin, perPaymentAmount: 20_000, dailyAmount: 100_000 },
    });
    expect(on.statusCode, on.body).toBe(200);
    const stolenPhone = await mint(holder, 'device-stolen-01');
    clock.advanceMs(60_000);
    const before = await charge(codeOf(stolenPhone), 15_000);
    expect(before.json()).toMatchObject({ status: 'completed', passwordFree: true });
    const balance = await balanceOf(t, holder.walletId);

    const smsCode = await requestCode(t, holder.phone, 'report_theft');
    const reported = await post('/api/v1/auth/report-theft', null, {
      phone: holder.phone,
      smsCode,
      idNumber: holder.idNumber,
    });
    expect(reported.statusCode, reported.body).toBe(201);
    clock.advanceMs(60_000);
    expectRevoked(await charge(codeOf(stolenPhone), 15_000));

    await t.services.accountSafety.lift(
      holder.userId,
      { kind: 'staff', id: 'stf_test' },
      'holder verified at the branch',
    );
    clock.advanceMs(60_000);
    expectRevoked(await charge(codeOf(stolenPhone), 15_000));
    expect(await balanceOf(t, holder.walletId)).toBe(balance);
  });

  it('a password change revokes every device, this one too', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const seeds = [await mint(holder, holder.deviceId), await mint(holder, 'device-pwd-0002')];
    const changed = await post('/api/v1/me/password', holder, {
      currentPassword: holder.password,
      newPassword: 'amber-harbor-lights-31',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    clock.advanceMs(60_000);
    for (const seed of seeds) expectRevoked(await charge(codeOf(seed), 100));
    expect((await devices(holder)).json().items).toEqual([]);
  });

  it('password recovery revokes every device', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const seed = await mint(holder, 'device-recover-1');
    const smsCode = await requestCode(t, holder.phone, 'recover');
    const recovered = await post('/api/v1/auth/recover', null, {
      phone: holder.phone,
      smsCode,
      idNumber: holder.idNumber,
      name: holder.name,
      newPassword: 'amber-harbor-lights-31',
    });
    expect(recovered.statusCode, recovered.body).toBe(204);
    clock.advanceMs(60_000);
    expectRevoked(await charge(codeOf(seed), 100));
    const { rows } = await t.db.query<{ revoked_reason: string }>(
      'SELECT revoked_reason FROM payment_code_seeds WHERE id = $1',
      [seed.id],
    );
    expect(rows[0].revoked_reason).toBe('recovery');
  });

  it('a payment PIN reset revokes every device', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const seeds = [await mint(holder, holder.deviceId), await mint(holder, 'device-pinreset-2')];
    const smsCode = await requestCode(t, holder.phone, 'pin_reset');
    const reset = await post('/api/v1/me/pin/reset', holder, {
      smsCode,
      idNumber: holder.idNumber,
      newPin: '731946',
    });
    expect(reset.statusCode, reset.body).toBe(204);
    // The risk engine sees the reset as a credential reset (the post-reset rule's signal).
    const signals = await t.services.identity.riskSignals(holder.userId);
    expect(signals?.credentialResetAt).toEqual(clock.now());
    clock.advanceMs(60_000);
    for (const seed of seeds) expectRevoked(await charge(codeOf(seed), 100));
    expect((await devices(holder)).json().items).toEqual([]);
    const { rows } = await t.db.query<{ revoked_reason: string }>(
      'SELECT revoked_reason FROM payment_code_seeds WHERE id = $1',
      [seeds[0].id],
    );
    expect(rows[0].revoked_reason).toBe('pin_reset');
    // The new PIN approves a new device.
    const again = await mintRequest(holder, 'device-pinreset-3', { pin: '731946' });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('"sign out other devices" revokes every device', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const seeds = [await mint(holder, holder.deviceId), await mint(holder, 'device-others-02')];
    const signedOut = await post('/api/v1/me/sessions/revoke-others', holder);
    expect(signedOut.statusCode, signedOut.body).toBe(200);
    clock.advanceMs(60_000);
    for (const seed of seeds) expectRevoked(await charge(codeOf(seed), 100));
    expect((await devices(holder)).json().items).toEqual([]);
  });
});

describe('my payment-code devices', () => {
  it(
    'tells the holder of a new device, lists name, created and last used, marks this device, and removes only my ' +
      'own',
    async () => {
      const alice = await walletHolder(t, { balanceFen: 10_000n });
      const bob = await walletHolder(t);
      const seed = await mint(alice, 'device-alice-01');
      clock.advanceMs(60_000);
      expectAccepted(await charge(codeOf(seed), 100));

      const notifications = await t.app.inject({ url: '/api/v1/notifications', headers: alice.auth });
      expect(notifications.json().items.map((n: { kind: string }) => n.kind)).toContain(
        'security.payment_code_device_added',
      );
      const mine = (await devices(alice, 'device-alice-01')).json().items;
      expect(mine).toEqual([
        {
          id: seed.id,
          deviceName: 'phone e-01',
          createdAt: expect.any(String),
          lastUsedAt: clock.now().toISOString(),
          current: true,
        },
      ]);
      expect((await devices(alice, 'device-other-99')).json().items[0].current).toBe(false);

      // Bob sees none of Alice's devices and cannot remove one.
      expect((await devices(bob)).json().items).toEqual([]);
      const bobRemoves = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/payment-code/devices/${seed.id}`,
        headers: bob.auth,
      });
      expect(bobRemoves.statusCode).toBe(404);
      expect(bobRemoves.json().code).toBe('PAYMENT_CODE_DEVICE_NOT_FOUND');
      clock.advanceMs(60_000);
      expectAccepted(await charge(codeOf(seed), 100));

      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/payment-code/devices/${seed.id}`,
        headers: alice.auth,
      });
      expect(removed.statusCode, removed.body).toBe(204);
      clock.advanceMs(60_000);
      expectRevoked(await charge(codeOf(seed), 100));
      expect((await devices(alice)).json().items).toEqual([]);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/payment-code/devices/${seed.id}`, headers: alice.auth }))
          .statusCode,
      ).toBe(404);
    },
  );

  it('refuses bad input without a 500', async () => {
    const holder = await walletHolder(t);
    expect((await mintRequest(holder, 'short', { pin: holder.pin })).statusCode).toBe(400);
    expect((await mintRequest(holder, 'device-bad-input', { pin: '12ab56' })).statusCode).toBe(400);
    expect(
      (
        await post('/api/v1/payment-code/seed', holder, {
          deviceId: 'device-bad-input',
          deviceName: ' ',
          pin: holder.pin,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/payment-code/devices/${'x'.repeat(65)}`,
          headers: holder.auth,
        })
      ).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/payment-code/devices' })).statusCode).toBe(401);
  });
});
