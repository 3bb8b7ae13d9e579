import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  browserAvailable,
  launchBrowser,
  merchantClient,
  screenshot,
  startServer,
} from './harness.js';
import { DEMO_PASSWORD, desktopContext, signInMerchant } from './ops-support.js';

/**
 * The merchant's webhook pages (issue 18): the demo owner adds a test-mode endpoint pointing at a
 * receiver in this process, keeps the secret shown once, a test order is paid through the API, the
 * receiver gets `order.paid` (verified with the official `standardwebhooks` package) and the page's
 * delivery log shows it delivered; a resend from the page arrives again. Both languages screenshotted.
 */

const MERCHANT_OWNER = '13700137000';

describe.skipIf(!browserAvailable)('merchant webhook pages', () => {
  let server: RunningServer;
  let browser: Browser;
  let receiver: Server;
  const received: { headers: Record<string, string>; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers as Record<string, string>, body });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  test('the owner adds an endpoint, sees its secret once, a delivery arrive, and resends it', async () => {
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/shop/webhooks`;
    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInMerchant(page, MERCHANT_OWNER);
    await page.goto('/merchant/more');
    await page.getByTestId('webhooks-link').click();
    await page.getByRole('textbox', { name: '接收地址（https）' }).fill(hookUrl);
    await page.getByRole('textbox', { name: '备注（可选）' }).fill('网店订单');
    await page.getByTestId('webhook-add').getByText('测试', { exact: true }).click();
    await page.getByTestId('webhook-add').getByRole('button', { name: '添加地址' }).click();
    const secret = ((await page.getByTestId('webhook-secret').locator('code').textContent()) ?? '').trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId('webhook-row').first().waitFor();
    await screenshot(page, 'merchant-webhooks-zh');

    // The shop's server: a test key, an order, and the test-mode pay call (no money moves).
    const owner = await merchantClient(server.url, MERCHANT_OWNER, DEMO_PASSWORD);
    const key = await owner<{ secret: string }>('POST', '/api/v1/merchant/api-keys', { name: 'hooks', mode: 'test' });
    expect(key.status).toBe(201);
    const headers = (idem: string) => ({ authorization: `Bearer ${key.body.secret}`, 'idempotency-key': idem });
    const created = await fetch(`${server.url}/api/merchant/v1/orders`, {
      method: 'POST',
      headers: { ...headers('e2e-hook-order'), 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 990, currency: 'CNY', description: '葱油拌面', shopOrderNumber: 'HOOK-1' }),
    });
    const order = (await created.json()) as { id: string };
    expect(created.status).toBe(201);
    const paid = await fetch(`${server.url}/api/merchant/v1/test/orders/${order.id}/pay`, {
      method: 'POST',
      headers: headers('e2e-hook-pay'),
    });
    expect(paid.status).toBe(200);

    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const message = new Webhook(secret).verify(received[0].body, received[0].headers) as {
      type: string;
      data: { id: string };
    };
    expect(message).toMatchObject({ type: 'order.paid', data: { id: order.id } });

    await page.getByTestId('webhook-row').first().click();
    const delivery = page.getByTestId('webhook-delivery').first();
    await delivery.getByText('已送达').waitFor({ timeout: 20_000 });
    expect(await delivery.textContent()).toContain('order.paid');
    await delivery.getByRole('button', { name: '重新发送' }).click();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
    expect(received[1].headers['webhook-id']).toBe(received[0].headers['webhook-id']);
    await screenshot(page, 'merchant-webhook-detail-zh');

    // Disable and enable again from the page; the API agrees each time.
    const detail = page.getByTestId('webhook-detail');
    await detail.getByRole('button', { name: '停用' }).click();
    await detail.getByText('已停用').waitFor();
    expect(await delivery.getByRole('button', { name: '重新发送' }).count()).toBe(0);
    const listed = async () =>
      (await owner<{ items: { status: string }[] }>('GET', '/api/v1/merchant/webhooks')).body.items[0].status;
    expect(await listed()).toBe('disabled');
    await detail.getByRole('button', { name: '启用' }).click();
    await detail.getByText('启用中').waitFor();
    expect(await listed()).toBe('active');

    // The notify secret of test mode: made once, shown once, then offered for rotation.
    await page.getByRole('button', { name: '返回' }).or(page.locator('.adm-nav-bar-back')).first().click();
    const notify = page.getByTestId('webhook-notify');
    await notify.getByRole('button', { name: '生成密钥' }).nth(1).click();
    await expect.poll(() => notify.getByTestId('webhook-secret').textContent()).toContain('whsec_');
    await notify.getByRole('button', { name: '投递记录' }).waitFor();
    await notify.scrollIntoViewIfNeeded();
    await screenshot(page, 'merchant-webhook-notify-zh');

    // English: the same pages.
    await page.goto('/merchant/more');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('webhooks-link').click();
    await page.getByText('Add endpoint').first().waitFor();
    await screenshot(page, 'merchant-webhooks-en');
    await page.getByTestId('webhook-row').first().click();
    await page.getByTestId('webhook-delivery').first().getByText('Delivered').waitFor();
    await screenshot(page, 'merchant-webhook-detail-en');
    await context.close();
  });
});
