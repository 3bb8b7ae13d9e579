import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { verifyLedger } from './verify.js';

let t: TestApp;
let bank: string;
let alice: string;
let bob: string;
let key = 0;

const idem = () => ({ 'idempotency-key': `k-${Date.now()}-${key++}` });

async function balance(id: string): Promise<number> {
  return (await t.asOperator({ url: `/api/v1/ledger/accounts/${id}` })).json().balance;
}

async function entryCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries');
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestApp();
  const open = async (kind: string) =>
    (await t.asOperator({ method: 'POST', url: '/api/v1/ledger/accounts', payload: { kind, currency: 'CNY' } })).json()
      .id as string;
  bank = await open('bank_clearing');
  alice = await open('customer_wallet');
  bob = await open('customer_wallet');
  const funded = await t.operatorMove({
    method: 'POST',
    url: '/api/v1/ledger/transfers',
    headers: idem(),
    payload: {
      reference: 'http-fund',
      currency: 'CNY',
      legs: [{ debitAccountId: bank, creditAccountId: alice, amount: 10_000 }],
    },
  });
  expect(funded.statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('operator ledger API', () => {
  it('moves money (asked by one operator, approved by another) and reports balances in fen', async () => {
    const response = await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: {
        reference: 'http-t1',
        currency: 'CNY',
        legs: [{ debitAccountId: alice, creditAccountId: bob, amount: 8850 }],
        metadata: { purpose: 'test' },
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.replayed).toBe(false);
    expect(body.entry.postings).toEqual([
      { accountId: alice, amount: -8850 },
      { accountId: bob, amount: 8850 },
    ]);
    expect(await balance(alice)).toBe(1150);
    expect(await balance(bob)).toBe(8850);
    const entries = (await t.asOperator({ url: `/api/v1/ledger/accounts/${bob}/entries?limit=5` })).json();
    expect(entries.items[0].reference).toBe('http-t1');
  });

  it('holds, posts in part, and refuses a second resolution', async () => {
    const held = await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/holds',
      headers: idem(),
      payload: {
        reference: 'http-h1',
        currency: 'CNY',
        debitAccountId: bob,
        creditAccountId: alice,
        amount: 5000,
        expiresInSeconds: 300,
      },
    });
    expect(held.statusCode).toBe(201);
    const holdId = held.json().hold.id;
    expect((await t.asOperator({ url: `/api/v1/ledger/accounts/${bob}` })).json().available).toBe(3850);
    const posted = await t.operatorMove({
      method: 'POST',
      url: `/api/v1/ledger/holds/${holdId}/post`,
      headers: idem(),
      payload: { reference: 'http-h1-post', amount: 4000 },
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json().hold.postedAmount).toBe(4000);
    const again = await t.asOperator({
      method: 'POST',
      url: `/api/v1/ledger/holds/${holdId}/void`,
      headers: idem(),
      payload: { reference: 'http-h1-void' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('HOLD_ALREADY_RESOLVED');
    expect(await balance(bob)).toBe(4850);
  });

  it('reverses an entry once', async () => {
    const entryId = (await t.asOperator({ url: `/api/v1/ledger/accounts/${alice}/entries?limit=1` })).json().items[0]
      .id;
    const reversed = await t.operatorMove({
      method: 'POST',
      url: `/api/v1/ledger/entries/${entryId}/reverse`,
      headers: idem(),
      payload: { reference: 'http-rev', reason: 'test' },
    });
    expect(reversed.statusCode).toBe(200);
    const twice = await t.operatorMove({
      method: 'POST',
      url: `/api/v1/ledger/entries/${entryId}/reverse`,
      headers: idem(),
      payload: { reference: 'http-rev-2' },
    });
    expect(twice.json().code).toBe('ENTRY_ALREADY_REVERSED');
  });
});

describe('bad input answers a 4xx problem and writes nothing', () => {
  const transfer = (amount: unknown, extra: Record<string, unknown> = {}) => ({
    reference: `bad-${key++}`,
    currency: 'CNY',
    legs: [{ debitAccountId: alice, creditAccountId: bob, amount }],
    ...extra,
  });

  const cases: [string, () => Record<string, unknown> | string, string, number][] = [
    ['zero amount', () => transfer(0), 'VALIDATION_FAILED', 400],
    ['negative amount', () => transfer(-100), 'VALIDATION_FAILED', 400],
    ['fractional amount', () => transfer(88.5), 'VALIDATION_FAILED', 400],
    ['amount as a string', () => transfer('100'), 'VALIDATION_FAILED', 400],
    ['huge amount', () => transfer(1e20), 'VALIDATION_FAILED', 400],
    [
      'amount past 2^53',
      () =>
        '{"reference":"big","currency":"CNY","legs":' +
        '[{"debitAccountId":"acc_x","creditAccountId":"acc_y","amount":9007199254740993}]}',
      'VALIDATION_FAILED',
      400,
    ],
    ['currency USD', () => transfer(100, { currency: 'USD' }), 'VALIDATION_FAILED', 400],
    ['unknown property', () => transfer(100, { surprise: true }), 'VALIDATION_FAILED', 400],
    ['no legs', () => ({ reference: 'x', currency: 'CNY', legs: [] }), 'VALIDATION_FAILED', 400],
    ['malformed JSON', () => '{"reference": "x", ', 'MALFORMED_REQUEST', 400],
    ['empty body', () => '', 'MALFORMED_REQUEST', 400],
  ];

  for (const [name, body, code, status] of cases) {
    it(name, async () => {
      const before = await entryCount();
      const payload = body();
      const response = await t.asOperator({
        method: 'POST',
        url: '/api/v1/ledger/transfers',
        headers: { ...idem(), 'content-type': 'application/json', 'accept-language': 'en' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe(code);
      expect(await entryCount()).toBe(before);
    });
  }

  it('names the fields that failed', async () => {
    const response = await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: transfer('100', { currency: 'USD' }),
    });
    const fields = response.json().errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['legs.0.amount', 'currency']));
  });

  it('refuses a wrong content type', async () => {
    const response = await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: { ...idem(), 'content-type': 'text/plain' },
      payload: 'amount=1',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    [
      'unknown account',
      () => transfer(100, { legs: [{ debitAccountId: alice, creditAccountId: 'acc_doesnotexist', amount: 100 }] }),
      'ACCOUNT_NOT_FOUND',
      404,
    ],
    ['overdraft', () => transfer(99_999_999), 'INSUFFICIENT_FUNDS', 422],
    [
      'same account',
      () => transfer(100, { legs: [{ debitAccountId: alice, creditAccountId: alice, amount: 100 }] }),
      'SAME_ACCOUNT',
      422,
    ],
  ])('business refusal: %s', async (_name, body, code, status) => {
    const before = [await balance(alice), await balance(bob), await entryCount()];
    const response = await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: body(),
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
    expect([await balance(alice), await balance(bob), await entryCount()]).toEqual(before);
  });

  it('refuses a limit with the limit name and what remains', async () => {
    const limited = (
      await t.asOperator({
        method: 'POST',
        url: '/api/v1/ledger/accounts',
        payload: { kind: 'customer_wallet', currency: 'CNY', limits: { dailyFen: 1000 } },
      })
    ).json().id;
    await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: {
        reference: 'lim-fund',
        currency: 'CNY',
        legs: [{ debitAccountId: bank, creditAccountId: limited, amount: 5000 }],
      },
    });
    await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: {
        reference: 'lim-1',
        currency: 'CNY',
        legs: [{ debitAccountId: limited, creditAccountId: bob, amount: 700 }],
      },
    });
    const refused = await t.operatorMove({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: {
        reference: 'lim-2',
        currency: 'CNY',
        legs: [{ debitAccountId: limited, creditAccountId: bob, amount: 400 }],
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'dailyFen',
      limitFen: 1000,
      usedFen: 700,
      remainingFen: 300,
    });
  });

  it('needs the operator token', async () => {
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: transfer(100),
    });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHENTICATED');
    const wrong = await t.app.inject({
      url: `/api/v1/ledger/accounts/${alice}`,
      headers: { authorization: 'Bearer op_wrong' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('leaves a ledger that verifies', async () => {
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
