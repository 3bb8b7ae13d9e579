import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CHECKER_ID, TEST_OPERATOR_ID, TEST_OPERATOR_TOKEN, createTestApp, type TestApp } from '../../test/app.js';
import { type TestStaff, signedInStaff } from '../ops/test-support.js';

/**
 * The operator API names who acts (X-Operator-Id), audits every call, and moves money only after a
 * second person approves: another operator, or an admin in the console.
 */

let t: TestApp;
let bank: string;
let wallet: string;
let admin: TestStaff;
let analyst: TestStaff;
let key = 0;

const idem = () => ({ 'idempotency-key': `opa-${key++}` });
const balance = async (id: string) => (await t.services.ledger.getAccount(id))?.balanceFen;
const entries = async (reference: string) =>
  Number(
    (await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries WHERE reference = $1', [reference]))
      .rows[0].n,
  );
const ask = (reference: string, amount: number) =>
  t.asOperator({
    method: 'POST',
    url: '/api/v1/ledger/transfers',
    headers: idem(),
    payload: { reference, currency: 'CNY', legs: [{ debitAccountId: bank, creditAccountId: wallet, amount }] },
  });
const approve = (id: string, as: 'maker' | 'checker') =>
  (as === 'maker' ? t.asOperator : t.asSecondOperator)({
    method: 'POST',
    url: `/api/v1/ledger/approvals/${id}/approve`,
    headers: idem(),
    payload: { note: 'checked the ticket' },
  });

beforeAll(async () => {
  t = await createTestApp();
  bank = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
  wallet = (await t.services.ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' })).id;
  admin = await signedInStaff(t, ['admin']);
  analyst = await signedInStaff(t, ['risk_analyst']);
});
afterAll(async () => t?.close());

describe('operator identity', () => {
  it('refuses an operator call without X-Operator-Id, or with a malformed one, and writes nothing', async () => {
    const auth = { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/accounts',
      headers: auth,
      payload: { kind: 'customer_wallet', currency: 'CNY' },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('OPERATOR_ID_REQUIRED');
    const bad = await t.app.inject({
      url: `/api/v1/ledger/accounts/${wallet}`,
      headers: { ...auth, 'x-operator-id': 'two words' },
    });
    expect(bad.json().code).toBe('OPERATOR_ID_REQUIRED');
    const { rows } = await t.db.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM ledger_accounts WHERE kind = 'customer_wallet'",
    );
    expect(Number(rows[0].n)).toBe(1);
  });

  it('audits every operator call with the operator id, the route and the outcome', async () => {
    const read = await t.asOperator({ url: `/api/v1/ledger/accounts/${wallet}` });
    expect(read.statusCode).toBe(200);
    const opened = await t.asSecondOperator({
      method: 'POST',
      url: '/api/v1/ledger/accounts',
      payload: { kind: 'suspense', currency: 'CNY' },
    });
    expect(opened.statusCode).toBe(201);
    const calls = await t.services.audit.search({ action: 'operator.api_call', limit: 10 });
    expect(calls.find((c) => c.subjectId === 'GET /api/v1/ledger/accounts/:id')).toMatchObject({
      actorKind: 'operator',
      actorId: TEST_OPERATOR_ID,
      requestId: read.headers['x-request-id'],
      details: { params: { id: wallet }, status: 200 },
    });
    expect(calls.find((c) => c.subjectId === 'POST /api/v1/ledger/accounts')).toMatchObject({
      actorId: TEST_CHECKER_ID,
      details: { status: 201 },
    });
  });
});

describe('money moved through the operator API', () => {
  it('stays pending until a second operator approves; the maker cannot approve their own', async () => {
    const asked = await ask('opa-1', 5_000);
    expect(asked.statusCode).toBe(202);
    const { approval } = asked.json();
    expect(approval).toMatchObject({
      kind: 'ledger.operator_movement',
      status: 'pending',
      requestedBy: TEST_OPERATOR_ID,
      subjectId: 'opa-1',
    });
    expect(await entries('opa-1')).toBe(0);
    expect(await balance(wallet)).toBe(0n);
    const pending = (await t.asSecondOperator({ url: '/api/v1/ledger/approvals' })).json().items;
    expect(pending.map((item: { id: string }) => item.id)).toContain(approval.id);

    const self = await approve(approval.id, 'maker');
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    expect(await balance(wallet)).toBe(0n);

    const approved = await approve(approval.id, 'checker');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      approval: { status: 'approved', decidedBy: TEST_CHECKER_ID, decidedByKind: 'operator' },
      replayed: false,
    });
    expect(approved.json().entry.metadata).toMatchObject({
      initiator: 'operator',
      requestedBy: TEST_OPERATOR_ID,
      approvedBy: `operator:${TEST_CHECKER_ID}`,
      approvalId: approval.id,
    });
    expect(await balance(wallet)).toBe(5_000n);
    expect(await entries('opa-1')).toBe(1);

    const again = await approve(approval.id, 'checker');
    expect(again.json().code).toBe('APPROVAL_ALREADY_DECIDED');
    expect(await entries('opa-1')).toBe(1);

    const [requested] = await t.services.audit.search({
      action: 'ledger.operator_movement_requested',
      subjectId: 'opa-1',
    });
    expect(requested).toMatchObject({
      actorKind: 'operator',
      actorId: TEST_OPERATOR_ID,
      details: { approvalId: approval.id },
    });
    const [decided] = await t.services.audit.search({
      action: 'ledger.operator_movement_approved',
      subjectId: 'opa-1',
    });
    expect(decided).toMatchObject({
      actorKind: 'operator',
      actorId: TEST_CHECKER_ID,
      details: { requestedBy: TEST_OPERATOR_ID },
    });
  });

  it('moves nothing when rejected, and closes as failed (moving nothing) when the ledger refuses', async () => {
    const rejected = (await ask('opa-2', 1_000)).json().approval;
    const no = await t.asSecondOperator({
      method: 'POST',
      url: `/api/v1/ledger/approvals/${rejected.id}/reject`,
      payload: { note: 'no ticket for this' },
    });
    expect(no.json()).toMatchObject({ status: 'rejected', decidedBy: TEST_CHECKER_ID });
    expect((await approve(rejected.id, 'checker')).json().code).toBe('APPROVAL_ALREADY_DECIDED');
    expect(await entries('opa-2')).toBe(0);

    const overdraft = await t.asOperator({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      headers: idem(),
      payload: {
        reference: 'opa-3',
        currency: 'CNY',
        legs: [{ debitAccountId: wallet, creditAccountId: bank, amount: 999_999 }],
      },
    });
    const refused = await approve(overdraft.json().approval.id, 'checker');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('INSUFFICIENT_FUNDS');
    const closed = (await t.asOperator({ url: `/api/v1/ledger/approvals/${overdraft.json().approval.id}` })).json();
    expect(closed).toMatchObject({
      approval: { status: 'failed', outcome: { code: 'INSUFFICIENT_FUNDS' } },
      entry: null,
    });
    expect(await entries('opa-3')).toBe(0);
  });

  it('can be approved by an admin in the console, not by other staff roles', async () => {
    const { approval } = (await ask('opa-4', 700)).json();
    const listed = (
      await t.app.inject({ url: '/api/v1/staff/approvals?kind=ledger.operator_movement', headers: admin.auth })
    ).json().items;
    expect(listed.map((item: { id: string }) => item.id)).toContain(approval.id);
    expect(
      (await t.app.inject({ url: '/api/v1/staff/approvals', headers: analyst.auth }))
        .json()
        .items.map((i: { kind: string }) => i.kind),
    ).not.toContain('ledger.operator_movement');
    const byAnalyst = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/approvals/${approval.id}/approve`,
      headers: analyst.auth,
      payload: { note: 'looks fine' },
    });
    expect(byAnalyst.json().code).toBe('APPROVAL_ROLE_REQUIRED');
    expect(await entries('opa-4')).toBe(0);
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/approvals/${approval.id}/approve`,
      headers: admin.auth,
      payload: { note: 'ticket OPS-12' },
    });
    expect(byAdmin.json()).toMatchObject({ status: 'approved', decidedByKind: 'staff', decidedBy: admin.id });
    expect(await entries('opa-4')).toBe(1);
  });

  it('holds one pending request per ledger reference', async () => {
    expect((await ask('opa-5', 100)).statusCode).toBe(202);
    const second = await ask('opa-5', 200);
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('APPROVAL_ALREADY_PENDING');
  });
});
