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
import { desktopContext, holderApi, signInMerchant, signInStaff } from './ops-support.js';

/** A walk through the remaining pages: theft cases, approving a merchant, the audit log, English, and a cashier's
 * failed charge. */
describe.skipIf(!browserAvailable)('console and merchant pages tour', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('cases, merchant approval, audit search, English, and a refused payment code', async () => {
    const phone = await phoneContext(browser, server.url);
    const m = await phone.newPage();
    await m.goto('/merchant/');
    await screenshot(m, 'merchant-login-tour');
    await signInMerchant(m, '13700137000');
    await m.getByText('扫码枪').click();
    await m.getByLabel('金额（元）').fill('12.50');
    await m.getByRole('textbox', { name: '顾客付款码' }).fill('281234567890123456');
    await screenshot(m, 'merchant-charge');
    await m.getByTestId('charge-submit').click();
    await m.getByText('收款未成功').waitFor();
    await screenshot(m, 'merchant-charge-failed');
    await m.getByText('我的').click();
    await m.getByText('下载对账单（CSV）').waitFor();
    await screenshot(m, 'merchant-more');
    await phone.close();
    const holder = await holderApi(server, '13800138002');
    expect((await holder.call('POST', '/api/v1/me/report-theft')).status).toBe(201);
    const applied = await fetch(`${server.url}/api/v1/merchant-applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '街角咖啡',
        latinName: 'JIEJIAO COFFEE',
        mcc: '5814',
        city: '杭州',
        contactPhone: '13700137099',
        payoutBankName: '演示银行',
        payoutAccountNumber: '6222020000001234',
        owner: { name: '周店长', phone: '13700137099', password: 'harbour-signal-77-quartz' },
      }),
    });
    expect(applied.status, await applied.clone().text()).toBe(202);

    const context = await desktopContext(browser, server.url, 'en-US');
    const page = await context.newPage();
    await signInStaff(page, server, 'admin');
    await page.goto('/ops/cases');
    await page.getByRole('link', { name: '查看' }).first().click();
    await page.getByText('近期资金变动').waitFor();
    await screenshot(page, 'ops-case');
    await page.goto('/ops/merchants');
    await page.getByRole('cell', { name: '街角咖啡' }).waitFor();
    await screenshot(page, 'ops-merchants-pending');
    await page.getByRole('button', { name: '通过' }).click();
    await page.getByText('操作成功').waitFor();
    await page.goto('/ops/audit');
    await page.getByRole('button', { name: '查询' }).click();
    // The actor is the staff member's name, not `staff:stf_…`.
    await page.getByTestId('audit-actor').first().waitFor();
    expect(await page.getByRole('cell', { name: /staff:/ }).count()).toBe(0);
    await screenshot(page, 'ops-audit');
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto('/ops/customers');
    await page.getByTestId('lookup-input').fill('13800138002');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Open' }).click();
    await page.getByTestId('customer-name').waitFor();
    await screenshot(page, 'ops-customer-en');
    await context.close();
  });
});
