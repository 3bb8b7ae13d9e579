import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { registerUser, type TestUser } from './identity-factories.js';
import { RISK_RESERVE_ACCOUNT_ID } from '../server/risk/holds.js';
import { newId } from '../server/platform/ids.js';

/** One id schema (server/platform/http/schemas.ts) on every route: every id we make passes, nothing else does. */

let t: TestApp;
let alice: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  alice = await registerUser(t);
});
afterAll(async () => t?.close());

it('accepts the fixed ids of system accounts on the ledger API, which the old ledger pattern refused', async () => {
  if (!(await t.services.ledger.getAccount(RISK_RESERVE_ACCOUNT_ID))) {
    await t.services.ledger.createAccount({
      id: RISK_RESERVE_ACCOUNT_ID,
      kind: 'suspense',
      currency: 'CNY',
      ownerRef: 'risk',
    });
  }
  const found = await t.asOperator({ url: `/api/v1/ledger/accounts/${RISK_RESERVE_ACCOUNT_ID}` });
  expect(found.statusCode).toBe(200);
  expect(found.json().id).toBe(RISK_RESERVE_ACCOUNT_ID);
});

it('accepts ids with 2- and 4-letter prefixes where a route once allowed only 3', async () => {
  for (const prefix of ['qr', 'trf', 'card']) {
    const missing = await t.app.inject({ url: `/api/v1/transfers/${newId(prefix)}`, headers: alice.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('TRANSFER_NOT_FOUND');
  }
});

it('refuses a malformed id as bad input on routes that had no id pattern, instead of looking it up', async () => {
  for (const [method, url] of [
    ['GET', '/api/v1/payments/PAY-1'],
    ['POST', '/api/v1/risk/confirmations/rkh%20x/challenge'],
  ] as const) {
    const refused = await t.app.inject({ method, url, headers: alice.auth });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('VALIDATION_FAILED');
  }
  expect((await t.app.inject({ url: `/api/v1/payments/${newId('pay')}`, headers: alice.auth })).json().code).toBe(
    'PAYMENT_NOT_FOUND',
  );
});
