import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { apply, borrow, creditHolder, sign } from '../../test/credit-factories.js';
import { pdfText } from '../../test/pdf-text.js';
import { type WalletHolder, balanceOf, fund, moneyHeaders } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import * as cardStore from './store-cards.js';

/**
 * The wallet's credit-card routes over HTTP: apply and sign, the card shown masked (the number
 * encrypted at rest), purchases from the card-network sandbox, the statement (JSON and PDF), and
 * repayment in minimum, custom and full modes with the PIN; bad repayments answer a problem and move
 * nothing. Then one holder against another's loan, card, statement, application and repayment:
 * every route answers 404 (the house pattern: another's resource does not exist) and nothing changes.
 */

const clock = manualClock('2026-03-05T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

async function issueCard(holder: WalletHolder, statementDay: number): Promise<string> {
  const applied = await apply(t, holder, { product: 'card', monthlyIncome: 1_500_000 });
  expect(applied.statusCode, applied.body).toBe(201);
  expect(applied.json()).toMatchObject({ status: 'approved', offer: { card: { statementDay } } });
  const signed = await sign(t, holder, applied.json().id);
  expect(signed.statusCode, signed.body).toBe(201);
  return signed.json().cardId as string;
}

const buy = (cardId: string, amount: number) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dev/credit/card-network/purchases',
    payload: { cardId, amount, currency: 'CNY', merchantName: '京东', mcc: '5311' },
  });

const repayCard = (holder: WalletHolder, cardId: string, body: { mode: string; amount?: number }, pin = holder.pin) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/credit/cards/${cardId}/repayments`,
    headers: moneyHeaders(holder),
    payload: { ...body, currency: 'CNY', confirmation: { pin } },
  });

async function cardWrites(cardId: string) {
  const { rows } = await t.db.query<{ n: bigint }>(
    `SELECT (SELECT count(*) FROM credit_card_transactions WHERE card_id = $1)
          + (SELECT count(*) FROM credit_repayments WHERE target_id = $1 AND status = 'completed')
          + (SELECT count(*) FROM ledger_entries) AS n`,
    [cardId],
  );
  return Number(rows[0].n);
}

describe('the credit card over HTTP', () => {
  it('issues a card shown masked, bills purchases on the statement day and takes repayments', async () => {
    const holder = await creditHolder(t);
    const cardId = await issueCard(holder, 5);
    const card = await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: holder.auth });
    expect(card.statusCode, card.body).toBe(200);
    const pan = t.services.credit.cards.panOf((await cardStore.findCard(t.db, cardId)) as cardStore.CardRow);
    expect(pan).toMatch(/^625888\d{10}$/);
    expect(card.json()).toMatchObject({
      maskedNumber: `6258 88** **** ${pan.slice(-4)}`,
      last4: pan.slice(-4),
      limit: 3_000_000,
      available: 3_000_000,
      balance: 0,
      statementDay: 5,
      currentStatement: null,
    });
    expect(card.body).not.toContain(pan);
    const stored = await t.db.query<{ row: string }>('SELECT c::text AS row FROM credit_cards c WHERE id = $1', [
      cardId,
    ]);
    expect(stored.rows[0].row).not.toContain(pan);
    const again = await apply(t, holder, { product: 'card', monthlyIncome: 1_500_000 });
    expect(again.json().code).toBe('CREDIT_CARD_ALREADY_HELD');

    expect((await buy(cardId, 123_456)).statusCode).toBe(201);
    expect((await buy(cardId, 50_000)).statusCode).toBe(201);
    const tooMuch = await buy(cardId, 3_000_000);
    expect(tooMuch.json()).toMatchObject({ code: 'CREDIT_CARD_LIMIT_EXCEEDED' });
    const owing = (await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: holder.auth })).json();
    expect(owing).toMatchObject({ balance: 173_456, unbilled: 173_456, available: 3_000_000 - 173_456 });

    // A month on (the credit clock only): the statement of 5 April, due 20 days later.
    const ran = await t.app.inject({ method: 'POST', url: '/api/v1/dev/credit/run-day', payload: { days: 31 } });
    expect(ran.json()).toMatchObject({ day: '2026-04-05' });
    const statements = await t.app.inject({ url: `/api/v1/credit/cards/${cardId}/statements`, headers: holder.auth });
    expect(statements.json().items).toHaveLength(1);
    const [april] = statements.json().items;
    expect(april).toMatchObject({ statementDate: '2026-04-05', dueDate: '2026-04-25', balance: 173_456, interest: 0 });
    expect(april.minimumPayment).toBe(17_346); // 10 %, rounded up to the fen
    const statement = await t.app.inject({ url: `/api/v1/credit/statements/${april.id}`, headers: holder.auth });
    expect(
      statement
        .json()
        .transactions.map((row: { amount: number }) => row.amount)
        .sort(),
    ).toEqual([123_456, 50_000]);
    const pdf = await t.app.inject({ url: `/api/v1/credit/statements/${april.id}/pdf`, headers: holder.auth });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain(pan.slice(-4));
    expect(text).toContain('1,734.56');
    expect(text).not.toContain(pan);

    // Bad repayments: a problem, nothing written.
    const before = await cardWrites(cardId);
    const above = await repayCard(holder, cardId, { mode: 'custom', amount: 173_457 });
    expect(above.json()).toMatchObject({ code: 'CREDIT_REPAYMENT_ABOVE_OWED', owed: 173_456 });
    expect((await repayCard(holder, cardId, { mode: 'custom' })).json().code).toBe('CREDIT_AMOUNT_REQUIRED');
    expect((await repayCard(holder, cardId, { mode: 'minimum' })).json().code).toBe('INSUFFICIENT_FUNDS');
    await fund(t, holder.walletId, 200_000n);
    expect((await repayCard(holder, cardId, { mode: 'minimum' }, '000000')).json().code).toBe('PIN_INVALID');
    expect(await cardWrites(cardId)).toBe(before + 1); // only the funding's ledger entry

    const minimum = await repayCard(holder, cardId, { mode: 'minimum' });
    expect(minimum.statusCode, minimum.body).toBe(201);
    expect(minimum.json()).toMatchObject({ status: 'completed', amount: 17_346 });
    const afterMinimum = (await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: holder.auth })).json();
    expect(afterMinimum.currentStatement).toMatchObject({ paid: 17_346, status: 'minimum_paid' });
    const full = await repayCard(holder, cardId, { mode: 'full' });
    expect(full.json()).toMatchObject({ status: 'completed', amount: 173_456 - 17_346 });
    expect(await balanceOf(t, holder.walletId)).toBe(200_000n - 173_456n);
    const paid = (await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: holder.auth })).json();
    expect(paid).toMatchObject({ balance: 0, available: 3_000_000, currentStatement: null });
    expect((await repayCard(holder, cardId, { mode: 'full' })).json().code).toBe('CREDIT_NOTHING_DUE');

    // Paid in full by the due day: past it, no interest.
    await t.app.inject({ method: 'POST', url: '/api/v1/dev/credit/run-day', payload: { days: 25 } });
    const rows = await t.app.inject({ url: `/api/v1/credit/cards/${cardId}/transactions`, headers: holder.auth });
    expect(rows.json().items.filter((row: { kind: string }) => row.kind === 'interest')).toEqual([]);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});

describe('one holder against another’s credit', () => {
  it('answers 404 to every route on another holder’s loan, card, statement, application and repayment', async () => {
    const owner = await creditHolder(t, { balanceFen: 50_000n });
    const other = await creditHolder(t, { balanceFen: 500_000n });
    const loanId = await borrow(t, owner);
    // The credit clock is at 30 April after the first test: statements on the 28th (at most).
    const cardId = await issueCard(owner, 28);
    expect((await buy(cardId, 20_000)).statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: '/api/v1/dev/credit/run-day', payload: { days: 31 } });
    const [statement] = (
      await t.app.inject({ url: `/api/v1/credit/cards/${cardId}/statements`, headers: owner.auth })
    ).json().items;
    const { rows } = await t.db.query<{ application_id: string }>(
      'SELECT application_id FROM credit_loans WHERE id = $1',
      [loanId],
    );
    const applicationId = rows[0].application_id;
    // The job skipped the 28th (the clock jumped to the 31st): the statement is made late, dated the 28th.
    expect(statement).toMatchObject({ statementDate: '2026-05-28', balance: 20_000 });
    // A repayment the owner prepared and has not confirmed yet.
    const pending = await t.app.inject({
      method: 'POST',
      url: `/api/v1/credit/loans/${loanId}/repayments`,
      headers: moneyHeaders(owner),
      payload: { mode: 'custom', amount: 10_000, currency: 'CNY' },
    });
    expect(pending.json().status, pending.body).toBe('awaiting_confirmation');
    const repaymentId = pending.json().id as string;
    const confirmationId = pending.json().confirmation.id as string;
    const ownerWallet = await balanceOf(t, owner.walletId);
    const loanBefore = (await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: owner.auth })).json();
    const otherWallet = await balanceOf(t, other.walletId);

    const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: method === 'POST' ? moneyHeaders(other) : other.auth, payload });
    const attempts = await Promise.all([
      as('GET', `/api/v1/credit/loans/${loanId}`),
      as('POST', `/api/v1/credit/loans/${loanId}/repayments`, { mode: 'payoff', currency: 'CNY' }),
      as('GET', `/api/v1/credit/cards/${cardId}`),
      as('GET', `/api/v1/credit/cards/${cardId}/transactions`),
      as('GET', `/api/v1/credit/cards/${cardId}/statements`),
      as('POST', `/api/v1/credit/cards/${cardId}/repayments`, { mode: 'full', currency: 'CNY' }),
      as('GET', `/api/v1/credit/statements/${statement.id}`),
      as('GET', `/api/v1/credit/statements/${statement.id}/pdf`),
      as('GET', `/api/v1/credit/applications/${applicationId}`),
      as('POST', `/api/v1/credit/applications/${applicationId}/sign`, { confirmation: { pin: other.pin } }),
      as('POST', `/api/v1/credit/applications/${applicationId}/complete`, { confirmationId }),
      as('POST', `/api/v1/credit/repayments/${repaymentId}/complete`, { confirmationId }),
    ]);
    for (const answer of attempts) {
      expect(answer.statusCode, answer.body).toBe(404);
      expect(answer.body).not.toContain(owner.userId);
    }
    for (const url of ['/api/v1/credit/loans', '/api/v1/credit/cards', '/api/v1/credit/applications']) {
      const listed = await as('GET', url);
      expect(listed.statusCode).toBe(200);
      for (const id of [loanId, cardId, applicationId]) expect(listed.body).not.toContain(id);
    }

    // Nothing of the owner's moved or changed.
    expect(await balanceOf(t, owner.walletId)).toBe(ownerWallet);
    expect(await balanceOf(t, other.walletId)).toBe(otherWallet);
    const loan = (await t.app.inject({ url: `/api/v1/credit/loans/${loanId}`, headers: owner.auth })).json();
    expect(loan).toEqual(loanBefore);
    const card = (await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: owner.auth })).json();
    expect(card.balance).toBe(20_000);
    const { rows: repayment } = await t.db.query<{ status: string }>(
      'SELECT status FROM credit_repayments WHERE id = $1',
      [repaymentId],
    );
    expect(repayment[0].status).toBe('awaiting_confirmation');
  });
});
