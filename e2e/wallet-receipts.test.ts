import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CARD_NUMBER } from '../server/demo/cards.js';
import { type RunningServer, browserAvailable, launchBrowser, screenshot, startServer } from './harness.js';
import { signInWallet } from './ops-support.js';

const HOLDER = '13800138000';

async function bothLanguages(page: Page, name: string, ready: (page: Page) => Promise<unknown>) {
  await ready(page);
  await screenshot(page, `${name}-zh`);
  await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
  await page.reload();
  await ready(page);
  await screenshot(page, `${name}-en`);
  await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  await page.reload();
  await ready(page);
}

/**
 * Receipts and records like Alipay's, in a real browser against the demo: the demo holder's linked
 * card, records grouped by month with the month's in and out, a receipt with a numeric
 * transaction number, the method, the 电子回单 and "对此订单有疑问"; English dates and bank names;
 * the tab title in the reader's language. Screenshots at 390 px: e2e/screenshots/receipts-*.
 */
describe.skipIf(!browserAvailable)('wallet: receipts and records', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
    context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = await context.newPage();
    await signInWallet(page, server, HOLDER);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the start banner names the test card and the TOTP command', () => {
    expect(server.output()).toContain(DEMO_CARD_NUMBER);
    expect(server.output()).toContain('npm run tongbao -- totp <phone>');
  });

  test('home: no second 充值 tile, a 收钱 tile, the demo card linked', async () => {
    await page.goto('/');
    await page.getByTestId('tile-receive').waitFor();
    expect(await page.getByTestId('tile-topup').count()).toBe(0);
    await bothLanguages(page, 'receipts-home', (p) => p.getByTestId('balance').waitFor());
    await page.goto('/cards');
    await page.getByTestId('bank-card').first().waitFor();
    expect(await page.getByTestId('bank-card').first().textContent()).toContain(DEMO_CARD_NUMBER.slice(-4));
  });

  test('records are grouped by month with the month in and out; money in is not green', async () => {
    await page.goto('/records');
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    await page.getByTestId(`month-${month}`).getByTestId('month-totals').waitFor();
    expect(await page.getByTestId(`month-${month}`).getByTestId('month-totals').textContent()).toMatch(
      /支出 ¥[\d,.]+\s+收入 ¥[\d,.]+/,
    );
    const incoming = page.locator('.tb-money-in').first();
    expect(await incoming.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(194, 65, 12)');
    await bothLanguages(page, 'receipts-records', (p) => p.getByTestId('month-totals').first().waitFor());
  });

  test('a receipt: numeric transaction number, method, 电子回单 and 对此订单有疑问', async () => {
    await page.goto('/records');
    await page.getByText('演示银行').first().click();
    await page.getByTestId('transaction-no').waitFor();
    const digits = ((await page.getByTestId('transaction-no').textContent()) ?? '').replace(/\s/g, '');
    expect(digits).toMatch(/^\d{28}$/);
    expect(await page.getByTestId('detail-method').textContent()).toBe('账户余额');
    await page.getByTestId('copy-no').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(digits);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const pdf = await context.request.get(`/api/v1/wallet/history/${encodeURIComponent(id)}/receipt`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await bothLanguages(page, 'receipts-detail', (p) => p.getByTestId('transaction-no').waitFor());

    // English: dates like "3 Dec 2026", bank names in English, the tab title too.
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await page.reload();
    await page.getByTestId('transaction-no').waitFor();
    const text = (await page.locator('.tb-receipt').textContent()) ?? '';
    expect(text).toMatch(/\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}/);
    expect(text).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain('Demo Bank');
    expect(text).not.toContain('演示银行');
    expect(await page.title()).toBe('Tongbao Wallet');
    await page.getByTestId('record-ticket').click();
    await page.waitForURL(/\/support\/tickets\/new\?.*kind=movement/);
    await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  });
});
