import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';

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
});
