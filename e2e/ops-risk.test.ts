import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, browserAvailable, launchBrowser, screenshot, startServer } from './harness.js';
import { desktopContext, holderApi, signInStaff, staffApi } from './ops-support.js';

const DEMO_PIN = '135790';

/**
 * The analyst's queue in the browser: a merchant payment held by the risk engine (the money is
 * reserved in the payer's wallet) is released by an analyst and then completes; a blocked
 * payment's alert is inspected and dismissed.
 */
describe.skipIf(!browserAvailable)('risk alerts in the console', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an analyst releases a held payment, and the payment then completes', async () => {
    const admin = await staffApi(server, 'admin');
    const lowered = await admin.call('PUT', '/api/v1/staff/risk/rules/new_payee_large', {
      action: 'hold',
      thresholds: { payeeAgeMs: 86_400_000, minAmountFen: 100 },
      reason: 'e2e: hold small payments to new shops',
    });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);

    const merchantNumber = /\((M\d+)\)/.exec(server.output())?.[1];
    const payer = await holderApi(server, '13800138000');
    const before = (await payer.call<{ balance: number; available: number }>('GET', '/api/v1/wallet/balance')).body;
    const prepared = await payer.call<{ payment: { id: string }; confirmation: { id: string } }>(
      'POST',
      '/api/v1/payments',
      { merchantNumber, amount: 680 },
      { 'idempotency-key': 'e2e-held-1' },
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    expect(
      (await payer.call('POST', `/api/v1/confirmations/${prepared.body.confirmation.id}/pin`, { pin: DEMO_PIN }))
        .status,
    ).toBe(200);
    const complete = (key: string) =>
      payer.call<{ code?: string; status?: string }>(
        'POST',
        `/api/v1/payments/${prepared.body.payment.id}/complete`,
        { confirmationId: prepared.body.confirmation.id },
        { 'idempotency-key': key },
      );
    const held = await complete('e2e-held-1-complete');
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.body.code).toBe('RISK_CONFIRMATION_REQUIRED');
    expect((await payer.call<{ available: number }>('GET', '/api/v1/wallet/balance')).body.available).toBe(
      before.available - 680,
    );

    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'risk_analyst');
    await page.goto('/ops/risk');
    // Alerts say what happened in words, and name the holder, not a code and a user id.
    await page.getByRole('cell', { name: '付款待确认' }).waitFor();
    await expect.poll(() => page.getByTestId('alert-holder').first().textContent()).toMatch(/\*/);
    await page.getByRole('button', { name: '查看' }).first().click();
    await page.getByRole('button', { name: '领取' }).click();
    await expect.poll(() => page.getByTestId('risk-hold').textContent()).toContain('¥6.80');
    await screenshot(page, 'ops-risk-held');
    await page.getByTestId('resolve-release').click();
    await page.getByLabel('备注').fill('已电话联系持卡人，本人消费');
    await page.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => page.getByText('已处理').count()).toBeGreaterThan(0);
    await screenshot(page, 'ops-risk-released');
    await context.close();

    // Released: the reservation is gone and the payment's next attempt goes through.
    const paid = await complete('e2e-held-1-complete-again');
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe('completed');
    expect((await payer.call<{ balance: number }>('GET', '/api/v1/wallet/balance')).body.balance).toBe(
      before.balance - 680,
    );
  });

  test('an analyst claims a blocked payment’s alert, inspects why it fired, and resolves it', async () => {
    const admin = await staffApi(server, 'admin');
    const changed = await admin.call('PUT', '/api/v1/staff/risk/rules/new_payee_large', {
      action: 'block',
      thresholds: { payeeAgeMs: 86_400_000, minAmountFen: 100 },
      reason: 'e2e: stop small payments to new shops',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    const merchantNumber = /\((M\d+)\)/.exec(server.output())?.[1];
    expect(merchantNumber).toBeTruthy();
    const payer = await holderApi(server, '13800138001');
    const prepared = await payer.call<{ payment: { id: string }; confirmation: { id: string } }>(
      'POST',
      '/api/v1/payments',
      { merchantNumber, amount: 500 },
      { 'idempotency-key': 'e2e-risk-1' },
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    expect(
      (await payer.call('POST', `/api/v1/confirmations/${prepared.body.confirmation.id}/pin`, { pin: DEMO_PIN }))
        .status,
    ).toBe(200);
    const refused = await payer.call<{ code: string }>(
      'POST',
      `/api/v1/payments/${prepared.body.payment.id}/complete`,
      { confirmationId: prepared.body.confirmation.id },
      { 'idempotency-key': 'e2e-risk-1-complete' },
    );
    expect(refused.body.code).toBe('RISK_BLOCKED');

    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'risk_analyst');
    await page.goto('/ops/risk');
    await page.getByRole('cell', { name: '付款已拦截' }).waitFor();
    await screenshot(page, 'ops-risk-queue');
    await page.getByRole('button', { name: '查看' }).first().click();
    await page.getByRole('button', { name: '领取' }).click();
    await page.getByTestId('reason-rule').getByText('首次收款方大额').first().waitFor();
    await screenshot(page, 'ops-risk-alert');
    await page.getByTestId('resolve-dismiss').click();
    await page.getByLabel('备注').fill('与商户核实，顾客本人消费');
    await page.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => page.getByText('已处理').count()).toBeGreaterThan(0);
    await screenshot(page, 'ops-risk-resolved');
    await context.close();
  });
});
