import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { BUREAU, LOAN, creditHolder } from '../../test/credit-factories.js';
import { TEST_PIN, type WalletHolder, bankAccount, fund } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock, shanghaiDay } from '../platform/clock.js';
import { accruedTotal } from './book.js';
import type { CreditService } from './service.js';
import * as loanStore from './store-loans.js';

/**
 * Fourteen simulated months of credit, the daily job run at 10:00 Shanghai each day without HTTP:
 * a loan repaid on time by auto-repay, one repaid late within the grace period (no mark, no
 * penalty), one overdue past the grace period (notice first, then reported, penalty interest), one
 * repaid early, one whose due date fell in a maintenance window (moved, no penalty, nothing
 * reported), and a credit card with monthly statements, a month paid at the minimum (interest on
 * the carried balance) and the rest paid in full (no interest). Afterwards every fen reconciles,
 * verify-ledger is clean and the job reruns without posting anything twice.
 */

const START = '2026-01-10';
const DAYS = 425;
const clock = manualClock(`${START}T02:00:00Z`);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let t: TestApp;
let credit: CreditService;
const holders: Record<string, WalletHolder> = {};
const loans: Record<string, string> = {};
let cardId = '';

async function spendAll(holder: WalletHolder) {
  const wallet = await t.services.ledger.getAccount(holder.walletId);
  if (!wallet || wallet.balanceFen === 0n) return;
  const moved = await t.services.ledger.transfer({
    reference: `sim-spend:${holder.walletId}:${shanghaiDay(clock.now())}:${wallet.balanceFen}`,
    currency: 'CNY',
    legs: [{ debitAccountId: holder.walletId, creditAccountId: await bankAccount(t), amountFen: wallet.balanceFen }],
    limitExempt: true,
  });
  expect(moved.ok).toBe(true);
}

async function borrowDirect(holder: WalletHolder, body: Partial<typeof LOAN>): Promise<string> {
  const applied = await credit.applications.apply(holder.userId, {
    product: 'loan',
    amountFen: BigInt(body.amount ?? LOAN.amount),
    termMonths: body.termMonths ?? LOAN.termMonths,
    method: (body.method ?? LOAN.method) as 'equal_installment',
    purpose: 'consumption',
    monthlyIncomeFen: 1_500_000n,
  });
  if (!applied.ok) throw new Error(applied.error.code);
  expect(applied.value.status).toBe('approved');
  const signed = await credit.signing.sign(holder.userId, applied.value.id, TEST_PIN);
  if (!signed.ok) throw new Error(signed.error.code);
  return signed.value.loan_id as string;
}

async function repayManually(holder: WalletHolder, target: 'loan' | 'card', id: string, mode: string, amount?: bigint) {
  const prepared =
    target === 'loan'
      ? await credit.loans.prepareRepayment(holder.userId, id, {
          mode: mode as 'due',
          amountFen: amount ?? null,
          clientKey: null,
        })
      : await credit.cards.prepareRepayment(holder.userId, id, {
          mode: mode as 'full',
          amountFen: amount ?? null,
          clientKey: null,
        });
  if (!prepared.ok) throw new Error(prepared.error.code);
  const confirmed = await credit.ctx.identity.confirmations.confirmWithPin(
    holder.userId,
    prepared.value.confirmationId,
    TEST_PIN,
  );
  expect(confirmed.ok).toBe(true);
  const done =
    target === 'loan'
      ? await credit.loans.completeRepayment(holder.userId, prepared.value.repayment.id, prepared.value.confirmationId)
      : await credit.cards.completeRepayment(holder.userId, prepared.value.repayment.id, prepared.value.confirmationId);
  if (!done.ok) throw new Error(done.error.code);
  return done.value;
}

async function installments(loanId: string) {
  return loanStore.listInstallments(t.db, loanId);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  credit = t.services.credit;
  for (const name of ['onTime', 'inGrace', 'overdue', 'early', 'fault', 'card']) {
    holders[name] = await creditHolder(t, { birth: BUREAU.clean, balanceFen: 100_000n });
  }
  loans.onTime = await borrowDirect(holders.onTime, { amount: 1_000_000, termMonths: 12 });
  await fund(t, holders.onTime.walletId, 200_000n);
  loans.inGrace = await borrowDirect(holders.inGrace, { amount: 600_000, termMonths: 6, method: 'equal_principal' });
  loans.overdue = await borrowDirect(holders.overdue, { amount: 300_000, termMonths: 3, method: 'equal_principal' });
  loans.early = await borrowDirect(holders.early, { amount: 500_000, termMonths: 12, method: 'interest_first' });
  // Borrowed three days later: the maintenance window over its due date must not cover the others'.
  clock.set(`${addDays(START, 3)}T02:00:00Z`);
  loans.fault = await borrowDirect(holders.fault, { amount: 300_000, termMonths: 3 });
  clock.set(`${START}T02:00:00Z`);
  for (const name of ['inGrace', 'overdue', 'fault']) await spendAll(holders[name]);
  const card = await credit.applications.apply(holders.card.userId, { product: 'card', monthlyIncomeFen: 1_500_000n });
  if (!card.ok) throw new Error(card.error.code);
  const issued = await credit.signing.sign(holders.card.userId, card.value.id, TEST_PIN);
  if (!issued.ok) throw new Error(issued.error.code);
  cardId = issued.value.card_id as string;
  await spendAll(holders.card);
}, 120_000);
afterAll(async () => t?.close());

describe('fourteen months of credit', () => {
  it('runs every day and reconciles to the fen', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const faultDue = (await installments(loans.fault))[0].due_day;
    const graceDue = (await installments(loans.inGrace))[1].due_day;
    const overdueDue = (await installments(loans.overdue))[0].due_day;
    let reportedOn: string | null = null;
    let toldOn: string | null = null;
    for (let index = 0; index <= DAYS; index++) {
      const day = addDays(START, index);
      clock.set(`${day}T02:00:00Z`);
      // The holders' own actions of the day, before the job.
      if (day === faultDue)
        await t.services.maintenance.schedule({
          feature: 'credit',
          startsAt: new Date(`${day}T01:00:00Z`),
          endsAt: new Date(`${addDays(day, 1)}T04:00:00Z`),
          titleZh: '系统维护',
          titleEn: 'Maintenance',
          messageZh: '维护',
          messageEn: 'Maintenance',
          createdBy: 'sim',
        });
      if (day === addDays(faultDue, 2)) await fund(t, holders.fault.walletId, 400_000n);
      const graceFirst = (await installments(loans.inGrace))[0];
      if (day === graceFirst.due_day)
        await fund(t, holders.inGrace.walletId, graceFirst.principal + graceFirst.interest);
      if (day === addDays(graceDue, 2)) {
        await fund(t, holders.inGrace.walletId, 120_000n);
        await repayManually(holders.inGrace, 'loan', loans.inGrace, 'due');
        await fund(t, holders.inGrace.walletId, 600_000n);
      }
      if (day === addDays(overdueDue, 10)) {
        await fund(t, holders.overdue.walletId, 400_000n);
        await repayManually(holders.overdue, 'loan', loans.overdue, 'payoff');
      }
      if (day === addDays(START, 100)) await repayManually(holders.early, 'loan', loans.early, 'payoff');
      if (day.endsWith('-12') && index < 400)
        expect(
          (
            await credit.cards.purchase({
              cardId,
              amountFen: 100_000n,
              merchantName: '京东',
              mcc: '5311',
              networkRef: day,
            })
          ).ok,
        ).toBe(true);
      if (day.endsWith('-20') && day > START) {
        const card = await credit.cards.ownCard(holders.card.userId, cardId);
        const view = await credit.cards.view(card as NonNullable<typeof card>);
        if (view.current && view.current.paid < view.current.balance) {
          const minimumMonth = day.startsWith('2026-04');
          const amount = minimumMonth ? view.current.minimum_payment : view.current.balance - view.current.paid;
          await fund(t, holders.card.walletId, amount);
          await repayManually(
            holders.card,
            'card',
            cardId,
            minimumMonth ? 'minimum' : 'custom',
            minimumMonth ? undefined : amount,
          );
        }
      }
      await credit.runDaily();
      const notices = await credit.noticesOf(holders.overdue.userId);
      if (!toldOn && notices.some((n) => n.kind === 'pre_report')) toldOn = day;
      if (!reportedOn && notices.some((n) => n.kind === 'reported')) reportedOn = day;
    }
    const elapsedMs = Date.now() - started;

    // On time: every installment collected on its due day, nothing reported.
    const onTime = await installments(loans.onTime);
    expect(onTime.every((row) => row.paid_on === row.due_day && row.penalty === 0n)).toBe(true);
    // Late within the grace period: paid two days late, no penalty, nothing reported.
    const inGrace = await installments(loans.inGrace);
    expect(inGrace[1]).toMatchObject({ paid_on: addDays(graceDue, 2), penalty: 0n, reported: false });
    expect(inGrace.every((row) => row.paid_on !== null)).toBe(true);
    // Overdue past grace: told first, then reported, with penalty interest.
    const overdue = await installments(loans.overdue);
    expect(overdue[0].reported).toBe(true);
    expect(overdue[0].penalty).toBeGreaterThan(0n);
    expect(toldOn).toBe(addDays(overdueDue, 1));
    expect(reportedOn).toBe(addDays(overdueDue, 4));
    const report = await credit.ownReport(holders.overdue.userId);
    expect(report?.records.filter((r) => r.kind === 'overdue')).toHaveLength(1);
    expect((await credit.ownReport(holders.inGrace.userId))?.records).toEqual([]);
    // Early repayment: paid off on day 100, interest only to that day.
    const early = await loanStore.findLoan(t.db, loans.early);
    expect(early?.status).toBe('paid_off');
    // Our own fault: the due date moved past the window, no penalty, not reported, the holder told.
    const fault = await installments(loans.fault);
    expect(fault[0]).toMatchObject({ original_due_day: faultDue, due_day: addDays(faultDue, 2), penalty: 0n });
    expect(fault[0].paid_on).toBe(addDays(faultDue, 2));
    expect(fault.every((row) => !row.reported)).toBe(true);
    expect((await credit.noticesOf(holders.fault.userId)).some((n) => n.kind === 'fault_moved')).toBe(true);
    expect((await credit.ownReport(holders.fault.userId))?.records).toEqual([]);

    // Every fen: each loan's receivable is what its book says is owed; closed loans owe nothing.
    for (const id of Object.values(loans)) {
      const loan = await loanStore.findLoan(t.db, id);
      const rows = await installments(id);
      if (!loan) throw new Error('loan');
      const owed =
        rows.reduce((sum, row) => sum + row.principal - row.paid_principal + row.penalty - row.paid_penalty, 0n) +
        loan.interest_accrued -
        rows.reduce((sum, row) => sum + row.paid_interest, 0n);
      const account = await t.services.ledger.getAccount(loan.account_id);
      expect(account?.balanceFen).toBe(-owed);
      expect(loan.interest_accrued).toBe(accruedTotal(rows, loan.accrued_through ?? loan.disbursed_on));
      expect(loan.status).toBe('paid_off');
      expect(owed).toBe(0n);
    }
    // The card: statements every month, interest only after the minimum month.
    const statements = await credit.cards.statements(cardId);
    expect(statements.length).toBeGreaterThanOrEqual(13);
    const txns = await credit.cards.transactions(cardId, null, 500);
    const interest = txns.filter((row) => row.kind === 'interest');
    expect(interest.length).toBeGreaterThan(0);
    expect(interest.every((row) => row.day > '2026-04-25' && row.day < '2026-06-01')).toBe(true);
    const card = await credit.cards.ownCard(holders.card.userId, cardId);
    const signed = txns.reduce((sum, row) => sum + (row.kind === 'repayment' ? -row.amount : row.amount), 0n);
    expect(await credit.cards.owedOf(card as NonNullable<typeof card>)).toBe(signed);

    // The job reruns on the same day without posting anything again.
    const entries = async () =>
      Number((await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries')).rows[0].n);
    const before = await entries();
    await credit.runDaily();
    await credit.runDaily();
    expect(await entries()).toBe(before);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
    console.log(`credit simulation: ${DAYS} days in ${elapsedMs} ms`);
  });
});
