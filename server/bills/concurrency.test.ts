import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { withLuhn } from './catalogue.js';

/** Two devices paying one bill at the same moment: on PostgreSQL these race for real. */

let t: TestApp;
let holder: WalletHolder;

beforeAll(async () => {
  t = await createTestApp();
  holder = await walletHolder(t, { balanceFen: 10_000_000n, limits: { dailyFen: 1_000_000_000n } });
  const lifted = await t.services.risk.rules.change(
    'velocity',
    { thresholds: { maxCount: 1_000_000, maxAmountFen: 100_000_000_000 }, reason: 'test: bursts from one holder' },
    { id: 'stf_test' },
  );
  expect(lifted.ok).toBe(true);
});
afterAll(async () => t?.close());

async function prepared(accountNumber: string) {
  const found = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/inquiries',
    headers: holder.auth,
    payload: { billerId: 'blr_sh_power', accountNumber },
  });
  const bill = found.json().bills[0];
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/payments',
    headers: moneyHeaders(holder),
    payload: { billerId: 'blr_sh_power', accountNumber, billRef: bill.billRef, amount: bill.total, currency: 'CNY' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { payment, confirmation } = created.json();
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: holder.auth,
    payload: { pin: holder.pin },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { id: payment.id as string, total: bill.total as number };
}

describe('one bill, several devices at once', () => {
  it('pays it once; the others get a clear problem and nothing is taken from them', async () => {
    for (const [round, devices] of [2, 2, 5].entries()) {
      const account = withLuhn(`37${String(round).padStart(5, '0')}00`);
      const attempts = [];
      for (let i = 0; i < devices; i++) attempts.push(await prepared(account));
      const before = await balanceOf(t, holder.walletId);
      const answers = await Promise.all(
        attempts.map((attempt) =>
          t.app.inject({
            method: 'POST',
            url: `/api/v1/bills/payments/${attempt.id}/submit`,
            headers: moneyHeaders(holder),
          }),
        ),
      );
      const outcomes = answers.map((a) => (a.statusCode === 200 ? a.json().status : a.json().code));
      expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
      for (const other of outcomes.filter((o) => o !== 'succeeded'))
        expect(['BILL_PAYMENT_IN_PROGRESS', 'BILL_ALREADY_PAID']).toContain(other);
      expect(await balanceOf(t, holder.walletId)).toBe(before - BigInt(attempts[0].total));
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bill_payments WHERE account_number = $1 AND status = 'succeeded'`,
        [account],
      );
      expect(rows[0].n).toBe(1);
    }
    const wallet = await t.services.ledger.getAccount(holder.walletId);
    expect(wallet?.pendingDebitsFen).toBe(0n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
