import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sandboxCardNumber } from '../server/wallet/bin-table.js';
import { residentIdForm } from '../test/kyc-factories.js';
import {
  type RunningServer,
  browserAvailable,
  launchBrowser,
  phoneContext,
  screenshot,
  startServer,
} from './harness.js';
import { axeAvailable, seriousViolations } from './a11y.js';
import { desktopContext, holderApi, signInStaff, signInWallet } from './ops-support.js';

/** The console's pages in plain words, looked at in both languages at 1440 px. */
const PLAIN_PAGES = ['overview', 'kyc', 'risk', 'maintenance', 'audit'] as const;
const ALL_PAGES = [
  'overview',
  'customers',
  'support',
  'kyc',
  'risk',
  'cases',
  'maintenance',
  'merchants',
  'bills',
  'audit',
  'savings',
  'credit',
] as const;

/** The code the sandbox bank texted to a card's reserved phone, from the development outbox. */
async function bankCode(server: RunningServer, phone: string): Promise<string> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const body = (await (await fetch(`${server.url}/api/dev/outbox?phone=${phone}`)).json()) as {
      items: { text: string; createdAt: string }[];
    };
    const newest = body.items
      .filter((m) => /验证码\d{6}/.test(m.text))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const match = /验证码(\d{6})/.exec(newest?.text ?? '');
    if (match) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no bank code for ${phone}`);
}

describe.skipIf(!browserAvailable)('operations console', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a support agent sees no risk queue, and neither the page nor the API opens for them', async () => {
    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/ops/');
    await screenshot(page, 'ops-login');
    await signInStaff(page, server, 'support');
    const nav = page.getByRole('navigation');
    await expect.poll(() => nav.getByText('客户查询').isVisible()).toBe(true);
    await expect(nav.getByText('风险预警').count()).resolves.toBe(0);
    await expect(nav.getByText('审计日志').count()).resolves.toBe(0);
    await page.goto('/ops/risk');
    await page.getByText('您的角色无权访问此页面。').waitFor();
    await screenshot(page, 'ops-support-risk-forbidden');
    const api = await page.evaluate(async () => (await fetch('/api/v1/staff/risk/alerts')).status);
    expect(api).toBe(403);

    // What support may do: look a holder up (masked) and freeze the wallet from a call.
    await page.goto('/ops/customers');
    await page.getByTestId('lookup-input').fill('13800138001');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '查看' }).click();
    await page.getByTestId('customer-name').waitFor();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('*娜');
    await expect(page.getByRole('button', { name: '显示完整信息' }).count()).resolves.toBe(0);
    await screenshot(page, 'ops-customer-support');
    await context.close();
  });

  test('a reviewer approves a verification and the holder’s tier changes', async () => {
    const holder = await holderApi(server, '13800138002');
    const before = await holder.call<{ tier: string }>('GET', '/api/v1/me');
    expect(before.body.tier).toBe('basic');
    // The verified tier needs documents and a bank card in the holder's own name (docs/kyc.md).
    const cardNumber = sandboxCardNumber('622202', '1234');
    const linking = await holder.call<{ card: { id: string } }>('POST', '/api/v1/wallet/cards', {
      cardNumber,
      holderName: '王芳',
      reservedPhone: '13800138002',
    });
    expect(linking.status, JSON.stringify(linking.body)).toBe(202);
    const linked = await holder.call('POST', `/api/v1/wallet/cards/${linking.body.card.id}/confirm`, {
      code: await bankCode(server, '13800138002'),
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    const form = residentIdForm(['UNCERTAIN']);
    const submitted = await fetch(`${server.url}/api/v1/me/kyc/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${holder.token}`, ...form.headers },
      body: new Uint8Array(form.payload),
    });
    expect(submitted.status).toBe(201);

    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'kyc_reviewer');
    await page.goto('/ops/kyc');
    await page.getByRole('button', { name: '查看' }).first().click();
    await page.getByRole('button', { name: '领取' }).click();
    await page.getByRole('img', { name: '正面' }).waitFor();
    await expect.poll(() => page.getByTestId('kyc-registration').textContent()).toContain('王芳');
    await page.getByLabel('备注').fill('证件清晰，与注册信息一致');
    await screenshot(page, 'ops-kyc-review');
    await page.getByTestId('kyc-submit').click();
    await expect
      .poll(async () => (await holder.call<{ tier: string }>('GET', '/api/v1/me')).body.tier, { timeout: 10_000 })
      .toBe('verified');

    await page.goto('/ops/customers');
    await page.locator('label.ant-radio-button-wrapper', { hasText: '身份证号' }).click();
    await page.getByTestId('lookup-input').fill('440106199512120046');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '查看' }).click();
    await expect.poll(() => page.getByTestId('customer-tier').getAttribute('data-tier')).toBe('verified');
    await page.getByRole('button', { name: '显示完整信息' }).click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('王芳');
    await screenshot(page, 'ops-customer-revealed');
    await context.close();
  });

  test('an admin schedules maintenance with a preview, and the wallet shows the announcement', async () => {
    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'admin');
    await page.goto('/ops/maintenance');
    await page.getByLabel('标题（中文）').fill('转账系统升级');
    await page.getByLabel('标题（英文）').fill('Transfers upgrade');
    await page.getByLabel('内容（中文）').fill('今晚转账功能暂停一小时，其他功能正常。');
    await page.getByLabel('内容（英文）').fill('Transfers pause for an hour tonight; everything else works.');
    await expect.poll(() => page.getByTestId('maintenance-preview').textContent()).toContain('转账系统升级');
    await screenshot(page, 'ops-maintenance-preview');
    await page.getByTestId('maintenance-submit').click();
    await page.getByRole('cell', { name: '转账系统升级' }).waitFor();
    await screenshot(page, 'ops-maintenance-scheduled');
    await context.close();

    const phone = await phoneContext(browser, server.url);
    const wallet = await phone.newPage();
    const loaded: string[] = [];
    wallet.on('request', (request) => loaded.push(new URL(request.url()).pathname));
    await signInWallet(wallet, server, '13800138000');
    await expect
      .poll(() => wallet.getByTestId('announcements').textContent(), { timeout: 15_000 })
      .toContain('转账系统升级');
    await screenshot(wallet, 'ops-wallet-announcement');
    // The wallet never downloads the console or the merchant pages, not even through its service worker.
    expect(loaded.filter((path) => /^\/(ops|merchant)\b|\/assets\/(ops|merchant)-/.test(path))).toEqual([]);
    const worker = await (await fetch(`${server.url}/sw.js`)).text();
    expect(worker).not.toMatch(/assets\/(ops|merchant)-/);
    expect(worker).not.toMatch(/ops\/index\.html/);
    await phone.close();
  });

  test('an admin starts on the overview; every page says things in plain words, in both languages', async () => {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await signInStaff(page, server, 'admin');
    await page.getByTestId('overview-kyc').waitFor();
    await expect.poll(() => page.getByTestId('staff-name').textContent()).not.toBe('');
    await page.getByTestId('overview-risk').waitFor();
    for (const language of ['zh-CN', 'en'] as const) {
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.goto('/ops/customers');
      await page.getByTestId('lookup-input').fill('13800138000');
      await page.getByRole('button', { name: language === 'en' ? 'Search' : '查询' }).click();
      await page.getByRole('link', { name: language === 'en' ? 'Open' : '查看' }).click();
      await page.getByTestId('movement-kind').first().waitFor();
      const movements = await page.locator('main').innerText();
      // Money rows say what they are; no ledger references or codes on the page.
      expect(movements).not.toMatch(/p2p:|demo:|trf_|merchant_payment|\btransfer\b/);
      expect(movements).toContain(language === 'en' ? 'Top-up' : '充值');
      await screenshot(page, `ops-plain-customer-${language}`);
      for (const path of PLAIN_PAGES) {
        await page.goto(`/ops/${path}`);
        await page.locator('main .ant-card').first().waitFor();
        await page.waitForLoadState('networkidle');
        const text = await page.locator('main').innerText();
        expect(text, path).not.toMatch(/resident_id|staff:stf_|post_reset|payment_code|\(p2p, |usr_[0-9a-z]{6}/);
        if (path === 'maintenance') expect(text).toContain(language === 'en' ? 'Beijing time' : '北京时间');
        await screenshot(page, `ops-plain-${path}-${language}`);
      }
    }
    await context.close();
  });

  test.skipIf(!axeAvailable)('no serious or critical accessibility violations on the console pages', async () => {
    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/ops/');
    await page.getByLabel('手机号').waitFor();
    expect(await seriousViolations(page), 'sign-in').toEqual([]);
    await signInStaff(page, server, 'admin');
    // Every page in the console's menu (an admin sees them all).
    // Collected over every page, so one run shows all there is to fix.
    const found: Record<string, string[]> = {};
    for (const path of ALL_PAGES) {
      await page.goto(`/ops/${path}`);
      await page.locator('main .ant-card').first().waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    // Deeper: a customer's page, and a loan's drawer from the loan book (the demo holder's loan).
    await page.goto('/ops/customers');
    await page.getByTestId('lookup-input').fill('13800138000');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '查看' }).click();
    await page.getByTestId('movement-kind').first().waitFor();
    await page.waitForLoadState('networkidle');
    const customer = await seriousViolations(page);
    if (customer.length > 0) found.customer = customer;
    await page.goto('/ops/credit/loans');
    await page.locator('[data-testid="credit-loans"] tbody tr.ant-table-row').first().click();
    await page.getByTestId('credit-loan-detail').waitFor();
    await page.waitForLoadState('networkidle');
    const loan = await seriousViolations(page);
    if (loan.length > 0) found['loan-drawer'] = loan;
    expect(found).toEqual({});
    await context.close();
  });
});
