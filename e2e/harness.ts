import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { residentIdCheckChar } from '../server/identity/resident-id.js';

/**
 * Browser tests drive the real server (a child process on a free port with a fresh embedded
 * database) through Debian's chromium. Screenshots land in e2e/screenshots/ (git-ignored).
 */

export const ROOT = join(import.meta.dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
export const PASSWORD = 'river-lantern-42-moon';
/** Chromium is required in CI; on a laptop without it the browser tests are skipped. */
export const browserAvailable = existsSync(CHROMIUM) || process.env.CI === 'true';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `tongbao <command>` on a free port with its own data directory; resolves once it listens. */
export async function startServer(
  options: { command?: 'serve' | 'demo'; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-e2e-'));
  // A copy of the run's migrated database (global-setup.ts): the server finds nothing to migrate.
  const template = process.env.TONGBAO_E2E_TEMPLATE;
  if (template) cpSync(template, dataDir, { recursive: true });
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server', 'main.ts'), options.command ?? 'serve'],
    {
      cwd: ROOT,
      // localhost (not 127.0.0.1): passkeys need a domain as their relying party id.
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://localhost:${port}`,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        DATABASE_URL: '',
        // Browser tests check journeys, not load shedding (test/resilience.http.test.ts does that); a
        // busy CI machine must not shed their requests.
        TONGBAO_MAX_EVENT_LOOP_DELAY_MS: '0',
        // The insights pages' year of sample spending costs seconds at every demo start; only the
        // insights test needs it, and asks for it.
        TONGBAO_DEMO_SPENDING_MONTHS: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://localhost:${port}`;
  // A demo start migrates, seeds and serves: under a loaded 2-core machine that took over 2 minutes.
  const deadline = Date.now() + 240_000;
  while (!output.includes('is running at')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'],
  });
}

/** A phone-sized browser context (375×812), like a holder's own device, with its own cookies and storage. */
export async function phoneContext(
  browser: Browser,
  baseURL: string,
  options: { locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/**
 * A screenshot once the page has settled: its finite CSS animations ended and, for antd-mobile's
 * popups and sheets (animated by react-spring, which rewrites inline styles every frame, out of
 * reach of `getAnimations`), no style, class or child change for 120 ms. Bounded at 2 s, so a page
 * that never stops changing is taken as it is. Endless animations (spinners) are not waited for.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
    const deadline = new Promise((settle) => setTimeout(settle, 2_000));
    const ended = Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
    const quiet = new Promise<void>((settle) => {
      let timer = setTimeout(done, 120);
      const observer = new MutationObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(done, 120);
      });
      function done() {
        observer.disconnect();
        settle();
      }
      observer.observe(document.body, {
        attributes: true,
        attributeFilter: ['style', 'class'],
        childList: true,
        subtree: true,
      });
    });
    await Promise.race([Promise.all([ended, quiet]), deadline]);
  });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

let counter = 0;
/** A fresh valid mobile number and resident ID per call. */
export function newPerson(): { phone: string; idNumber: string } {
  counter++;
  const suffix = `${process.pid % 1000}`.padStart(3, '0') + `${counter}`.padStart(3, '0');
  const first17 = `11010119880512${String((process.pid + counter) % 1000).padStart(3, '0')}`;
  return { phone: `1390${suffix}${String(counter % 10)}`, idNumber: first17 + residentIdCheckChar(first17) };
}

/** The newest code texted to a phone, from the development SMS outbox (what a tester would read). */
export async function latestSmsCode(server: RunningServer, phone: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${server.url}/api/dev/outbox?phone=${phone}`);
    const body = (await response.json()) as { items: { phone: string; text: string; createdAt: string }[] };
    const newest = body.items
      .filter((m) => m.phone === phone)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const match = /(\d{6})/.exec(newest?.text ?? '');
    if (match) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`no SMS code for ${phone}`);
}

/** Types a 6-digit PIN on the on-screen number keyboard, key by key, by the keys' spoken names. */
export async function typePin(page: Page, pin: string): Promise<void> {
  const keyboard = page.locator('.adm-number-keyboard-wrapper').last();
  await keyboard.getByRole('button', { name: '1', exact: true }).waitFor();
  for (const digit of pin) await keyboard.getByRole('button', { name: digit, exact: true }).click();
}

/** Opens a wallet through the API inside a browser context and signs in (its cookies sign the context in). */
export async function registerInContext(
  context: BrowserContext,
  serverUrl: string,
  person: { phone: string; idNumber: string; name?: string },
): Promise<void> {
  const sent = await context.request.post(`${serverUrl}/api/v1/auth/sms-codes`, {
    data: { phone: person.phone, purpose: 'register' },
  });
  if (sent.status() !== 202) throw new Error(`sms-codes: ${sent.status()} ${await sent.text()}`);
  const code = await latestSmsCode({ url: serverUrl } as RunningServer, person.phone);
  const registered = await context.request.post(`${serverUrl}/api/v1/auth/register`, {
    data: {
      phone: person.phone,
      smsCode: code,
      idNumber: person.idNumber,
      name: person.name ?? '李四',
      password: PASSWORD,
      deviceId: 'e2e-device',
    },
  });
  if (registered.status() !== 202) throw new Error(`register: ${registered.status()} ${await registered.text()}`);
  // Registration answers alike whether or not it opened a wallet; signing in on the registering device starts the
  // session.
  const signedIn = await context.request.post(`${serverUrl}/api/v1/auth/login`, {
    data: { phone: person.phone, password: PASSWORD, deviceId: 'e2e-device' },
  });
  if (signedIn.status() !== 200)
    throw new Error(`login after registering: ${signedIn.status()} ${await signedIn.text()}`);
}

/** Calls the API with a browser context's session, as its page would (CSRF header included). */
export async function apiInContext<T>(
  context: BrowserContext,
  serverUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  data?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const csrf = (await context.cookies(serverUrl)).find((cookie) => cookie.name === 'tb_csrf')?.value ?? '';
  const response = await context.request.fetch(`${serverUrl}${path}`, {
    method,
    data,
    headers: { 'x-csrf-token': csrf, ...headers },
  });
  const text = await response.text();
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A card number with a valid Luhn check digit: prefix, then digits up to length − 1, then the check. */
export function luhnCard(prefix: string, length: number, last3 = '123'): string {
  const body = (prefix + '0'.repeat(length)).slice(0, length - 4) + last3;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Signs in a merchant's staff member through the merchant API and returns a bearer-token caller. */
export async function merchantClient(serverUrl: string, phone: string, password: string) {
  const login = await fetch(`${serverUrl}/api/v1/merchant/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password, client: 'api' }),
  });
  if (!login.ok) throw new Error(`merchant login: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; bytes: Buffer }> => {
    const response = await fetch(`${serverUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': crypto.randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      body: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null) as T,
      bytes,
    };
  };
}

/** Which build the test servers serve: the run's snapshot (see global-setup.ts) when there is one. */
export const servedWebDist = (): string => process.env.TONGBAO_WEB_DIST ?? join(ROOT, 'web', 'dist');
