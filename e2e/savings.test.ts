import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sandboxCardNumber } from '../server/wallet/bin-table.js';
import { jpeg, png } from '../test/kyc-factories.js';
import {
  PASSWORD,
  type RunningServer,
  SCREENSHOTS,
  apiInContext,
  browserAvailable,
  launchBrowser,
  newPerson,
  registerInContext,
  startServer,
  typePin,
} from './harness.js';
import { signInStaff } from './ops-support.js';

const PIN = '258036';

interface Holdings {
  today: string;
  totalAssets: number;
  funds: { productId: string; shares: number; yesterdayIncome: number; totalIncome: number }[];
  deposits: { id: string }[];
}

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

/** Waits (outside a test, where expect.poll cannot) until a condition holds, for at most 30 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A whole-page screenshot in e2e/screenshots (git-ignored), after fonts and layout settle. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The same page in zh-CN (as it is) and English (switched on this device), then back to zh-CN. */
async function shotBoth(page: Page, name: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  await ready(page);
  await shot(page, `${name}-zh`);
  await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
  await page.reload();
  await ready(page);
  await shot(page, `${name}-en`);
  await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  await page.reload();
  await ready(page);
}

/**
 * Savings through the wallet at 390 px against the real server: take the risk questionnaire, buy
 * the money-market fund with the PIN pad, see yesterday's income once the savings clock moves
 * (the development hook), redeem fast; a term deposit and the acknowledgement above one's level;
 * then the console's products, queue and holder pages at 1440 px. Screenshots of every page in
 * both languages land in e2e/screenshots/.
 */
describe.skipIf(!browserAvailable)('savings in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const holder = newPerson();

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
    await registerInContext(context, server.url, { ...holder, name: '李四' });
    await apiInContext(context, server.url, 'PUT', '/api/v1/me/pin', { newPin: PIN, password: PASSWORD });
    // A card in the holder's own name and verified documents: the verified tier (term deposits, R2-R3).
    const linking = await apiInContext<{ card: { id: string } }>(context, server.url, 'POST', '/api/v1/wallet/cards', {
      cardNumber: sandboxCardNumber('622202', '4321'),
      holderName: '李四',
      reservedPhone: holder.phone,
    });
    await apiInContext(context, server.url, 'POST', `/api/v1/wallet/cards/${linking.card.id}/confirm`, {
      code: await bankCode(server, holder.phone),
    });
    const csrf = (await context.cookies(server.url)).find((cookie) => cookie.name === 'tb_csrf')?.value ?? '';
    const kyc = await context.request.post(`${server.url}/api/v1/me/kyc/submissions`, {
      headers: { 'x-csrf-token': csrf },
      multipart: {
        documentType: 'resident_id',
        front: { name: 'front.jpg', mimeType: 'image/jpeg', buffer: jpeg() },
        back: { name: 'back.png', mimeType: 'image/png', buffer: png() },
        selfie: { name: 'selfie.jpg', mimeType: 'image/jpeg', buffer: jpeg() },
      },
    });
    if (kyc.status() !== 201) throw new Error(`kyc: ${kyc.status()} ${await kyc.text()}`);
    await until(
      async () => (await apiInContext<{ tier: string }>(context, server.url, 'GET', '/api/v1/me')).tier === 'verified',
    );
    const topUp = await apiInContext<{ id: string; status: string }>(
      context,
      server.url,
      'POST',
      '/api/v1/wallet/topups',
      { cardId: linking.card.id, amount: 800_000, currency: 'CNY' },
      { 'idempotency-key': crypto.randomUUID() },
    );
    await until(
      async () =>
        (await apiInContext<{ status: string }>(context, server.url, 'GET', `/api/v1/wallet/topups/${topUp.id}`))
          .status === 'succeeded',
    );
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const holdings = () => apiInContext<Holdings>(context, server.url, 'GET', '/api/v1/savings/holdings');

  test('理财 from home: my wealth, the catalogue and the fund page with its yield chart', async () => {
    await page.goto('/');
    await page.getByTestId('tile-savings').click();
    await page.waitForURL(/\/savings$/);
    await shotBoth(page, 'savings-home-empty', (p) => p.getByTestId('savings-browse').waitFor());
    await page.getByTestId('savings-browse').click();
    await shotBoth(page, 'savings-catalogue', (p) => p.getByTestId('product-svp_mmf').waitFor());
    await page.getByRole('tab', { name: '定期存款' }).click();
    await shotBoth(page, 'savings-catalogue-deposits', (p) => p.getByTestId('product-svp_td1y').waitFor());

    await page.goto('/savings/products/svp_mmf');
    await shotBoth(page, 'savings-product-mmf-first', (p) => p.getByTestId('risk-warning').waitFor());
    expect(await page.getByTestId('risk-level').first().textContent()).toContain('R1');
    await expect.poll(() => page.getByTestId('risk-warning').textContent()).toContain('过往业绩不代表未来表现');
    const manual = await context.request.get(`${server.url}/api/v1/savings/products/svp_mmf/manual.pdf`);
    expect(manual.status()).toBe(200);
    expect((await manual.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('buying needs the questionnaire first; answered, it gives a level valid for a year', async () => {
    await page.goto('/savings/products/svp_mmf/buy');
    await page.getByTestId('need-questionnaire').waitFor();
    await shotBoth(page, 'savings-buy-needs-questionnaire', (p) => p.getByTestId('need-questionnaire').waitFor());
    await page.getByTestId('take-questionnaire').click();
    await page.getByTestId('question-age').waitFor();
    await shotBoth(page, 'savings-questionnaire', (p) => p.getByTestId('question-knowledge').waitFor());
    // Cautious answers: 22 points, C2.
    const answers: Record<string, string> = {
      age: '18–30岁',
      income: '10万元以下',
      share: '30%–70%',
      experience: '购买过银行理财或货币基金',
      years: '1–3年',
      horizon: '1–3年',
      goal: '略高于存款的收益',
      loss: '5%以内',
      reaction: '卖出部分',
      knowledge: '了解一些',
    };
    for (const [question, answer] of Object.entries(answers))
      await page.getByTestId(`question-${question}`).getByText(answer, { exact: true }).click();
    await page.getByTestId('questionnaire-submit').click();
    await expect.poll(() => page.getByTestId('assessment-level').getAttribute('data-level')).toBe('C2');
    await shot(page, 'savings-questionnaire-result-zh');
    await page.getByTestId('assessment-continue').click();
    await page.waitForURL(/\/savings\/products\/svp_mmf\/buy$/);
  });

  test('buy ¥5,000.00 of the money-market fund with the PIN pad', async () => {
    await page.getByTestId('amount').locator('input').fill('5000');
    await shot(page, 'savings-buy-mmf-zh');
    await page.getByTestId('buy-submit').click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('savings-order-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('completed');
    await shotBoth(page, 'savings-order-completed', (p) => p.getByTestId('savings-order-status').waitFor());
    const after = await holdings();
    expect(after.funds.find((f) => f.productId === 'svp_mmf')?.shares).toBe(500_000);
  });

  test("the savings clock moves on: yesterday's income shows, to the fen", async () => {
    let income = 0;
    for (let day = 0; day < 8 && income === 0; day++) {
      const moved = await fetch(`${server.url}/api/v1/dev/savings/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ days: 1 }),
      });
      expect(moved.status, await moved.clone().text()).toBe(200);
      income = (await holdings()).funds.find((f) => f.productId === 'svp_mmf')?.yesterdayIncome ?? 0;
    }
    expect(income).toBeGreaterThan(0);
    const shown = `+¥${(income / 100).toFixed(2)}`;
    await page.goto('/savings');
    await expect.poll(() => page.getByTestId('savings-yesterday').textContent()).toBe(shown);
    await shotBoth(page, 'savings-home', (p) => p.getByTestId('holding-svp_mmf').waitFor());
    await page.getByTestId('holding-svp_mmf').click();
    await expect.poll(() => page.getByTestId('fund-yesterday').textContent()).toBe(shown);
    await shotBoth(page, 'savings-fund', (p) =>
      p.getByTestId('income-list').locator('.adm-list-item').first().waitFor(),
    );

    // The fund's figures are collected now: the product page draws them (the chart library loads only here).
    await page.goto('/savings/products/svp_mmf');
    await shotBoth(page, 'savings-product-mmf', (p) => p.getByTestId('yield-chart').locator('svg').first().waitFor());
    await page.getByTestId('yield-range').getByText('近3月').click();
    await page.getByTestId('yield-chart').locator('svg').first().waitFor();
    await shot(page, 'savings-product-mmf-3m-zh');
    await page.goto('/savings/funds/svp_mmf');
  });

  test('redeem ¥1,000.00 fast: the money is in the wallet at once', async () => {
    const before = (await holdings()).funds.find((f) => f.productId === 'svp_mmf')?.shares ?? 0;
    const balance = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
    await page.getByTestId('fund-redeem').click();
    await page.getByTestId('fast-remaining').waitFor();
    await page.getByTestId('amount').locator('input').fill('1000');
    await shotBoth(page, 'savings-redeem', (p) => p.getByTestId('fast-remaining').waitFor());
    await page.getByTestId('amount').locator('input').fill('1000');
    await page.getByTestId('redeem-submit').click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('savings-order-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('completed');
    await shot(page, 'savings-redeem-done-zh');
    expect((await holdings()).funds.find((f) => f.productId === 'svp_mmf')?.shares).toBe(before - 100_000);
    const after = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
    expect(Number(after.balance) - Number(balance.balance)).toBe(100_000);
  });

  test('a product above my level asks for the recorded acknowledgement', async () => {
    await page.goto('/savings/products/svp_mix');
    await shotBoth(page, 'savings-product-mix', (p) => p.getByTestId('product-buy').waitFor());
    await page.getByTestId('product-buy').click();
    await page.getByTestId('risk-ack').waitFor();
    await page.getByTestId('amount').locator('input').fill('1000');
    await expect.poll(() => page.getByTestId('buy-submit').isDisabled()).toBe(true);
    await shotBoth(page, 'savings-buy-ack', (p) => p.getByTestId('risk-ack').waitFor());
    await page.getByTestId('amount').locator('input').fill('1000');
    await page.getByTestId('risk-ack-check').click();
    await page.getByTestId('buy-submit').click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('savings-order-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('completed');
    const orders = await apiInContext<{ items: { productId: string; riskAcknowledged: boolean }[] }>(
      context,
      server.url,
      'GET',
      '/api/v1/savings/orders',
    );
    expect(orders.items.find((o) => o.productId === 'svp_mix')?.riskAcknowledged).toBe(true);
  });

  test('open a one-year term deposit, get its certificate, withdraw it early', async () => {
    await page.goto('/savings/products/svp_td1y');
    await shotBoth(page, 'savings-product-deposit', (p) => p.getByTestId('product-buy').waitFor());
    await page.getByTestId('product-buy').click();
    await page.getByTestId('maturity-choice').getByText('本息自动转存').click();
    await page.getByTestId('amount').locator('input').fill('2000');
    await page.getByTestId('deposit-preview').waitFor();
    await shotBoth(page, 'savings-deposit-open', (p) => p.getByTestId('maturity-choice').waitFor());
    await page.getByTestId('amount').locator('input').fill('2000');
    await page.getByTestId('maturity-choice').getByText('本息自动转存').click();
    await page.getByTestId('buy-submit').click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('savings-order-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('completed');
    await page.getByRole('button', { name: '查看存单' }).click();
    await page.getByTestId('deposit-status').waitFor();
    await shotBoth(page, 'savings-deposit', (p) => p.getByTestId('deposit-status').waitFor());
    const depositId = page.url().split('/').pop() ?? '';
    const certificate = await context.request.get(`${server.url}/api/v1/savings/deposits/${depositId}/certificate.pdf`);
    expect(certificate.status()).toBe(200);
    expect(certificate.headers()['content-type']).toBe('application/pdf');
    expect((await certificate.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByTestId('deposit-withdraw-early').click();
    await page.getByRole('button', { name: '提前支取' }).last().click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('savings-order-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('completed');
    await shot(page, 'savings-early-withdrawal-done-zh');
    await page.goto('/savings/orders');
    await shotBoth(page, 'savings-orders', (p) => p.locator('.adm-list-item').first().waitFor());
  });

  test('the console: products and rates, a proposed change, the queue and this holder’s holdings', async () => {
    const desk = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const console = await desk.newPage();
    await signInStaff(console, server, 'admin');
    await console.goto('/ops/savings');
    await shotBoth(console, 'ops-savings-products', (p) => p.getByTestId('propose-svp_td1y').waitFor());
    await console.getByTestId('propose-svp_td1y').click();
    await console.getByTestId('change-annual-rate').fill('1.3500');
    await console.getByTestId('change-reason').fill('央行调整存款挂牌利率');
    // The savings clock ran ahead above (the development hook): state a time well after it.
    await console.getByTestId('change-effective').fill('2027-06-01T09:00');
    await shot(console, 'ops-savings-propose-zh');
    await console.getByTestId('propose-submit').click();
    await console.getByText('理财产品变更').first().waitFor();
    await shot(console, 'ops-savings-products-pending-zh');

    await console.goto('/ops/savings/applications');
    await shotBoth(console, 'ops-savings-applications', (p) => p.getByTestId('savings-applications').waitFor());

    await console.goto('/ops/savings/holders');
    await console.getByTestId('holder-phone').fill(holder.phone);
    await console.getByRole('button', { name: '查询' }).click();
    await console.getByTestId('holder-holdings').waitFor();
    await shotBoth(console, 'ops-savings-holder', (p) => p.getByTestId('holder-holdings').waitFor());
    await desk.close();
  });
});
