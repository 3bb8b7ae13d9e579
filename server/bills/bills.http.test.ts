import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
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
