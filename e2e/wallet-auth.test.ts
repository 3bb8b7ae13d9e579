import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PASSWORD,
  type RunningServer,
  browserAvailable,
  latestSmsCode,
  launchBrowser,
  newPerson,
  phoneContext,
  registerInContext,
  screenshot,
  servedWebDist,
  startServer,
  typePin,
} from './harness.js';

describe.skipIf(!browserAvailable)('wallet: register, PIN, sign in on a new device', () => {
  let server: RunningServer;
  let browser: Browser;
  const person = newPerson();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('register → set PIN → home shows the balance', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/');
    await page.waitForURL('**/login');
    await screenshot(page, 'login');

    await page.getByRole('link', { name: '没有账户？立即开户' }).click();
    await page.waitForURL('**/register');
    await page.getByRole('heading', { name: '开通钱包' }).waitFor();
    await page.getByLabel('手机号').fill(person.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByTestId('dev-outbox-link').waitFor();
    const code = await latestSmsCode(server, person.phone);
    await page.getByLabel('短信验证码').fill(code);
    await page.getByLabel('真实姓名').fill('张三');
    await page.getByLabel('身份证号').fill(person.idNumber);
    const password = page.getByLabel('设置登录密码');
    await password.fill('password');
    // ASVS 2.1.8 and 2.1.12: a strength meter while typing, and the password can be shown.
    await expect.poll(() => page.getByTestId('password-strength').getAttribute('data-score')).toBe('0');
    await password.fill(PASSWORD);
    await expect
      .poll(async () => Number(await page.getByTestId('password-strength').getAttribute('data-score')))
      .toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: '显示密码' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: '隐藏密码' }).click();
    expect(await password.getAttribute('type')).toBe('password');
    await screenshot(page, 'register');
    await page.getByTestId('register-submit').click();

    // Registration goes password → PIN: the password just chosen is not asked for again.
    await page.waitForURL('**/security/pin?welcome=1');
    await page.getByText('请设置6位支付密码').waitFor();
    expect(await page.getByLabel('为了您的安全，请先输入登录密码').count()).toBe(0);
    await screenshot(page, 'pin-first');
    await typePin(page, '135790');
    await page.getByText('请再次输入，确认支付密码').waitFor();
    await screenshot(page, 'pin-repeat');
    await typePin(page, '135790');
    await page.getByText('支付密码设置成功').waitFor();
    await page.getByTestId('pin-done').click();

    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('set-pin-callout').count()).toBe(0);
    await screenshot(page, 'home');

    await page.getByRole('button', { name: '隐藏余额' }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('****');
    await page.getByRole('button', { name: '显示余额' }).click();
    await context.close();
  });

  test('registering details that already have a wallet says "check your phone", not that they are taken', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    const stranger = newPerson();
    await page.goto('/register');
    await page.getByLabel('手机号').fill(stranger.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByTestId('dev-outbox-link').waitFor();
    await page.getByLabel('短信验证码').fill(await latestSmsCode(server, stranger.phone));
    await page.getByLabel('真实姓名').fill('张三');
    await page.getByLabel('身份证号').fill(person.idNumber);
    await page.getByLabel('设置登录密码').fill(PASSWORD);
    await page.getByTestId('register-submit').click();
    await page.getByText('请查看手机短信').waitFor();
    await screenshot(page, 'register-check-phone');
    await page.getByRole('button', { name: '去登录' }).click();
    await page.waitForURL('**/login');
    await context.close();
  });

  test('signing in on a new device asks for the texted code', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('手机号').fill(person.phone);
    await page.getByLabel('登录密码').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByText('这是您首次在此设备登录').waitFor();
    await screenshot(page, 'login-new-device');
    const code = await latestSmsCode(server, person.phone);
    await page.getByLabel('短信验证码').fill(code);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${server.url}/`);
    await page.getByTestId('balance').waitFor();

    await page.getByRole('link', { name: '安全中心' }).click();
    await page.getByText('登录设备管理').click();
    await page.getByText('本机').waitFor();
    await screenshot(page, 'sessions');
    await context.close();
  });

  test('add a passkey, sign out, sign in with it (virtual authenticator)', async () => {
    const context = await phoneContext(browser, server.url);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const holder = newPerson();
    await registerInContext(context, server.url, holder);
    await page.goto('/security/passkeys');
    await page.getByRole('button', { name: '添加通行密钥' }).click();
    await page.getByLabel('名称').fill('测试手机');
    await page.getByLabel('为了您的安全，请先输入登录密码').fill(PASSWORD);
    await page.getByRole('button', { name: '验证并创建' }).click();
    await page.getByText('测试手机').waitFor();
    await screenshot(page, 'passkeys');

    await page.goto('/me');
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('手机号').fill(holder.phone);
    await page.getByRole('button', { name: '使用通行密钥登录' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥0.00');
    await context.close();
  });
});
