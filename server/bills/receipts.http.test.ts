import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { pdfText } from '../../test/pdf-text.js';
import { type WalletHolder, moneyHeaders, walletHolder } from '../../test/transfer-factories.js';
import { withLuhn } from './catalogue.js';
import { receiptYuan } from '../platform/pdf-receipt.js';

/** The receipt PDF (电子缴费凭证): only the holder who paid gets it, once paid, and it shows what was paid. */

let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;

const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };
/** A Shanghai electricity account (10 digits, Luhn); the sandbox's marker digits `00` mean "behaves". */
const power = (seed: string, marker = '00') => withLuhn(`3${seed.padStart(6, '0')}${marker}`);

async function payBill(holder: WalletHolder, accountNumber: string, withPin: boolean) {
  const found = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/inquiries',
    headers: holder.auth,
    payload: { billerId: 'blr_sh_power', accountNumber },
  });
  expect(found.statusCode, found.body).toBe(200);
  const bill = found.json().bills[0] as { billRef: string; total: number };
  const paid = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bills/payments',
    headers: moneyHeaders(holder),
    payload: {
      billerId: 'blr_sh_power',
      accountNumber,
      billRef: bill.billRef,
      amount: bill.total,
      currency: 'CNY',
      ...(withPin ? { confirmation: { pin: holder.pin } } : {}),
    },
  });
  expect(paid.statusCode, paid.body).toBeLessThan(300);
  const body = paid.json();
  return { bill, payment: (body.payment ?? body) as { id: string; status: string; amount: number } };
}

const pdfOf = (holder: WalletHolder, paymentId: string) =>
  t.app.inject({ url: `/api/v1/bills/payments/${paymentId}/receipt.pdf`, headers: holder.auth });

beforeAll(async () => {
  t = await createTestApp();
  alice = await walletHolder(t, { name: '张三', balanceFen: 1_000_000n, limits: LIMITS });
  bob = await walletHolder(t, { name: '李四', balanceFen: 1_000_000n, limits: LIMITS });
});
afterAll(async () => t?.close());

describe('the receipt PDF', () => {
  it('is a PDF with the amount, the biller, the account and the receipt number, for the holder who paid', async () => {
    const account = power('501');
    const { bill, payment } = await payBill(alice, account, true);
    expect(payment.status).toBe('succeeded');
    const data = await t.app.inject({ url: `/api/v1/bills/payments/${payment.id}/receipt`, headers: alice.auth });
    expect(data.statusCode, data.body).toBe(200);

    const pdf = await pdfOf(alice, payment.id);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="tongbao-receipt-${data.json().receiptNumber}.pdf"`,
    );
    expect(pdf.headers['cache-control']).toBe('private, no-store');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.subarray(-6).toString()).toContain('%%EOF');
    expect(bytes.toString('latin1')).toContain('SourceHanSansSC');

    const text = pdfText(bytes);
    expect(text).toContain('电子缴费凭证');
    expect(text).toContain(receiptYuan(BigInt(bill.total)));
    expect(text).toContain(account);
    expect(text).toContain(data.json().receiptNumber);
    expect(text).toContain('国网上海市电力公司');
    expect(text).toContain(payment.id);
    // The payer's name and phone are masked: a receipt gets forwarded.
    expect(text).toContain('*三');
    expect(text).not.toContain('张三');
    expect(text).not.toContain(alice.phone);
  });

  it('is not found for another holder, nor for an id that does not exist', async () => {
    const { payment } = await payBill(alice, power('502'), true);
    const stranger = await pdfOf(bob, payment.id);
    expect([stranger.statusCode, stranger.json().code]).toEqual([404, 'BILL_PAYMENT_NOT_FOUND']);
    expect(stranger.headers['content-type']).toContain('application/problem+json');
    const missing = await pdfOf(alice, 'bpy_doesnotexist');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'BILL_PAYMENT_NOT_FOUND']);
    const anonymous = await t.app.inject({ url: `/api/v1/bills/payments/${payment.id}/receipt.pdf` });
    expect(anonymous.statusCode).toBe(401);
    const malformed = await pdfOf(alice, 'not an id');
    expect(malformed.statusCode).toBe(400);
  });

  it('is not ready before the payment is confirmed', async () => {
    const { payment } = await payBill(alice, power('503'), false);
    expect(payment.status).toBe('awaiting_confirmation');
    const early = await pdfOf(alice, payment.id);
    expect([early.statusCode, early.json().code]).toEqual([409, 'BILL_RECEIPT_NOT_READY']);
  });
});
