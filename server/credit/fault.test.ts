import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { BUREAU, creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, type WalletHolder, bankAccount, fund } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import type { CreditService } from './service.js';
import * as loanStore from './store-loans.js';

/**
 * Regression (issue 17): a ¥0.74 penalty was seen on an installment whose due date moved for our
 * own fault. The daily work accrued penalty interest for the days it had missed with the due date
 * not yet moved, then moved it: a job that did not run for some days (workers stopped for a
 * maintenance window, or the development clock moved several days at once) caught up penalty for
 * days past the grace period. No penalty accrues while the automatic repayment has not been tried.
 */

const START = '2026-03-02';
const clock = manualClock(`${START}T02:00:00Z`);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const at = (day: string) => clock.set(`${day}T02:00:00Z`);

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
    reference: `fault-spend:${holder.walletId}`,
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
    records: report?.records ?? [],
    months: loans.flatMap((account) => account.months.map((month) => month.status)),
  };
}

describe('our own fault over a due date', () => {
  it('a maintenance window over the due date, the job stopped for days: moved, no penalty, not reported', async () => {
    at(START);
    const holder = await creditHolder(t, { birth: BUREAU.clean, balanceFen: 0n });
    const loanId = await borrowAndSpend(holder);
    const [first] = await loanStore.listInstallments(t.db, loanId);
    const due = first.due_day;
    // Every day up to the day before the due date runs normally.
    for (let day = addDays(START, 1); day < due; day = addDays(day, 1)) {
      at(day);
      await credit.runDaily();
    }
    // A maintenance window from the evening before the due date for six days; the workers were
    // stopped with it, so the job first runs again on its fifth day.
    at(addDays(due, -1));
    const scheduled = await t.services.maintenance.schedule({
      feature: 'credit',
      startsAt: new Date(`${addDays(due, -1)}T12:00:00Z`),
      endsAt: new Date(`${addDays(due, 5)}T04:00:00Z`),
      titleZh: '系统维护',
      titleEn: 'Maintenance',
      messageZh: '维护',
      messageEn: 'Maintenance',
      createdBy: 'test',
    });
    expect(scheduled.ok).toBe(true);
    at(addDays(due, 5));
    await credit.runDaily();
    let [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ original_due_day: due, due_day: addDays(due, 6), penalty: 0n, reported: false });
    expect((await credit.noticesOf(holder.userId)).map((n) => n.kind)).toContain('fault_moved');
    // The holder pays on the moved due date (auto-repay from the wallet).
    at(addDays(due, 6));
    await fund(t, holder.walletId, row.principal + row.interest);
    await credit.runDaily();
    [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ paid_on: addDays(due, 6), penalty: 0n, paid_penalty: 0n, reported: false });
    const loan = await loanStore.findLoan(t.db, loanId);
    expect(loan?.penalty_accrued).toBe(0n);
    const kinds = (await credit.noticesOf(holder.userId)).map((n) => n.kind);
    expect(kinds).not.toContain('pre_report');
    expect(kinds).not.toContain('reported');
    const bureau = await negativeOf(holder);
    expect(bureau.records).toEqual([]);
    expect(bureau.months.filter((status) => status !== 'N')).toEqual([]);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('a job that did not run for days, then a manual repayment before it runs again: no penalty', async () => {
    at(START);
    const holder = await creditHolder(t, { birth: BUREAU.clean, balanceFen: 0n });
    const loanId = await borrowAndSpend(holder);
    const [first] = await loanStore.listInstallments(t.db, loanId);
    const due = first.due_day;
    at(addDays(due, -1));
    await credit.runDaily();
    // The job does not run on the due date nor the five days after; the holder repays on the sixth.
    at(addDays(due, 6));
    await fund(t, holder.walletId, first.principal + first.interest);
    const prepared = await credit.loans.prepareRepayment(holder.userId, loanId, {
      mode: 'due',
      amountFen: null,
      clientKey: null,
    });
    if (!prepared.ok) throw new Error(prepared.error.code);
    expect(prepared.value.repayment.amount).toBe(first.principal + first.interest);
    expect(
      (await credit.ctx.identity.confirmations.confirmWithPin(holder.userId, prepared.value.confirmationId, TEST_PIN))
        .ok,
    ).toBe(true);
    const done = await credit.loans.completeRepayment(
      holder.userId,
      prepared.value.repayment.id,
      prepared.value.confirmationId,
    );
    expect(done.ok).toBe(true);
    await credit.runDaily();
    const [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row).toMatchObject({ paid_on: addDays(due, 6), penalty: 0n, reported: false });
    expect((await loanStore.findLoan(t.db, loanId))?.penalty_accrued).toBe(0n);
    expect((await negativeOf(holder)).records).toEqual([]);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
