import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, browserAvailable, launchBrowser, screenshot, startServer } from './harness.js';
import { DEMO_PASSWORD, holderApi, signInMerchant, signInStaff, staffApi } from './ops-support.js';

/**
 * The staff and merchant side of customer service (issue 19) on one demo server: the demo merchant
 * settles the seeded dispute with a refund from its dispute page; support edits a help article in the
 * console and the wallet shows the new text; a stolen transfer is held and returned by two people.
 * Screenshots: merchant pages at 390 px, the console at 1440 px, in zh-CN and English.
 */

const MERCHANT_OWNER = '13700137000';
const DISPUTER = '13800138000';

function merchantPhone(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

function consoleDesktop(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

async function inEnglish(page: Page): Promise<void> {
  await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
  await page.reload();
}

async function inChinese(page: Page): Promise<void> {
  await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  await page.reload();
}

describe.skipIf(!browserAvailable)('customer service: merchants and staff', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the merchant answers the seeded dispute with a refund, which reaches the holder', async () => {
    const holder = await holderApi(server, DISPUTER);
    const before = (await holder.call<{ items: { id: string; status: string }[] }>('GET', '/api/v1/support/disputes'))
      .body.items;
    expect(before).toEqual([expect.objectContaining({ status: 'awaiting_merchant' })]);
    const disputeId = before[0].id;
    const balanceBefore = (await holder.call<{ balance: number }>('GET', '/api/v1/wallet/balance')).body.balance;

    const context = await merchantPhone(browser, server.url);
    const page = await context.newPage();
    await signInMerchant(page, MERCHANT_OWNER);
    await page.getByText('账单', { exact: true }).last().click();
    await page.getByTestId('disputes-notice').waitFor();
    await screenshot(page, 'support-ops-merchant-payments-notice');
    await page.getByTestId('disputes-notice').click();
    await page.getByTestId(`dispute-${disputeId}`).waitFor();
    await expect.poll(() => page.getByTestId(`dispute-${disputeId}`).textContent()).toContain('答复期限');
    await screenshot(page, 'support-ops-merchant-disputes-zh');
    await inEnglish(page);
    await page.getByText('Answer by').first().waitFor();
    await screenshot(page, 'support-ops-merchant-disputes-en');
    await page.getByTestId(`dispute-${disputeId}`).click();
    await page.getByTestId('holder-claim').waitFor();
    await screenshot(page, 'support-ops-merchant-dispute-en');
    await page.getByTestId('dispute-answer-submit').scrollIntoViewIfNeeded();
    await screenshot(page, 'support-ops-merchant-dispute-answer-en');
    await inChinese(page);
    await expect.poll(() => page.getByTestId('holder-claim').textContent()).toContain('外卖订单');
    await screenshot(page, 'support-ops-merchant-dispute-zh');

    await page.getByTestId('dispute-refund-submit').click();
    await page.getByTestId('dispute-refund-password').locator('input').fill(DEMO_PASSWORD);
    await screenshot(page, 'support-ops-merchant-dispute-refund-zh');
    await page.getByRole('button', { name: '确认退款' }).click();
    await expect.poll(() => page.getByTestId('dispute-status').textContent()).toBe('商户已退款');
    await screenshot(page, 'support-ops-merchant-dispute-refunded-zh');

    const after = (
      await holder.call<{ status: string; refund: { amount: number; by: string } }>(
        'GET',
        `/api/v1/support/disputes/${disputeId}`,
      )
    ).body;
    expect(after).toMatchObject({ status: 'merchant_refunded', refund: { amount: 3_800, by: 'merchant' } });
    const balanceAfter = (await holder.call<{ balance: number }>('GET', '/api/v1/wallet/balance')).body.balance;
    expect(balanceAfter).toBe(balanceBefore + 3_800);
    await context.close();
  });

  test('support edits a help article in both languages and the wallet shows the new text', async () => {
    const context = await consoleDesktop(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'support');
    await page.goto('/ops/support');
    await page.getByRole('tab', { name: '帮助文章' }).click();
    await page.getByTestId('article-freeze-account').waitFor();
    await screenshot(page, 'support-ops-console-articles-zh');
    await page.getByTestId('article-freeze-account').click();
    await page.getByTestId('article-save').waitFor();
    const version = Number((await page.getByTestId('article-version').textContent())?.replace(/\D/g, ''));
    await page.getByLabel('标题（中文）').fill('如何立即冻结钱包？');
    await page.getByLabel('正文（中文）').fill('发现异常请立即冻结：打开“我的 → 安全 → 冻结钱包”，或拨打 95588。');
    await page.getByLabel('标题（英文）').fill('How do I freeze my wallet at once?');
    await page.getByLabel('正文（英文）').fill('Freeze it at once from Me → Security → Freeze, or call 95588.');
    await page.getByTestId('article-save').click();
    await expect.poll(() => page.getByTestId('article-version').textContent()).toContain(String(version + 1));
    await screenshot(page, 'support-ops-console-article-zh');
    await inEnglish(page);
    await page.getByText('Version history').waitFor();
    await screenshot(page, 'support-ops-console-article-en');
    await page.getByRole('button', { name: 'View' }).last().click();
    await page.getByRole('button', { name: 'Start from this version' }).waitFor();
    await screenshot(page, 'support-ops-console-article-version-en');
    await context.close();

    const wallet = await merchantPhone(browser, server.url);
    const holderPage = await wallet.newPage();
    await holderPage.goto('/help/freeze-account');
    await holderPage.getByText('如何立即冻结钱包？').first().waitFor();
    await holderPage.getByText(/冻结钱包”，或拨打 95588/).waitFor();
    await screenshot(holderPage, 'support-ops-wallet-article-zh');
    await inEnglish(holderPage);
    await holderPage.getByText('How do I freeze my wallet at once?').first().waitFor();
    await wallet.close();
  });

  test('support holds a stolen transfer and a risk analyst approves its return, once', async () => {
    const victim = await holderApi(server, '13800138002');
    const prepared = await victim.call<{ id: string; confirmation: { id: string } }>(
      'POST',
      '/api/v1/transfers',
      { payee: { phone: '13800138001' }, amount: 2_000, currency: 'CNY' },
      { 'idempotency-key': 'e2e-stolen-1' },
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    await victim.call('POST', `/api/v1/confirmations/${prepared.body.confirmation.id}/pin`, { pin: '135790' });
    const sent = await victim.call<{ status: string }>(
      'POST',
      `/api/v1/transfers/${prepared.body.id}/complete`,
      { confirmationId: prepared.body.confirmation.id },
      { 'idempotency-key': 'e2e-stolen-1-complete' },
    );
    expect(sent.body.status).toBe('completed');
    const reported = await victim.call<{ caseId: string }>('POST', '/api/v1/me/report-theft');
    const caseId = reported.body.caseId;
    expect(caseId).toBeTruthy();

    const context = await consoleDesktop(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'support');
    await page.goto(`/ops/cases/${caseId}`);
    await page.getByTestId(`hold-${prepared.body.id}`).click();
    await page.getByLabel('原因').fill('客户报告被盗，款项仍在收款钱包');
    await screenshot(page, 'support-ops-console-clawback-hold-zh');
    await page.getByRole('button', { name: '冻结收款钱包资金' }).last().click();
    await expect.poll(() => page.getByTestId('clawback-status').first().textContent()).toBe('已冻结');
    await page.getByTestId('clawback-request').click();
    await page.getByLabel('原因').fill('证据充分，申请退还');
    await page.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => page.getByTestId('clawback-status').first().textContent()).toBe('待复核退还');
    await screenshot(page, 'support-ops-console-clawback-zh');
    await context.close();

    const analyst = await consoleDesktop(browser, server.url);
    const checker = await analyst.newPage();
    await signInStaff(checker, server, 'risk_analyst');
    await checker.goto(`/ops/cases/${caseId}`);
    await inEnglish(checker);
    await checker.getByTestId('clawback-approve').click();
    await screenshot(checker, 'support-ops-console-clawback-approve-en');
    await checker
      .getByRole('button', { name: 'OK' })
      .or(checker.getByRole('button', { name: 'Confirm' }))
      .click();
    await expect
      .poll(() => checker.getByTestId('clawback-status').first().textContent())
      .toBe('Returned to the victim');
    await screenshot(checker, 'support-ops-console-clawback-en');
    const risk = await staffApi(server, 'risk_analyst');
    const list = await risk.call<{ items: { amount: number; status: string }[] }>(
      'GET',
      `/api/v1/staff/support/clawbacks?caseId=${caseId}`,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ amount: 2_000, status: 'returned' })]);
    await analyst.close();
  });
});
