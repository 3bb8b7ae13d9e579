import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withLuhn } from '../server/bills/catalogue.js';
import { sandboxCardNumber } from '../server/wallet/bin-table.js';
import {
  PASSWORD,
  type RunningServer,
  apiInContext,
  browserAvailable,
  launchBrowser,
  newPerson,
  registerInContext,
  screenshot,
  startServer,
  typePin,
} from './harness.js';
import { DEMO_STAFF_PHONES, signInStaff } from './ops-support.js';

const PIN = '360258';
/**
 * A Shanghai electricity account (10 digits, Luhn) whose two digits before the check digit are the
 * sandbox's marker.
 */
const power = (seed: string, marker = '00') => withLuhn(`3${seed.padStart(6, '0')}${marker}`);

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

/**
 * Bills (生活缴费) in a real browser against the real server: a new holder saves an electricity
 * account, pays its bill with the PIN pad, downloads the receipt, sets up autopay and pauses it;
 * an overdue bill shows the credit warning; the console shows the payment. Screenshots of every
 * page at 390 px in both languages and the console at 1440 px land in e2e/screenshots/bills-*.
 */
describe.skipIf(!browserAvailable)('bills: pay a utility bill in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const holder = newPerson();
  const home = power('7001');
  const parents = power('7002', '97');
  let paymentId = '';

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
    });
    await context.addInitScript(() => localStorage.setItem('tb_device_id', 'e2e-device'));
    await registerInContext(context, server.url, { ...holder, name: '赵六' });
    await apiInContext(context, server.url, 'PUT', '/api/v1/me/pin', { newPin: PIN, password: PASSWORD });
    // Money in the wallet: a linked card and a top-up, as the holder would.
    const linking = await apiInContext<{ card: { id: string } }>(context, server.url, 'POST', '/api/v1/wallet/cards', {
      cardNumber: sandboxCardNumber('622202', '5678'),
      holderName: '赵六',
      reservedPhone: holder.phone,
    });
    await apiInContext(context, server.url, 'POST', `/api/v1/wallet/cards/${linking.card.id}/confirm`, {
      code: await bankCode(server, holder.phone),
    });
    await apiInContext(
      context,
      server.url,
      'POST',
      '/api/v1/wallet/topups',
      { cardId: linking.card.id, amount: 100_000, currency: 'CNY' },
      { 'idempotency-key': crypto.randomUUID() },
    );
    // The sandbox bank answers the top-up asynchronously: wait for the money to land.
    for (let attempt = 0; ; attempt++) {
      const { balance } = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
      if (balance === 100_000) break;
      if (attempt > 150) throw new Error(`the top-up did not land: balance ${balance}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the home page leads to 生活缴费; pick electricity, city, biller; the account number shows its format', async () => {
    await page.goto('/');
    await page.getByTestId('tile-bills').waitFor();
    await screenshot(page, 'bills-home-tile');
    await page.getByTestId('tile-bills').click();
    await page.getByText('还没有保存的户号').waitFor();
    await screenshot(page, 'bills-empty');
    await page.getByTestId('bill-type-electricity').click();
    await page.getByText('上海', { exact: true }).click();
    await page.getByText('国网上海市电力公司').click();
    await page.getByText('户号格式：10 位数字，最后一位是校验位').waitFor();
    // A wrong length says what the format is.
    await page.getByTestId('bill-account-number').locator('input').fill('31000');
    await page.getByText('户号格式不对').waitFor();
    expect(await page.getByTestId('bill-inquire').isDisabled()).toBe(true);
    await screenshot(page, 'bills-new-format');
    await page.getByTestId('bill-account-number').locator('input').fill(home);
    await page.getByText('家', { exact: true }).click();
    await screenshot(page, 'bills-new-filled');
  });

  test('look the bill up: the account is saved with its label and the bill is shown', async () => {
    await page.getByTestId('bill-inquire').click();
    await page.getByTestId('bill-inquiry').waitFor();
    await page.getByTestId('bill-card').waitFor();
    expect(await page.getByTestId('bill-holder').textContent()).toMatch(/^\*/);
    await screenshot(page, 'bills-inquiry');
  });

  test('pay the bill with the PIN pad; the receipt shows and downloads as a PDF', async () => {
    const total = (await page.getByTestId('bill-total').textContent()) ?? '';
    expect(total).toMatch(/^¥\d/);
    await page.getByTestId('bill-pay').click();
    await page.getByRole('dialog').getByText(total).waitFor();
    await screenshot(page, 'bills-pin');
    await typePin(page, PIN);
    await page.waitForURL('**/bills/payments/**');
    await expect
      .poll(() => page.getByTestId('bill-payment-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('succeeded');
    expect(await page.getByTestId('receipt-amount').textContent()).toBe(total);
    await screenshot(page, 'bills-receipt');
    paymentId = decodeURIComponent(page.url().split('/bills/payments/')[1] ?? '');
    const href = await page.getByTestId('receipt-pdf').getAttribute('href');
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const balance = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
    expect(BigInt(balance.balance)).toBeLessThan(100_000n);
  });

  test('the saved account lists the label with nothing due; history lists the payment', async () => {
    await page.goto('/bills');
    const account = page.getByTestId('bill-account').filter({ hasText: '家' });
    await account.waitFor();
    await expect.poll(() => account.textContent()).toContain('暂无待缴');
    await screenshot(page, 'bills-accounts');
    await page.goto('/bills/history');
    await page.getByTestId('bill-payment').first().waitFor();
    expect(await page.getByTestId('bill-payment').first().textContent()).toContain('缴费成功');
    await screenshot(page, 'bills-history');
  });

  test('set up autopay signed with the PIN, then pause and resume it', async () => {
    await page.goto('/bills');
    await page.getByTestId('bill-account').filter({ hasText: '家' }).click();
    await page.getByTestId('autopay-entry').waitFor();
    await screenshot(page, 'bills-account');
    await page.getByTestId('autopay-entry').click();
    await page.getByTestId('cap-per-bill').locator('input').fill('200');
    await page.getByTestId('cap-per-month').locator('input').fill('400');
    await page.getByText('到期前几天缴').click();
    await page.getByText('5 天', { exact: true }).click();
    await screenshot(page, 'bills-autopay-form');
    await page.getByTestId('autopay-sign').click();
    await typePin(page, PIN);
    await expect.poll(() => page.getByTestId('mandate-status').getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('mandate').textContent()).toContain('¥200.00');
    await screenshot(page, 'bills-autopay-active');
    await page.getByTestId('mandate-pause').click();
    await expect.poll(() => page.getByTestId('mandate-status').getAttribute('data-status')).toBe('paused');
    await page.getByTestId('mandate-resume').click();
    await expect.poll(() => page.getByTestId('mandate-status').getAttribute('data-status')).toBe('active');
    await page.goto('/bills');
    await expect
      .poll(() => page.getByTestId('bill-account').filter({ hasText: '家' }).textContent())
      .toContain('自动缴费');
  });

  test('an overdue bill warns that it can reach the credit record, and says how to pay now', async () => {
    await page.goto('/bills/new/electricity');
    await page.getByText('上海', { exact: true }).click();
    await page.getByText('国网上海市电力公司').click();
    await page.getByTestId('bill-account-number').locator('input').fill(parents);
    await page.getByText('父母家', { exact: true }).click();
    await page.getByTestId('bill-inquire').click();
    const notice = page.getByTestId('overdue-notice').first();
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('征信');
    expect(text).toContain('信用记录');
    expect(text).toContain('一次缴清');
    await notice.scrollIntoViewIfNeeded();
    await screenshot(page, 'bills-overdue');
    await page.goto('/');
    await page.getByTestId('home-bills-due').waitFor();
    await page.getByTestId('home-bills-due').scrollIntoViewIfNeeded();
    await screenshot(page, 'bills-home-due');
  });

  test('every bills page in English', async () => {
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    const accounts = await apiInContext<{ items: { id: string; label: string }[] }>(
      context,
      server.url,
      'GET',
      '/api/v1/bills/accounts',
    );
    const homeAccount = accounts.items.find((item) => item.label === '家');
    const parentsAccount = accounts.items.find((item) => item.label === '父母家');
    const pages: [string, string, string][] = [
      ['/', 'tile-bills', 'en-home'],
      ['/bills', 'bill-accounts', 'en-bills'],
      ['/bills/new/electricity', 'bill-city', 'en-new'],
      [`/bills/accounts/${homeAccount?.id}`, 'autopay-entry', 'en-account'],
      [`/bills/accounts/${parentsAccount?.id}`, 'overdue-notice', 'en-overdue'],
      [`/bills/accounts/${homeAccount?.id}/autopay`, 'mandate', 'en-autopay'],
      ['/bills/history', 'bill-payments', 'en-history'],
      [`/bills/payments/${paymentId}`, 'bill-receipt', 'en-receipt'],
    ];
    for (const [path, testId, name] of pages) {
      await page.goto(path);
      await page.getByTestId(testId).first().waitFor();
      await screenshot(page, `bills-${name}`);
    }
    expect(await page.getByTestId('bill-receipt').textContent()).toContain('Bill payment e-receipt');
    await page.goto('/bills/accounts/' + parentsAccount?.id);
    expect(await page.getByTestId('overdue-notice').first().textContent()).toContain('credit record');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  });

  test("the console shows the holder's bill payment, the billers, reconciliation and autopay runs", async () => {
    const desk = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const ops = await desk.newPage();
    await signInStaff(ops, server, 'admin');
    expect(DEMO_STAFF_PHONES.admin).toMatch(/^1/);
    await ops.goto('/ops/bills');
    await ops.getByTestId('ops-billers').getByText('国网上海市电力公司').waitFor();
    await screenshot(ops, 'bills-ops-billers');
    await ops.getByRole('tab', { name: '缴费记录', exact: true }).click();
    await ops.getByTestId('bills-holder-phone').fill(holder.phone);
    await ops.getByRole('button', { name: '查询' }).click();
    const payments = ops.getByTestId('ops-bill-payments');
    await payments.getByText(home).first().waitFor();
    expect(await payments.textContent()).toContain('成功');
    await screenshot(ops, 'bills-ops-payments');
    await ops.getByRole('tab', { name: '对账差异', exact: true }).click();
    await ops.getByTestId('ops-bill-mismatches').waitFor();
    await screenshot(ops, 'bills-ops-reconciliation');
    await ops.getByRole('tab', { name: '自动缴费记录', exact: true }).click();
    await ops.getByTestId('ops-autopay-runs').waitFor();
    await screenshot(ops, 'bills-ops-autopay');
    await ops.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await ops.goto('/ops/bills');
    await ops.getByTestId('ops-billers').getByText('State Grid Shanghai Electric Power').waitFor();
    await screenshot(ops, 'bills-ops-billers-en');
    await desk.close();
  });
});
