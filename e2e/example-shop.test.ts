import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ROOT,
  type RunningServer,
  browserAvailable,
  latestSmsCode,
  launchBrowser,
  merchantClient,
  phoneContext,
  screenshot,
  startServer,
  typePin,
} from './harness.js';
import { DEMO_PASSWORD } from './ops-support.js';

/**
 * The example shop (examples/shop, its own `npm start`) against a real Tongbao: a buyer on a phone
 * buys in the shop, is sent to the hosted pay page, signs in, approves with the PIN, returns to the
 * shop, whose order turns paid by the webhook it verified with the official `standardwebhooks`
 * package; the shop then refunds it, and refund.succeeded arrives the same way.
 */

const MERCHANT_OWNER = '13700137000';
const HOLDER = '13800138002';
const DEMO_PIN = '135790';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface ShopOrder {
  id: string;
  status: string;
  refundedFen: number;
  webhooks: string[];
}

describe.skipIf(!browserAvailable)('the example shop', () => {
  let server: RunningServer;
  let browser: Browser;
  let shop: ChildProcess | undefined;
  let shopUrl = '';
  let shopOutput = '';

  beforeAll(async () => {
    // The development override: live webhooks and return URLs may be plain http on this machine.
    [server, browser] = await Promise.all([
      startServer({ command: 'demo', env: { TONGBAO_WEBHOOK_ALLOW_PRIVATE: '1' } }),
      launchBrowser(),
    ]);
    const port = await freePort();
    shopUrl = `http://127.0.0.1:${port}`;
    const owner = await merchantClient(server.url, MERCHANT_OWNER, DEMO_PASSWORD);
    const key = await owner<{ secret: string }>('POST', '/api/v1/merchant/api-keys', { name: 'shop', mode: 'live' });
    expect(key.status).toBe(201);
    const hook = await owner<{ secret: string }>('POST', '/api/v1/merchant/webhooks', {
      url: `${shopUrl}/webhooks`,
      mode: 'live',
      events: ['order.paid', 'refund.succeeded'],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    shop = spawn(process.execPath, [join(ROOT, 'examples', 'shop', 'server.mjs')], {
      cwd: join(ROOT, 'examples', 'shop'),
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SHOP_URL: shopUrl,
        TONGBAO_URL: server.url,
        TONGBAO_API_KEY: key.body.secret,
        TONGBAO_WEBHOOK_SECRET: hook.body.secret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    shop.stdout?.on('data', (chunk: Buffer) => (shopOutput += chunk.toString()));
    shop.stderr?.on('data', (chunk: Buffer) => (shopOutput += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!shopOutput.includes('example shop is running')) {
      if (shop.exitCode !== null || Date.now() > deadline) throw new Error(`the shop did not start:\n${shopOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    shop?.kill('SIGTERM');
    await browser?.close();
    await server?.stop();
  });

  const shopOrders = async () =>
    ((await (await fetch(`${shopUrl}/orders.json`)).json()) as { items: ShopOrder[] }).items;

  test('buy → pay page → PIN → back to the shop → paid by the verified webhook → refunded', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(shopUrl);
    await screenshot(page, 'example-shop');
    await page.getByTestId('buy').click();
    await page.waitForURL(/\/pay\/ord_/);
    await expect.poll(() => page.getByTestId('checkout-amount').textContent()).toBe('¥42.80');
    const payUrl = page.url();
    await page.getByTestId('checkout-sign-in').click();
    await page.getByLabel('手机号').fill(HOLDER);
    await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByText('这是您首次在此设备登录').waitFor();
    await page.getByLabel('短信验证码').fill(await latestSmsCode(server, HOLDER));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(payUrl);
    await page.getByTestId('checkout-pay').click();
    await typePin(page, DEMO_PIN);
    await expect.poll(() => page.getByTestId('checkout-status').textContent(), { timeout: 15_000 }).toBe('支付成功');
    await page.getByTestId('checkout-return').click();
    await page.waitForURL(new RegExp(`^${shopUrl}/return`));
    await expect.poll(() => page.getByTestId('return-status').textContent()).toContain('paid');

    // The shop learns it from the webhook too, verified with the official package.
    await expect.poll(async () => (await shopOrders())[0]?.webhooks ?? [], { timeout: 30_000 }).toContain('order.paid');
    const [order] = await shopOrders();
    expect(order.status).toBe('paid');
    await page.goto(shopUrl);
    await screenshot(page, 'example-shop-paid');

    await page.getByTestId(`refund-${order.id}`).click();
    await expect.poll(async () => (await shopOrders())[0]?.refundedFen, { timeout: 30_000 }).toBe(4280);
    expect((await shopOrders())[0].webhooks).toEqual(['order.paid', 'refund.succeeded']);
    await page.goto(shopUrl);
    await page.getByTestId(`refunded-${order.id}`).waitFor();
    await screenshot(page, 'example-shop-refunded');
    await context.close();
  });
});
