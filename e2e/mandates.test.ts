import type { Browser, BrowserContext } from 'playwright-core';
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
import { DEMO_PASSWORD } from './ops-support.js';

/**
 * Agreement payments (签约代扣) end to end: a shop asks with its API key, a demo holder on a phone
 * (390 px) signs in from the hosted signing page and signs with the PIN; the shop charges through
 * the API without the holder; the holder sees the charge under 我的 → 免密/代扣管理 and revokes;
 * the shop's next charge is refused. Then the same pages in English.
 */

const DEMO_PIN = '135790';
const MERCHANT_OWNER = '13700137000';
const HOLDER = '13800138001';

describe.skipIf(!browserAvailable)('agreement payments', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await server?.stop();
  });

  test('sign on the hosted page, the shop charges, the holder sees it and revokes; the next is refused', async () => {
    const owner = await merchantClient(server.url, MERCHANT_OWNER, DEMO_PASSWORD);
    const key = await owner<{ secret: string }>('POST', '/api/v1/merchant/api-keys', {
      name: 'membership',
      mode: 'live',
    });
    expect(key.status).toBe(201);
    let keys = 0;
    const shop = async (path: string, body: unknown) => {
      const answer = await fetch(`${server.url}/api/merchant/v1${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key.body.secret}`,
          'idempotency-key': `e2e-mandate-${++keys}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    const asked = await shop('/mandates', {
      shopMandateNumber: 'VIP-20261203-001',
      description: '视频会员 连续包月',
      capPerCharge: 2500,
      capPerMonth: 5000,
      currency: 'CNY',
      returnUrl: 'https://shop.example/vip',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const signUrl = asked.body.signUrl as string;

    phone = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await phone.newPage();
    await page.goto(signUrl);
    await expect.poll(() => page.getByTestId('mandate-cap-month').textContent()).toBe('¥50.00');
    await screenshot(page, 'mandate-sign-signed-out');
    await page.getByTestId('mandate-sign-in').click();
    await page.getByLabel('手机号').fill(HOLDER);
    await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByText('这是您首次在此设备登录').waitFor();
    await page.getByLabel('短信验证码').fill(await latestSmsCode(server, HOLDER));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${server.url}${signUrl}`);
    await page.getByTestId('mandate-agree').waitFor();
    await screenshot(page, 'mandate-sign');
    await page.getByTestId('mandate-agree').click();
    await page.locator('.adm-number-keyboard-wrapper').last().waitFor();
    await screenshot(page, 'mandate-sign-pin');
    await typePin(page, DEMO_PIN);
    await expect.poll(() => page.getByTestId('mandate-status').textContent(), { timeout: 15_000 }).toBe('签约成功');
    await page.getByTestId('mandate-return').waitFor();
    await screenshot(page, 'mandate-signed');

    // The shop charges without the holder.
    const charged = await shop(`/mandates/${asked.body.id}/charges`, {
      amount: 1990,
      currency: 'CNY',
      description: '12月会员费',
    });
    expect(charged.status, JSON.stringify(charged.body)).toBe(201);

    // 我的 → 免密/代扣管理: the charge is there; revoke.
    await page.goto('/me');
    await page.getByTestId('me-mandates').click();
    await expect.poll(() => page.getByTestId('mandate-charge').first().textContent()).toBe('-¥19.90');
    expect(await page.getByTestId('mandate-used').first().textContent()).toContain('¥19.90');
    await screenshot(page, 'mandates-list');
    await page.getByTestId('mandate-revoke').click();
    await page.locator('.adm-dialog').getByRole('button', { name: '解约' }).click();
    await expect.poll(() => page.getByTestId('mandate-state').first().textContent()).toBe('已解约');
    await screenshot(page, 'mandates-revoked');

    const refused = await shop(`/mandates/${asked.body.id}/charges`, {
      amount: 1990,
      currency: 'CNY',
      description: '1月会员费',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('MERCHANT_API_MANDATE_REVOKED');

    // The same pages in English.
    await page.goto('/me');
    await page.getByText('语言 / Language').click();
    const again = await shop('/mandates', {
      shopMandateNumber: 'VIP-20261203-002',
      description: 'Video membership, monthly',
      capPerCharge: 2500,
      capPerMonth: 5000,
      currency: 'CNY',
      returnUrl: 'https://shop.example/vip',
    });
    expect(again.status).toBe(201);
    await page.goto(again.body.signUrl as string);
    await page.getByText('Agree and sign').waitFor();
    await screenshot(page, 'mandate-sign-en');
    await page.getByTestId('mandate-agree').click();
    await typePin(page, DEMO_PIN);
    await expect
      .poll(() => page.getByTestId('mandate-status').textContent(), { timeout: 15_000 })
      .toBe('Agreement signed');
    await screenshot(page, 'mandate-signed-en');
    await page.goto('/me/mandates');
    await expect.poll(() => page.getByTestId('mandate-state').first().textContent()).toBe('Signed');
    await screenshot(page, 'mandates-list-en');
  });
});
