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

/** A staging process: production mode, every outside system on its sandbox, allowed by the flag. */
const STAGING = {
  NODE_ENV: 'production',
  TONGBAO_ALLOW_SANDBOX: '1',
  TONGBAO_OPERATOR_TOKEN: 'op_e2e-staging-operator-token-0123456789',
  TONGBAO_PII_KEY: Buffer.alloc(32, 5).toString('base64'),
  TONGBAO_PIN_KEY: `k1:${Buffer.alloc(32, 6).toString('base64')}`,
  TONGBAO_SMS_ADAPTER: 'sandbox',
  TONGBAO_EMAIL_ADAPTER: 'sandbox',
  TONGBAO_DOCUMENT_CHECK_ADAPTER: 'sandbox',
  TONGBAO_CARD_NETWORK_ADAPTER: 'sandbox',
  TONGBAO_PAYOUT_RAIL_ADAPTER: 'sandbox',
  TONGBAO_BILL_NETWORK_ADAPTER: 'sandbox',
  TONGBAO_FUND_COMPANY_ADAPTER: 'sandbox',
  TONGBAO_CREDIT_BUREAU_ADAPTER: 'sandbox',
  TONGBAO_INTERBANK_NETWORK_ADAPTER: 'sandbox',
};

describe.skipIf(!browserAvailable)('staging with --allow-sandbox', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: STAGING }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'says so loudly at start, shows the bilingual banner on the wallet, merchant and ops pages, and has no dev ' +
      'outbox',
    async () => {
      expect(server.output()).toContain('SANDBOX MODE');
      const context = await phoneContext(browser, server.url);
      const page = await context.newPage();
      for (const path of ['/login', '/merchant/', '/ops/']) {
        await page.goto(path);
        const banner = page.getByTestId('sandbox-banner');
        await expect.poll(() => banner.isVisible()).toBe(true);
        await expect(banner.textContent()).resolves.toMatch(/沙箱测试环境[\s\S]*Sandbox test system/);
      }
      await screenshot(page, 'sandbox-banner-ops');
      expect((await fetch(`${server.url}/dev/outbox`)).status).toBe(404);
      await context.close();
    },
  );
});
