import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeRemote,
  type ReceivedRequest,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../../test/outside-fakes.js';
import { type TestApp, createTestApp } from '../../test/app.js';
import { apply, creditHolder } from '../../test/credit-factories.js';
import { ALL_SANDBOXES } from '../outside-adapters.js';
import { bankAccount, moneyHeaders } from '../../test/transfer-factories.js';
import { manualClock, shanghaiDay } from '../platform/clock.js';
import { addDays } from './calendar.js';
import * as loanStore from './store-loans.js';
import { createHttpBureau } from './bureau-http.js';
import { BureauUnavailable, LENDER } from './bureau.js';

const clock = manualClock('2026-11-23T02:00:00Z');
const ID = '110101199003071234';
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const wireReport = {
  asOf: '2026-11-23T02:00:00Z',
  score: 701,
  debts: [
    {
      lender: '某银行',
      kind: 'card',
      balanceFen: 300_000,
      monthlyPaymentFen: 30_000,
      openedOn: '2024-05-01',
      overdueMonths24: 0,
      defaulted: false,
    },
  ],
  accounts: [
    {
      accountRef: 'tongbao:loan:ln_1',
      lender: LENDER,
      kind: 'loan',
      openedOn: '2026-01-05',
      balanceFen: 500_000,
      status: 'overdue',
      months: [{ month: '2026-10', status: '1' }],
    },
  ],
  records: [
    {
      id: 'rec_1',
      accountRef: 'tongbao:loan:ln_1',
      month: '2026-10',
      kind: 'overdue',
      amountFen: 86_619,
      removed: false,
    },
  ],
  inquiries: [{ day: '2026-11-01', inquirer: LENDER, reason: 'loan_approval' }],
};
const last = () => remote.received.at(-1) as ReceivedRequest;

describe('the credit bureau over HTTP', () => {
  it('inquires with the ID number in a signed body (never in the path) and maps the report to fen', async () => {
    const bureau = createHttpBureau(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 200, body: wireReport }));
    const answer = await bureau.inquire(ID, 'loan_approval');
    expect(answer).toEqual({
      ok: true,
      value: {
        asOf: new Date('2026-11-23T02:00:00Z'),
        score: 701,
        debts: [{ ...wireReport.debts[0], balanceFen: 300_000n, monthlyPaymentFen: 30_000n }],
        accounts: [{ ...wireReport.accounts[0], balanceFen: 500_000n }],
        records: [{ ...wireReport.records[0], amountFen: 86_619n }],
        inquiries: wireReport.inquiries,
      },
    });
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/inquiries' });
    expect(last().json).toEqual({ idNumber: ID, inquirer: LENDER, reason: 'loan_approval' });
    expect(last().path).not.toContain(ID);
    expect(signatureOf(last()).valid).toBe(true);
    expect(signatureOf(last(), 'another-secret-of-thirty-two-chars!!').valid).toBe(false);
  });

  it('treats a broken answer, a 5xx and a timeout as the bureau being unavailable', async () => {
    const bureau = createHttpBureau(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 200, body: { ...wireReport, score: 'high' } }));
    expect(await bureau.inquire(ID, 'loan_approval')).toEqual({
      ok: false,
      error: { code: 'CREDIT_BUREAU_UNAVAILABLE' },
    });
    remote.answer(() => ({
      status: 200,
      body: { ...wireReport, debts: [{ ...wireReport.debts[0], balanceFen: -1 }] },
    }));
    expect((await bureau.inquire(ID, 'loan_approval')).ok).toBe(false);
    remote.answer(() => ({ status: 503, body: { error: 'maintenance' } }));
    expect((await bureau.inquire(ID, 'loan_approval')).ok).toBe(false);
    await expect(bureau.ownReport(ID)).rejects.toBeInstanceOf(BureauUnavailable);
    remote.answer(() => 'hang');
    const slow = createHttpBureau(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    expect(await slow.inquire(ID, 'loan_approval')).toEqual({
      ok: false,
      error: { code: 'CREDIT_BUREAU_UNAVAILABLE' },
    });
  });

  it("answers the holder's own report, null when the bureau has no file", async () => {
    const bureau = createHttpBureau(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 200, body: wireReport }));
    expect((await bureau.ownReport(ID))?.score).toBe(701);
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/personal-reports', json: { idNumber: ID } });
    remote.answer(() => ({ status: 404 }));
    expect(await bureau.ownReport(ID)).toBeNull();
  });

  it('reports statuses and negative records idempotently, and throws when the bureau did not take them', async () => {
    const bureau = createHttpBureau(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 202, body: { accepted: true } }));
    await bureau.reportStatus({
      accountRef: 'tongbao:loan:ln_1',
      idNumber: ID,
      kind: 'loan',
      openedOn: '2026-01-05',
      balanceFen: 500_000n,
      status: 'overdue',
      month: '2026-11',
      monthStatus: '1',
    });
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/account-statuses' });
    expect(last().headers['idempotency-key']).toBe('status:tongbao:loan:ln_1:2026-11');
    expect(last().json).toMatchObject({ balanceFen: 500_000, monthStatus: '1', lender: LENDER });
    expect(signatureOf(last()).valid).toBe(true);
    const negative = {
      idNumber: ID,
      accountRef: 'tongbao:loan:ln_1',
      eventRef: 'tongbao:loan:ln_1:3:2026-10-05',
      month: '2026-10',
      kind: 'overdue' as const,
      amountFen: 86_619n,
    };
    await bureau.reportNegative(negative);
    expect(last()).toMatchObject({ path: '/v1/negative-records', json: { amountFen: 86_619, kind: 'overdue' } });
    expect(last().headers['idempotency-key']).toBe('tongbao:loan:ln_1:3:2026-10-05');
    remote.answer(() => ({ status: 409, body: { error: 'conflict' } }));
    await expect(bureau.reportNegative(negative)).rejects.toBeInstanceOf(BureauUnavailable);
    remote.answer(() => ({ status: 500 }));
    await expect(bureau.reportNegative(negative)).rejects.toBeInstanceOf(BureauUnavailable);
  });

  it('corrects a record after an upheld dispute: true, false if unknown, throws when unconfirmed', async () => {
    const bureau = createHttpBureau(fakeSettings(remote.url), { clock });
    remote.answer(() => ({ status: 200, body: { corrected: true } }));
    expect(await bureau.correct('rec/1')).toBe(true);
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/records/rec%2F1/corrections' });
    expect(last().headers['idempotency-key']).toBe('correct:rec/1');
    remote.answer(() => ({ status: 404 }));
    expect(await bureau.correct('rec_2')).toBe(false);
    remote.answer(() => ({ status: 200, body: {} }));
    await expect(bureau.correct('rec_3')).rejects.toBeInstanceOf(BureauUnavailable);
  });
});

describe('the app with the HTTP bureau', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      clock,
      config: {
        outsideSystems: { ...ALL_SANDBOXES, creditBureau: { kind: 'http', settings: fakeSettings(remote.url) } },
      },
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it("decides on the real bureau's report, is 503 when it is down (keeping nothing), no sandbox hook", async () => {
    const holder = await creditHolder(t, { balanceFen: 200_000n });
    remote.answer((request) =>
      request.path === '/v1/inquiries'
        ? { status: 200, body: { ...wireReport, score: 760, records: [] } }
        : { status: 404 },
    );
    const approved = await apply(t, holder);
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json().status).toBe('approved');
    const inquiry = last();
    expect(inquiry.path).toBe('/v1/inquiries');
    expect(signatureOf(inquiry).valid).toBe(true);
    expect((inquiry.json as { idNumber: string }).idNumber).toMatch(/^\d{17}[\dX]$/);

    remote.answer(() => ({ status: 503 }));
    const other = await creditHolder(t, { balanceFen: 200_000n });
    const { rows: before } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM credit_applications');
    const down = await apply(t, other);
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('CREDIT_BUREAU_UNAVAILABLE');
    const { rows: after } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM credit_applications');
    expect(after[0].n).toBe(before[0].n);
    const report = await t.app.inject({ url: '/api/v1/credit/report', headers: holder.auth });
    expect(report.statusCode).toBe(503);
    expect(report.json().code).toBe('CREDIT_BUREAU_UNAVAILABLE');
    const mode = await t.app.inject({ method: 'POST', url: '/api/v1/dev/credit/bureau', payload: { mode: 'slow' } });
    expect(mode.statusCode).toBe(404);
    // The sandbox's own tables are never touched.
    const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM credit_bureau_people');
    expect(Number(rows[0].n)).toBe(0);
  });

  it('reports an overdue installment again on the next run when the bureau did not take it', async () => {
    let negativeAnswer = 503;
    remote.answer((request) => {
      if (request.path === '/v1/inquiries') return { status: 200, body: { ...wireReport, score: 760, records: [] } };
      if (request.path === '/v1/negative-records') return { status: negativeAnswer };
      return { status: 202, body: {} };
    });
    const holder = await creditHolder(t, { balanceFen: 0n });
    const applied = await apply(t, holder);
    expect(applied.json().status, applied.body).toBe('approved');
    const signed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/credit/applications/${applied.json().id}/sign`,
      headers: moneyHeaders(holder),
      payload: { confirmation: { pin: holder.pin } },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    const loanId = signed.json().loanId as string;
    const wallet = await t.services.ledger.getAccount(holder.walletId);
    expect(
      (
        await t.services.ledger.transfer({
          reference: `bureau-http-spend:${holder.walletId}`,
          currency: 'CNY',
          legs: [
            { debitAccountId: holder.walletId, creditAccountId: await bankAccount(t), amountFen: wallet!.balanceFen },
          ],
          limitExempt: true,
        })
      ).ok,
    ).toBe(true);
    const credit = t.services.credit;
    const [first] = await loanStore.listInstallments(t.db, loanId);
    const attempts = () => remote.received.filter((request) => request.path === '/v1/negative-records');
    const before = attempts().length;
    // Day by day past the report day (due + 4); the bureau refuses every negative record.
    while (shanghaiDay(credit.clock.now()) < addDays(first.due_day, 5)) await credit.advanceDays(1);
    let [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row.reported).toBe(false);
    expect(attempts().length).toBe(before + 2);
    expect((await credit.noticesOf(holder.userId)).map((n) => n.kind)).not.toContain('reported');
    negativeAnswer = 202;
    await credit.advanceDays(1);
    [row] = await loanStore.listInstallments(t.db, loanId);
    expect(row.reported).toBe(true);
    const sent = attempts().slice(before);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((request) => request.headers['idempotency-key']))).toEqual(
      new Set([`tongbao:loan:${loanId}:1:${first.original_due_day}`]),
    );
    expect((await credit.noticesOf(holder.userId)).map((n) => n.kind)).toContain('reported');
    await credit.advanceDays(1);
    expect(attempts().slice(before)).toHaveLength(3);
  });
});
