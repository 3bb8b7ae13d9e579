import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { signInStaff } from '../../test/kyc-factories.js';
import { BUREAU, creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, type WalletHolder, balanceOf, bankAccount, fund } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import { INTEREST_INCOME } from './context.js';
import type { CreditService } from './service.js';
import * as loanStore from './store-loans.js';

/**
 * Issue 17: a restriction later lifted by staff as a false positive is our own fault. A holder is
 * restricted over a due date, the automatic repayment fails, the installment goes overdue, collects
 * penalty and is reported; the lift as a false positive moves the due date past the lift, reverses the
 * penalty through the ledger, corrects the bureau and tells the holder. Lifted normally, nothing changes.
 */

const START = '2026-03-02';
const clock = manualClock(`${START}T02:00:00Z`);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const at = (day: string) => clock.set(`${day}T02:00:00Z`);
const staff = { kind: 'staff' as const, id: 'stf_test' };

let t: TestApp;
let credit: CreditService;

beforeAll(async () => {
  t = await createTestApp({ clock });
  credit = t.services.credit;
});
afterAll(async () => t?.close());

async function borrowAndSpend(holder: WalletHolder): Promise<string> {
  const applied = await credit.applications.apply(holder.userId, {
    product: 'loan',
    amountFen: 1_000_000n,
    termMonths: 3,
    method: 'equal_installment',
    purpose: 'consumption',
    monthlyIncomeFen: 1_500_000n,
  });
  if (!applied.ok || applied.value.status !== 'approved') throw new Error('not approved');
  const signed = await credit.signing.sign(holder.userId, applied.value.id, TEST_PIN);
  if (!signed.ok) throw new Error(signed.error.code);
  const wallet = await t.services.ledger.getAccount(holder.walletId);
  const spent = await t.services.ledger.transfer({
    reference: `restriction-spend:${holder.walletId}`,
    currency: 'CNY',
    legs: [{ debitAccountId: holder.walletId, creditAccountId: await bankAccount(t), amountFen: wallet!.balanceFen }],
    limitExempt: true,
  });
  expect(spent.ok).toBe(true);
  return signed.value.loan_id as string;
}

async function negativeOf(holder: WalletHolder) {
  const report = await credit.ownReport(holder.userId);
  const loans = report?.accounts.filter((account) => account.lender === '通宝数字银行') ?? [];
  return {
    records: (report?.records ?? []).filter((record) => !record.removed),
    months: loans.flatMap((account) => account.months.map((month) => month.status)),
  };
}

/** Restricted the day before the first due date, the job runs every day up to `due + 8`: overdue and reported. */
async function restrictedOverDue(): Promise<{ holder: WalletHolder; loanId: string; due: string }> {
  at(START);
  const holder = await creditHolder(t, { birth: BUREAU.clean, balanceFen: 0n });
  const loanId = await borrowAndSpend(holder);
  const [first] = await loanStore.listInstallments(t.db, loanId);
  const due = first.due_day;
  for (let day = addDays(START, 1); day <= addDays(due, 8); day = addDays(day, 1)) {
    at(day);
    if (day === addDays(due, -1)) {
      const made = await t.services.risk.restrictions.restrict(
        holder.userId,
        { reasonCode: 'staff_review', details: { note: 'unusual pattern' }, liftBy: 'support', source: 'staff' },
        staff,
      );
      expect(made.ok).toBe(true);
    }
    await credit.runDaily();
  }
  const [row] = await loanStore.listInstallments(t.db, loanId);
  // The automatic repayment was tried on the due date and failed; penalty accrued; it was reported.
  expect(row.autopay_tried_on).not.toBeNull();
  expect(row.paid_on).toBeNull();
  expect(row.penalty).toBeGreaterThan(0n);
  expect(row.reported).toBe(true);
  expect((await negativeOf(holder)).records).toHaveLength(1);
  return { holder, loanId, due };
}

describe('a restriction over a due date', () => {
  it('lifted as a false positive: due past the lift, penalty reversed, bureau corrected, holder told', async () => {
    const { holder, loanId, due } = await restrictedOverDue();
    const income = async () =>
      (await t.services.ledger.getAccount(await credit.ctx.systemAccount(INTEREST_INCOME)))!.balanceFen;
    const loanBefore = await loanStore.findLoan(t.db, loanId);
    const [before] = await loanStore.listInstallments(t.db, loanId);
    const incomeBefore = await income();
    const lifted = await t.services.risk.restrictions.lift(holder.userId, 'false positive after review', staff, {
      falsePositive: true,
    });
    expect(lifted.ok && lifted.value.falsePositive).toBe(true);
    const [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ original_due_day: due, due_day: addDays(due, 9), penalty: 0n, paid_penalty: 0n });
    const loan = await loanStore.findLoan(t.db, loanId);
    expect(loan?.penalty_accrued).toBe(loanBefore!.penalty_accrued - before.penalty);
    expect(loan?.penalty_accrued).toBe(0n);
    expect(loan?.status).toBe('active');
    // The penalty posted to interest income came back out of it, to the fen.
    const moved = (await income()) - incomeBefore;
    expect(moved < 0n ? -moved : moved).toBe(before.penalty);
    const bureau = await negativeOf(holder);
    expect(bureau.records).toEqual([]);
    expect(bureau.months.filter((status) => status !== 'N')).toEqual([]);
    const notices = (await credit.noticesOf(holder.userId)).filter((n) => n.kind === 'fault_moved');
    expect(notices).toHaveLength(1);
    expect(notices[0].text.en).toContain(addDays(due, 9));
    const audit = await t.db.query<{ details: { falsePositive: boolean } }>(
      `SELECT details FROM audit_log WHERE action = 'risk.restriction_lifted' AND subject_id = $1`,
      [holder.userId],
    );
    expect(audit.rows.map((r) => r.details.falsePositive)).toEqual([true]);
    // The job the next day (and a second run) changes nothing: no penalty, no new report.
    at(addDays(due, 9));
    await credit.runDaily();
    await credit.runDaily();
    const [after] = await loanStore.listInstallments(t.db, loanId);
    expect(after).toMatchObject({ due_day: addDays(due, 9), penalty: 0n });
    expect((await negativeOf(holder)).records).toEqual([]);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('lifted as a false positive after the holder paid the penalty: the penalty goes back to the wallet', async () => {
    const { holder, loanId, due } = await restrictedOverDue();
    const [row] = await loanStore.listInstallments(t.db, loanId);
    // Still restricted, the holder repays everything owed on the installment, penalty included.
    const owed = row.principal + row.interest + row.penalty;
    await fund(t, holder.walletId, owed);
    const prepared = await credit.loans.prepareRepayment(holder.userId, loanId, {
      mode: 'due',
      amountFen: null,
      clientKey: null,
    });
    if (!prepared.ok) throw new Error(prepared.error.code);
    expect(prepared.value.repayment.amount).toBe(owed);
    const pinned = await credit.ctx.identity.confirmations.confirmWithPin(
      holder.userId,
      prepared.value.confirmationId,
      TEST_PIN,
    );
    expect(pinned.ok).toBe(true);
    const done = await credit.loans.completeRepayment(
      holder.userId,
      prepared.value.repayment.id,
      prepared.value.confirmationId,
    );
    expect(done.ok).toBe(true);
    const [paid] = await loanStore.listInstallments(t.db, loanId);
    expect(paid.paid_penalty).toBe(row.penalty);
    expect(await balanceOf(t, holder.walletId)).toBe(0n);

    const lifted = await t.services.risk.restrictions.lift(holder.userId, 'false positive after review', staff, {
      falsePositive: true,
    });
    expect(lifted.ok).toBe(true);
    const [after] = await loanStore.listInstallments(t.db, loanId);
    expect(after).toMatchObject({ due_day: due, penalty: 0n, paid_penalty: 0n, paid_on: paid.paid_on });
    expect(await balanceOf(t, holder.walletId)).toBe(row.penalty);
    expect((await loanStore.findLoan(t.db, loanId))?.penalty_accrued).toBe(0n);
    expect((await negativeOf(holder)).records).toEqual([]);
    const refunds = (await credit.noticesOf(holder.userId)).filter((n) => n.kind === 'fault_refunded');
    expect(refunds).toHaveLength(1);
    // Lifted again (a retried request): nothing more comes back.
    await credit.restrictionFault({
      userId: holder.userId,
      restrictedAt: new Date(`${addDays(due, -1)}T02:00:00Z`),
      liftedAt: clock.now(),
    });
    expect(await balanceOf(t, holder.walletId)).toBe(row.penalty);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('lifted normally: the ordinary rules apply (penalty stays, the record stays)', async () => {
    const { holder, loanId, due } = await restrictedOverDue();
    const [before] = await loanStore.listInstallments(t.db, loanId);
    const lifted = await t.services.risk.restrictions.lift(holder.userId, 'holder verified at the branch', staff);
    expect(lifted.ok && lifted.value.falsePositive).toBe(false);
    const [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ due_day: due, penalty: before.penalty, reported: true });
    expect((await loanStore.findLoan(t.db, loanId))?.status).toBe('overdue');
    expect((await negativeOf(holder)).records).toHaveLength(1);
    expect((await credit.noticesOf(holder.userId)).map((n) => n.kind)).not.toContain('fault_moved');
    at(addDays(due, 9));
    await credit.runDaily();
    const [later] = await loanStore.listInstallments(t.db, loanId);
    expect(later.penalty).toBeGreaterThan(before.penalty);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});

describe('a bureau correction the bureau does not take', () => {
  const pending = async (reference: string) =>
    (
      await t.db.query<{ status: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
        'SELECT status, attempts, next_attempt_at, last_error FROM credit_bureau_retries WHERE reference = $1',
        [reference],
      )
    ).rows;
  const later = (minutes: number) => clock.set(new Date(clock.now().getTime() + minutes * 60_000).toISOString());

  it('a false-positive lift: kept with attempts and a next attempt, retried until taken, shown to staff', async () => {
    const { holder, loanId, due } = await restrictedOverDue();
    await credit.sandbox?.setMode('unavailable');
    const lifted = await t.services.risk.restrictions.lift(holder.userId, 'false positive after review', staff, {
      falsePositive: true,
    });
    expect(lifted.ok).toBe(true);
    // Our side is done at once: moved, no penalty.
    const [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ due_day: addDays(due, 9), penalty: 0n });
    const reference = `fault:${holder.userId}:${addDays(due, -1)}:${addDays(due, 8)}`;
    const [first] = await pending(reference);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.next_attempt_at.getTime() - clock.now().getTime()).toBe(5 * 60_000);
    expect(first.last_error).toContain('unavailable');
    // Not due yet: nothing tried. Then each due attempt fails and waits longer (5, 15, 60, 180 minutes).
    expect(await credit.retries.run()).toBe(0);
    expect((await pending(reference))[0].attempts).toBe(1);
    for (const [wait, attempts] of [
      [5, 2],
      [15, 3],
      [60, 4],
      [180, 5],
    ] as const) {
      later(wait - 1);
      await credit.retries.run();
      expect((await pending(reference))[0].attempts).toBe(attempts - 1);
      later(1);
      expect(await credit.retries.run()).toBe(0);
      expect((await pending(reference))[0]).toMatchObject({ status: 'pending', attempts });
    }
    const analyst = await signInStaff(t, ['risk_analyst'], clock.now());
    const seen = await t.app.inject({ url: '/api/v1/ops/credit/bureau-retries', headers: analyst.auth });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().items).toEqual([
      expect.objectContaining({ reference, kind: 'fault_correction', attempts: 5, stuck: true }),
    ]);
    // The bureau recovers: the next attempt corrects the record and restates the months, once.
    await credit.sandbox?.setMode('normal');
    expect((await negativeOf(holder)).records).toHaveLength(1);
    later(360);
    expect(await credit.retries.run()).toBe(1);
    expect((await pending(reference))[0]).toMatchObject({ status: 'done', attempts: 6, last_error: null });
    const bureau = await negativeOf(holder);
    expect(bureau.records).toEqual([]);
    expect(bureau.months.filter((status) => status !== 'N')).toEqual([]);
    later(360);
    expect(await credit.retries.run()).toBe(0);
    const again = await signInStaff(t, ['risk_analyst'], clock.now()); // hours later: a new session
    const after = await t.app.inject({ url: '/api/v1/ops/credit/bureau-retries', headers: again.auth });
    expect(after.json().items).toEqual([]);
  });

  it('an upheld dispute: decided at once, the correction retried until the bureau takes it', async () => {
    const { holder } = await restrictedOverDue();
    const [record] = (await negativeOf(holder)).records;
    const disputed = await credit.dispute(holder.userId, record.id, 'I was restricted by mistake');
    if (!disputed.ok) throw new Error(disputed.error.code);
    await credit.sandbox?.setMode('unavailable');
    const resolved = await credit.resolveDispute(disputed.value.id, staff, { outcome: 'upheld', note: 'our fault' });
    expect(resolved.ok && resolved.value.status).toBe('upheld');
    const reference = `dispute:${disputed.value.id}`;
    expect((await pending(reference))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    later(5);
    await credit.runDaily(); // the daily work tries too
    expect((await pending(reference))[0]).toMatchObject({ status: 'pending', attempts: 2 });
    await credit.sandbox?.setMode('normal');
    later(15);
    expect(await credit.retries.run()).toBe(1);
    expect((await pending(reference))[0].status).toBe('done');
    expect((await negativeOf(holder)).records).toEqual([]);
  });
});
