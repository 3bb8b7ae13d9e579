import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { BUREAU, LOAN, apply, borrow, creditHolder, repay, sign } from '../../test/credit-factories.js';
import { balanceOf, moneyHeaders } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';

let t: TestApp;

const TABLES = ['credit_applications', 'credit_loans', 'credit_installments', 'credit_repayments', 'ledger_entries'];
async function writes(): Promise<number[]> {
  const counts = [];
  for (const table of TABLES) {
    const { rows } = await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
    counts.push(Number(rows[0].n));
  }
  return counts;
}

/** A bad request answers its problem and writes nothing at all. */
async function refusedWithoutWrites(
  send: () => Promise<{ statusCode: number; json(): { code: string } }>,
  status: number,
  code: string,
) {
  const before = await writes();
  const answer = await send();
  expect(answer.statusCode).toBe(status);
  expect(answer.json().code).toBe(code);
  expect(await writes()).toEqual(before);
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('loan decisions', () => {
  it('quotes the worked example and the product', async () => {
    const holder = await creditHolder(t);
    const quote = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credit/loans/quote',
      headers: holder.auth,
      payload: { amount: 1_000_000, currency: 'CNY', termMonths: 12, method: 'equal_installment', annualRateBp: 720 },
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ aprBp: 720, totalInterest: 39_428 });
    expect(quote.json().installments[0]).toMatchObject({ total: 86_619, interest: 6_000, principal: 80_619 });
    const products = await t.app.inject({ url: '/api/v1/credit/products', headers: holder.auth });
    expect(products.json().loan.terms).toEqual([3, 6, 12, 24]);
  });

  it('approves a clean applicant with an offer, declines heavy debt with reasons, refers a thin file', async () => {
    const clean = await creditHolder(t, { balanceFen: 200_000n });
    const approved = await apply(t, clean);
    expect(approved.statusCode, approved.body).toBe(201);
    const offer = approved.json();
    expect(offer).toMatchObject({ status: 'approved', decision: { outcome: 'approve', by: 'scorecard' } });
    expect(offer.offer.schedule.installments).toHaveLength(12);
    expect(offer.offer.schedule.aprBp).toBe(offer.offer.annualRateBp);
    expect(offer.offer.contract.text.zh).toContain('年化利率');

    const heavy = await creditHolder(t, { birth: BUREAU.heavyDebt });
    const declined = await apply(t, heavy);
    expect(declined.json()).toMatchObject({ status: 'declined', offer: null });
    expect(declined.json().decision.reasons.map((r: { code: string }) => r.code)).toContain('debtToIncomePct');

    const defaulted = await creditHolder(t, { birth: BUREAU.pastDefault });
    expect((await apply(t, defaulted)).json().status).toBe('declined');

    const thin = await creditHolder(t, { birth: BUREAU.thin });
    const referred = await apply(t, thin);
    expect(referred.json()).toMatchObject({ status: 'referred', decision: { outcome: null } });
    expect(referred.json().decision.reasons[0].code).toBe('thinFile');
  });

  it('never uses the sex digit of the ID: flipping it changes nothing in the decision', async () => {
    // A birth date no factory-made ID uses (they are 1990-03-07 with a counter), so these two never
    // collide with a later holder's ID (a second registration of an ID is silently not made).
    const base = '11010119850615';
    const male = `${base}131`;
    const female = `${base}121`;
    const check = (first17: string) => {
      const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
      return '10X98765432'[sum % 11];
    };
    const a = await creditHolder(t, { idNumber: male + check(male), balanceFen: 100_000n });
    const b = await creditHolder(t, { idNumber: female + check(female), balanceFen: 100_000n });
    const first = (await apply(t, a)).json();
    const second = (await apply(t, b)).json();
    const decisionOf = async (id: string) => {
      const { rows } = await t.db.query<{ score: number; inputs: object; components: object; offer: object }>(
        'SELECT score, inputs, components, offer FROM credit_applications WHERE id = $1',
        [id],
      );
      return rows[0];
    };
    expect(await decisionOf(second.id)).toEqual(await decisionOf(first.id));
    expect(second.decision).toEqual({ ...first.decision, decidedAt: second.decision.decidedAt });
  });

  it('refuses bad input with a problem and writes nothing', async () => {
    const holder = await creditHolder(t, { balanceFen: 100_000n });
    await refusedWithoutWrites(
      () => apply(t, holder, { ...LOAN, amount: 30_000_000 }),
      422,
      'CREDIT_AMOUNT_ABOVE_LIMIT',
    );
    await refusedWithoutWrites(() => apply(t, holder, { ...LOAN, termMonths: 9 }), 422, 'CREDIT_TERM_NOT_OFFERED');
    await refusedWithoutWrites(() => apply(t, holder, { ...LOAN, method: 'balloon' }), 400, 'VALIDATION_FAILED');
    const basic = await creditHolder(t, { tier: 'basic' });
    await refusedWithoutWrites(() => apply(t, basic), 403, 'CREDIT_NOT_ELIGIBLE');

    const applied = await apply(t, holder);
    const id = applied.json().id;
    await refusedWithoutWrites(() => apply(t, holder), 409, 'CREDIT_APPLICATION_OPEN');
    await t.db.query(`UPDATE credit_applications SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [
      id,
    ]);
    await refusedWithoutWrites(() => sign(t, holder, id), 422, 'CREDIT_OFFER_EXPIRED');

    await t.services.credit.sandbox?.setMode('unavailable');
    const other = await creditHolder(t);
    await refusedWithoutWrites(() => apply(t, other), 503, 'CREDIT_BUREAU_UNAVAILABLE');
    await t.services.credit.sandbox?.setMode('normal');
  });
});

describe('loans', () => {
  it('signs with the PIN: the loan is paid into the wallet and the receivable owes it', async () => {
    const holder = await creditHolder(t);
    const before = await balanceOf(t, holder.walletId);
    const applied = await apply(t, holder);
    const wrongPin = await sign(t, holder, applied.json().id, '000000');
    expect(wrongPin.json().code).toBe('PIN_INVALID');
    const signed = await sign(t, holder, applied.json().id);
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({ status: 'signed' });
    const loanId = signed.json().loanId;
    expect(await balanceOf(t, holder.walletId)).toBe(before + 1_000_000n);
    const loan = await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: holder.auth });
    expect(loan.json()).toMatchObject({ status: 'active', amount: 1_000_000, payoffToday: 1_000_000 });
    expect(loan.json().schedule.installments).toHaveLength(12);
    const again = await sign(t, holder, applied.json().id);
    expect(again.json().code).toBe('CREDIT_OFFER_NOT_OPEN');
  });

  it('repays early in part (the schedule shrinks) and then in full; bad repayments write nothing', async () => {
    const holder = await creditHolder(t, { balanceFen: 2_000_000n });
    const loanId = await borrow(t, holder);
    await refusedWithoutWrites(() => repay(t, holder, loanId, { mode: 'due' }), 422, 'CREDIT_NOTHING_DUE');
    await refusedWithoutWrites(
      () => repay(t, holder, loanId, { mode: 'custom', amount: 1_000_001 }),
      422,
      'CREDIT_REPAYMENT_ABOVE_OWED',
    );
    const before = (await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: holder.auth })).json();
    const part = await repay(t, holder, loanId, { mode: 'custom', amount: 400_000 });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ status: 'completed', allocation: { principal: 400_000 } });
    const after = (await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: holder.auth })).json();
    expect(after.outstanding.principal).toBe(600_000);
    expect(after.schedule.installments[0].total).toBeLessThan(before.schedule.installments[0].total);
    const sum = after.schedule.installments.reduce((s: number, i: { principal: number }) => s + i.principal, 0);
    expect(sum).toBe(600_000);

    const all = await repay(t, holder, loanId, { mode: 'payoff' });
    expect(all.statusCode, all.body).toBe(201);
    const closed = (await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: holder.auth })).json();
    expect(closed).toMatchObject({ status: 'paid_off', payoffToday: 0 });
    const account = await t.db.query<{ account_id: string }>('SELECT account_id FROM credit_loans WHERE id = $1', [
      loanId,
    ]);
    expect(await balanceOf(t, account.rows[0].account_id)).toBe(0n);
    await refusedWithoutWrites(() => repay(t, holder, loanId, { mode: 'payoff' }), 409, 'CREDIT_LOAN_CLOSED');
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('keeps other holders out', async () => {
    const owner = await creditHolder(t);
    const other = await creditHolder(t);
    const loanId = await borrow(t, owner);
    const peek = await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: other.auth });
    expect(peek.json().code).toBe('CREDIT_LOAN_NOT_FOUND');
    const steal = await t.app.inject({
      method: 'POST',
      url: `/api/v1/credit/loans/${loanId}/repayments`,
      headers: moneyHeaders(other),
      payload: { mode: 'payoff', currency: 'CNY' },
    });
    expect(steal.json().code).toBe('CREDIT_LOAN_NOT_FOUND');
    expect((await t.app.inject({ url: '/api/v1/credit/loans' })).statusCode).toBe(401);
  });
});
