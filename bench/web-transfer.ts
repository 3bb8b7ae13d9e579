import type { BrowserContext, Page } from 'playwright-core';
import {
  PASSWORD,
  apiInContext,
  browserAvailable,
  launchBrowser,
  newPerson,
  phoneContext,
  registerInContext,
  startServer,
  typePin,
} from '../e2e/harness.js';

/**
 * Bytes a cold load of a wallet page transfers over HTTP from the real server (`tongbao serve`),
 * compressed as served: chromium's encoded length of every response body (API calls included;
 * the HTTP headers are reported beside, not counted), with the HTTP cache disabled and the
 * service worker blocked. A signed-in holder with a payment code already enabled on the device,
 * so the payment-code page draws its barcode.
 */
const PIN = '258036';

async function coldLoadBytes(context: BrowserContext, path: string, ready: (page: Page) => Promise<unknown>) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let headers = 0;
  const headerBytes = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (event: { requestId: string; request: { url: string } }) => {
    urls.set(event.requestId, event.request.url);
  });
  // At the response, the bytes received so far are the status line and headers.
  cdp.on('Network.responseReceived', (event: { requestId: string; response: { encodedDataLength: number } }) => {
    headerBytes.set(event.requestId, event.response.encodedDataLength);
  });
  cdp.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) => {
    const head = headerBytes.get(event.requestId) ?? 0;
    bytes += event.encodedDataLength - head;
    headers += head;
    if (process.argv.includes('--verbose'))
      console.log(
        `  ${(event.encodedDataLength / 1024).toFixed(1).padStart(7)} KB  ${path} ← ${urls.get(event.requestId)}`,
      );
  });
  await page.goto(path);
  await ready(page);
  await page.waitForLoadState('networkidle');
  const total = { bytes, headers };
  await page.close();
  return total;
}

export async function measureWebTransfer(): Promise<{
  homeKb: number;
  payCodeKb: number;
  headersKb: { home: number; payCode: number };
} | null> {
  if (!browserAvailable) return null;
  const [server, browser] = await Promise.all([startServer({ command: 'serve' }), launchBrowser()]);
  try {
    const context = await phoneContext(browser, server.url);
    await context.addInitScript(() => localStorage.setItem('tb_device_id', 'e2e-device'));
    await registerInContext(context, server.url, newPerson());
    await apiInContext(context, server.url, 'PUT', '/api/v1/me/pin', { newPin: PIN, password: PASSWORD });
    // Enable the payment code on this device once (warm), so the cold load below draws it.
    const warm = await context.newPage();
    await warm.goto('/pay-code');
    await typePin(warm, PIN);
    await warm.getByTestId('paycode-qr').waitFor();
    await warm.close();
    const measuring = await browser.newContext({
      ...(await context.storageState().then((state) => ({ storageState: state }))),
      baseURL: server.url,
      viewport: { width: 375, height: 812 },
      isMobile: true,
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    const home = await coldLoadBytes(measuring, '/', (page) => page.getByTestId('balance').waitFor());
    const payCode = await coldLoadBytes(measuring, '/pay-code', (page) =>
      page.getByTestId('paycode-barcode').waitFor(),
    );
    return {
      homeKb: home.bytes / 1024,
      payCodeKb: payCode.bytes / 1024,
      headersKb: { home: home.headers / 1024, payCode: payCode.headers / 1024 },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
