import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  apiInContext,
  browserAvailable,
  launchBrowser,
  newPerson,
  registerInContext,
  screenshot,
  startServer,
} from './harness.js';

/**
 * Funding from other banks in a real browser against the real server (docs/funding.md): a new
 * holder finds the receiving account number on the 转入 page; another bank (the interbank sandbox,
 * driven through its development endpoint) pays into it; then an online-banking top-up goes to the
 * sandbox bank's page, pays there, comes back, and the balance changes. Screenshots at 390 px in
 * both languages land in e2e/screenshots/funding-*.
 */
describe.skipIf(!browserAvailable)('funding: receive from another bank and top up by online banking', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const holder = newPerson();
  let accountNumber = '';

  const balance = async () =>
    (await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance')).balance;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await context.addInitScript(() => localStorage.setItem('tb_device_id', 'e2e-device'));
    await registerInContext(context, server.url, { ...holder, name: '钱七' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the home tile 转入 shows the receiving account number with the real name and a copy button', async () => {
    await page.goto('/');
    await page.getByTestId('tile-bank-in').click();
    const number = page.getByTestId('receive-number');
    await number.waitFor();
    accountNumber = (await number.getAttribute('data-number')) ?? '';
    expect(accountNumber).toMatch(/^623688\d{13}$/);
    expect(await number.textContent()).toBe(accountNumber.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(await page.getByTestId('receive-name').textContent()).toBe('钱七');
    await page.getByTestId('receive-copy').waitFor();
    await screenshot(page, 'funding-receive-zh');
  });

  test('another bank pays in: credited, listed with bank and masked account; a wrong name is returned', async () => {
    const send = (payerName: string, amount: number) =>
      fetch(`${server.url}/api/dev/interbank/transfers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountNumber, payerName, payerBank: 'CMB', payerAccount: '6225880188884321', amount }),
      });
    expect((await send('钱七', 12_300)).status).toBe(200);
    expect((await send('孙八', 4_000)).status).toBe(200);
    expect(await balance()).toBe(12_300);
    await page.reload();
    await page.getByText('已入账').waitFor();
    await page.getByText('已退回').waitFor();
    await page.getByText('付款人姓名与实名不符', { exact: false }).waitFor();
    await screenshot(page, 'funding-receive-credited-zh');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await page.reload();
    await page.getByText('Receive from another bank').first().waitFor();
    await screenshot(page, 'funding-receive-en');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  });

  test('online banking: to the sandbox bank, pay, back to the settled page, balance changes', async () => {
    await page.goto('/topup');
    await page.getByTestId('topup-online').click();
    await page.getByTestId('bank-ICBC').click();
    await page.getByTestId('amount').locator('input').fill('50');
    await screenshot(page, 'funding-online-zh');
    await page.getByTestId('online-submit').click();
    await page.waitForURL('**/sandbox/interbank/pay/**');
    await page.getByText('SANDBOX BANK').waitFor();
    await screenshot(page, 'funding-sandbox-bank');
    await page.getByText('登录并支付').click();
    await page.waitForURL('**/topup/online/**');
    await page.locator('[data-testid="online-status"][data-status="succeeded"]').waitFor();
    await screenshot(page, 'funding-online-succeeded-zh');
    expect(await balance()).toBe(12_300 + 5_000);
    await page.goto('/');
    await page.getByTestId('balance').getByText('173.00').waitFor();
    await screenshot(page, 'funding-home-after');
  });

  test('a payment the bank never notifies stays pending on the return page (English)', async () => {
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await page.goto('/topup/online');
    await page.getByTestId('bank-CMB').click();
    await page.getByTestId('amount').locator('input').fill('8');
    await page.getByTestId('online-submit').click();
    await page.waitForURL('**/sandbox/interbank/pay/**');
    await page.locator('select[name="notify"]').selectOption('never');
    await page.getByText('Log in and pay').click();
    await page.waitForURL('**/topup/online/**');
    await page.locator('[data-testid="online-status"][data-status="pending"]').waitFor();
    await page.getByText('Waiting for your bank').waitFor();
    await screenshot(page, 'funding-online-pending-en');
    expect(await balance()).toBe(17_300);
  });
});
