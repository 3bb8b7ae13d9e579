import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { apply, borrow, creditHolder, sign } from '../../test/credit-factories.js';
import { testEngine } from '../../test/db.js';
import { balanceOf, fund, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import * as cardStore from './store-cards.js';
import * as loanStore from './store-loans.js';

/**
 * Repayments racing each other over HTTP (on PostgreSQL truly in parallel): many repayments of one
 * loan (and of one card) with different Idempotency-Keys while a wallet payment drains the same
 * wallet. No overdraft, nothing posted twice, the loan or card never repaid beyond what is owed, and
 * every fen of the ledger matches the schedule (or the card's transactions). The same request sent
 * several times at once with one key posts once.
 */

const STEP_FEN = 100_000;
let t: TestApp;
let payee: WalletHolder;

beforeAll(async () => {
  // Noon in Shanghai: on the wall clock, a run between 16:00 and 22:00 UTC met the night_large rule
  // (00:00-06:00 Beijing time), which holds the ¥3,000 payment for the holder to confirm.
  t = await createTestApp({ clock: manualClock('2026-11-23T04:00:00Z') });
  // Bursts from one holder are this file's subject; the velocity rule is tested in server/risk.
  const lifted = await t.services.risk.rules.change(
    'velocity',
    { thresholds: { maxCount: 1_000_000, maxAmountFen: 100_000_000_000 }, reason: 'test: bursts from one holder' },
    { id: 'stf_test' },
  );
  expect(lifted.ok).toBe(true);
  payee = await walletHolder(t, { name: '李四', limits: {} });
});
afterAll(async () => t?.close());

const repayLoan = (holder: WalletHolder, loanId: string, amount: number, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/credit/loans/${loanId}/repayments`,
    headers: moneyHeaders(holder, key),
    payload: { mode: 'custom', amount, currency: 'CNY', confirmation: { pin: holder.pin } },
  });

const repayCard = (holder: WalletHolder, cardId: string, amount: number, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/credit/cards/${cardId}/repayments`,
    headers: moneyHeaders(holder, key),
    payload: { mode: 'custom', amount, currency: 'CNY', confirmation: { pin: holder.pin } },
  });

const payOut = (holder: WalletHolder, amount: number) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: moneyHeaders(holder),
    payload: { payee: { walletId: payee.walletId }, amount, currency: 'CNY', confirmation: { pin: holder.pin } },
  });

/** The ledger entries of a target's repayments: how many and their total. */
async function repaymentEntries(targetId: string) {
  const { rows } = await t.db.query<{ n: bigint; total: bigint | null }>(
    `SELECT count(*) AS n, sum(p.amount)::bigint AS total
       FROM credit_repayments r
       JOIN ledger_entries e ON e.reference = 'credit:repay:' || r.id
       JOIN ledger_postings p ON p.entry_seq = e.seq AND p.amount > 0
      WHERE r.target_id = $1`,
    [targetId],
  );
  return { count: Number(rows[0].n), totalFen: rows[0].total ?? 0n };
}

async function completedRepayments(targetId: string) {
  const { rows } = await t.db.query<loanStore.RepaymentRow>(
    `SELECT * FROM credit_repayments WHERE target_id = $1 AND status = 'completed'`,
    [targetId],
  );
  return rows;
}

/** What the loan's book says is owed, from its rows; the receivable must hold exactly its negative. */
async function loanBook(loanId: string) {
  const loan = await loanStore.findLoan(t.db, loanId);
  if (!loan) throw new Error('no loan');
  const rows = await loanStore.listInstallments(t.db, loanId);
  const sum = (pick: (row: loanStore.InstallmentRow) => bigint) => rows.reduce((s, row) => s + pick(row), 0n);
  const principalLeft = sum((row) => row.principal - row.paid_principal);
  const owed =
    principalLeft + sum((row) => row.penalty - row.paid_penalty) + loan.interest_accrued - sum((r) => r.paid_interest);
  const receivable = await t.services.ledger.getAccount(loan.account_id);
  return { loan, rows, principalLeft, owed, receivableFen: receivable?.balanceFen };
}

describe(`concurrent credit repayments (${testEngine})`, () => {
  it('repays a loan from a burst of keys while a payment drains the wallet: none over-repaid', async () => {
    // ¥1,000 of the holder's own and the ¥10,000 loan: ¥11,000 in the wallet.
    const holder = await creditHolder(t, { balanceFen: 100_000n });
    const loanId = await borrow(t, holder);
    // Ten days of interest, so the repayments split between interest and principal.
    const jobs = await t.services.credit.advanceDays(10);
    expect(jobs).toBeDefined();
    const before = await loanBook(loanId);
    expect(before.loan.interest_accrued).toBeGreaterThan(0n);
    const payoffFen = before.owed;
    expect(payoffFen > 1_000_000n && payoffFen < 1_100_000n).toBe(true);
    const wallet = await balanceOf(t, holder.walletId);
    expect(wallet).toBe(1_100_000n);

    // Twelve repayments of ¥1,000 (¥12,000 asked of a ~¥10,020 payoff) and a ¥3,000 payment.
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, () => repayLoan(holder, loanId, STEP_FEN)),
      payOut(holder, 300_000),
    ]);
    const payment = answers.pop();
    const paid = payment?.statusCode === 201;
    if (!paid) expect(payment?.json().code).toBe('INSUFFICIENT_FUNDS');
    const done = answers.filter((answer) => answer.statusCode === 201);
    for (const answer of done) expect(answer.json().status, answer.body).toBe('completed');
    for (const answer of answers.filter((a) => a.statusCode !== 201))
      expect(['INSUFFICIENT_FUNDS', 'CREDIT_REPAYMENT_ABOVE_OWED'], answer.body).toContain(answer.json().code);
    // Whatever the order: a payment that went through leaves room for eight repayments; one refused
    // came after the ninth, and the payoff stops the eleventh.
    expect(done.length).toBe(paid ? 8 : 10);

    const after = await balanceOf(t, holder.walletId);
    expect(after).toBe(wallet - BigInt(done.length * STEP_FEN) - (paid ? 300_000n : 0n));
    expect(after >= 0n).toBe(true);
    const completed = await completedRepayments(loanId);
    expect(completed).toHaveLength(done.length);
    const entries = await repaymentEntries(loanId);
    expect(entries).toEqual({ count: done.length, totalFen: BigInt(done.length * STEP_FEN) });

    // Every fen: the receivable is the book; principal repaid is what left the schedule; never over-repaid.
    const book = await loanBook(loanId);
    expect(book.receivableFen).toBe(-book.owed);
    expect(book.owed).toBe(payoffFen - BigInt(done.length * STEP_FEN));
    expect(book.owed > 0n).toBe(true);
    const allocated = completed.reduce(
      (sum, row) => ({
        interest: sum.interest + row.alloc_interest,
        principal: sum.principal + row.alloc_principal,
        total: sum.total + row.alloc_penalty + row.alloc_interest + row.alloc_principal,
      }),
      { interest: 0n, principal: 0n, total: 0n },
    );
    expect(allocated.total).toBe(BigInt(done.length * STEP_FEN));
    expect(book.principalLeft).toBe(1_000_000n - allocated.principal);
    expect(book.rows.reduce((s, row) => s + row.paid_interest, 0n)).toBe(allocated.interest);
    expect(book.loan.status).toBe('active');
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('keeps every manual repayment made while the daily job collects the same installment', async () => {
    const holder = await creditHolder(t, { balanceFen: 100_000n });
    const loanId = await borrow(t, holder);
    const credit = t.services.credit;
    const [first] = (await loanBook(loanId)).rows;
    // The job runs every day up to the day before the due date (a day it missed would move it).
    const days = (Date.parse(first.due_day) - Date.parse(credit.loans.today())) / 86_400_000;
    for (let day = 1; day < days; day++) await credit.advanceDays(1);
    // The due date's run (automatic repayment, reminders) and five repayments of ¥500 at once.
    const [, ...answers] = await Promise.all([
      credit.advanceDays(1),
      ...Array.from({ length: 5 }, () => repayLoan(holder, loanId, 50_000)),
    ]);
    expect(credit.loans.today()).toBe(first.due_day);
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(201);
    const completed = await completedRepayments(loanId);
    expect(completed.filter((row) => row.source === 'manual')).toHaveLength(5);
    const total = completed.reduce((sum, row) => sum + row.amount, 0n);
    expect(await repaymentEntries(loanId)).toEqual({ count: completed.length, totalFen: total });
    const book = await loanBook(loanId);
    expect(book.receivableFen).toBe(-book.owed);
    const allocated = completed.reduce((sum, row) => sum + row.alloc_principal, 0n);
    expect(book.principalLeft).toBe(1_000_000n - allocated);
    expect(book.rows.reduce((sum, row) => sum + row.paid_interest, 0n)).toBe(
      completed.reduce((sum, row) => sum + row.alloc_interest, 0n),
    );
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('posts one repayment when the same keyed request is sent six times at once', async () => {
    const holder = await creditHolder(t, { balanceFen: 100_000n });
    const loanId = await borrow(t, holder);
    const wallet = await balanceOf(t, holder.walletId);
    const key = `same-loan-${holder.userId}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => repayLoan(holder, loanId, 50_000, key)));
    for (const answer of answers) {
      if (answer.statusCode === 201) expect(answer.json().status).toBe('completed');
      else expect(answer.json().code, answer.body).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    }
    const ids = new Set(answers.filter((a) => a.statusCode === 201).map((a) => a.json().id as string));
    expect(ids.size).toBe(1);
    // A retry once it settled replays the first answer.
    const retry = await repayLoan(holder, loanId, 50_000, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe([...ids][0]);
    expect(await completedRepayments(loanId)).toHaveLength(1);
    expect(await repaymentEntries(loanId)).toEqual({ count: 1, totalFen: 50_000n });
    expect(await balanceOf(t, holder.walletId)).toBe(wallet - 50_000n);
    const book = await loanBook(loanId);
    expect(book.receivableFen).toBe(-book.owed);
  });

  it('repays one card from a burst of keys while a payment drains the wallet', async () => {
    const holder = await creditHolder(t);
    const applied = await apply(t, holder, { product: 'card', monthlyIncome: 1_500_000 });
    expect(applied.json().status, applied.body).toBe('approved');
    const signed = await sign(t, holder, applied.json().id);
    expect(signed.statusCode, signed.body).toBe(201);
    const cardId = signed.json().cardId as string;
    for (const [i, amountFen] of [200_000n, 300_000n].entries()) {
      const bought = await t.services.credit.cards.purchase({
        cardId,
        amountFen,
        merchantName: '京东',
        mcc: '5311',
        networkRef: `burst-${cardId}-${i}`,
      });
      expect(bought.ok).toBe(true);
    }
    await fund(t, holder.walletId, 450_000n);
    const card = await cardStore.findCard(t.db, cardId);
    if (!card) throw new Error('no card');

    // Eight repayments of ¥1,000 of a ¥5,000 balance from ¥4,500, and a ¥1,500 payment.
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => repayCard(holder, cardId, STEP_FEN)),
      payOut(holder, 150_000),
    ]);
    const payment = answers.pop();
    const paid = payment?.statusCode === 201;
    if (!paid) expect(payment?.json().code).toBe('INSUFFICIENT_FUNDS');
    const done = answers.filter((answer) => answer.statusCode === 201);
    for (const answer of answers.filter((a) => a.statusCode !== 201))
      expect(answer.json().code, answer.body).toBe('INSUFFICIENT_FUNDS');
    // A payment that went through leaves ¥3,000 for three; one refused came after the fourth.
    expect(done.length).toBe(paid ? 3 : 4);
    const after = await balanceOf(t, holder.walletId);
    expect(after).toBe(450_000n - BigInt(done.length * STEP_FEN) - (paid ? 150_000n : 0n));

    const owed = 500_000n - BigInt(done.length * STEP_FEN);
    expect(await t.services.credit.cards.owedOf(card)).toBe(owed);
    expect((await t.services.ledger.getAccount(card.account_id))?.balanceFen).toBe(-owed);
    expect(await repaymentEntries(cardId)).toEqual({ count: done.length, totalFen: BigInt(done.length * STEP_FEN) });
    const repaid = (await t.services.credit.cards.transactions(cardId, null, 100)).filter(
      (row) => row.kind === 'repayment',
    );
    expect(repaid).toHaveLength(done.length);

    // Then the same keyed request six times at once: one posts.
    await fund(t, holder.walletId, 1_000n);
    const key = `same-card-${holder.userId}`;
    const again = await Promise.all(Array.from({ length: 6 }, () => repayCard(holder, cardId, 1_000, key)));
    const ids = new Set(again.filter((a) => a.statusCode === 201).map((a) => a.json().id as string));
    expect(ids.size, again.map((a) => a.body).join('\n')).toBe(1);
    for (const answer of again.filter((a) => a.statusCode !== 201))
      expect(answer.json().code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    expect(await balanceOf(t, holder.walletId)).toBe(after);
    expect(await t.services.credit.cards.owedOf(card)).toBe(owed - 1_000n);
    expect(await repaymentEntries(cardId)).toEqual({
      count: done.length + 1,
      totalFen: BigInt(done.length * STEP_FEN + 1_000),
    });
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
