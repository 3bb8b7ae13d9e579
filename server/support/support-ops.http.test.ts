import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { type TestStaff, jpeg, multipart, pdf, signInStaff } from '../../test/kyc-factories.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  merchantStaff,
  pay,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { balanceOf, moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';

/**
 * The staff and merchant side of customer service: the merchant's dispute pages (only its own
 * disputes, evidence files checked like ticket attachments, refunds within its roles' rules, the
 * deadline), and help articles edited in the console (versions, history, audited).
 */

const clock = manualClock('2026-11-23T02:00:00Z'); // 10:00 in Shanghai
let t: TestApp;
let payer: WalletHolder;
let shop: TestMerchant;
let otherShop: TestMerchant;
let agent: TestStaff;
let kycReviewer: TestStaff;
type Staff = Awaited<ReturnType<typeof merchantStaff>>;
let cashier: Staff;
let manager: Staff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  payer = await walletHolder(t, { balanceFen: 200_000n });
  shop = await activeMerchant(t, { name: '争议小店' });
  otherShop = await activeMerchant(t, { name: '隔壁小店' });
  cashier = await merchantStaff(t, shop, 'cashier');
  manager = await merchantStaff(t, shop, 'manager');
  agent = await signInStaff(t, ['support'], clock.now());
  kycReviewer = await signInStaff(t, ['kyc_reviewer'], clock.now());
});
afterAll(async () => t?.close());

async function disputed(
  amount: number,
  claimed = amount,
): Promise<{ id: string; ticketId: string; paymentId: string }> {
  const paid = await pay(t, payer, { merchantNumber: shop.merchantNumber, amount });
  expect(paid.statusCode, paid.body).toBe(200);
  const paymentId = paid.json().id;
  const opened = await t.app.inject({
    method: 'POST',
    url: '/api/v1/support/disputes',
    headers: payer.auth,
    payload: { paymentId, reason: 'wrong_amount', claimedAmount: claimed, text: '金额不对，多收了钱' },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  return { ...opened.json(), paymentId };
}

const evidence = (id: string, auth: Record<string, string>, bytes: Buffer, contentType = 'image/jpeg') => {
  const form = multipart({}, [{ field: 'file', bytes, contentType, filename: 'receipt.jpg' }]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/merchant/disputes/${id}/evidence`,
    headers: { ...auth, ...form.headers },
    payload: form.payload,
  });
};

let keys = 0;
const merchantRefund = (id: string, auth: Record<string, string>, amount: number) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/merchant/disputes/${id}/refund`,
    headers: { ...auth, 'idempotency-key': `dr-${id}-${++keys}` },
    payload: { amount, password: MERCHANT_PASSWORD },
  });

describe('merchant dispute pages', () => {
  it('show a merchant only its own disputes; another merchant is refused everything', async () => {
    const d = await disputed(4_000, 1_500);
    const mine = await t.app.inject({ url: '/api/v1/merchant/disputes', headers: shop.auth });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(d.id);
    const listed = mine.json().items.find((i: { id: string }) => i.id === d.id);
    expect(listed).toMatchObject({ status: 'awaiting_merchant', claimedAmount: 1_500, text: '金额不对，多收了钱' });
    expect(new Date(listed.merchantDueAt).getTime()).toBe(clock.now().getTime() + 7 * 24 * 3600_000);
    const open = await t.app.inject({ url: '/api/v1/merchant/disputes?status=awaiting_merchant', headers: shop.auth });
    expect(open.json().items.every((i: { status: string }) => i.status === 'awaiting_merchant')).toBe(true);

    const theirs = await t.app.inject({ url: '/api/v1/merchant/disputes', headers: otherShop.auth });
    expect(theirs.json().items).toEqual([]);
    for (const request of [
      { url: `/api/v1/merchant/disputes/${d.id}` },
      {
        method: 'POST' as const,
        url: `/api/v1/merchant/disputes/${d.id}/answer`,
        payload: { text: '我们没有多收' },
      },
      {
        method: 'POST' as const,
        url: `/api/v1/merchant/disputes/${d.id}/refund`,
        payload: { amount: 100, password: MERCHANT_PASSWORD },
      },
    ]) {
      const answer = await t.app.inject({
        ...request,
        headers: { ...otherShop.auth, 'idempotency-key': `o-${++keys}` },
      });
      expect(answer.json().code, request.url).toBe('DISPUTE_NOT_FOUND');
    }
    expect((await evidence(d.id, otherShop.auth, jpeg('OTHER'))).json().code).toBe('DISPUTE_NOT_FOUND');
    // The holder's view and the console see it; a staff role without support.view does not.
    const staff = await t.app.inject({ url: `/api/v1/staff/support/disputes/${d.id}`, headers: agent.auth });
    expect(staff.json()).toMatchObject({ id: d.id, userId: payer.userId, merchantName: shop.name });
    const reviewer = await t.app.inject({ url: `/api/v1/staff/support/disputes/${d.id}`, headers: kycReviewer.auth });
    expect(reviewer.statusCode).toBe(403);
  });

  it('take evidence files checked like ticket attachments, seen by the merchant and by support only', async () => {
    const d = await disputed(3_000);
    const added = await evidence(d.id, manager.auth, jpeg('RECEIPT-42'));
    expect(added.statusCode, added.body).toBe(201);
    const file = added.json();
    expect(file).toMatchObject({ contentType: 'image/jpeg', fileName: 'receipt.jpg' });
    // Sealed at rest.
    const { rows } = await t.db.query<{ sealed: Uint8Array }>(`SELECT sealed FROM support_attachments WHERE id = $1`, [
      file.id,
    ]);
    expect(Buffer.from(rows[0].sealed).includes(Buffer.from('RECEIPT-42'))).toBe(false);
    const back = await t.app.inject({ url: file.url, headers: shop.auth });
    expect(back.statusCode).toBe(200);
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.rawPayload.includes(Buffer.from('RECEIPT-42'))).toBe(true);
    expect((await t.app.inject({ url: file.url, headers: otherShop.auth })).json().code).toBe('DISPUTE_NOT_FOUND');

    const hostile: [string, Buffer, string, string][] = [
      [
        'HTML called a JPEG',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'image/jpeg',
        'DOCUMENT_TYPE_UNSUPPORTED',
      ],
      ['a truncated JPEG', jpeg().subarray(0, 200), 'image/jpeg', 'DOCUMENT_CORRUPT'],
      [
        'a PDF with JavaScript',
        pdf([], { extraCatalog: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ' }),
        'application/pdf',
        'DOCUMENT_UNSAFE',
      ],
    ];
    for (const [what, bytes, type, code] of hostile) {
      expect((await evidence(d.id, manager.auth, bytes, type)).json().code, what).toBe(code);
    }
    // A cashier sees disputes but does not answer them.
    expect((await evidence(d.id, cashier.auth, jpeg('C'))).statusCode).toBe(403);
    const cashierAnswer = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/disputes/${d.id}/answer`,
      headers: cashier.auth,
      payload: { text: '按价收取' },
    });
    expect(cashierAnswer.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/v1/merchant/disputes/${d.id}`, headers: cashier.auth })).statusCode).toBe(
      200,
    );

    for (let n = 1; n < 5; n++) expect((await evidence(d.id, manager.auth, jpeg(`MORE-${n}`))).statusCode).toBe(201);
    expect((await evidence(d.id, manager.auth, jpeg('SIXTH'))).json()).toMatchObject({
      code: 'DISPUTE_EVIDENCE_LIMIT',
      maxFiles: 5,
    });

    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/disputes/${d.id}/answer`,
      headers: manager.auth,
      payload: { text: '小票显示按标价收取', evidence: '小票编号 42' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({
      status: 'merchant_answered',
      merchantAnswer: { text: '小票显示按标价收取' },
    });
    expect(answered.json().evidenceFiles).toHaveLength(5);
    expect((await evidence(d.id, manager.auth, jpeg('LATE'))).json().code).toBe('DISPUTE_NOT_OPEN');

    // Support sees the files in the dispute's ticket as internal messages; the holder does not.
    const desk = await t.app.inject({ url: `/api/v1/staff/support/tickets/${d.ticketId}`, headers: agent.auth });
    const files = desk.json().messages.filter((m: { attachment: unknown }) => m.attachment);
    expect(files).toHaveLength(5);
    expect(files.every((m: { internal: boolean }) => m.internal)).toBe(true);
    const holder = await t.app.inject({ url: `/api/v1/support/tickets/${d.ticketId}`, headers: payer.auth });
    expect(holder.json().messages.filter((m: { attachment: unknown }) => m.attachment)).toEqual([]);
    expect(
      holder
        .json()
        .messages.map((m: { text: string }) => m.text)
        .join('\n'),
    ).toContain('小票显示按标价收取');
    const audit = await t.services.audit.find({ subjectId: d.id, action: 'support.dispute_evidence_added' });
    expect(audit).toHaveLength(5);
  });

  it('refund as the ordinary refund referencing the dispute, a cashier only up to the role cap', async () => {
    const big = await disputed(8_000);
    const refused = await merchantRefund(big.id, cashier.auth, 8_000);
    expect(refused.json()).toMatchObject({ code: 'REFUND_ABOVE_ROLE_LIMIT', limitFen: 5_000 });
    const small = await disputed(2_000);
    const before = await balanceOf(t, payer.walletId);
    const refunded = await merchantRefund(small.id, cashier.auth, 2_000);
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'merchant_refunded', refund: { amount: 2_000, by: 'merchant' } });
    expect(await balanceOf(t, payer.walletId)).toBe(before + 2_000n);
    const refunds = await t.app.inject({
      url: `/api/v1/merchant/payments/${small.paymentId}/refunds`,
      headers: shop.auth,
    });
    expect(refunds.json().items).toEqual([expect.objectContaining({ amount: 2_000, reason: `dispute:${small.id}` })]);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE reference = $1`,
      [`refund:${refunded.json().refund.id}`],
    );
    expect(rows[0].n).toBe(1);
    expect((await merchantRefund(small.id, shop.auth, 100)).json().code).toBe('DISPUTE_NOT_OPEN');
    // The owner refunds the large one.
    expect((await merchantRefund(big.id, shop.auth, 8_000)).statusCode).toBe(200);
  });

  it('close to the merchant at the deadline', async () => {
    const d = await disputed(1_000);
    clock.advanceMs(7 * 24 * 3600_000 + 60_000);
    const owner = await merchantStaff(t, shop, 'owner');
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/disputes/${d.id}/answer`,
      headers: owner.auth,
      payload: { text: '太晚了' },
    });
    expect(late.json().code).toBe('DISPUTE_MERCHANT_DEADLINE_PASSED');
    expect((await evidence(d.id, owner.auth, jpeg('LATE'))).json().code).toBe('DISPUTE_MERCHANT_DEADLINE_PASSED');
  });
});

describe('help articles edited in the console', () => {
  it('save each edit as a new version in both languages; the wallet shows the newest; history; audit', async () => {
    const staff = await signInStaff(t, ['support'], clock.now());
    const reviewer = await signInStaff(t, ['kyc_reviewer'], clock.now());
    const current = (await t.app.inject({ url: '/api/v1/help/articles/freeze-account' })).json();
    const { slug: _s, version, updatedAt: _u, ...content } = current;
    const save = (patch: Record<string, unknown>, expectedVersion: number, who = staff) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/staff/help/articles/freeze-account',
        headers: who.auth,
        payload: { ...content, ...patch, expectedVersion },
      });
    expect((await save({ titleZh: '无权' }, version, reviewer)).statusCode).toBe(403);
    const first = await save(
      { titleZh: '如何冻结账户（新版）', bodyEn: 'Freeze it at once: 我的 → 安全 → 冻结.' },
      version,
    );
    expect(first.statusCode, first.body).toBe(200);
    const second = await save(
      {
        titleZh: first.json().titleZh,
        bodyEn: first.json().bodyEn,
        titleEn: 'Freeze your account now',
        bodyZh: '立即冻结：我的 → 安全 → 冻结账户。',
      },
      version + 1,
    );
    expect(second.json()).toMatchObject({ version: version + 2, titleZh: '如何冻结账户（新版）' });

    const wallet = (await t.app.inject({ url: '/api/v1/help/articles/freeze-account' })).json();
    expect(wallet).toMatchObject({
      version: version + 2,
      titleZh: '如何冻结账户（新版）',
      titleEn: 'Freeze your account now',
      bodyZh: '立即冻结：我的 → 安全 → 冻结账户。',
    });
    const found = await t.app.inject({ url: `/api/v1/help/articles?q=${encodeURIComponent('新版')}` });
    expect(found.json().items.map((a: { slug: string }) => a.slug)).toContain('freeze-account');

    const history = await t.app.inject({
      url: '/api/v1/staff/help/articles/freeze-account/versions',
      headers: staff.auth,
    });
    expect(history.json().items.map((v: { version: number }) => v.version)).toEqual([
      version + 2,
      version + 1,
      version,
    ]);
    expect(history.json().items[0]).toMatchObject({ editedBy: staff.staffId });
    const old = await t.app.inject({
      url: `/api/v1/staff/help/articles/freeze-account/versions/${version}`,
      headers: staff.auth,
    });
    expect(old.json()).toMatchObject({ version, titleZh: content.titleZh, bodyEn: content.bodyEn });
    const missing = await t.app.inject({
      url: '/api/v1/staff/help/articles/freeze-account/versions/999',
      headers: staff.auth,
    });
    expect(missing.json().code).toBe('HELP_ARTICLE_NOT_FOUND');

    const audit = await t.services.audit.find({ subjectId: 'freeze-account', actorId: staff.staffId });
    expect(audit.map((e) => [e.action, e.details?.version])).toEqual([
      ['support.article_saved', version + 2],
      ['support.article_saved', version + 1],
    ]);
  });
});

describe('claw-back rules', () => {
  it('approve only a return someone else asked for; a released hold frees the money for good', async () => {
    const limits = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };
    const victim = await walletHolder(t, { balanceFen: 50_000n, limits });
    const receiver = await walletHolder(t, { limits });
    const prepared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: moneyHeaders(victim),
      payload: { payee: { walletId: receiver.walletId }, amount: 10_000, currency: 'CNY' },
    });
    const { id: transferId, confirmation } = prepared.json();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${confirmation.id}/pin`,
      headers: victim.auth,
      payload: { pin: victim.pin },
    });
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/transfers/${transferId}/complete`,
      headers: moneyHeaders(victim),
      payload: { confirmationId: confirmation.id },
    });
    expect(done.json().status, done.body).toBe('completed');
    const caseId = (await t.app.inject({ method: 'POST', url: '/api/v1/me/report-theft', headers: victim.auth })).json()
      .caseId;
    // Earlier tests move the clock past the shared agent's session, so this one signs in its own.
    const agent = await signInStaff(t, ['support'], clock.now());
    const admin = await signInStaff(t, ['admin'], clock.now());
    const checker = await signInStaff(t, ['risk_analyst'], clock.now());
    const post = (staff: TestStaff, url: string, payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...staff.auth, 'idempotency-key': `cb-${++keys}` },
        payload,
      });
    const hold = (amount: number) =>
      post(agent, '/api/v1/staff/support/clawbacks', { caseId, transferId, amount, reason: '被盗款项' });

    // Released: the receiver can spend it again, and nothing can return it.
    const first = (await hold(4_000)).json();
    expect((await t.services.ledger.getAccount(receiver.walletId))?.pendingDebitsFen).toBe(4_000n);
    expect(
      (await post(checker, `/api/v1/staff/support/clawbacks/${first.id}/approve`, { note: '太早' })).json(),
    ).toMatchObject({ code: 'CLAWBACK_NOT_HELD', status: 'held' });
    const released = await post(agent, `/api/v1/staff/support/clawbacks/${first.id}/release`, { reason: '非被盗' });
    expect(released.json()).toMatchObject({ status: 'released' });
    expect((await t.services.ledger.getAccount(receiver.walletId))?.pendingDebitsFen).toBe(0n);
    expect(
      (await post(admin, `/api/v1/staff/support/clawbacks/${first.id}/return`, { reason: '再试' })).json().code,
    ).toBe('CLAWBACK_NOT_HELD');

    // Asked by an admin: that admin may not approve it; a risk analyst does, and exactly the held amount moves.
    const second = (await hold(6_000)).json();
    expect(
      (await post(admin, `/api/v1/staff/support/clawbacks/${second.id}/return`, { reason: '证据充分' })).statusCode,
    ).toBe(202);
    expect(
      (await post(admin, `/api/v1/staff/support/clawbacks/${second.id}/approve`, { note: '自批' })).json().code,
    ).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    const victimBefore = await balanceOf(t, victim.walletId);
    const receiverBefore = await balanceOf(t, receiver.walletId);
    const approved = await post(checker, `/api/v1/staff/support/clawbacks/${second.id}/approve`, { note: '同意' });
    expect(approved.json()).toMatchObject({
      status: 'returned',
      returnRequestedBy: admin.staffId,
      returnApprovedBy: checker.staffId,
    });
    expect(await balanceOf(t, victim.walletId)).toBe(victimBefore + 6_000n);
    expect(await balanceOf(t, receiver.walletId)).toBe(receiverBefore - 6_000n);
    const audit = await t.services.audit.find({ subjectId: caseId, actionPrefix: 'support.clawback' });
    expect(audit.map((e) => e.action).sort()).toEqual([
      'support.clawback_held',
      'support.clawback_held',
      'support.clawback_released',
      'support.clawback_return_requested',
      'support.clawback_returned',
    ]);
  });
});
