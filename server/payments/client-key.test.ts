import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { activeMerchant, type TestMerchant } from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';

// A one-step payment ("pay now with the PIN") whose server died after paying: the client retries
// with the same Idempotency-Key once the idempotency record's lock has lapsed, so the request runs
// again. The payment remembers the key and the retry finds it instead of charging a second time.

let t: TestApp;
let shop: TestMerchant;
let alice: WalletHolder;

async function paymentsOf(userId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM payments WHERE user_id = $1', [userId]);
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestApp();
  shop = await activeMerchant(t);
  alice = await walletHolder(t, { balanceFen: 100_000n });
});
afterAll(async () => t?.close());

describe('one-step payments remember the client key', () => {
  const input = () => ({ merchantNumber: shop.merchantNumber, amountFen: 1_200n });

  it('a retry after the payment completed answers that payment and charges nothing more', async () => {
    const before = await balanceOf(t, alice.walletId);
    const first = await t.services.payments.payments.payWithPin(alice.userId, input(), alice.pin, {}, 'key-done');
    expect(first.ok && first.value.status).toBe('completed');
    const again = await t.services.payments.payments.payWithPin(alice.userId, input(), alice.pin, {}, 'key-done');
    expect(again.ok && again.value.id).toBe(first.ok && first.value.id);
    expect(await balanceOf(t, alice.walletId)).toBe(before - 1_200n);
  });

  it('a retry after a crash between prepare and complete finishes the one payment prepared', async () => {
    const before = await balanceOf(t, alice.walletId);
    const count = await paymentsOf(alice.userId);
    // The first run died right after preparing the payment.
    const prepared = await t.services.payments.payments.create(alice.userId, input(), 'key-crash');
    expect(prepared.ok).toBe(true);
    const retried = await t.services.payments.payments.payWithPin(alice.userId, input(), alice.pin, {}, 'key-crash');
    expect(retried.ok && retried.value.id).toBe(prepared.ok && prepared.value.payment.id);
    expect(retried.ok && retried.value.status).toBe('completed');
    expect(await paymentsOf(alice.userId)).toBe(count + 1);
    expect(await balanceOf(t, alice.walletId)).toBe(before - 1_200n);
  });

  it('a retry after a crash between the PIN check and completion completes it once', async () => {
    const before = await balanceOf(t, alice.walletId);
    const prepared = await t.services.payments.payments.create(alice.userId, input(), 'key-approved');
    if (!prepared.ok) throw new Error('prepare failed');
    const approved = await t.services.identity.confirmations.confirmWithPin(
      alice.userId,
      prepared.value.confirmation.id,
      alice.pin,
    );
    expect(approved.ok).toBe(true);
    const retried = await t.services.payments.payments.payWithPin(alice.userId, input(), alice.pin, {}, 'key-approved');
    expect(retried.ok && retried.value.status).toBe('completed');
    expect(await balanceOf(t, alice.walletId)).toBe(before - 1_200n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('the same key of another payer is theirs alone', async () => {
    const bob = await walletHolder(t, { balanceFen: 10_000n });
    const paid = await t.services.payments.payments.payWithPin(bob.userId, input(), bob.pin, {}, 'key-done');
    expect(paid.ok && paid.value.status).toBe('completed');
    expect(await balanceOf(t, bob.walletId)).toBe(10_000n - 1_200n);
  });
});
