import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  issueQr,
  pay,
  preparePayment,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from '../../test/transfer-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';
import { emvCrc } from './emv/crc.js';
import { parseMpm } from './emv/mpm.js';
import { parse as promptparse } from 'promptparse';

// CommonJS packages without usable types under NodeNext: loaded with require and typed here.
const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(png: Buffer): { data: Buffer; width: number; height: number } } };
};
const jsQR = require('jsqr') as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

let t: TestApp;
const clock = manualClock('2026-11-23T02:00:00Z');
let shop: TestMerchant;
let other: TestMerchant;
let alice: WalletHolder;

async function count(table: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t);
  other = await activeMerchant(t, { name: 'Other Store 其他' });
  alice = await walletHolder(t, { balanceFen: 150_000n });
});
afterAll(async () => t?.close());

describe('merchant-presented QR codes', () => {
  it('issues a static code, draws it as PNG and SVG, and previews it', async () => {
    const code = await issueQr(t, shop, { kind: 'static', terminalLabel: 'T01' });
    expect(code.payload).toContain('0017cn.tongbao.wallet');
    expect(code.payload).toContain(`0110${shop.merchantNumber}`);
    const png = await t.app.inject({ url: `/api/v1/merchant/qr-codes/${code.id}/image.png`, headers: shop.auth });
    expect(png.headers['content-type']).toBe('image/png');
    const image = PNG.sync.read(png.rawPayload);
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(code.payload);
    const svg = await t.app.inject({ url: `/api/v1/merchant/qr-codes/${code.id}/image.svg`, headers: shop.auth });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/qr/preview',
      headers: alice.auth,
      payload: { payload: code.payload },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      merchantName: '张三面馆',
      merchantNumber: shop.merchantNumber,
      kind: 'static',
      amount: null,
      currency: 'CNY',
    });
  });

  it('prints the name and city in ASCII in 59/60 and the Chinese in the language template 64', async () => {
    const code = await issueQr(t, shop, { kind: 'static' });
    const parsed = parseMpm(code.payload);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // The factory's merchant registered no English name: the pinyin of 张三面馆 is written.
    expect(parsed.value).toMatchObject({
      merchantName: 'ZHANG SAN MIAN GUAN',
      merchantCity: 'SHANGHAI',
      language: { preference: 'ZH', merchantName: '张三面馆', merchantCity: '上海' },
      warnings: [],
    });
    expect(promptparse(withoutLanguageTemplate(code.payload), false)?.getTagValue('59')).toBe('ZHANG SAN MIAN GUAN');
  });

  it.each([
    [
      'en',
      '00020101021129370016A000000677010111011300668123456785802TH530376463045D82',
      'PromptPay (Thailand) is not supported',
    ],
    [
      'en',
      '00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA53037045802VN62220818Thanh toan ' +
        'hoa don6304FD72',
      'VietQR (Vietnam) is not supported',
    ],
    [
      'zh-CN',
      '00020101021129370016A000000677010111011300668123456785802TH530376463045D82',
      '暂不支持PromptPay（泰国）收款码',
    ],
  ])('a foreign scheme scanned (%s) is named in a clear problem', async (language, payload, detail) => {
    for (const [url, body] of [
      ['/api/v1/payments/qr/preview', { payload }],
      ['/api/v1/payments', { payload, amount: 100 }],
    ] as const) {
      const before = await count('payments');
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...moneyHeaders(alice), 'accept-language': language },
        payload: body,
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'QR_SCHEME_NOT_SUPPORTED',
        detail,
        scheme: { country: expect.any(String) },
      });
      expect(await count('payments')).toBe(before);
    }
  });

  it('pays a static code: wallet → settlement in one entry with the history metadata', async () => {
    const code = await issueQr(t, shop, { kind: 'static' });
    const before = await balanceOf(t, alice.walletId);
    const paid = await pay(t, alice, { payload: code.payload, amount: 8850, note: '午饭' });
    expect(paid.statusCode, paid.body).toBe(200);
    const payment = paid.json();
    expect(payment).toMatchObject({ status: 'completed', amount: 8850, source: 'static_qr', merchantName: '张三面馆' });
    expect(await balanceOf(t, alice.walletId)).toBe(before - 8850n);
    const entry = await t.services.ledger.getEntryByReference(`payment:${payment.id}`);
    expect(entry?.metadata).toEqual({
      kind: 'merchant_payment',
      counterparty: '张三面馆',
      ref: payment.id,
      note: '午饭',
      merchantId: shop.id,
      paymentId: payment.id,
    });
    const seen = await t.app.inject({ url: `/api/v1/merchant/payments/${payment.id}`, headers: shop.auth });
    expect(seen.json()).toMatchObject({ status: 'completed', amount: 8850 });
    const notes = await t.app.inject({ url: '/api/v1/notifications', headers: alice.auth });
    expect(notes.body).toContain('payment.completed');
  });

  it('replays a completion with the same key and refuses a second completion', async () => {
    const code = await issueQr(t, shop, { kind: 'static' });
    const prepared = await preparePayment(t, alice, { payload: code.payload, amount: 100 });
    const first = await prepared.complete!('replay-key-1');
    const again = await prepared.complete!('replay-key-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const otherKey = await prepared.complete!('replay-key-2');
    expect(otherKey.statusCode).toBe(200);
    expect(await t.services.ledger.getEntryByReference(`payment:${prepared.paymentId}`)).not.toBeNull();
  });

  it('pays a dynamic code once, with its amount, and refuses it afterwards', async () => {
    const code = await issueQr(t, shop, {
      kind: 'dynamic',
      amount: 2500,
      orderReference: 'ORD-1001',
      expiresInSeconds: 120,
    });
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/qr/preview',
      headers: alice.auth,
      payload: { payload: code.payload },
    });
    expect(preview.json()).toMatchObject({ kind: 'dynamic', amount: 2500, orderReference: 'ORD-1001' });
    const mismatch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(alice),
      payload: { payload: code.payload, amount: 2600 },
    });
    expect(mismatch.json()).toMatchObject({ code: 'AMOUNT_MISMATCH', expectedFen: 2500 });
    const paid = await pay(t, alice, { payload: code.payload });
    expect(paid.json()).toMatchObject({
      status: 'completed',
      amount: 2500,
      source: 'dynamic_qr',
      orderReference: 'ORD-1001',
    });
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(alice),
      payload: { payload: code.payload },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('QR_ALREADY_PAID');
  });

  it('refuses an expired dynamic code', async () => {
    const code = await issueQr(t, shop, { kind: 'dynamic', amount: 500, expiresInSeconds: 30 });
    clock.advanceMs(31_000);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/qr/preview',
      headers: alice.auth,
      payload: { payload: code.payload },
    });
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('QR_EXPIRED');
  });

  it('pays in one request with the PIN inline, and refuses a wrong PIN without moving money', async () => {
    const holder = await walletHolder(t, { balanceFen: 5_000n });
    const paid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(holder),
      payload: { merchantNumber: shop.merchantNumber, amount: 800, confirmation: { pin: holder.pin } },
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'completed', amount: 800 });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(holder),
      payload: { merchantNumber: shop.merchantNumber, amount: 800, confirmation: { pin: '000001' } },
    });
    expect(wrong.json().code).toBe('PIN_INVALID');
    expect(await balanceOf(t, holder.walletId)).toBe(4_200n);
  });

  it('pays by typing the merchant number', async () => {
    const paid = await pay(t, alice, { merchantNumber: other.merchantNumber, amount: 1200 });
    expect(paid.json()).toMatchObject({
      status: 'completed',
      source: 'merchant_number',
      merchantName: 'Other Store 其他',
    });
  });

  it('caps static-code payments at ¥500 a day', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    const code = await issueQr(t, shop, { kind: 'static' });
    expect((await pay(t, holder, { payload: code.payload, amount: 40_000 })).statusCode).toBe(200);
    const over = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(holder),
      payload: { payload: code.payload, amount: 10_001 },
    });
    expect(over.json().code).toBe('STATIC_QR_DAILY_LIMIT');
    // The merchant number is not a static code: it is not capped by that rule.
    expect((await pay(t, holder, { merchantNumber: shop.merchantNumber, amount: 20_000 })).statusCode).toBe(200);
  });
});

describe('bad input answers a 4xx problem and writes nothing', () => {
  const valid =
    '00020101021226360018com.example.wallet0110M100200300520458125303156540588.505802CN5917ZHANG SAN ' +
    'NOODLES6008SHANGHAI62330111INV202405010507ORD00010703T016304BFC6';
  const body = (b: string) => `${b}6304${emvCrc(`${b}6304`)}`;
  const cases: [string, Record<string, unknown>, number, string, Record<string, unknown>?][] = [
    [
      'a wrong CRC',
      { payload: valid.replace(/BFC6$/, '0000'), amount: 100 },
      422,
      'QR_PAYLOAD_INVALID',
      { reason: 'CRC_MISMATCH', tag: '63', position: valid.length - 4 },
    ],
    ['broken TLV', { payload: '000201010212269', amount: 100 }, 422, 'QR_PAYLOAD_INVALID', { reason: 'TRUNCATED' }],
    ['another wallet', { payload: valid }, 422, 'QR_NOT_SUPPORTED', { guids: ['com.example.wallet'] }],
    [
      'our GUID, unknown merchant',
      {
        payload: body('00020101021126350017cn.tongbao.wallet0110M00000000052045812530315658' + '02CN5901A6001B'),
        amount: 100,
      },
      404,
      'MERCHANT_NOT_FOUND',
    ],
    ['zero amount', { merchantNumber: 'M000000000', amount: 0 }, 400, 'VALIDATION_FAILED'],
    ['fractional amount', { merchantNumber: 'M000000000', amount: 1.5 }, 400, 'VALIDATION_FAILED'],
    ['amount as a string', { merchantNumber: 'M000000000', amount: '100' }, 400, 'VALIDATION_FAILED'],
    [
      'both payload and number',
      { merchantNumber: 'M000000000', payload: valid, amount: 100 },
      400,
      'VALIDATION_FAILED',
    ],
    ['neither', { amount: 100 }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [name, payload, status, code, extra] of cases) {
    it(name, async () => {
      const before = [await count('payments'), await count('payment_confirmations'), await count('ledger_entries')];
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers: moneyHeaders(alice),
        payload,
      });
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code, ...(extra ?? {}) });
      expect([await count('payments'), await count('payment_confirmations'), await count('ledger_entries')]).toEqual(
        before,
      );
    });
  }

  it('a static code without an amount', async () => {
    const code = await issueQr(t, shop, { kind: 'static' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(alice),
      payload: { payload: code.payload },
    });
    expect(response.json().code).toBe('AMOUNT_REQUIRED');
  });

  it('a payment completed with a confirmation that was not confirmed', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(alice),
      payload: { merchantNumber: shop.merchantNumber, amount: 300 },
    });
    const { payment, confirmation } = created.json();
    const before = await balanceOf(t, alice.walletId);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/${payment.id}/complete`,
      headers: moneyHeaders(alice),
      payload: { confirmationId: confirmation.id },
    });
    expect(done.json().code).toBe('CONFIRMATION_INVALID');
    expect(await balanceOf(t, alice.walletId)).toBe(before);
  });
});

describe('the risk engine', () => {
  it('is asked before money moves: a burst of payments is stopped with its problem and moves nothing', async () => {
    const holder = await walletHolder(t, { balanceFen: 100_000n });
    let refused: { statusCode: number; json(): { code: string } } | null = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const before = await balanceOf(t, holder.walletId);
      const paid = await pay(t, holder, { merchantNumber: shop.merchantNumber, amount: 100 });
      if (paid.statusCode !== 200) {
        refused = paid;
        expect(await balanceOf(t, holder.walletId)).toBe(before);
      }
    }
    expect(refused).not.toBeNull();
    expect(['STEP_UP_REQUIRED', 'RISK_CONFIRMATION_REQUIRED', 'RISK_BLOCKED', 'RISK_RESTRICTED']).toContain(
      refused?.json().code,
    );
  });
});

describe('frozen wallets pay nothing', () => {
  it('refuses to prepare, and refuses to complete a payment prepared before the freeze', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const prepared = await preparePayment(t, holder, { merchantNumber: shop.merchantNumber, amount: 1000 });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/me/freeze', headers: holder.auth })).statusCode).toBe(
      204,
    );
    const completed = await prepared.complete!();
    expect(completed.statusCode).toBe(423);
    expect(completed.json().code).toBe('ACCOUNT_FROZEN');
    // The confirmation was spent on it: the payment ends, and paying again starts afresh.
    expect(
      (await t.app.inject({ url: `/api/v1/payments/${prepared.paymentId}`, headers: holder.auth })).json().status,
    ).toBe('failed');
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: moneyHeaders(holder),
      payload: { merchantNumber: shop.merchantNumber, amount: 100 },
    });
    expect(fresh.json().code).toBe('ACCOUNT_FROZEN');
    expect(await balanceOf(t, holder.walletId)).toBe(10_000n);
  });
});

describe('refunds', () => {
  it('refunds in parts, never more than paid, and tells the payer', async () => {
    // A fresh payer: the risk engine's velocity rule asks frequent payers to step up.
    const carol = await walletHolder(t, { balanceFen: 10_000n });
    const paid = (await pay(t, carol, { merchantNumber: shop.merchantNumber, amount: 1000 })).json();
    const before = await balanceOf(t, carol.walletId);
    const refund = (amount: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/merchant/payments/${paid.id}/refunds`,
        headers: { ...shop.auth, 'idempotency-key': `r-${paid.id}-${amount}` },
        payload: { amount, reason: '退菜', password: MERCHANT_PASSWORD },
      });
    const first = await refund(400);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().refundedAmount).toBe(400);
    const replay = await refund(400);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const tooMuch = await refund(601);
    expect(tooMuch.json()).toMatchObject({ code: 'REFUND_EXCEEDS_PAYMENT', refundableFen: 600 });
    expect((await refund(600)).statusCode).toBe(201);
    expect(await balanceOf(t, carol.walletId)).toBe(before + 1000n);
    const entry = await t.services.ledger.getEntryByReference(`refund:${first.json().refund.id}`);
    expect(entry?.metadata).toMatchObject({
      kind: 'refund',
      counterparty: '张三面馆',
      note: '退菜',
      paymentId: paid.id,
    });
    const list = await t.app.inject({ url: `/api/v1/merchant/payments/${paid.id}/refunds`, headers: shop.auth });
    expect(list.json().items).toHaveLength(2);
    expect((await t.app.inject({ url: '/api/v1/notifications', headers: carol.auth })).body).toContain(
      'payment.refunded',
    );
  });
});

describe('who may see what', () => {
  let paymentId: string;
  beforeAll(async () => {
    // A payer of its own: alice's many payments above may draw a velocity step-up, and a payment id
    // that is not there would make these tests pass for the wrong reason.
    const payer = await walletHolder(t, { balanceFen: 10_000n });
    const paid = await pay(t, payer, { merchantNumber: shop.merchantNumber, amount: 700 });
    expect(paid.statusCode, paid.body).toBe(200);
    paymentId = paid.json().id;
  });

  it("merchant B can neither see nor refund merchant A's payment", async () => {
    expect(
      (await t.app.inject({ url: `/api/v1/merchant/payments/${paymentId}`, headers: other.auth })).statusCode,
    ).toBe(404);
    const refund = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/payments/${paymentId}/refunds`,
      headers: { ...other.auth, 'idempotency-key': 'b-refund' },
      payload: { amount: 100, password: MERCHANT_PASSWORD },
    });
    expect(refund.json().code).toBe('PAYMENT_NOT_FOUND');
    const list = await t.app.inject({ url: '/api/v1/merchant/payments?limit=100', headers: other.auth });
    expect(list.json().items.map((p: { id: string }) => p.id)).not.toContain(paymentId);
  });

  it('another wallet holder cannot see or complete the payment', async () => {
    const bob = await walletHolder(t, { balanceFen: 1000n });
    expect((await t.app.inject({ url: `/api/v1/payments/${paymentId}`, headers: bob.auth })).statusCode).toBe(404);
  });

  it('wallet holders cannot call merchant routes, nor merchants wallet routes', async () => {
    expect((await t.app.inject({ url: '/api/v1/merchant/payments', headers: alice.auth })).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/merchant/charges',
          headers: moneyHeaders(alice),
          payload: { code: '280000000000000000', amount: 100 },
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/payments/pending', headers: shop.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/merchant/payments' })).statusCode).toBe(401);
  });
});

describe('reports', () => {
  it("lists with filters, totals today's takings, exports CSV", async () => {
    const dave = await walletHolder(t, { balanceFen: 10_000n });
    for (const amount of [150, 250])
      expect((await pay(t, dave, { merchantNumber: shop.merchantNumber, amount })).statusCode).toBe(200);
    const filtered = await t.app.inject({
      url: '/api/v1/merchant/payments?status=completed&source=merchant_number&limit=2',
      headers: shop.auth,
    });
    expect(filtered.statusCode, filtered.body).toBe(200);
    const page = filtered.json();
    expect(page.items.length).toBe(2);
    expect(
      page.items.every(
        (p: { source: string; status: string }) => p.source === 'merchant_number' && p.status === 'completed',
      ),
    ).toBe(true);
    // The merchant sees who paid, masked as on a receipt.
    const daveName = (await t.services.identity.profile(dave.userId))?.name;
    expect(daveName).toMatch(/\*/);
    expect(page.items[0].payerName).toBe(daveName);
    const one = await t.app.inject({ url: `/api/v1/merchant/payments/${page.items[0].id}`, headers: shop.auth });
    expect(one.json().payerName).toBe(daveName);
    const next = await t.app.inject({
      url: `/api/v1/merchant/payments?status=completed&limit=2&before=${page.nextBefore}`,
      headers: shop.auth,
    });
    expect(next.json().items[0].id < page.nextBefore).toBe(true);
    const today = (await t.app.inject({ url: '/api/v1/merchant/reports/today', headers: shop.auth })).json();
    expect(today.day).toBe('2026-11-23');
    expect(today.payments).toBeGreaterThan(3);
    expect(today.net).toBe(today.gross - today.refunded);
    const csv = await t.app.inject({
      url: '/api/v1/merchant/reports/payments.csv?from=2026-11-23&to=2026-11-23',
      headers: shop.auth,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('payment_id,created_at,completed_at,status,source,amount_yuan,refunded_yuan,order_reference');
    expect(lines.some((line) => line.includes(',88.50,'))).toBe(true);
    const tooLong = await t.app.inject({
      url: '/api/v1/merchant/reports/payments.csv?from=2026-01-01&to=2026-11-23',
      headers: shop.auth,
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('pays each merchant out once a day, and the ledger verifies', async () => {
    const first = await t.services.payments.payouts.run();
    expect(first.sent).toBeGreaterThanOrEqual(2);
    expect((await t.services.ledger.getAccount(shop.settlementAccountId))?.balanceFen).toBe(0n);
    const payouts = (await t.app.inject({ url: '/api/v1/merchant/payouts', headers: shop.auth })).json().items;
    expect(payouts[0]).toMatchObject({ day: '2026-11-23', status: 'sent' });
    const erin = await walletHolder(t, { balanceFen: 10_000n });
    expect((await pay(t, erin, { merchantNumber: shop.merchantNumber, amount: 100 })).statusCode).toBe(200);
    const second = await t.services.payments.payouts.run();
    expect(second.sent).toBe(0);
    expect((await t.services.ledger.getAccount(shop.settlementAccountId))?.balanceFen).toBe(100n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});

/**
 * The payload cut before its top-level tag 64 (and the CRC after it), walking the tags from the start: a regex
 * for "64" could match inside an earlier tag's value (a QR id) and cut there.
 */
function withoutLanguageTemplate(payload: string): string {
  let at = 0;
  while (at + 4 <= payload.length) {
    const id = payload.slice(at, at + 2);
    if (id === '64' || id === '63') break;
    at += 4 + Number(payload.slice(at + 2, at + 4));
  }
  return `${payload.slice(0, at)}6304`;
}
