import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type WalletHolder, balanceOf, walletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import { RULE_NAMES } from '../risk/rules.js';
import { withLuhn } from './catalogue.js';

/**
 * Any interleaving of inquiry, paying, retries (new attempts and repeated submits), two devices at
 * once, the biller's duplicate and late confirmations, timeouts with unknown outcome and "paid
 * elsewhere" leaves each bill paid at most once, the biller's record and ours agreeing, every fen
 * accounted for and the ledger verifying.
 */

const clock = manualClock('2026-12-03T02:00:00Z');
let t: TestApp;
let holder: WalletHolder;
let seed = 0;
const MARKERS = ['00', '92', '93', '94', '95', '96'] as const;

type Command =
  | { kind: 'inquire'; bill: number }
  | { kind: 'pay'; bill: number }
  | { kind: 'twoDevices'; bill: number }
  | { kind: 'resubmit' }
  | { kind: 'elsewhere'; bill: number }
  | { kind: 'time'; seconds: number }
  | { kind: 'jobs' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('inquire' as const), bill: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('pay' as const), bill: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('twoDevices' as const), bill: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('resubmit' as const) }),
  fc.record({ kind: fc.constant('elsewhere' as const), bill: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('time' as const), seconds: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('jobs' as const) }),
);

beforeAll(async () => {
  t = await createTestApp({ clock });
  holder = await walletHolder(t, { balanceFen: 50_000_000n, limits: { dailyFen: 1_000_000_000n } });
  // Dozens of payments from one holder in minutes trip velocity and deviation rules at random; what
  // risk does to a bill payment is tested in bills.http.test.ts, here every interleaving must run.
  for (const rule of RULE_NAMES) {
    const off = await t.services.risk.rules.change(
      rule,
      { enabled: false, reason: 'test: bill interleavings' },
      {
        id: 'stf_test',
      },
    );
    expect(off.ok).toBe(true);
  }
});
afterAll(async () => t?.close());

async function jobs() {
  await t.services.bills.paying.checkPending();
  await t.services.bills.sandbox?.deliverDueConfirmations();
}

describe('paying bills, any interleaving', () => {
  it('pays each bill at most once and accounts for every fen', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom(...MARKERS), fc.constantFrom(...MARKERS)),
        fc.array(command, { minLength: 2, maxLength: 8 }),
        async (markers, commands) => {
          const accounts = markers.map((marker) => withLuhn(`3${String(++seed).padStart(6, '0')}${marker}`));
          const lastPayment: string[] = [];
          const before = await balanceOf(t, holder.walletId);
          const bills = t.services.bills;
          const billOf = async (i: number) => {
            const found = await bills.inquiry.inquire(holder.userId, 'blr_sh_power', accounts[i]);
            return found.ok ? (found.value.bills[0] ?? null) : null;
          };
          const pay = async (i: number) => {
            const bill = await billOf(i);
            if (!bill) return;
            const paid = await bills.paying.payWithPin(
              holder.userId,
              { billerId: 'blr_sh_power', accountNumber: accounts[i], billRef: bill.billRef, amountFen: bill.totalFen },
              holder.pin,
            );
            if (paid.ok) lastPayment.push(paid.value.id);
            else
              expect([
                'BILL_ALREADY_PAID',
                'BILL_PAYMENT_IN_PROGRESS',
                'BILL_NOT_FOUND',
                'BILL_AMOUNT_MISMATCH',
              ]).toContain(paid.error.code);
          };
          for (const step of commands) {
            if (step.kind === 'inquire') await billOf(step.bill);
            else if (step.kind === 'pay') await pay(step.bill);
            else if (step.kind === 'twoDevices') await Promise.all([pay(step.bill), pay(step.bill)]);
            else if (step.kind === 'resubmit' && lastPayment.length > 0) {
              const again = await bills.paying.submit(holder.userId, lastPayment[lastPayment.length - 1], {});
              expect(again.ok).toBe(false);
            } else if (step.kind === 'elsewhere') {
              const bill = await billOf(step.bill);
              if (bill)
                await t.db.query(
                  `UPDATE bill_sandbox_bills SET status = 'paid', paid_by = 'elsewhere' WHERE bill_ref = $1 AND
                    status = 'unpaid'`,
                  [bill.billRef],
                );
            } else if (step.kind === 'time') clock.advanceMs(step.seconds * 1000);
            else if (step.kind === 'jobs') await jobs();
          }
          // Let every unknown outcome and late confirmation come in.
          for (let round = 0; round < 12; round++) {
            clock.advanceMs(10 * 60_000);
            await jobs();
          }

          const { rows: payments } = await t.db.query<{
            id: string;
            bill_ref: string;
            status: string;
            amount: string;
          }>(`SELECT id, bill_ref, status, amount FROM bill_payments WHERE account_number = ANY($1::text[])`, [
            accounts,
          ]);
          const { rows: sandboxBills } = await t.db.query<{ bill_ref: string; status: string; paid_by: string | null }>(
            'SELECT bill_ref, status, paid_by FROM bill_sandbox_bills WHERE account_number = ANY($1::text[])',
            [accounts],
          );
          expect(payments.filter((p) => p.status === 'processing' || p.status === 'awaiting_confirmation')).toEqual([]);
          for (const bill of sandboxBills) {
            const succeeded = payments.filter((p) => p.bill_ref === bill.bill_ref && p.status === 'succeeded');
            // At most once, and exactly when the biller says we paid it.
            expect(succeeded.length).toBeLessThanOrEqual(1);
            if (succeeded.length === 1) expect(bill.paid_by).toBe(succeeded[0].id);
            else expect(bill.paid_by === null || bill.paid_by === 'elsewhere').toBe(true);
          }
          const spent = payments.filter((p) => p.status === 'succeeded').reduce((sum, p) => sum + BigInt(p.amount), 0n);
          expect(await balanceOf(t, holder.walletId)).toBe(before - spent);
          const wallet = await t.services.ledger.getAccount(holder.walletId);
          expect(wallet?.pendingDebitsFen).toBe(0n);
        },
      ),
      { numRuns: 12 },
    );
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  }, 600_000);
});
