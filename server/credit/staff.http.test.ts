import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { BUREAU, LOAN, apply, borrow, creditHolder, sign } from '../../test/credit-factories.js';
import { type TestStaff, signInStaff } from '../../test/kyc-factories.js';
import { type WalletHolder, bankAccount } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';

/**
 * The console's credit routes over HTTP: the referred-application queue with the decision's inputs,
 * staff decisions (at once up to ¥50,000, above it a second person approves), declines, the loan
 * book, contacts and write-offs (maker-checker), and the roles: support may look and record contacts
 * but not decide; a role without credit rights (KYC reviewer) is refused everything with 403.
 */

// 10:00 in Shanghai: contact with holders is refused 22:00-08:00.
const clock = manualClock('2026-03-05T02:00:00Z');
let t: TestApp;
let support: TestStaff;
let kyc: TestStaff;
let analyst: TestStaff;
let checker: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  support = await signInStaff(t, ['support'], clock.now());
  kyc = await signInStaff(t, ['kyc_reviewer'], clock.now());
  analyst = await signInStaff(t, ['risk_analyst'], clock.now());
  checker = await signInStaff(t, ['risk_analyst'], clock.now());
});
afterAll(async () => t?.close());

const get = (who: { auth: { authorization: string } }, url: string) => t.app.inject({ url, headers: who.auth });
const post = (who: { auth: { authorization: string } }, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: who.auth, payload });
const decide = (who: TestStaff, id: string, payload: object) =>
  post(who, `/api/v1/ops/credit/applications/${id}/decide`, payload);
const approval = (who: TestStaff, id: string, verb: 'approve' | 'reject') =>
  post(who, `/api/v1/staff/approvals/${id}/${verb}`, { note: 'second look agreed' });

async function referred(holder: WalletHolder, amount: number): Promise<string> {
  const applied = await apply(t, holder, { ...LOAN, amount });
  expect(applied.statusCode, applied.body).toBe(201);
  expect(applied.json()).toMatchObject({ status: 'referred', decision: { outcome: null } });
  return applied.json().id;
}

describe('referred applications in the console', () => {
  it('shows the inputs; support and roles without credit rights cannot decide; up to ¥50,000 at once', async () => {
    const holder = await creditHolder(t, { birth: BUREAU.thin });
    const id = await referred(holder, 3_000_000);

    expect((await get(kyc, '/api/v1/ops/credit/applications')).statusCode).toBe(403);
    expect((await get(kyc, `/api/v1/ops/credit/applications/${id}`)).statusCode).toBe(403);
    expect((await get(holder, '/api/v1/ops/credit/applications')).statusCode).toBe(403);
    const queue = await get(support, '/api/v1/ops/credit/applications');
    expect(queue.statusCode, queue.body).toBe(200);
    const listed = queue.json().items.find((item: { id: string }) => item.id === id);
    expect(listed).toMatchObject({ status: 'referred', holder: { userId: holder.userId }, scorecardVersion: 'v1' });
    expect(listed.inputs).toMatchObject({ tier: 'verified', monthlyIncomeYuan: 15_000, bureauScore: null });
    expect(listed.components.length).toBeGreaterThan(3);
    expect(listed.decision.reasons[0].code).toBe('thinFile');

    const approve = { decision: 'approve', limit: 3_000_000, annualRateBp: 1080, note: 'salary slips checked' };
    for (const who of [support, kyc]) {
      const refused = await decide(who, id, approve);
      expect(refused.statusCode, refused.body).toBe(403);
    }
    expect((await decide(analyst, id, { decision: 'approve', note: 'no limit given' })).json().code).toBe(
      'CREDIT_LIMIT_REQUIRED',
    );
    expect((await decide(analyst, id, { ...approve, limit: 30_000_000 })).json().code).toBe(
      'CREDIT_AMOUNT_ABOVE_LIMIT',
    );
    const decided = await decide(analyst, id, approve);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ approval: null, application: { status: 'approved' } });
    expect(decided.json().application.reviews).toEqual([
      expect.objectContaining({ by: analyst.staffId, decision: 'approve', limit: 3_000_000, approvalId: null }),
    ]);
    expect((await decide(analyst, id, approve)).json().code).toBe('CREDIT_APPLICATION_NOT_REFERRED');

    const mine = (await get(holder, `/api/v1/credit/applications/${id}`)).json();
    expect(mine).toMatchObject({ status: 'approved', decision: { outcome: 'approve' } });
    expect(mine.offer).toMatchObject({ limit: 3_000_000, annualRateBp: 1080 });
    const signed = await sign(t, holder, id);
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json().loanId).toBeTruthy();
  });

  it('above ¥50,000 a second person approves (maker-checker); the maker and support cannot', async () => {
    const holder = await creditHolder(t, { birth: BUREAU.thin });
    const id = await referred(holder, 8_000_000);
    const asked = await decide(analyst, id, { decision: 'approve', limit: 8_000_000, note: 'large, stable income' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ application: { status: 'referred' }, approval: { status: 'pending' } });
    const approvalId = asked.json().approval.id as string;
    expect((await get(holder, `/api/v1/credit/applications/${id}`)).json().status).toBe('referred');
    expect((await decide(checker, id, { decision: 'approve', limit: 8_000_000, note: 'me too' })).json().code).toBe(
      'APPROVAL_ALREADY_PENDING',
    );

    const own = await approval(analyst, approvalId, 'approve');
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    expect((await approval(support, approvalId, 'approve')).statusCode).toBe(403);
    expect((await get(holder, `/api/v1/credit/applications/${id}`)).json().status).toBe('referred');

    const approved = await approval(checker, approvalId, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const mine = (await get(holder, `/api/v1/credit/applications/${id}`)).json();
    expect(mine).toMatchObject({ status: 'approved', offer: { limit: 8_000_000 } });
    const staffView = (await get(support, `/api/v1/ops/credit/applications/${id}`)).json();
    expect(staffView.reviews).toEqual([expect.objectContaining({ by: analyst.staffId, approvalId })]);
  });

  it('declines with the note as the reason the holder reads; a rejected approval leaves it referred', async () => {
    const holder = await creditHolder(t, { birth: BUREAU.thin });
    const id = await referred(holder, 6_000_000);
    const asked = await decide(analyst, id, { decision: 'approve', limit: 6_000_000, note: 'looks fine to me' });
    const rejected = await approval(checker, asked.json().approval.id, 'reject');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await get(holder, `/api/v1/credit/applications/${id}`)).json().status).toBe('referred');
    const declined = await decide(checker, id, { decision: 'decline', note: '收入无法核实' });
    expect(declined.statusCode, declined.body).toBe(200);
    const mine = (await get(holder, `/api/v1/credit/applications/${id}`)).json();
    expect(mine).toMatchObject({ status: 'declined', offer: null });
    expect(mine.decision.reasons.map((reason: { code: string }) => reason.code)).toContain('thinFile');
  });
});

describe('the loan book in the console', () => {
  it('lets support look and record contacts, not KYC; a write-off needs an overdue loan and two people', async () => {
    const holder = await creditHolder(t);
    const loanId = await borrow(t, holder);
    for (const url of ['/api/v1/ops/credit/loans', `/api/v1/ops/credit/loans/${loanId}`, '/api/v1/ops/credit/overdue'])
      expect((await get(kyc, url)).statusCode, url).toBe(403);
    const book = await get(support, '/api/v1/ops/credit/loans');
    expect(book.json().items.map((loan: { id: string }) => loan.id)).toContain(loanId);
    const one = (await get(support, `/api/v1/ops/credit/loans/${loanId}`)).json();
    expect(one).toMatchObject({ id: loanId, status: 'active', holder: { userId: holder.userId }, contacts: [] });

    const contact = { channel: 'phone', note: '提醒按时还款' };
    expect((await post(kyc, `/api/v1/ops/credit/loans/${loanId}/contacts`, contact)).statusCode).toBe(403);
    const made = await post(support, `/api/v1/ops/credit/loans/${loanId}/contacts`, contact);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ channel: 'phone', by: support.staffId });
    clock.set('2026-03-05T15:00:00Z'); // 23:00 in Shanghai (a fresh session: the first one idled out)
    const night = await signInStaff(t, ['support'], clock.now());
    const late = await post(night, `/api/v1/ops/credit/loans/${loanId}/contacts`, contact);
    expect(late.json().code).toBe('CREDIT_QUIET_HOURS');
    clock.set('2026-03-05T02:00:00Z');
    expect((await get(support, `/api/v1/ops/credit/loans/${loanId}`)).json().contacts).toHaveLength(1);

    const writeOff = (who: TestStaff) =>
      post(who, `/api/v1/ops/credit/loans/${loanId}/write-off`, { reason: 'unreachable for months' });
    expect((await writeOff(support)).statusCode).toBe(403);
    expect((await writeOff(analyst)).json().code).toBe('CREDIT_WRITE_OFF_NOT_ALLOWED');

    // The holder spends the loan and misses the first installment by more than the grace period.
    const wallet = await t.services.ledger.getAccount(holder.walletId);
    const spent = await t.services.ledger.transfer({
      reference: `staff-test-spend:${holder.walletId}`,
      currency: 'CNY',
      legs: [
        { debitAccountId: holder.walletId, creditAccountId: await bankAccount(t), amountFen: wallet?.balanceFen ?? 0n },
      ],
      limitExempt: true,
    });
    expect(spent.ok).toBe(true);
    // The daily job runs every day (a day it missed would be our fault and move the due date).
    for (let day = 0; day < 36; day++) await t.services.credit.advanceDays(1);
    const overdue = (await get(support, '/api/v1/ops/credit/overdue')).json().items;
    expect(overdue.map((row: { loanId?: string; id?: string }) => row.loanId ?? row.id)).toContain(loanId);

    const asked = await writeOff(analyst);
    expect(asked.statusCode, asked.body).toBe(202);
    const approvalId = asked.json().approval.id as string;
    expect((await approval(analyst, approvalId, 'approve')).json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    const approved = await approval(checker, approvalId, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const closed = (await get(support, `/api/v1/ops/credit/loans/${loanId}`)).json();
    expect(closed.status).toBe('written_off');
    const { rows } = await t.db.query<{ account_id: string }>('SELECT account_id FROM credit_loans WHERE id = $1', [
      loanId,
    ]);
    expect((await t.services.ledger.getAccount(rows[0].account_id))?.balanceFen).toBe(0n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
