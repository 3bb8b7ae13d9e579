import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningServer, latestSmsCode } from './harness.js';

/** Helpers for the console and merchant browser tests: demo staff with their TOTP secrets, desktop contexts. */

export const DEMO_PASSWORD = 'tongbao-demo-2026';
export const DEMO_STAFF_PHONES = {
  admin: '13900139000',
  support: '13900139001',
  kyc_reviewer: '13900139002',
  risk_analyst: '13900139003',
} as const;
export type DemoRole = keyof typeof DEMO_STAFF_PHONES;

export function demoStaffSecret(server: RunningServer, role: DemoRole): string {
  const staff = JSON.parse(readFileSync(join(server.dataDir, 'demo-staff.json'), 'utf8')) as {
    phone: string;
    totpSecret: string;
  }[];
  const found = staff.find((member) => member.phone === DEMO_STAFF_PHONES[role]);
  if (!found) throw new Error(`no demo staff for ${role}`);
  return found.totpSecret;
}

/** A desktop browser context, as staff use the console. */
export function desktopContext(browser: Browser, baseURL: string, locale = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale, timezoneId: 'Asia/Shanghai' });
}

// Each TOTP step may be used once per staff member: remember the last one used and wait for the next.
const lastStep = new Map<string, number>();

async function freshCode(secret: string): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if (lastStep.get(secret) !== step) {
      lastStep.set(secret, step);
      return generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Signs a demo staff member in on the console's sign-in page. */
export async function signInStaff(page: Page, server: RunningServer, role: DemoRole): Promise<void> {
  await page.goto('/ops/');
  await page.getByLabel('手机号').fill(DEMO_STAFF_PHONES[role]);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel('动态口令（6位）').fill(await freshCode(demoStaffSecret(server, role)));
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId(`role-${role}`).waitFor();
}

/** Signs merchant staff in on the merchant pages (phone-sized). */
export async function signInMerchant(page: Page, phone: string): Promise<void> {
  await page.goto('/merchant/');
  await page.getByRole('textbox', { name: '手机号' }).fill(phone);
  await page.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('today-gross').waitFor();
}

export interface Caller {
  token: string;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
}

function caller(server: RunningServer, token: string): Caller {
  return {
    token,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as never,
      };
    },
  };
}

/** A demo wallet holder signed in over the API from the demo's known device (no SMS step). */
export async function holderApi(server: RunningServer, phone: string): Promise<Caller> {
  const login = async (smsCode?: string) => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phone,
        password: DEMO_PASSWORD,
        deviceId: 'e2e-api-device',
        client: 'api',
        ...(smsCode ? { smsCode } : {}),
      }),
    });
    return (await response.json()) as { token?: string; code?: string };
  };
  let body = await login();
  // A device the holder never used asks for the texted code, read here from the development outbox.
  if (body.code === 'DEVICE_VERIFICATION_REQUIRED') body = await login(await latestSmsCode(server, phone));
  if (!body.token) throw new Error(`holder sign-in failed: ${JSON.stringify(body)}`);
  return caller(server, body.token);
}

/** Signs a demo holder in to the wallet in the browser, answering the new-device SMS step. */
export async function signInWallet(page: Page, server: RunningServer, phone: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('登录密码').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByText('这是您首次在此设备登录').waitFor();
  await page.getByLabel('短信验证码').fill(await latestSmsCode(server, phone));
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${server.url}/`);
}

/** A demo staff member signed in over the API (for setting a scene the browser then works in). */
export async function staffApi(server: RunningServer, role: DemoRole): Promise<Caller> {
  const response = await fetch(`${server.url}/api/v1/staff/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      phone: DEMO_STAFF_PHONES[role],
      password: DEMO_PASSWORD,
      totpCode: await freshCode(demoStaffSecret(server, role)),
      client: 'api',
    }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`staff sign-in failed: ${JSON.stringify(body)}`);
  return caller(server, body.token);
}
