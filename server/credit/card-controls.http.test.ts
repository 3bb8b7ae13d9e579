import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { apply, creditHolder, sign } from '../../test/credit-factories.js';
import type { WalletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';
import { luhnValid } from './cards.js';
import * as cardStore from './store-cards.js';

/**
 * The holder's own card controls over HTTP: freezing declines the card network's purchases with a
 * clear reason and unfreezing restores them; the full number and CVV only after the payment PIN,
 * never cached, audited; a new statement day from the next cycle, once in 12 months; bad input
 * answers a problem and writes nothing; another holder gets 404 on every control and changes nothing.
 */

const clock = manualClock('2026-03-05T02:00:00Z');
let t: TestApp;
let holder: WalletHolder;
let cardId: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  holder = await creditHolder(t);
  const applied = await apply(t, holder, { product: 'card', monthlyIncome: 1_500_000 });
  expect(applied.statusCode, applied.body).toBe(201);
  const signed = await sign(t, holder, applied.json().id);
  expect(signed.statusCode, signed.body).toBe(201);
  cardId = signed.json().cardId as string;
});
afterAll(async () => t?.close());

const buy = (amount: number) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/dev/credit/card-network/purchases',
    payload: { cardId, amount, currency: 'CNY', merchantName: '京东', mcc: '5311' },
  });
const call = (who: WalletHolder, method: 'GET' | 'POST' | 'PUT', path: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1/credit/cards/${cardId}/${path}`, headers: who.auth, payload });
const audits = async (action: string) =>
  Number(
    (
      await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM audit_log WHERE action = $1 AND subject_id = $2', [
        action,
        cardId,
      ])
    ).rows[0].n,
  );
const cardRow = async () => (await cardStore.findCard(t.db, cardId)) as cardStore.CardRow;

describe('card controls', () => {
  it('a frozen card declines purchases with a clear reason; unfreezing restores it', async () => {
    expect((await buy(10_000)).statusCode).toBe(201);
    const frozen = await call(holder, 'POST', 'freeze');
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json()).toMatchObject({ status: 'frozen' });
    const declined = await buy(10_000);
    expect(declined.statusCode).toBe(422);
    expect(declined.headers['content-type']).toContain('application/problem+json');
    expect(declined.json().code).toBe('CREDIT_CARD_FROZEN');
    expect(declined.json().detail ?? declined.json().title).toMatch(/frozen|冻结/);
    const card = (await t.app.inject({ url: `/api/v1/credit/cards/${cardId}`, headers: holder.auth })).json();
    expect(card).toMatchObject({ status: 'frozen', balance: 10_000 });
    // Freezing twice is no change; unfreezing restores purchases.
    expect((await call(holder, 'POST', 'freeze')).json().status).toBe('frozen');
    expect((await call(holder, 'POST', 'unfreeze')).json()).toMatchObject({ status: 'active', frozenAt: null });
    expect((await buy(5_000)).statusCode).toBe(201);
    expect(await audits('credit.card_frozen')).toBe(1);
    expect(await audits('credit.card_unfrozen')).toBe(1);
  });

  it('reveals the number and CVV only after the payment PIN, never cached, audited', async () => {
    const wrong = await call(holder, 'POST', 'reveal', { pin: '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('PIN_INVALID');
    expect(wrong.body).not.toMatch(/625888\d{10}/);
    expect(await audits('credit.card_revealed')).toBe(0);
    expect(await audits('credit.card_reveal_refused')).toBe(1);
    expect((await call(holder, 'POST', 'reveal', { pin: '12' })).statusCode).toBe(400);
    expect((await call(holder, 'POST', 'reveal', {})).statusCode).toBe(400);

    const shown = await call(holder, 'POST', 'reveal', { pin: holder.pin });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.headers['cache-control']).toContain('no-store');
    const body = shown.json();
    const pan = t.services.credit.cards.panOf(await cardRow());
    expect(body).toMatchObject({ number: pan, expiry: (await cardRow()).expiry, maskAfterSeconds: 30 });
    expect(luhnValid(body.number)).toBe(true);
    expect(body.cvv).toMatch(/^\d{3}$/);
    // The CVV is derived, so asking again gives the same one; it is stored nowhere.
    expect((await call(holder, 'POST', 'reveal', { pin: holder.pin })).json().cvv).toBe(body.cvv);
    const stored = await t.db.query<{ row: string }>('SELECT c::text AS row FROM credit_cards c WHERE id = $1', [
      cardId,
    ]);
    expect(stored.rows[0].row).not.toContain(pan);
    expect(await audits('credit.card_revealed')).toBe(2);
    const logged = await t.db.query<{ details: string }>(
      `SELECT details::text AS details FROM audit_log WHERE subject_id = $1`,
      [cardId],
    );
    expect(logged.rows.map((row) => row.details).join()).not.toContain(pan);
  });

  it('changes the statement day from the next cycle, once in 12 months; bad input writes nothing', async () => {
    const before = await cardRow();
    expect(before.statement_day).toBe(5);
    for (const statementDay of [0, 29, 5.5, '20'])
      expect((await call(holder, 'PUT', 'statement-day', { statementDay })).statusCode).toBe(400);
    expect((await call(holder, 'PUT', 'statement-day', { statementDay: 5 })).json().code).toBe(
      'CREDIT_STATEMENT_DAY_UNCHANGED',
    );
    expect(await cardRow()).toEqual(before);

    const changed = await call(holder, 'PUT', 'statement-day', { statementDay: 20 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      statementDay: 5,
      nextStatementOn: '2026-03-05',
      pendingStatementDay: 20,
      pendingDueDay: 12,
      pendingFrom: '2026-04-20',
      changeAllowedFrom: '2027-03-05',
    });
    const again = await call(holder, 'PUT', 'statement-day', { statementDay: 10 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CREDIT_STATEMENT_DAY_CHANGED_RECENTLY', allowedFrom: '2027-03-05' });
    expect((await cardRow()).next_statement_day).toBe(20);

    // The cycle under way closes on the old day; the next one on the new day, the month after.
    const run = (days: number) =>
      t.app.inject({ method: 'POST', url: '/api/v1/dev/credit/run-day', payload: { days } });
    expect((await run(0)).json().day).toBe('2026-03-05');
    expect(await cardRow()).toMatchObject({ statement_day: 20, due_day: 12, next_statement_day: null });
    await run(31); // 5 April: no statement on the old day any more
    await run(15); // 20 April
    await run(30); // 20 May
    const statements = (await call(holder, 'GET', 'statements')).json().items;
    expect(statements.map((row: { statementDate: string }) => row.statementDate)).toEqual([
      '2026-05-20',
      '2026-04-20',
      '2026-03-05',
    ]);
    expect(statements[1]).toMatchObject({ periodFrom: '2026-03-06', dueDate: '2026-05-10' });
  });

  it('another holder can never see, freeze, reveal or change someone else’s card', async () => {
    const other = await creditHolder(t);
    const before = await cardRow();
    const audited = await t.db.query('SELECT count(*) AS n FROM audit_log WHERE subject_id = $1', [cardId]);
    for (const [method, path, payload] of [
      ['GET', 'controls', undefined],
      ['POST', 'freeze', undefined],
      ['POST', 'unfreeze', undefined],
      ['POST', 'reveal', { pin: other.pin }],
      ['PUT', 'statement-day', { statementDay: 9 }],
    ] as const) {
      const answer = await call(other, method, path, payload);
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
      expect(answer.json().code).toBe('CREDIT_CARD_NOT_FOUND');
      expect(answer.body).not.toMatch(/625888\d{10}/);
    }
    expect(await cardRow()).toEqual(before);
    const after = await t.db.query('SELECT count(*) AS n FROM audit_log WHERE subject_id = $1', [cardId]);
    expect(after.rows).toEqual(audited.rows);
  });
});
