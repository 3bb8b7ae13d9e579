import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { TEST_PIN, balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { PIN_MAX_FAILURES } from './pin.js';

// The 5-tries rule under concurrency: many PIN checks for one holder at once are taken one at a
// time, with the attempt counted in the same transaction that reads the lock.
let t: TestApp;
let payee: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };
const GUESSES = 50;
/** Distinct 6-digit PINs, none of them the holder's. */
const wrongPin = (i: number) => String(700_000 + i);

beforeAll(async () => {
  t = await createTestApp();
  payee = await walletHolder(t, { name: '李四', limits: LIMITS });
});
afterAll(async () => t?.close());

async function pinLockAudits(userId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.pin_locked' AND subject_id = $1`,
    [userId],
  );
  return rows[0].n;
}

const codesOf = (responses: { json(): { code?: string } }[]) =>
  responses.map((response) => response.json().code ?? 'ok');
const countOf = (codes: string[], code: string) => codes.filter((c) => c === code).length;

describe('PIN attempts under concurrency', () => {
  it('checks at most 5 of 50 parallel wrong PINs on one-step transfers, locks; the right PIN then fails', async () => {
    const payer = await walletHolder(t, { name: '张三', balanceFen: 1_000_000n, limits: LIMITS });
    expect(wrongPin(0)).not.toBe(TEST_PIN);
    const send = (pin: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: moneyHeaders(payer),
        payload: { payee: { walletId: payee.walletId }, amount: 100, currency: 'CNY', confirmation: { pin } },
      });

    const codes = codesOf(await Promise.all(Array.from({ length: GUESSES }, (_, i) => send(wrongPin(i)))));
    // Checked: the four answered PIN_INVALID and the one that locked (audited once); the rest were refused unseen.
    expect(countOf(codes, 'PIN_INVALID')).toBe(PIN_MAX_FAILURES - 1);
    expect(await pinLockAudits(payer.userId)).toBe(1);
    expect(countOf(codes, 'PIN_LOCKED')).toBe(GUESSES - (PIN_MAX_FAILURES - 1));
    expect(await balanceOf(t, payer.walletId)).toBe(1_000_000n);

    const right = await send(TEST_PIN);
    expect([right.statusCode, right.json().code]).toEqual([423, 'PIN_LOCKED']);
    expect(await balanceOf(t, payer.walletId)).toBe(1_000_000n);
    expect(await balanceOf(t, payee.walletId)).toBe(0n);
  });

  it(
    'checks at most 5 of 50 parallel PINs for one confirmation; the right one among them pays only if checked ' +
      'before the lock',
    async () => {
      const payer = await walletHolder(t, { name: '王五', balanceFen: 1_000_000n, limits: LIMITS });
      const payeeBefore = await balanceOf(t, payee.walletId);
      const prepared = await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: moneyHeaders(payer),
        payload: { payee: { walletId: payee.walletId }, amount: 250, currency: 'CNY' },
      });
      expect(prepared.statusCode, prepared.body).toBe(201);
      const { id: transferId, confirmation } = prepared.json();
      const pins = Array.from({ length: GUESSES }, (_, i) => (i === GUESSES / 2 ? TEST_PIN : wrongPin(i)));

      const codes = codesOf(
        await Promise.all(
          pins.map((pin) =>
            t.app.inject({
              method: 'POST',
              url: `/api/v1/confirmations/${confirmation.id}/pin`,
              headers: payer.auth,
              payload: { pin },
            }),
          ),
        ),
      );
      const approved = countOf(codes, 'ok');
      const checked = countOf(codes, 'PIN_INVALID') + (await pinLockAudits(payer.userId)) + approved;
      expect(checked).toBeLessThanOrEqual(PIN_MAX_FAILURES);
      expect(approved).toBeLessThanOrEqual(1);
      // Whatever was not checked was refused: the PIN locked, or the confirmation approved or spent.
      expect(codes.every((code) => ['ok', 'PIN_INVALID', 'PIN_LOCKED', 'CONFIRMATION_INVALID'].includes(code))).toBe(
        true,
      );

      const completed = await t.app.inject({
        method: 'POST',
        url: `/api/v1/transfers/${transferId}/complete`,
        headers: moneyHeaders(payer),
        payload: { confirmationId: confirmation.id },
      });
      if (approved === 1) {
        expect(completed.statusCode, completed.body).toBe(200);
        expect(await balanceOf(t, payer.walletId)).toBe(1_000_000n - 250n);
        expect(await balanceOf(t, payee.walletId)).toBe(payeeBefore + 250n);
      } else {
        // The right PIN arrived after the fifth wrong one: the PIN is locked and nothing moved.
        expect(await pinLockAudits(payer.userId)).toBe(1);
        expect(completed.json().code).toBe('CONFIRMATION_INVALID');
        expect(await balanceOf(t, payer.walletId)).toBe(1_000_000n);
        expect(await balanceOf(t, payee.walletId)).toBe(payeeBefore);
      }
    },
  );
});
