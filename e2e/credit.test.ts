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

const PIN = '258036';

interface Loan {
  id: string;
  status: string;
  amount: number;
  payoffToday: number;
  schedule: { aprBp: number; installments: { principal: number; status: string }[] };
  repayments: { mode: string; status: string; amount: number }[];
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

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A loan through the wallet at 390 px against the real server (one server for the file): from
 * 借钱 on the home page, apply for ¥10,000.00 over 12 months with the live quote, see the
 * scorecard's decision with the APR and every installment, sign the contract with the PIN pad,
 * see the money arrive and the schedule, then repay the whole loan early with the PIN pad.
 */
describe.skipIf(!browserAvailable)('credit in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const holder = newPerson();
  let loanId = '';
  let cardId = '';

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
    await registerInContext(context, server.url, { ...holder, name: '李四' });
    await apiInContext(context, server.url, 'PUT', '/api/v1/me/pin', { newPin: PIN, password: PASSWORD });
    // Credit needs the verified tier: a card in the holder's own name and verified documents.
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
    // A little money of the holder's own, for the interest of paying off early.
    const topUp = await apiInContext<{ id: string }>(
      context,
      server.url,
      'POST',
      '/api/v1/wallet/topups',
      { cardId: linking.card.id, amount: 20_000, currency: 'CNY' },
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

  test('借钱 from home: apply with the live quote, see the decision with the APR and every installment', async () => {
    await page.goto('/');
    await page.getByTestId('tile-credit').click();
    await page.waitForURL(/\/credit$/);
    await page.getByTestId('credit-max').waitFor();
    await shot(page, 'credit-home-zh');
    await page.getByTestId('credit-borrow').click();
    await page.waitForURL(/\/credit\/loans\/apply$/);

    await page.getByTestId('loan-amount').locator('input').fill('10000');
    await page.getByTestId('loan-term').getByText('12期', { exact: true }).click();
    await page.getByTestId('loan-income').locator('input').fill('15000');
    // The quote: APR as the headline, and the worked example of the rules (¥866.19 a month at 7.2 %).
    await expect.poll(() => page.getByTestId('loan-quote').getByTestId('apr').textContent()).toMatch(/%$/);
    await expect.poll(() => page.getByTestId('loan-quote').getByTestId('installment').count()).toBe(3);
    await shot(page, 'credit-apply-zh');

    await page.getByTestId('loan-submit').click();
    await page.waitForURL(/\/credit\/applications\/[^/]+$/);
    await expect.poll(() => page.getByTestId('application-status').getAttribute('data-status')).toBe('approved');
    expect(await page.getByTestId('credit-offer').getByTestId('apr').textContent()).toMatch(/^\d+\.\d{2}%$/);
    expect(await page.getByTestId('offer-limit').textContent()).toBe('¥10,000.00');
    await expect.poll(() => page.getByTestId('schedule').getByTestId('installment').count()).toBe(12);
    await shot(page, 'credit-offer-zh');

    await page.getByTestId('contract-open').click();
    await expect.poll(() => page.getByTestId('contract-text').textContent()).not.toBe('');
    await page.getByTestId('contract-close').click();
  });

  test('sign the contract with the PIN pad: the money arrives and the schedule shows', async () => {
    const before = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
    await page.getByTestId('contract-agree').click();
    await page.getByTestId('contract-sign').click();
    await typePin(page, PIN);
    await page.waitForURL(/\/credit\/loans\/[^/?]+/);
    loanId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByTestId('loan-signed').waitFor();
    await expect.poll(() => page.getByTestId('loan-status').getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('schedule').getByTestId('installment').count()).toBe(12);
    await shot(page, 'credit-loan-zh');

    const after = await apiInContext<{ balance: number }>(context, server.url, 'GET', '/api/v1/wallet/balance');
    expect(after.balance - before.balance).toBe(1_000_000);
    const loan = await apiInContext<Loan>(context, server.url, 'GET', `/api/v1/credit/loans/${loanId}`);
    expect(loan.schedule.installments.reduce((sum, i) => sum + i.principal, 0)).toBe(1_000_000);
  });

  test('repay the whole loan early with the PIN pad: interest only to today, the loan is paid off', async () => {
    await page.getByTestId('loan-repay').first().click();
    await page.waitForURL(/\/repay$/);
    await page.getByTestId('repay-mode').getByText('提前结清').click();
    const loan = await apiInContext<Loan>(context, server.url, 'GET', `/api/v1/credit/loans/${loanId}`);
    const payoff = await page.getByTestId('repay-fixed-amount').textContent();
    expect(payoff?.replace(/[¥,.]/g, '')).toBe(String(loan.payoffToday));
    await shot(page, 'credit-repay-zh');
    await page.getByTestId('repay-submit').click();
    await typePin(page, PIN);
    await expect.poll(() => page.getByTestId('repay-result').getAttribute('data-status')).toBe('completed');
    await shot(page, 'credit-repaid-zh');

    await page.getByTestId('repay-back').click();
    await expect.poll(() => page.getByTestId('loan-status').getAttribute('data-status')).toBe('paid_off');
    const closed = await apiInContext<Loan>(context, server.url, 'GET', `/api/v1/credit/loans/${loanId}`);
    expect(closed.status).toBe('paid_off');
    expect(closed.repayments[0]).toMatchObject({ mode: 'payoff', status: 'completed', amount: loan.payoffToday });
  });

  test('信用卡: the card masked, the statement due and how interest runs, in both languages', async () => {
    const applied = await apiInContext<{ id: string; status: string }>(
      context,
      server.url,
      'POST',
      '/api/v1/credit/applications',
      { product: 'card', monthlyIncome: 1_500_000 },
    );
    expect(applied.status).toBe('approved');
    const signed = await apiInContext<{ cardId: string }>(
      context,
      server.url,
      'POST',
      `/api/v1/credit/applications/${applied.id}/sign`,
      { confirmation: { pin: PIN } },
      { 'idempotency-key': crypto.randomUUID() },
    );
    const purchase = { cardId: signed.cardId, currency: 'CNY', merchantName: '京东商城', mcc: '5311' };
    await apiInContext(context, server.url, 'POST', '/api/v1/dev/credit/card-network/purchases', {
      ...purchase,
      amount: 128_800,
    });
    // A month on (the credit clock only): the statement is made on the card's statement day.
    await apiInContext(context, server.url, 'POST', '/api/v1/dev/credit/run-day', { days: 31 });
    await page.goto('/credit/card');
    await expect
      .poll(() => page.getByTestId('credit-card-number').textContent())
      .toMatch(/^6258 88\*\* \*\*\*\* \d{4}$/);
    await expect.poll(() => page.getByTestId('statement-remaining').textContent()).toBe('¥1,288.00');
    await expect.poll(() => page.getByText('自记账日起按未还部分逐日计息').count()).toBe(1);
    await shot(page, 'credit-card-zh');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await page.reload();
    await expect.poll(() => page.getByText('from its posting date').count()).toBe(1);
    await shot(page, 'credit-card-en');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
    cardId = signed.cardId;
  });

  test('信用卡: show the number with the PIN for 30 s, freeze and unfreeze, a new statement day', async () => {
    await page.reload();
    await page.getByTestId('card-reveal').click();
    await typePin(page, PIN);
    await expect.poll(() => page.getByTestId('credit-card-number').textContent()).toMatch(/^6258 88\d\d \d{4} \d{4}$/);
    await expect.poll(() => page.getByTestId('credit-card-cvv').textContent()).toMatch(/^\d{3}$/);
    await shot(page, 'credit-card-revealed-zh');
    await page.getByTestId('card-reveal').click(); // 隐藏卡号: masked again at once
    await expect.poll(() => page.getByTestId('credit-card-number').textContent()).toMatch(/\*\*\*\*/);

    await page.getByTestId('card-freeze').click();
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.getByTestId('card-frozen-note').count()).toBe(1);
    await shot(page, 'credit-card-frozen-zh');
    const declined = await fetch(`${server.url}/api/v1/dev/credit/card-network/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cardId, currency: 'CNY', merchantName: '京东商城', amount: 100 }),
    });
    expect(((await declined.json()) as { code: string }).code).toBe('CREDIT_CARD_FROZEN');
    await page.getByTestId('card-freeze').click();
    await expect.poll(() => page.getByTestId('card-frozen-note').count()).toBe(0);

    await page.getByTestId('card-statement-day').click();
    await page.getByTestId('statement-day-choice').getByText('20', { exact: true }).click();
    await expect.poll(() => page.getByTestId('statement-day-preview').count()).toBe(1);
    await shot(page, 'credit-card-statement-day-zh');
    await page.getByTestId('statement-day-save').click();
    await page.getByTestId('card-statement-day').click();
    await expect.poll(() => page.getByTestId('statement-day-pending').count()).toBe(1);
    await expect.poll(() => page.getByTestId('statement-day-locked').count()).toBe(1);
    await page.evaluate(() => localStorage.setItem('tb_lang', 'en'));
    await page.reload();
    await page.getByTestId('card-statement-day').click();
    await expect.poll(() => page.getByText('once every 12 months').count()).toBeGreaterThan(0);
    await shot(page, 'credit-card-statement-day-en');
    await page.evaluate(() => localStorage.setItem('tb_lang', 'zh-CN'));
  });
});
