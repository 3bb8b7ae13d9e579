import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  browserAvailable,
  launchBrowser,
  phoneContext,
  screenshot,
  startServer,
} from './harness.js';
import { paymentCodeAt } from '../server/payments/payment-code.js';
import { axeAvailable, seriousViolations } from './a11y.js';
import { DEMO_PASSWORD, holderApi, signInMerchant } from './ops-support.js';
import { formatFen, parseYuan } from '../web/shared/money.js';

const DEMO_PIN = '135790';
const MERCHANT_OWNER = '13700137000';
const MERCHANT_CASHIER = '13700137002';

describe.skipIf(!browserAvailable)('merchant pages', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let paymentId = '';

  test('the owner shows a QR for ¥38.00, sees it paid live, and refunds ¥10.00 of it with their password', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/merchant/');
    await screenshot(page, 'merchant-login');
    await signInMerchant(page, MERCHANT_OWNER);
    await page.getByTestId('static-qr').waitFor();
    await screenshot(page, 'merchant-counter');

    // The demo seeds one ¥38.00 payment today (the disputed noodle order), so the day starts above zero.
    await expect.poll(() => page.getByTestId('today-gross').textContent()).toMatch(/^¥/);
    const grossBefore = parseYuan((await page.getByTestId('today-gross').textContent())!.slice(1)) ?? 0n;
    await page.getByLabel('金额（元）').fill('38.00');
    await page.getByRole('button', { name: '生成收款码' }).click();
    await page.getByTestId('dynamic-qr').waitFor();
    await screenshot(page, 'merchant-dynamic-qr');
    // The payer's phone would decode the image; the test reads the same payload through the merchant's own API.
    const qr = await page.evaluate(
      async () =>
        (await (await fetch('/api/v1/merchant/qr-codes?limit=1')).json()) as {
          items: { payload: string; kind: string; amount: number }[];
        },
    );
    expect(qr.items[0]).toMatchObject({ kind: 'dynamic', amount: 3800 });

    const payer = await holderApi(server, '13800138001');
    const balanceBefore = (await payer.call<{ balance?: number; available?: number }>('GET', '/api/v1/wallet/balance'))
      .body;
    const prepared = await payer.call<{ payment: { id: string }; confirmation: { id: string } }>(
      'POST',
      '/api/v1/payments',
      { payload: qr.items[0].payload },
      { 'idempotency-key': 'e2e-pay-1' },
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    expect(
      (await payer.call('POST', `/api/v1/confirmations/${prepared.body.confirmation.id}/pin`, { pin: DEMO_PIN }))
        .status,
    ).toBe(200);
    const paid = await payer.call<{ status: string }>(
      'POST',
      `/api/v1/payments/${prepared.body.payment.id}/complete`,
      { confirmationId: prepared.body.confirmation.id },
      { 'idempotency-key': 'e2e-pay-1-complete' },
    );
    expect(paid.body.status).toBe('completed');

    await expect.poll(() => page.getByTestId('dynamic-paid').textContent(), { timeout: 15_000 }).toBe('¥38.00');
    // The paid screen names the payer, masked as on a receipt.
    await expect.poll(() => page.getByTestId('dynamic-payer').textContent(), { timeout: 10_000 }).toMatch(/付款人：\*/);
    await screenshot(page, 'merchant-dynamic-paid');
    await expect
      .poll(() => page.getByTestId('today-gross').textContent(), { timeout: 20_000 })
      .toBe(formatFen(grossBefore + 3800n));

    await page
      .getByRole('tab', { name: '账单' })
      .or(page.getByText('账单', { exact: true }).last())
      .click();
    await page.getByTestId(`payment-${prepared.body.payment.id}`).click();
    const amount = page.getByLabel(/退款金额/);
    await expect.poll(() => amount.inputValue()).toBe('38.00');
    await amount.fill('10.00');
    await page.getByPlaceholder('退款原因（选填）').fill('少了一碗面');
    await screenshot(page, 'merchant-refund-form');
    await page.getByTestId('refund-submit').click();
    await page.getByText('确认向顾客退款').waitFor();
    // A wrong password refunds nothing and says so.
    await page.locator('.adm-dialog input[type="password"]').fill('not-the-password');
    await screenshot(page, 'merchant-refund-confirm');
    await page.getByRole('button', { name: '确认退款' }).click();
    await page.getByText('登录密码错误，未退款。').waitFor();
    await page.getByTestId('refund-submit').click();
    await page.locator('.adm-dialog input[type="password"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '确认退款' }).click();
    await expect
      .poll(() => page.getByTestId(`payment-${prepared.body.payment.id}`).textContent(), { timeout: 10_000 })
      .toContain('已退款 ¥10.00');
    // The list is titled, says which filters are on, and names each payer.
    await expect.poll(() => page.getByTestId('payments-filter').textContent()).toBe('全部状态 · 全部收款方式');
    await page.getByText('已完成', { exact: true }).first().click();
    await expect.poll(() => page.getByTestId('payments-filter').textContent()).toBe('已完成 · 全部收款方式');
    await expect.poll(() => page.getByTestId('payment-payer').first().textContent()).toMatch(/\*/);
    await screenshot(page, 'merchant-payments');

    const refunds = await page.evaluate(
      async (id) =>
        (await (await fetch(`/api/v1/merchant/payments/${id}/refunds`)).json()) as { items: { amount: number }[] },
      prepared.body.payment.id,
    );
    expect(refunds.items.map((r) => r.amount)).toEqual([1000]);
    const balanceAfter = (await payer.call<{ balance?: number; available?: number }>('GET', '/api/v1/wallet/balance'))
      .body;
    if (typeof balanceBefore.balance === 'number')
      expect(balanceAfter.balance).toBe(balanceBefore.balance - 3800 + 1000);

    await page.getByText('我的', { exact: true }).last().click();
    await page.getByText('下载对账单（CSV）').waitFor();
    await screenshot(page, 'merchant-more');
    paymentId = prepared.body.payment.id;
    await context.close();
  });

  test('a cashier sees today’s payments, refunds within ¥50 a payment, and has no statement or payouts', async () => {
    expect(paymentId).not.toBe('');
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await signInMerchant(page, MERCHANT_CASHIER);
    await page.getByText('账单', { exact: true }).last().click();
    await page.getByTestId('today-only').waitFor();
    await page.getByTestId(`payment-${paymentId}`).click();
    // ¥10.00 of the ¥38.00 is refunded already: a cashier may refund up to ¥50.00 of it in all, so the rest, ¥28.00.
    const amount = page.getByLabel(/退款金额/);
    await expect.poll(() => amount.inputValue()).toBe('28.00');
    await page.getByText('收银员每笔付款最多退款 ¥50.00').waitFor();
    await screenshot(page, 'merchant-cashier-refund');
    await page
      .locator('.adm-mask')
      .first()
      .click({ position: { x: 20, y: 20 } });

    await page.getByText('我的', { exact: true }).last().click();
    await page.getByText(/角色 收银员/).waitFor();
    await screenshot(page, 'merchant-cashier-more');
    expect(await page.getByText('下载对账单（CSV）').count()).toBe(0);
    expect(await page.getByText('结算记录').count()).toBe(0);
    const csv = await page.evaluate(
      async () => (await fetch('/api/v1/merchant/reports/payments.csv?from=2026-01-01&to=2026-01-02')).status,
    );
    expect(csv).toBe(403);
    await context.close();
  });

  test('a cashier charges a customer’s payment code, waits for their confirmation, and sees it paid', async () => {
    const holder = await holderApi(server, '13800138000');
    const seed = await holder.call<{ seedNumber: string; secret: string }>('POST', '/api/v1/payment-code/seed', {
      deviceId: 'e2e-api-device',
      pin: DEMO_PIN,
    });
    expect(seed.status, JSON.stringify(seed.body)).toBe(201);
    // What the holder's phone shows: derived from the device's seed and the minute (docs/payments.md).
    const code = paymentCodeAt(seed.body.seedNumber, Buffer.from(seed.body.secret, 'base64url'), new Date());

    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await signInMerchant(page, MERCHANT_OWNER);
    await page.getByText('扫码枪', { exact: true }).click();
    await page.getByLabel('金额（元）').fill('26.00');
    await page.getByRole('textbox', { name: '顾客付款码' }).fill(code);
    await screenshot(page, 'merchant-charge');
    await page.getByTestId('charge-submit').click();
    await page.getByTestId('charge-waiting').waitFor();
    await screenshot(page, 'merchant-charge-waiting');

    const pending = await holder.call<{ items: { id: string; amount: number; confirmationId: string }[] }>(
      'GET',
      '/api/v1/payments/pending',
    );
    const charge = pending.body.items.find((item) => item.amount === 2600);
    expect(charge).toBeTruthy();
    expect(
      (await holder.call('POST', `/api/v1/confirmations/${charge?.confirmationId}/pin`, { pin: DEMO_PIN })).status,
    ).toBe(200);
    const completed = await holder.call<{ status: string }>(
      'POST',
      `/api/v1/payments/${charge?.id}/complete`,
      { confirmationId: charge?.confirmationId },
      { 'idempotency-key': 'e2e-code-1' },
    );
    expect(completed.body.status).toBe('completed');

    await page.getByTestId('charge-done').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('charge-payer').textContent()).toBe('付款人：*伟');
    await screenshot(page, 'merchant-charge-done');
    await context.close();
  });

  test('the merchant pages in English at 390 px, and axe-core finds no serious or critical violation', async () => {
    const context = await phoneContext(browser, server.url);
    await context.addInitScript(() => localStorage.setItem('tb_lang', 'en'));
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/merchant/');
    await page.getByRole('textbox', { name: 'Mobile number' }).fill(MERCHANT_OWNER);
    await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
    if (axeAvailable) expect(await seriousViolations(page), 'sign-in').toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('static-qr').waitFor();
    await screenshot(page, 'merchant-counter-en');
    const pages: [string, string][] = [
      ['counter', ''],
      ['payments', 'Payments'],
      ['more', 'More'],
    ];
    for (const [name, tab] of pages) {
      if (tab) await page.getByText(tab, { exact: true }).last().click();
      await page.waitForLoadState('networkidle');
      if (name === 'payments')
        await expect
          .poll(() => page.getByTestId('payments-filter').textContent())
          .toBe('Every status · Every way of paying');
      await screenshot(page, `merchant-${name}-en`);
      if (axeAvailable) expect(await seriousViolations(page), name).toEqual([]);
    }
    // The pages under 更多 (More), straight by address.
    for (const path of ['charge', 'disputes', 'webhooks']) {
      await page.goto(`/merchant/${path}`);
      await page.locator('main.mc-body').waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, `merchant-${path}-en`);
      if (axeAvailable) expect(await seriousViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});
