import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { CONFIRMATION_TTL_MS, challengeText } from './service.js';
import { spendMatching } from './store.js';

const challengeTextOf = (item: { operation: Parameters<typeof challengeText>[0] }) => challengeText(item.operation);

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

let seq = 0;
const ref = (label: string) => `cfm-test-${process.pid}-${label}-${++seq}`;
const post = (url: string, user: Pick<TestUser, 'auth'> | null, payload: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url, headers: user?.auth ?? {}, payload });

describe('operation confirmations', () => {
  it('binds a confirmation to its operation and spends it once', async () => {
    const user = await registerUser(t);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/pin',
      headers: user.auth,
      payload: { newPin: '135792', password: user.password },
    });
    const operation = { reference: ref('bind'), amountFen: 8_850n, currency: 'CNY', payee: 'merchant:M1002003' };
    const confirmation = await t.services.identity.confirmations.create(user.userId, operation);
    const shown = await t.app.inject({ url: `/api/v1/confirmations/${confirmation.id}`, headers: user.auth });
    expect(shown.json()).toMatchObject({
      amount: 8850,
      currency: 'CNY',
      payee: 'merchant:M1002003',
      status: 'pending',
    });
    // Not confirmed yet: nothing can spend it.
    expect(
      (
        await t.db.transaction((tx) =>
          t.services.identity.confirmations.consume(tx, user.userId, confirmation.id, operation),
        )
      ).ok,
    ).toBe(false);
    expect((await post(`/api/v1/confirmations/${confirmation.id}/pin`, user, { pin: '135792' })).json().status).toBe(
      'confirmed',
    );
    expect((await post(`/api/v1/confirmations/${confirmation.id}/pin`, user, { pin: '135792' })).json().code).toBe(
      'CONFIRMATION_INVALID',
    );
    for (const changed of [
      { amountFen: 8_851n },
      { payee: 'merchant:M9999999' },
      { reference: ref('other') },
      { currency: 'USD' },
    ]) {
      const spent = await t.db.transaction((tx) =>
        t.services.identity.confirmations.consume(tx, user.userId, confirmation.id, { ...operation, ...changed }),
      );
      expect(spent).toEqual({ ok: false, error: { code: 'CONFIRMATION_INVALID' } });
    }
    expect(
      (
        await t.db.transaction((tx) =>
          t.services.identity.confirmations.consume(tx, user.userId, confirmation.id, operation),
        )
      ).ok,
    ).toBe(true);
    expect(
      (
        await t.db.transaction((tx) =>
          t.services.identity.confirmations.consume(tx, user.userId, confirmation.id, operation),
        )
      ).ok,
    ).toBe(false);
  });
  it('approve the right PIN in one statement only when nothing else is at stake', async () => {
    const user = await registerUser(t);
    const other = await registerUser(t);
    for (const who of [user, other])
      await t.app.inject({
        method: 'PUT',
        url: '/api/v1/me/pin',
        headers: who.auth,
        payload: { newPin: '135792', password: who.password },
      });
    const operation = () => ({ reference: ref('fast'), amountFen: 100n, currency: 'CNY', payee: 'merchant:M1002003' });
    const confirm = (who: TestUser, id: string, pin: string) =>
      post(`/api/v1/confirmations/${id}/pin`, who, { pin }).then((r) => r.json());
    const failures = async (who: TestUser) =>
      (await t.db.query<{ pin_failures: number }>('SELECT pin_failures FROM users WHERE id = $1', [who.userId])).rows[0]
        .pin_failures;

    // Another holder's confirmation is not found, with their own right PIN.
    const theirs = await t.services.identity.confirmations.create(other.userId, operation());
    expect((await confirm(user, theirs.id, '135792')).code).toBe('CONFIRMATION_NOT_FOUND');

    // A wrong PIN is counted; the right one then approves and clears the count.
    const first = await t.services.identity.confirmations.create(user.userId, operation());
    expect(await confirm(user, first.id, '135793')).toMatchObject({ code: 'PIN_INVALID', triesLeft: 4 });
    expect(await failures(user)).toBe(1);
    expect((await confirm(user, first.id, '135792')).status).toBe('confirmed');
    expect(await failures(user)).toBe(0);

    // An expired confirmation is refused as expired, not approved.
    const late = await t.services.identity.confirmations.create(user.userId, operation());
    clock.advanceMs(6 * 60_000);
    expect((await confirm(user, late.id, '135792')).code).toBe('CONFIRMATION_EXPIRED');

    // Locked after five wrong PINs: the right PIN is refused while the lock lasts.
    const locked = await t.services.identity.confirmations.create(user.userId, operation());
    for (let i = 0; i < 5; i++) await confirm(user, locked.id, '135793');
    const refused = await confirm(user, locked.id, '135792');
    expect(refused.code === 'PIN_LOCKED' || refused.code === 'CONFIRMATION_INVALID').toBe(true);
    const fresh = await t.services.identity.confirmations.create(user.userId, operation());
    expect((await confirm(user, fresh.id, '135792')).code).toBe('PIN_LOCKED');
  });

  it('spends a batch: those that pass in one statement, the rest checked in full with their reasons', async () => {
    const [user, other] = [await registerUser(t), await registerUser(t)];
    const confirmations = t.services.identity.confirmations;
    const made = async (userId: string, payee: string, amountFen: bigint, confirm = true) => {
      const operation = { reference: ref('batch'), amountFen, currency: 'CNY', payee };
      const confirmation = await confirmations.create(userId, operation);
      if (confirm) await confirmations.markConfirmed(userId, confirmation.id, 'pin');
      return { userId, confirmationId: confirmation.id, operation };
    };
    const expired = await made(user.userId, 'wallet:138****0000', 100n);
    clock.advanceMs(CONFIRMATION_TTL_MS + 1);
    // PostgreSQL's SHA-256 of the challenge text must equal the service's, for any payee text.
    const good = [
      await made(user.userId, 'wallet:张*伟 138****1234', 1n),
      await made(user.userId, 'merchant:M1002003|x=1', 9_007_199_254_740_991n),
      await made(other.userId, 'bill:electricity:ÄÖü 😀', 12_345n),
    ];
    const wrongAmount = await made(user.userId, 'wallet:139****5678', 500n);
    const notConfirmed = await made(user.userId, 'wallet:139****5678', 600n, false);
    const othersConfirmation = await made(other.userId, 'wallet:139****5678', 700n);
    const items = [
      good[0],
      { ...wrongAmount, operation: { ...wrongAmount.operation, amountFen: 501n } },
      good[1],
      expired,
      notConfirmed,
      { ...othersConfirmation, userId: user.userId },
      good[2],
    ];
    const results = await t.db.transaction((tx) => t.services.identity.consumeConfirmations(tx, items));
    expect(results).toEqual([
      { ok: true, value: true },
      { ok: false, error: { code: 'CONFIRMATION_INVALID' } },
      { ok: true, value: true },
      { ok: false, error: { code: 'CONFIRMATION_EXPIRED' } },
      { ok: false, error: { code: 'CONFIRMATION_INVALID' } },
      { ok: false, error: { code: 'CONFIRMATION_NOT_FOUND' } },
      { ok: true, value: true },
    ]);
    const statuses = await Promise.all(items.map((item) => confirmations.get(item.userId, item.confirmationId)));
    expect(statuses.map((view) => view?.status)).toEqual([
      'used',
      'confirmed',
      'used',
      'confirmed',
      'pending',
      undefined,
      'used',
    ]);
    // The one statement spends what passes (PostgreSQL computed the same challenge), and only that.
    const direct = [
      await made(user.userId, 'wallet:张*伟 138****1234', 3n),
      await made(other.userId, 'bill:electricity:ÄÖü 😀', 4n),
    ];
    const tampered = await made(user.userId, 'wallet:张*伟 138****1234', 5n);
    const spentInSql = await t.db.transaction((tx) =>
      spendMatching(
        tx,
        [...direct, { ...tampered, operation: { ...tampered.operation, payee: 'wallet:张*伟 138****9999' } }].map(
          (item) => ({ id: item.confirmationId, userId: item.userId, challengeText: challengeTextOf(item) }),
        ),
        clock.now(),
      ),
    );
    expect(spentInSql.sort()).toEqual(direct.map((item) => item.confirmationId).sort());
    // Spent once: the same batch again refuses each.
    const again = await t.db.transaction((tx) => t.services.identity.consumeConfirmations(tx, good));
    expect(again.every((result) => !result.ok)).toBe(true);
    // The same confirmation twice in one batch: the first spends it, the second is refused.
    const twice = await made(user.userId, 'wallet:137****0001', 42n);
    expect(await t.db.transaction((tx) => t.services.identity.consumeConfirmations(tx, [twice, twice]))).toEqual([
      { ok: true, value: true },
      { ok: false, error: { code: 'CONFIRMATION_INVALID' } },
    ]);
  });
});
