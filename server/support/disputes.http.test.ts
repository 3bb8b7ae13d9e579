import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { jpeg, multipart, signInStaff, type TestStaff } from '../../test/kyc-factories.js';
import { MERCHANT_PASSWORD, activeMerchant, pay, type TestMerchant } from '../../test/payment-factories.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';

let t: TestApp;
let payer: WalletHolder;
let stranger: WalletHolder;
let shop: TestMerchant;
let otherShop: TestMerchant;
let agent: TestStaff;
let analyst: TestStaff;
let victim: WalletHolder;
let thief: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };

beforeAll(async () => {
  t = await createTestApp();
  payer = await walletHolder(t, { balanceFen: 100_000n });
  stranger = await walletHolder(t);
  victim = await walletHolder(t, { name: '张三', balanceFen: 100_000n, limits: LIMITS });
  thief = await walletHolder(t, { name: '李四', limits: LIMITS });
  analyst = await signInStaff(t, ['risk_analyst'], new Date());
  shop = await activeMerchant(t);
  otherShop = await activeMerchant(t);
  agent = await signInStaff(t, ['support'], new Date());
});
afterAll(async () => t?.close());

async function paid(amount: number): Promise<string> {
  const answer = await pay(t, payer, { merchantNumber: shop.merchantNumber, amount });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json().id;
}

const dispute = (holder: WalletHolder, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/support/disputes', headers: holder.auth, payload: body });

let keys = 0;
const decide = (id: string, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/staff/support/disputes/${id}/decide`,
    headers: { ...agent.auth, 'idempotency-key': `decide-${id}-${++keys}` },
    payload: body,
  });

describe('why did this fail?', () => {
  it('explains a refusal from live data, and a record only to its holder', async () => {
    const explained = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/explanations',
      headers: payer.auth,
      payload: { code: 'INSUFFICIENT_FUNDS', channel: 'transfer', amount: 200_000 },
    });
    expect(explained.statusCode, explained.body).toBe(200);
    const available = Number(await balanceOf(t, payer.walletId));
    expect(explained.json()).toMatchObject({
      failed: true,
      cause: { code: 'INSUFFICIENT_FUNDS', data: { availableAmount: available, shortAmount: 200_000 - available } },
      nextSteps: [{ action: 'top_up' }, { action: 'contact_support' }],
    });
    const restricted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/explanations',
      headers: payer.auth,
      payload: { code: 'RISK_RESTRICTED', channel: 'payment' },
    });
    expect(restricted.json().nextSteps[0]).toMatchObject({ action: 'see_restrictions', path: '/me/restrictions' });
    // A code without its own explanation still says why in words (its problem message), never the bare code.
    const expired = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/explanations',
      headers: payer.auth,
      payload: { code: 'PAYMENT_EXPIRED', channel: 'payment' },
    });
    expect(expired.json().cause).toMatchObject({ code: 'PAYMENT_EXPIRED', data: { reasonCode: 'PAYMENT_EXPIRED' } });
    expect(expired.json().cause.detailZh).not.toContain('PAYMENT_EXPIRED');
    expect(expired.json().cause.detailEn).not.toContain('PAYMENT_EXPIRED');
    expect(expired.json().cause.detailZh).toMatch(/[\u4e00-\u9fff]/);
    const paymentId = await paid(100);
    const fine = await t.app.inject({ url: `/api/v1/me/explanations/payment/${paymentId}`, headers: payer.auth });
    expect(fine.json()).toMatchObject({ failed: false, cause: null, status: 'completed' });
    const probe = await t.app.inject({ url: `/api/v1/me/explanations/payment/${paymentId}`, headers: stranger.auth });
    expect(probe.json().code).toBe('SUPPORT_RECORD_NOT_FOUND');
  });
});

describe('disputes', () => {
  it('go to the merchant first, then support decides, and a refund posts exactly once', async () => {
    const paymentId = await paid(5_000);
    const body = { paymentId, reason: 'wrong_amount', claimedAmount: 2_000, text: '多收了20元' };
    expect((await dispute(stranger, body)).json().code).toBe('PAYMENT_NOT_FOUND');
    expect((await dispute(payer, { ...body, claimedAmount: 6_000 })).json().code).toBe('DISPUTE_AMOUNT_TOO_HIGH');
    const opened = await dispute(payer, body);
    expect(opened.statusCode, opened.body).toBe(201);
    const d = opened.json();
    expect(d).toMatchObject({
      status: 'awaiting_merchant',
      claimedAmount: 2_000,
      paymentAmount: 5_000,
      merchantName: shop.name,
    });
    const mine = await t.app.inject({ url: `/api/v1/support/disputes/${d.id}`, headers: payer.auth });
    expect(mine.json().merchantName).toBe(shop.name);
    expect((await dispute(payer, body)).json()).toMatchObject({ code: 'DISPUTE_ALREADY_OPEN', disputeId: d.id });

    // Nothing is frozen by the dispute itself: the merchant's money stays where it was.
    const settlementBefore = await balanceOf(t, shop.settlementAccountId);

    const other = await t.app.inject({ url: `/api/v1/merchant/disputes/${d.id}`, headers: otherShop.auth });
    expect(other.json().code).toBe('DISPUTE_NOT_FOUND');
    const listed = await t.app.inject({ url: '/api/v1/merchant/disputes', headers: shop.auth });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(d.id);
    expect(listed.json().items.find((i: { id: string }) => i.id === d.id).merchantName).toBe(shop.name);
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/disputes/${d.id}/answer`,
      headers: shop.auth,
      payload: { text: '按标价收取', evidence: '小票编号 123' },
    });
    expect(answered.json()).toMatchObject({ status: 'merchant_answered', merchantAnswer: { text: '按标价收取' } });

    const payerBefore = await balanceOf(t, payer.walletId);
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => decide(d.id, { outcome: 'refund', note: '核实多收' })),
    );
    const statuses = attempts.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    expect(await balanceOf(t, payer.walletId)).toBe(payerBefore + 2_000n);
    expect(await balanceOf(t, shop.settlementAccountId)).toBe(settlementBefore - 2_000n);
    const refunded = attempts.find((a) => a.statusCode === 200)?.json();
    expect(refunded).toMatchObject({ status: 'refunded', refund: { amount: 2_000, by: 'bank' } });
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE reference = $1`,
      [`dispute:${d.id}`],
    );
    expect(rows[0].n).toBe(1);
    const payment = await t.app.inject({ url: `/api/v1/payments/${paymentId}`, headers: payer.auth });
    expect(payment.json().refundedAmount).toBe(2_000);

    const ticket = await t.app.inject({ url: `/api/v1/support/tickets/${d.ticketId}`, headers: payer.auth });
    expect(ticket.json().ticket).toMatchObject({ status: 'resolved', complaint: true, disputeId: d.id });
    expect(ticket.json().ticket.decision.text).toContain('退款');
  });

  it('settle when the merchant refunds with its ordinary refund', async () => {
    const paymentId = await paid(3_000);
    const d = (
      await dispute(payer, { paymentId, reason: 'not_received', claimedAmount: 3_000, text: '没收到' })
    ).json();
    const payerBefore = await balanceOf(t, payer.walletId);
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/disputes/${d.id}/refund`,
      headers: { ...shop.auth, 'idempotency-key': `m-${d.id}` },
      payload: { amount: 3_000, password: MERCHANT_PASSWORD },
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'merchant_refunded', refund: { amount: 3_000, by: 'merchant' } });
    expect(await balanceOf(t, payer.walletId)).toBe(payerBefore + 3_000n);
    expect((await decide(d.id, { outcome: 'refund', note: 'again' })).json().code).toBe('DISPUTE_ALREADY_DECIDED');
  });

  it('can be rejected, moving no money', async () => {
    const paymentId = await paid(1_000);
    const d = (
      await dispute(payer, { paymentId, reason: 'charged_twice', claimedAmount: 1_000, text: '扣两次' })
    ).json();
    const before = await balanceOf(t, payer.walletId);
    const rejected = await decide(d.id, { outcome: 'reject', note: '只扣款一次' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', refund: null });
    expect(await balanceOf(t, payer.walletId)).toBe(before);
    const mine = await t.app.inject({ url: '/api/v1/support/disputes', headers: payer.auth });
    expect(mine.json().items.length).toBe(3);
    const theirs = await t.app.inject({ url: `/api/v1/support/disputes/${d.id}`, headers: stranger.auth });
    expect(theirs.json().code).toBe('DISPUTE_NOT_FOUND');
  });
});

async function send(from: WalletHolder, to: WalletHolder, amount: number): Promise<string> {
  const prepared = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: moneyHeaders(from),
    payload: { payee: { walletId: to.walletId }, amount, currency: 'CNY' },
  });
  expect(prepared.statusCode, prepared.body).toBe(201);
  const { id, confirmation } = prepared.json();
  const pin = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: from.auth,
    payload: { pin: from.pin },
  });
  expect(pin.statusCode).toBe(200);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/transfers/${id}/complete`,
    headers: moneyHeaders(from),
    payload: { confirmationId: confirmation.id },
  });
  expect(done.json().status, done.body).toBe('completed');
  return id;
}

describe('theft cases and claw-back', () => {
  it('shows the case to its holder with their evidence, and returns exactly the held amount once', async () => {
    const transferId = await send(victim, thief, 30_000);
    const reported = await t.app.inject({ method: 'POST', url: '/api/v1/me/report-theft', headers: victim.auth });
    const caseId = reported.json().caseId;
    // Reporting theft ends the holder's sessions: sign in again through the factory's device.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: victim.phone, password: victim.password, deviceId: victim.deviceId, client: 'api' },
    });
    const holder = { ...victim, auth: { authorization: `Bearer ${login.json().token}` } };

    const evidence = await t.app.inject({
      method: 'POST',
      url: `/api/v1/support/cases/${caseId}/evidence`,
      headers: holder.auth,
      payload: { kind: 'police_report', text: '京公网 2026-001' },
    });
    expect(evidence.statusCode, evidence.body).toBe(201);
    const form = multipart({}, [{ field: 'file', bytes: jpeg('CHAT') }]);
    const file = await t.app.inject({
      method: 'POST',
      url: `/api/v1/support/cases/${caseId}/evidence/files`,
      headers: { ...holder.auth, ...form.headers },
      payload: form.payload,
    });
    expect(file.statusCode, file.body).toBe(201);
    const theirs = await t.app.inject({ url: `/api/v1/support/cases/${caseId}`, headers: thief.auth });
    expect(theirs.json().code).toBe('CASE_NOT_FOUND');

    const hold = (amount: number, staff = agent) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/support/clawbacks',
        headers: { ...staff.auth, 'idempotency-key': `clb-${amount}-${Math.random()}` },
        payload: { caseId, transferId, amount, reason: '被盗款项' },
      });
    expect((await hold(40_000)).json().code).toBe('CLAWBACK_AMOUNT_TOO_HIGH');
    const thiefBefore = await balanceOf(t, thief.walletId);
    const victimBefore = await balanceOf(t, victim.walletId);
    const held = await hold(25_000);
    expect(held.statusCode, held.body).toBe(201);
    expect((await hold(25_000)).json().code).toBe('CLAWBACK_ALREADY_OPEN');
    const clawback = held.json();
    // The thief cannot spend the held money.
    const account = await t.services.ledger.getAccount(thief.walletId);
    expect(account?.pendingDebitsFen).toBe(25_000n);

    const asked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/clawbacks/${clawback.id}/return`,
      headers: analyst.auth,
      payload: { reason: '证据充分' },
    });
    expect(asked.statusCode, asked.body).toBe(202);
    // Support may not approve; the analyst who asked may not either; a second analyst approves, once.
    const approve = (staff: TestStaff, n: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/staff/support/clawbacks/${clawback.id}/approve`,
        headers: { ...staff.auth, 'idempotency-key': `approve-${clawback.id}-${n}` },
        payload: { note: '同意退还' },
      });
    expect((await approve(agent, 0)).statusCode).toBe(403);
    expect((await approve(analyst, 1)).json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    const checker = await signInStaff(t, ['risk_analyst'], new Date());
    const results = await Promise.all([approve(checker, 2), approve(checker, 3), approve(checker, 4)]);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);

    expect(await balanceOf(t, thief.walletId)).toBe(thiefBefore - 25_000n);
    expect(await balanceOf(t, victim.walletId)).toBe(victimBefore + 25_000n);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE reference = $1`,
      [`clawback-return:${clawback.id}`],
    );
    expect(rows[0].n).toBe(1);

    const seen = (await t.app.inject({ url: `/api/v1/support/cases/${caseId}`, headers: holder.auth })).json();
    expect(seen.evidence.map((e: { kind: string }) => e.kind)).toEqual(['police_report', 'file']);
    expect(seen.recovered).toEqual([expect.objectContaining({ amount: 25_000, status: 'returned' })]);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/clawbacks/${clawback.id}/release`,
      headers: agent.auth,
      payload: { reason: 'oops' },
    });
    expect(again.json().code).toBe('CLAWBACK_NOT_HELD');
  });
});
