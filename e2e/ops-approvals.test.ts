import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, browserAvailable, launchBrowser, screenshot, startServer } from './harness.js';
import { desktopContext, holderApi, signInStaff, staffApi } from './ops-support.js';

/** Maker-checker in the console: a reviewer asks for a tier change, an admin approves it; a weakened rule waits. */
describe.skipIf(!browserAvailable)('pending approvals in the console', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a tier change asked by one reviewer takes effect only when a second person approves it', async () => {
    const holder = await holderApi(server, '13800138001');
    const reviewer = await desktopContext(browser, server.url);
    const page = await reviewer.newPage();
    await signInStaff(page, server, 'kyc_reviewer');
    await page.goto('/ops/customers');
    await page.getByTestId('lookup-input').fill('13800138001');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '查看' }).click();
    await page.getByTestId('change-tier').click();
    await page.getByLabel('原因').fill('已在网点0101面签核实');
    await screenshot(page, 'ops-tier-change-ask');
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByText('已提交，需另一位审核员复核后生效。').waitFor();
    expect((await holder.call<{ tier: string }>('GET', '/api/v1/me')).body.tier).toBe('basic');
    // The maker sees their own request waiting, without buttons to approve it.
    await page.goto('/ops/kyc');
    await page.getByTestId('pending-approvals').getByText('等待另一位人员复核').waitFor();
    await reviewer.close();

    const adminContext = await desktopContext(browser, server.url);
    const admin = await adminContext.newPage();
    await signInStaff(admin, server, 'admin');
    await admin.goto('/ops/kyc');
    const pending = admin.getByTestId('pending-approvals');
    await pending.getByText('已在网点0101面签核实').waitFor();
    await screenshot(admin, 'ops-kyc-pending-approval');
    await pending.getByRole('button', { name: '通过' }).click();
    await admin.getByLabel('备注').fill('面签记录已核对');
    await admin.getByRole('button', { name: '确认' }).click();
    await pending.getByText('没有待复核的变更').waitFor();
    await expect.poll(async () => (await holder.call<{ tier: string }>('GET', '/api/v1/me')).body.tier).toBe('full');
    await adminContext.close();
  });

  test('disabling a risk rule waits for a second admin (English console)', async () => {
    const admin = await staffApi(server, 'admin');
    const asked = await admin.call<{ approval: { id: string } }>('PUT', '/api/v1/staff/risk/rules/night_large', {
      enabled: false,
      reason: 'too many night holds this week',
    });
    expect(asked.status).toBe(202);
    const context = await desktopContext(browser, server.url);
    const page = await context.newPage();
    await signInStaff(page, server, 'admin');
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto('/ops/risk');
    const pending = page.getByTestId('pending-approvals');
    await pending.getByText('too many night holds this week').waitFor();
    await pending.getByText('Waiting for someone else to decide').waitFor();
    await screenshot(page, 'ops-risk-pending-approval');
    const rules = await admin.call<{ items: { rule: string; enabled: boolean }[] }>('GET', '/api/v1/staff/risk/rules');
    expect(rules.body.items.find((rule) => rule.rule === 'night_large')?.enabled).toBe(true);
    await context.close();
  });
});
