import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CARD_NUMBER } from '../server/demo/cards.js';
import { axeAvailable, seriousViolations } from './a11y.js';
import { type RunningServer, browserAvailable, launchBrowser, screenshot, startServer } from './harness.js';
import { signInWallet } from './ops-support.js';

const HOLDER = '13800138000';

/** The wallet's main pages with the demo holder's data, for axe; each waits for its own content. */
const AXE_PAGES: [name: string, path: string, ready: string][] = [
  ['home', '/', '[data-testid="balance"]'],
  ['records', '/records', '[data-testid="month-totals"]'],
  ['transfer', '/transfer', '.tb-page-body'],
  ['pay-code', '/pay-code', '[data-testid="pin-input"]'],
  ['cards', '/cards', '[data-testid="bank-card"]'],
  ['topup', '/topup', '.tb-page-body'],
  ['withdraw', '/withdraw', '.tb-page-body'],
  ['receive', '/receive', '.tb-page-body'],
  ['requests', '/requests', '[role="radiogroup"]'],
  ['security', '/security', '.adm-list-item'],
  ['me', '/me', '.adm-list-item'],
  ['notifications', '/notifications', '.adm-list-item'],
  ['notification-settings', '/notifications/settings', '[data-testid="pref-security-inapp"]'],
  ['verify', '/verify', '.adm-list-item'],
  ['bills', '/bills', '[data-testid="bill-account"]'],
  ['savings', '/savings', '[data-testid="savings-browse"]'],
  ['credit', '/credit', '[data-testid="credit-max"]'],
  ['insights', '/insights', '.tb-ins-page'],
  ['help', '/help', '[role="radiogroup"]'],
];

/** Deeper wallet pages (flows behind the main ones) with the demo holder's data; each has the page header. */
const AXE_DEEPER_PAGES: [name: string, path: string][] = [
  ['bills-new', '/bills/new/electricity'],
  ['bills-history', '/bills/history'],
  ['savings-products', '/savings/products'],
  ['savings-orders', '/savings/orders'],
  ['savings-questionnaire', '/savings/questionnaire'],
  ['credit-card', '/credit/card'],
  ['credit-health', '/credit/health'],
  ['credit-applications', '/credit/applications'],
  ['credit-apply', '/credit/loans/apply'],
  ['insights-budgets', '/insights/budgets'],
  ['insights-rules', '/insights/rules'],
  ['insights-annual', '/insights/annual'],
  ['assets', '/assets'],
  ['support-cases', '/support/cases'],
  ['support-contact', '/support/contact'],
  ['cards-add', '/cards/add'],
  ['security-pin', '/security/pin'],
  ['security-password', '/security/password'],
  ['security-passkeys', '/security/passkeys'],
  ['security-sessions', '/security/sessions'],
  ['freeze', '/me/freeze'],
  ['mandates', '/me/mandates'],
];

async function settled(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.locator('.tb-loading').waitFor({ state: 'detached' });
}

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

  test.skipIf(!axeAvailable)('axe: no serious or critical violations on the main wallet pages', async () => {
    const found: Record<string, string[]> = {};
    for (const [name, path, ready] of AXE_PAGES) {
      await page.goto(path);
      await settled(page, ready);
      const violations = await seriousViolations(page);
      if (violations.length) found[name] = violations;
    }
    // A receipt, opened from the records.
    await page.goto('/records');
    await page.getByText('演示银行').first().click();
    await settled(page, '[data-testid="transaction-no"]');
    const receipt = await seriousViolations(page);
    if (receipt.length) found.receipt = receipt;
    expect(found).toEqual({});
  });

  test.skipIf(!axeAvailable)('axe: no serious or critical violations on the deeper wallet pages', async () => {
    const found: Record<string, string[]> = {};
    for (const [name, path] of AXE_DEEPER_PAGES) {
      await page.goto(path);
      await settled(page, '.tb-navbar-title');
      const violations = await seriousViolations(page);
      if (violations.length) found[name] = violations;
    }
    expect(found).toEqual({});
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
