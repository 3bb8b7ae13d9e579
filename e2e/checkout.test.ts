import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  browserAvailable,
  latestSmsCode,
  launchBrowser,
  merchantClient,
  screenshot,
  startServer,
  typePin,
} from './harness.js';
import { DEMO_PASSWORD, desktopContext, signInMerchant } from './ops-support.js';

/**
 * The hosted pay page (first slice of issue 18): a shop's order made with its API key, shown on a
 * desktop as a QR code, and paid on a phone (390 px) by a demo holder who signs in from the page
 * and approves with the PIN; the page then offers the way back to the shop. The demo shop and the
 * webhook are not in this slice.
 */

const DEMO_PIN = '135790';
const MERCHANT_OWNER = '13700137000';
const HOLDER = '13800138002';

describe.skipIf(!browserAvailable)('hosted pay page', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('desktop shows the code; a phone signs in, pays with the PIN, and is offered the way back', async () => {
    const owner = await merchantClient(server.url, MERCHANT_OWNER, DEMO_PASSWORD);
    const key = await owner<{ secret: string }>('POST', '/api/v1/merchant/api-keys', {
      name: 'web shop',
      mode: 'live',
    });
    expect(key.status).toBe(201);
    const created = await fetch(`${server.url}/api/merchant/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key.body.secret}`,
        'idempotency-key': 'e2e-order-1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        amount: 4280,
        currency: 'CNY',
        description: '手工拉面礼盒',
        shopOrderNumber: 'WEB-20261203-001',
        returnUrl: 'https://shop.example/return',
      }),
    });
    const order = (await created.json()) as { id: string; payUrl: string };
    expect(created.status, JSON.stringify(order)).toBe(201);

    const desktop = await desktopContext(browser, server.url);
    const big = await desktop.newPage();
    await big.goto(order.payUrl);
    await big.getByTestId('checkout-qr').waitFor();
    await screenshot(big, 'checkout-desktop');

    const phone = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await phone.newPage();
    await page.goto(order.payUrl);
    await expect.poll(() => page.getByTestId('checkout-amount').textContent()).toBe('¥42.80');
    expect(await page.getByTestId('checkout-qr').count()).toBe(0);
    await screenshot(page, 'checkout-phone-signed-out');
    await page.getByTestId('checkout-sign-in').click();
    await page.getByLabel('手机号').fill(HOLDER);
    await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByText('这是您首次在此设备登录').waitFor();
    await page.getByLabel('短信验证码').fill(await latestSmsCode(server, HOLDER));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${server.url}${order.payUrl}`);
    await page.getByTestId('checkout-pay').waitFor();
    await screenshot(page, 'checkout-phone');
    await page.getByTestId('checkout-pay').click();
    await typePin(page, DEMO_PIN);
    await expect.poll(() => page.getByTestId('checkout-status').textContent(), { timeout: 15_000 }).toBe('支付成功');
    await page.getByTestId('checkout-return').waitFor();
    await screenshot(page, 'checkout-paid');

    const got = await fetch(`${server.url}/api/merchant/v1/orders/${order.id}`, {
      headers: { authorization: `Bearer ${key.body.secret}` },
    });
    expect(((await got.json()) as { status: string }).status).toBe('paid');
    // The desktop page learns it too.
    await expect.poll(() => big.getByTestId('checkout-status').textContent(), { timeout: 15_000 }).toBe('该订单已支付');
    await screenshot(big, 'checkout-desktop-paid');
    await desktop.close();
    await phone.close();
  });

  test("the owner's API keys in the merchant pages: made there, the secret shown once, then listed", async () => {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto('/merchant/');
    await signInMerchant(page, MERCHANT_OWNER);
    await page.goto('/merchant/more');
    await page.getByTestId('api-keys').waitFor();
    await page.getByRole('textbox', { name: '密钥名称' }).fill('小程序');
    await page.getByRole('button', { name: '创建测试密钥' }).click();
    await expect.poll(() => page.getByTestId('api-key-secret').textContent()).toContain('sk_test_');
    await page.getByTestId('api-keys').scrollIntoViewIfNeeded();
    await screenshot(page, 'merchant-api-keys');
    expect(await page.getByTestId('api-keys').textContent()).toContain('web shop');
    await context.close();
  });
});
