import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { signInStaff } from '../../test/kyc-factories.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from '../../test/transfer-factories.js';
import { withLuhn } from './catalogue.js';

let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };
/** A Shanghai electricity account (10 digits, Luhn) whose two digits before the check digit are `marker`. */
const power = (seed: string, marker = '00') => withLuhn(`3${seed.padStart(6, '0')}${marker}`);

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

const inquire = (holder: WalletHolder, billerId: string, accountNumber: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/inquiries',
    headers: holder.auth,
    payload: { billerId, accountNumber },
  });

const pay = (holder: WalletHolder, payload: Record<string, unknown>, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/payments',
    headers: moneyHeaders(holder, key),
    payload: { currency: 'CNY', ...payload },
  });

async function firstBill(holder: WalletHolder, accountNumber: string, billerId = 'blr_sh_power') {
  const found = await inquire(holder, billerId, accountNumber);
  expect(found.statusCode, found.body).toBe(200);
  return found.json().bills[0] as { billRef: string; total: number; amount: number; dueDate: string };
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await walletHolder(t, { name: '张三', balanceFen: 1_000_000n, limits: LIMITS });
  bob = await walletHolder(t, { name: '李四', balanceFen: 1_000_000n, limits: LIMITS });
});
afterAll(async () => t?.close());

describe('billers and inquiry', () => {
  it('lists billers by type and city with their account format', async () => {
    const all = await t.app.inject({ url: '/api/v1/bills/billers', headers: alice.auth });
    expect(all.statusCode, all.body).toBe(200);
    const types = new Set(all.json().items.map((b: { type: string }) => b.type));
    expect([...types].sort()).toEqual(['electricity', 'gas', 'property', 'telecom', 'water']);
    const shPower = await t.app.inject({
      url: '/api/v1/bills/billers?type=electricity&city=shanghai',
      headers: alice.auth,
    });
    expect(shPower.json().items).toHaveLength(1);
    expect(shPower.json().items[0]).toMatchObject({
      id: 'blr_sh_power',
      mode: 'postpaid',
      accountFormat: { length: 10, checkDigit: 'luhn' },
      lateFeePerMille: 1,
      status: 'active',
    });
    const cities = await t.app.inject({ url: '/api/v1/bills/cities', headers: alice.auth });
    expect(cities.json().items.map((c: { city: string }) => c.city)).toContain('shanghai');
    const bad = await t.app.inject({ url: '/api/v1/bills/billers?type=lava', headers: alice.auth });
    expect(bad.statusCode).toBe(400);
  });

  it('answers an inquiry with the outstanding bill, its due date and late fee', async () => {
    const account = power('1');
    const found = await inquire(alice, 'blr_sh_power', account);
    expect(found.statusCode, found.body).toBe(200);
    const body = found.json();
    expect(body.holderName).toMatch(/^\*/);
    expect(body.bills).toHaveLength(1);
    expect(body.bills[0]).toMatchObject({ lateFee: 0, overdue: false, status: 'unpaid', currency: 'CNY' });
    expect(body.bills[0].total).toBe(body.bills[0].amount);
    expect(body.prepaid).toBeNull();
  });

  it('shows an overdue bill with its late fee, and nothing due', async () => {
    const overdue = (await inquire(alice, 'blr_sh_power', power('2', '97'))).json();
    expect(overdue.bills).toHaveLength(2);
    expect(overdue.bills[0].overdue).toBe(true);
    // 1‰ a day for 20 days on the bill amount
    expect(overdue.bills[0].lateFee).toBe(Math.floor((overdue.bills[0].amount * 20) / 1000));
    const nothing = (await inquire(alice, 'blr_sh_power', power('3', '98'))).json();
    expect(nothing.bills).toEqual([]);
  });

  it('refuses bad account numbers with a 4xx problem and writes nothing', async () => {
    const before = await count('bill_sandbox_accounts');
    const good = power('4');
    const wrongCheck = good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
    for (const [accountNumber, reason] of [
      ['12345', 'length'],
      ['31000000a7', 'digits'],
      [wrongCheck, 'check_digit'],
    ]) {
      const refused = await inquire(alice, 'blr_sh_power', accountNumber);
      expect(refused.statusCode, accountNumber).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'BILL_ACCOUNT_INVALID', reason });
    }
    const unknown = await inquire(alice, 'blr_sh_power', power('5', '90'));
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'BILL_ACCOUNT_UNKNOWN']);
    const offline = await inquire(alice, 'blr_sh_power', power('6', '91'));
    expect([offline.statusCode, offline.json().code]).toEqual([503, 'BILLER_UNAVAILABLE']);
    const noBiller = await inquire(alice, 'blr_nowhere', power('7'));
    expect([noBiller.statusCode, noBiller.json().code]).toEqual([404, 'BILLER_NOT_FOUND']);
    expect(await count('bill_sandbox_accounts')).toBe(before);
  });
});

describe('paying a bill', () => {
  it('prepares, confirms with the PIN and pays; the bill is then paid and the receipt complete', async () => {
    const account = power('10');
    const bill = await firstBill(alice, account);
    const before = await balanceOf(t, alice.walletId);
    const created = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { payment, confirmation } = created.json();
    expect(payment.status).toBe('awaiting_confirmation');
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/confirmations/${confirmation.id}/pin`,
      headers: alice.auth,
      payload: { pin: alice.pin },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bills/payments/${payment.id}/submit`,
      headers: moneyHeaders(alice),
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'succeeded', amount: bill.total, billRef: bill.billRef });
    expect(await balanceOf(t, alice.walletId)).toBe(before - BigInt(bill.total));

    const again = await inquire(alice, 'blr_sh_power', account);
    expect(again.json().bills).toEqual([]);
    const receipt = await t.app.inject({ url: `/api/v1/bills/payments/${payment.id}/receipt`, headers: alice.auth });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json()).toMatchObject({
      titleZh: '电子缴费凭证',
      accountNumber: account,
      amount: bill.total,
      billerName: '国网上海市电力公司',
      payerName: '*三',
    });
    expect(receipt.json().receiptNumber).toMatch(/^TBJF\d{18}$/);
    const stranger = await t.app.inject({ url: `/api/v1/bills/payments/${payment.id}/receipt`, headers: bob.auth });
    expect([stranger.statusCode, stranger.json().code]).toEqual([404, 'BILL_PAYMENT_NOT_FOUND']);

    const twice = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total,
      confirmation: { pin: alice.pin },
    });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'BILL_ALREADY_PAID']);
  });

  it('pays at once with the PIN in the body', async () => {
    const account = power('11');
    const bill = await firstBill(alice, account);
    const paid = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total,
      confirmation: { pin: alice.pin },
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('succeeded');
    const list = await t.app.inject({ url: '/api/v1/bills/payments', headers: alice.auth });
    expect(list.json().items[0].id).toBe(paid.json().id);
  });

  it('refuses a changed amount, a missing bill, a prepaid amount below the minimum; nothing is written', async () => {
    const account = power('12');
    const bill = await firstBill(alice, account);
    const before = await count('bill_payments');
    const wrong = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total + 1,
    });
    expect([wrong.statusCode, wrong.json().code, wrong.json().expected]).toEqual([
      409,
      'BILL_AMOUNT_MISMATCH',
      bill.total,
    ]);
    const noRef = await pay(alice, { billerId: 'blr_sh_power', accountNumber: account, amount: bill.total });
    expect([noRef.statusCode, noRef.json().code]).toEqual([400, 'BILL_REF_REQUIRED']);
    const unknownRef = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: 'B-nope',
      amount: bill.total,
    });
    expect([unknownRef.statusCode, unknownRef.json().code]).toEqual([404, 'BILL_NOT_FOUND']);
    const low = await pay(alice, { billerId: 'blr_bj_power', accountNumber: withLuhn('110000012'), amount: 999 });
    expect([low.statusCode, low.json().code, low.json().minimum]).toEqual([422, 'BILL_AMOUNT_BELOW_MINIMUM', 1000]);
    const fraction = await pay(alice, { billerId: 'blr_bj_power', accountNumber: withLuhn('110000012'), amount: 10.5 });
    expect(fraction.statusCode).toBe(400);
    expect(await count('bill_payments')).toBe(before);
  });

  it('tops up a prepaid meter with any amount from the minimum', async () => {
    const account = withLuhn('110000013');
    const found = await inquire(alice, 'blr_bj_power', account);
    expect(found.json().prepaid).toMatchObject({ minimum: 1000 });
    const paid = await pay(alice, {
      billerId: 'blr_bj_power',
      accountNumber: account,
      amount: 5000,
      confirmation: { pin: alice.pin },
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'succeeded', billRef: null });
    const after = await inquire(alice, 'blr_bj_power', account);
    expect(after.json().prepaid.balance).toBe(found.json().prepaid.balance + 5000);
  });

  it('voids the hold when the bill was paid elsewhere after the inquiry', async () => {
    const account = power('13', '96');
    const bill = await firstBill(alice, account);
    const before = await balanceOf(t, alice.walletId);
    const paid = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total,
      confirmation: { pin: alice.pin },
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'failed', failureReason: 'PAID_ELSEWHERE' });
    expect(await balanceOf(t, alice.walletId)).toBe(before);
    const account2 = await t.services.ledger.getAccount(alice.walletId);
    expect(account2?.pendingDebitsFen).toBe(0n);
  });

  it('settles a timeout with unknown outcome from the status query', async () => {
    const account = power('14', '92');
    const bill = await firstBill(alice, account);
    const before = await balanceOf(t, alice.walletId);
    const paid = await pay(alice, {
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: bill.billRef,
      amount: bill.total,
      confirmation: { pin: alice.pin },
    });
    expect(paid.json().status).toBe('processing');
    await t.db.query(`UPDATE bill_payments SET next_check_at = now() - interval '1 minute' WHERE id = $1`, [
      paid.json().id,
    ]);
    expect(await t.services.bills.paying.checkPending()).toBeGreaterThanOrEqual(1);
    const after = await t.app.inject({ url: `/api/v1/bills/payments/${paid.json().id}`, headers: alice.auth });
    expect(after.json().status).toBe('succeeded');
    expect(await balanceOf(t, alice.walletId)).toBe(before - BigInt(bill.total));
  });
});

describe('saved accounts', () => {
  it('saves an account with a label, shows what is due, and keeps it private', async () => {
    const account = power('20', '97');
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/accounts',
      headers: alice.auth,
      payload: { billerId: 'blr_sh_power', accountNumber: account, label: '父母家' },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ label: '父母家', reminderDaysBefore: 3, due: { count: 2, overdue: true } });
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/accounts',
      headers: alice.auth,
      payload: { billerId: 'blr_sh_power', accountNumber: account, label: '家' },
    });
    expect([duplicate.statusCode, duplicate.json().code]).toEqual([409, 'BILL_ACCOUNT_ALREADY_SAVED']);
    const due = await t.app.inject({ url: '/api/v1/bills/due', headers: alice.auth });
    expect(due.json()).toMatchObject({ count: 2, overdueCount: 1 });
    const id = saved.json().id;
    const foreign = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/bills/accounts/${id}`,
      headers: bob.auth,
      payload: { label: '偷' },
    });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'BILL_ACCOUNT_NOT_FOUND']);
    const foreignDelete = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/bills/accounts/${id}`,
      headers: bob.auth,
    });
    expect(foreignDelete.statusCode).toBe(404);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/bills/accounts/${id}`,
      headers: alice.auth,
      payload: { label: '家', reminderDaysBefore: 5 },
    });
    expect(renamed.json()).toMatchObject({ label: '家', reminderDaysBefore: 5 });
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/bills/accounts/${id}`, headers: alice.auth });
    expect(removed.statusCode).toBe(204);
  });
});

describe('autopay mandates', () => {
  it('signs with the PIN, refuses a wrong PIN and bad caps, pauses, resumes and cancels', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/accounts',
      headers: alice.auth,
      payload: { billerId: 'blr_sh_power', accountNumber: power('30'), label: '家' },
    });
    const savedAccountId = saved.json().id;
    const body = { savedAccountId, capPerBill: 30_000, capPerMonth: 50_000, timing: 'on_arrival' };
    const wrongPin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: alice.auth,
      payload: { ...body, pin: '000000' },
    });
    expect([wrongPin.statusCode, wrongPin.json().code]).toEqual([422, 'PIN_INVALID']);
    const badCaps = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: alice.auth,
      payload: { ...body, capPerBill: 60_000, pin: alice.pin },
    });
    expect([badCaps.statusCode, badCaps.json().code]).toEqual([422, 'AUTOPAY_CAPS_INVALID']);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: bob.auth,
      payload: { ...body, pin: bob.pin },
    });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'BILL_ACCOUNT_NOT_FOUND']);
    const signed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: alice.auth,
      payload: { ...body, pin: alice.pin },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({ status: 'active', capPerBill: 30_000, label: '家', usedThisMonth: 0 });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: alice.auth,
      payload: { ...body, pin: alice.pin },
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'AUTOPAY_ALREADY_EXISTS']);
    const id = signed.json().id;
    const step = (action: string, holder = alice) =>
      t.app.inject({ method: 'POST', url: `/api/v1/bills/autopay/${id}/${action}`, headers: holder.auth });
    expect((await step('pause')).json().status).toBe('paused');
    expect((await step('pause')).json().code).toBe('AUTOPAY_STATE_INVALID');
    expect((await step('resume')).json().status).toBe('active');
    expect((await step('cancel', bob)).statusCode).toBe(404);
    expect((await step('cancel')).json().status).toBe('cancelled');
    expect((await step('resume')).statusCode).toBe(409);
    const prepaid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/accounts',
      headers: alice.auth,
      payload: { billerId: 'blr_bj_power', accountNumber: withLuhn('110000031'), label: '电表' },
    });
    const notSupported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bills/autopay',
      headers: alice.auth,
      payload: { ...body, savedAccountId: prepaid.json().id, pin: alice.pin },
    });
    expect([notSupported.statusCode, notSupported.json().code]).toEqual([422, 'AUTOPAY_NOT_SUPPORTED']);
  });
});

describe('staff', () => {
  it('lists billers, disables one (holders then get BILLER_DISABLED), announces maintenance; audited', async () => {
    const admin = await signInStaff(t, ['admin'], new Date());
    const support = await signInStaff(t, ['support'], new Date());
    const list = await t.app.inject({ url: '/api/v1/ops/bills/billers', headers: support.auth });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.length).toBeGreaterThanOrEqual(9);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/bills/billers/blr_sz_property/disable',
      headers: support.auth,
      payload: { reason: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    const disabled = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/bills/billers/blr_sz_property/disable',
      headers: admin.auth,
      payload: { reason: '合同到期' },
    });
    expect(disabled.json().status).toBe('disabled');
    const holder = await inquire(alice, 'blr_sz_property', '50000001');
    expect([holder.statusCode, holder.json().code]).toEqual([409, 'BILLER_DISABLED']);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/bills/billers/blr_sz_property/enable',
      headers: admin.auth,
      payload: { reason: '续约' },
    });
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 3600_000).toISOString();
    const announced = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/bills/billers/blr_sz_property/maintenance',
      headers: admin.auth,
      payload: { startsAt: start, endsAt: end, messageZh: '系统升级', messageEn: 'Upgrade' },
    });
    expect(announced.json()).toMatchObject({ status: 'maintenance', maintenance: { messageZh: '系统升级' } });
    const during = await inquire(alice, 'blr_sz_property', '50000001');
    expect([during.statusCode, during.json().code]).toEqual([503, 'BILLER_UNAVAILABLE']);
    const ended = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/bills/billers/blr_sz_property/maintenance/end',
      headers: admin.auth,
    });
    expect(ended.json().status).toBe('active');
    const { rows } = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE subject_id = 'blr_sz_property' ORDER BY seq`,
    );
    expect(rows.map((r) => r.action)).toEqual([
      'bills.biller_disabled',
      'bills.biller_enabled',
      'bills.biller_maintenance_announced',
      'bills.biller_maintenance_ended',
    ]);
    const payments = await t.app.inject({
      url: `/api/v1/ops/bills/payments?userId=${alice.userId}`,
      headers: support.auth,
    });
    expect(payments.statusCode, payments.body).toBe(200);
    expect(payments.json().items.length).toBeGreaterThan(0);
  });

  it('reconciles with the settlement file and lists a mismatch', async () => {
    const admin = await signInStaff(t, ['admin'], new Date());
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const clean = await t.services.bills.reconciliation.run(day);
    expect(clean.mismatches).toBe(0);
    // The biller lists a payment we never counted as paid.
    const account = power('40');
    await firstBill(alice, account);
    await t.services.bills.sandbox?.pay({
      requestId: 'bpy_foreign_1',
      billerId: 'blr_sh_power',
      accountNumber: account,
      billRef: null,
      amountFen: 100n,
    });
    await t.db.query(
      `INSERT INTO bill_sandbox_txns (request_id, biller_id, account_number, bill_ref, amount, status, final_status,
        network_ref, completes_at, completed_at, created_at)
       VALUES ('bpy_foreign_2', 'blr_sh_power', $1, NULL, 777, 'succeeded', 'succeeded', 'BN1', now(), now(), now())`,
      [account],
    );
    const found = await t.services.bills.reconciliation.run(day);
    expect(found.mismatches).toBe(1);
    const seen = await t.app.inject({ url: `/api/v1/ops/bills/reconciliation?day=${day}`, headers: admin.auth });
    expect(seen.statusCode, seen.body).toBe(200);
    const mismatch = seen.json().mismatches[0];
    expect(mismatch).toMatchObject({ kind: 'missing_in_wallet', paymentId: 'bpy_foreign_2', fileAmount: 777 });
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/bills/reconciliation/mismatches/${mismatch.id}/resolve`,
      headers: admin.auth,
      payload: { note: '测试数据' },
    });
    expect(resolved.json().status).toBe('resolved');
  });
});
