import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type RunningServer,
  browserAvailable,
  launchBrowser,
  phoneContext,
  screenshot,
  startServer,
} from './harness.js';
import { desktopContext, holderApi, signInStaff, signInWallet } from './ops-support.js';

/**
 * Every customer-service page of issue 19, in zh-CN and English, on the demo data (张伟's ticket and
 * dispute): each shows its title in the page's language and no untranslated message key. Screenshots of
 * each land in e2e/screenshots/tour-support-*.png for a person to look at.
 */

const HOLDER = '13800138000';
const HAN = /[\u4e00-\u9fff]/;
// An i18n key shown as text: "support.prefs.categories.credit", "help.categories.x".
const RAW_KEY = /\b(support|fields|auth|common|security|help)\.[a-z][\w]*(\.[\w]+)+\b/;

async function useLanguage(page: Page, lang: string): Promise<void> {
  await page.evaluate((value) => localStorage.setItem('tb_lang', value), lang);
  await page.reload();
}

async function look(page: Page, name: string, lang: 'zh-CN' | 'en'): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  const title = (await page.locator('h1').first().textContent()) ?? '';
  if (lang === 'en') expect(title, `${name}: title in English`).not.toMatch(HAN);
  else expect(title, `${name}: title in Chinese`).toMatch(HAN);
  const body = (await page.locator('body').innerText()) ?? '';
  expect(body, `${name}: no message key shown`).not.toMatch(RAW_KEY);
  await screenshot(page, `tour-support-${name}-${lang}`);
}

describe.skipIf(!browserAvailable)('customer service: every page in both languages', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the wallet pages', async () => {
    const api = await holderApi(server, HOLDER);
    const tickets = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/support/tickets');
    const ticketId = tickets.body.items[0]?.id;
    expect(ticketId).toBeTruthy();
    const disputes = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/support/disputes');
    const disputeId = disputes.body.items[0]?.id;
    expect(disputeId).toBeTruthy();

    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await signInWallet(page, server, HOLDER);
    // Each page, and what it must show besides its title.
    const pages: [string, string, string?][] = [
      ['contact', '/support/contact'],
      ['help', '/help'],
      ['article', '/help/payment-failed'],
      ['tips', '/help/security-tips'],
      ['tickets', '/support/tickets'],
      ['ticket', `/support/tickets/${ticketId}`],
      ['new-ticket', '/support/tickets/new?category=payment_failed'],
      ['why', '/support/why?code=INSUFFICIENT_FUNDS&channel=transfer&amount=900000', 'explanation'],
      // Not short: the wallet holds more than one fen, so the card has no "short by" figure (null).
      ['why-not-short', '/support/why?code=INSUFFICIENT_FUNDS&channel=transfer&amount=1', 'explanation'],
      ['why-other', '/support/why?code=PAYMENT_EXPIRED&channel=payment', 'explanation'],
      ['dispute', `/support/disputes/${disputeId}`, 'dispute-merchant'],
      ['cases', '/support/cases'],
      ['restrictions', '/me/restrictions'],
      ['pin-reset', '/security/pin/reset'],
      ['preferences', '/notifications/settings'],
      ['email', '/security/email'],
    ];
    for (const lang of ['zh-CN', 'en'] as const) {
      await useLanguage(page, lang);
      for (const [name, path, shows] of pages) {
        await page.goto(path);
        if (shows) await page.getByTestId(shows).waitFor();
        await look(page, name, lang);
      }
      await page.goto(`/support/disputes/${disputeId}`);
      expect(await page.getByTestId('dispute-merchant').textContent()).toContain(lang === 'en' ? 'Merchant' : '商户');
      expect(await page.getByTestId('dispute-merchant').textContent()).toMatch(/面馆/);
    }
    await context.close();

    const signedOut = await phoneContext(browser, server.url);
    const visitor = await signedOut.newPage();
    await visitor.goto('/forgot-password');
    for (const lang of ['zh-CN', 'en'] as const) {
      await useLanguage(visitor, lang);
      await look(visitor, 'forgot-password', lang);
    }
    await signedOut.close();
  });

  test('the console pages', async () => {
    const staff = await desktopContext(browser, server.url);
    const desk = await staff.newPage();
    await desk.setViewportSize({ width: 1440, height: 900 });
    await signInStaff(desk, server, 'support');
    for (const lang of ['zh-CN', 'en'] as const) {
      await useLanguage(desk, lang);
      for (const [name, path] of [
        ['queue', '/ops/support'],
        ['dashboard', '/ops/support/dashboard'],
        ['articles', '/ops/support/articles'],
      ]) {
        await desk.goto(path);
        await desk.locator('.ant-tabs-tab-active').waitFor();
        await desk.waitForLoadState('networkidle');
        const body = await desk.locator('body').innerText();
        expect(body, `${name}: no message key shown`).not.toMatch(RAW_KEY);
        if (lang === 'en') expect(await desk.locator('.ant-tabs-tab-active').textContent()).not.toMatch(HAN);
        await screenshot(desk, `tour-support-ops-${name}-${lang}`);
      }
      await desk.goto('/ops/support');
      await desk.locator('[data-testid^="queue-row-"]').first().click();
      await desk.getByTestId('desk-subject').waitFor();
      await desk.waitForLoadState('networkidle');
      await screenshot(desk, `tour-support-ops-desk-${lang}`);
    }
    await staff.close();
  });
});
