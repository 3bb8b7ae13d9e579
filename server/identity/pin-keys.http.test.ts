import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { TEST_PIN, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import type { PinKey, PinKeyRing } from '../platform/pin-keys.js';

// Keyed PIN checks: HMAC-SHA256 under a key outside the database, named by key id beside the
// hash; argon2id hashes from before and hashes under an earlier key are re-keyed on success.
const K1: PinKey = { id: 'k1', key: Buffer.alloc(32, 1) };
const K2: PinKey = { id: 'k2', key: Buffer.alloc(32, 2) };
const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };

let database: TestDatabase;
let t: TestApp;
let payee: WalletHolder;

/** The same database under another key ring, as after a restart with new configuration. */
async function appWith(pinKeys: PinKeyRing): Promise<TestApp> {
  await t.close();
  t = await createTestApp({ database, pinKeys });
  return t;
}

async function storedPinHash(userId: string): Promise<string> {
  const { rows } = await t.db.query<{ pin_hash: string }>('SELECT pin_hash FROM users WHERE id = $1', [userId]);
  return rows[0].pin_hash;
}

/** Prepares a small transfer and confirms it with `pin`: the PIN check every payment makes. */
async function confirmPayment(holder: WalletHolder, pin: string) {
  const prepared = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: moneyHeaders(holder),
    payload: { payee: { walletId: payee.walletId }, amount: 100, currency: 'CNY' },
  });
  expect(prepared.statusCode, prepared.body).toBe(201);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${prepared.json().confirmation.id}/pin`,
    headers: holder.auth,
    payload: { pin },
  });
}

const payer = () => walletHolder(t, { balanceFen: 100_000n, limits: LIMITS });

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp({ database, pinKeys: { current: K1, previous: [] } });
  payee = await walletHolder(t, { name: '李四', limits: LIMITS });
});
afterAll(async () => {
  await t?.close();
  await database?.close();
});

describe('keyed PIN checks', () => {
  it('stores a new PIN as HMAC-SHA256 under the current key id, unlike for two holders of one PIN', async () => {
    const [first, second] = [await payer(), await payer()];
    const [firstHash, secondHash] = [await storedPinHash(first.userId), await storedPinHash(second.userId)];
    expect(firstHash).toMatch(/^hmac-sha256\$k1\$[A-Za-z0-9_-]{43}$/);
    expect(firstHash).not.toBe(secondHash);
    expect((await confirmPayment(first, TEST_PIN)).statusCode).toBe(200);
    expect((await confirmPayment(first, '864201')).json().code).toBe('PIN_INVALID');
  });

  it('accepts an argon2id hash from before, keeps it after a wrong PIN and re-keys it on the right one', async () => {
    const holder = await payer();
    const legacy = await hash(TEST_PIN);
    await t.db.query('UPDATE users SET pin_hash = $2 WHERE id = $1', [holder.userId, legacy]);

    expect((await confirmPayment(holder, '864201')).json()).toMatchObject({ code: 'PIN_INVALID', triesLeft: 4 });
    expect(await storedPinHash(holder.userId)).toBe(legacy);

    expect((await confirmPayment(holder, TEST_PIN)).statusCode).toBe(200);
    expect(await storedPinHash(holder.userId)).toMatch(/^hmac-sha256\$k1\$/);
    expect((await confirmPayment(holder, TEST_PIN)).statusCode).toBe(200);
  });

  it(
    'rotates: a hash under an earlier key is accepted and re-keyed; a key id no longer held or another key is ' +
      'refused',
    async () => {
      const rekeyed = await payer();
      const abandoned = await payer();
      const forged = await payer();
      const underK1 = await storedPinHash(abandoned.userId);

      await appWith({ current: K2, previous: [K1] });
      expect((await confirmPayment(rekeyed, TEST_PIN)).statusCode).toBe(200);
      expect(await storedPinHash(rekeyed.userId)).toMatch(/^hmac-sha256\$k2\$/);
      const fresh = await payer();
      expect(await storedPinHash(fresh.userId)).toMatch(/^hmac-sha256\$k2\$/);

      // k1 retired: its hashes no longer match, and stay as they are.
      await appWith({ current: K2, previous: [] });
      expect((await confirmPayment(abandoned, TEST_PIN)).json().code).toBe('PIN_INVALID');
      expect(await storedPinHash(abandoned.userId)).toBe(underK1);
      expect((await confirmPayment(rekeyed, TEST_PIN)).statusCode).toBe(200);

      // A different key under the same id (a wrong TONGBAO_PIN_KEY) refuses the right PIN.
      await appWith({ current: { id: 'k1', key: Buffer.alloc(32, 9) }, previous: [] });
      expect((await confirmPayment(forged, TEST_PIN)).json().code).toBe('PIN_INVALID');
    },
  );
});
