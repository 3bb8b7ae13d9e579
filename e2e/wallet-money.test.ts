import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_MERCHANTS, DEMO_PASSWORD } from '../server/demo/seed.js';
import { jpeg } from '../test/kyc-factories.js';
import {
  PASSWORD,
  type RunningServer,
  apiInContext,
  browserAvailable,
  latestSmsCode,
  launchBrowser,
  luhnCard,
  merchantClient,
  newPerson,
  phoneContext,
  registerInContext,
  screenshot,
  startServer,
  typePin,
} from './harness.js';

const PIN = '258036';

/**
 * Money through the wallet app against the real server (demo data for merchants): link a card,
 * top up, pay a merchant's dynamic QR decoded from an image, see it in records, send money to a
 * friend, pay with the payment code, and find paying refused once the wallet is frozen.
 */
describe.skipIf(!browserAvailable)('wallet: money flows in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let merchant: Awaited<ReturnType<typeof merchantClient>>;
  const payer = newPerson();
  const friend = newPerson();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ command: 'demo' }), launchBrowser()]);
    merchant = await merchantClient(server.url, DEMO_MERCHANTS[0].ownerPhone, DEMO_PASSWORD);
    context = await phoneContext(browser, server.url);
    // The app's device id is the one registration used: this is the holder's own, known phone.
    await context.addInitScript(() => localStorage.setItem('tb_device_id', 'e2e-device'));
    await registerInContext(context, server.url, { ...payer, name: '李四' });
    await apiInContext(context, server.url, 'PUT', '/api/v1/me/pin', { newPin: PIN, password: PASSWORD });
    const friendContext = await phoneContext(browser, server.url);
    await registerInContext(friendContext, server.url, { ...friend, name: '王五' });
    await friendContext.close();
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('link a card with the code the bank texts', async () => {
    await page.goto('/');
    await page.getByTestId('tile-cards').click();
    await page.getByTestId('add-card').click();
    await page.getByLabel('卡号').fill(luhnCard('622202', 19));
    await page.getByLabel('持卡人').fill('李四');
    await page.getByLabel('银行预留手机号').fill(payer.phone);
    await page.getByTestId('card-submit').click();
    await page.getByText('银行已向预留手机号发送验证码').waitFor();
    await page.getByLabel('银行短信验证码').fill(await latestSmsCode(server, payer.phone));
    await screenshot(page, 'card-code');
    await page.getByTestId('card-confirm').click();
    await page.getByText('银行卡绑定成功').waitFor();
    await page.getByTestId('card-added-done').click();
    await page.getByTestId('bank-card').first().waitFor();
    await screenshot(page, 'cards');
  });

  test('verify my identity (same-name card linked): ID card and selfie uploaded; tier and limits rise', async () => {
    await page.goto('/');
    await page.getByTestId('tile-verify').click();
    expect(await page.getByTestId('tier').textContent()).toContain('基础账户');
    const files = { front: jpeg(), back: jpeg(), selfie: jpeg() };
    for (const [side, bytes] of Object.entries(files)) {
      const file = join(server.dataDir, `kyc-${side}.jpg`);
      writeFileSync(file, bytes);
      await page.getByTestId(`kyc-${side}`).setInputFiles(file);
    }
    await screenshot(page, 'verify-upload');
    await page.getByTestId('kyc-submit').click();
    await page.getByText('已通过').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('tier').textContent()).toContain('实名账户');
    await screenshot(page, 'verify-approved');
  });

  test('top up ¥500.00 and see the balance', async () => {
    await page.goto('/topup');
    await page.getByTestId('amount').locator('input').fill('500');
    await page.getByTestId('topup-submit').click();
    await expect
      .poll(() => page.getByTestId('order-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('succeeded');
    await screenshot(page, 'topup-done');
    await page.goto('/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥500.00');
  });

  test('withdraw ¥50.00 to the card, approved with the PIN pad', async () => {
    await page.goto('/withdraw');
    await page.getByTestId('amount').locator('input').fill('50');
    await screenshot(page, 'withdraw');
    await page.getByTestId('withdraw-submit').click();
    await typePin(page, PIN);
    await expect
      .poll(() => page.getByTestId('order-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('succeeded');
    await screenshot(page, 'withdraw-done');
    await page.goto('/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥450.00');
  });

  test("pay a merchant's dynamic QR code decoded from an image, with the PIN pad", async () => {
    const qr = await merchant<{ id: string; payload: string }>('POST', '/api/v1/merchant/qr-codes', {
      kind: 'dynamic',
      amount: 8850,
      orderReference: 'E2E-ORDER-1',
    });
    expect(qr.status).toBe(201);
    const image = await merchant('GET', `/api/v1/merchant/qr-codes/${qr.body.id}/image.png`);
    expect(image.status).toBe(200);
    const file = join(server.dataDir, 'dynamic-qr.png');
    writeFileSync(file, image.bytes);

    await page.goto('/');
    await page.getByTestId('tile-scan').click();
    await page.getByTestId('qr-file').setInputFiles(file);
    await page.getByTestId('merchant-preview').waitFor();
    expect(await page.getByTestId('merchant-preview').textContent()).toContain(DEMO_MERCHANTS[0].name);
    expect(await page.getByTestId('fixed-amount').textContent()).toBe('¥88.50');
    await screenshot(page, 'scan-preview');
    await page.getByTestId('pay-submit').click();
    await page.getByRole('dialog').getByText('¥88.50').waitFor();
    await screenshot(page, 'pin-pad');
    await typePin(page, PIN);
    await page.getByTestId('payment-status').waitFor();
    await screenshot(page, 'scan-paid');

    await page.goto('/records');
    await page.getByTestId('records').getByText('-¥88.50').waitFor();
    await screenshot(page, 'records');
    await page.getByTestId('records').getByText('-¥88.50').click();
    await expect.poll(() => page.getByTestId('detail-amount').textContent()).toBe('-¥88.50');
    await screenshot(page, 'record-detail');
  });

  test('send money to a friend, who is shown by masked name', async () => {
    await page.goto('/transfer');
    await page.getByLabel('对方手机号').fill(friend.phone);
    await page.getByTestId('payee-next').click();
    await expect.poll(() => page.getByTestId('payee').textContent()).toContain('*五');
    await page.getByTestId('amount').locator('input').fill('20');
    await page.getByLabel('转账说明（可选）').fill('还你的书钱');
    await screenshot(page, 'transfer');
    await page.getByTestId('transfer-submit').click();
    await typePin(page, PIN);
    await expect.poll(() => page.getByTestId('transfer-status').textContent()).toBe('转账成功');
    await screenshot(page, 'transfer-done');
  });

  test('a merchant charges the payment code; the holder confirms with the PIN', async () => {
    await page.goto('/pay-code');
    // A device without a seed: the payment code asks for the PIN before the server mints one.
    await page.getByTestId('pin-input').waitFor();
    await screenshot(page, 'paycode-enable');
    await typePin(page, PIN);
    await page.getByTestId('paycode-qr').waitFor();
    await page.getByTestId('paycode-digits').click();
    const code = ((await page.getByTestId('paycode-digits').textContent()) ?? '').replace(/\D/g, '');
    expect(code).toMatch(/^\d{18}$/);
    await screenshot(page, 'paycode');
    const charge = await merchant<{ status: string }>('POST', '/api/v1/merchant/charges', { code, amount: 1200 });
    expect(charge.status, JSON.stringify(charge.body)).toBeLessThan(300);
    if (charge.body.status !== 'completed') {
      // The PIN sheet opens by itself: nothing to notice and tap first.
      await page.getByTestId('pin-input').waitFor();
      await screenshot(page, 'paycode-pin-sheet');
      await typePin(page, PIN);
    }
    await page.getByTestId('paycode-charged').waitFor({ timeout: 20_000 });
    await screenshot(page, 'paycode-charged');
    // The security centre lists this device, turned on and just used.
    await page.goto('/security');
    await page.getByTestId('paycode-devices-entry').waitFor();
    await screenshot(page, 'security-paycode-devices');
    await page.getByTestId('paycode-devices-entry').click();
    await page.getByTestId('paycode-devices').getByText('本机').waitFor();
    await expect.poll(() => page.getByTestId('paycode-devices').textContent()).toContain('最近使用');
    await screenshot(page, 'paycode-devices');
    await page.goto('/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥329.50');
  });

  test('a payment held by the risk engine is confirmed by the holder ("was this you?")', async () => {
    // A password change makes payments to payees never paid before wait for confirmation (post_reset rule).
    await page.goto('/security/password');
    await page.getByLabel('当前登录密码').fill(PASSWORD);
    await page.getByLabel('设置登录密码').fill('amber-harbor-77-kite');
    await page.getByLabel('再次输入新密码').fill('amber-harbor-77-kite');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('登录密码已修改').waitFor();

    const other = await merchantClient(server.url, DEMO_MERCHANTS[1].ownerPhone, DEMO_PASSWORD);
    const qr = await other<{ id: string }>('POST', '/api/v1/merchant/qr-codes', {
      kind: 'dynamic',
      amount: 1500,
      orderReference: 'E2E-HELD-1',
    });
    const file = join(server.dataDir, 'held-qr.png');
    writeFileSync(file, (await other('GET', `/api/v1/merchant/qr-codes/${qr.body.id}/image.png`)).bytes);
    await page.goto('/scan');
    await page.getByTestId('qr-file').setInputFiles(file);
    await page.getByTestId('pay-submit').click();
    await typePin(page, PIN);
    await page.waitForURL('**/held/latest');
    await page.getByTestId('held-approve').waitFor();
    await screenshot(page, 'held');
    await page.getByTestId('held-approve').click();
    await typePin(page, PIN);
    await page.getByText('已确认，交易继续处理').waitFor();
    await page.goto('/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥314.50');
  });

  test('a frozen wallet cannot pay', async () => {
    await page.goto('/security');
    await page.getByTestId('freeze-entry').click();
    await page.getByTestId('freeze-now').click();
    // The confirm dialog's own button: the page's button of the same name sits under the dialog's mask.
    await page.locator('.adm-dialog').getByRole('button', { name: '立即冻结' }).click();
    await page.getByText('钱包已冻结').first().waitFor();
    await screenshot(page, 'frozen');

    const qr = await merchant<{ id: string }>('POST', '/api/v1/merchant/qr-codes', {
      kind: 'dynamic',
      amount: 1000,
      orderReference: 'E2E-ORDER-2',
    });
    const file = join(server.dataDir, 'dynamic-qr-2.png');
    writeFileSync(file, (await merchant('GET', `/api/v1/merchant/qr-codes/${qr.body.id}/image.png`)).bytes);
    await page.goto('/scan');
    await page.getByTestId('qr-file').setInputFiles(file);
    await page.getByTestId('pay-submit').click();
    await page.getByText('账户已冻结').first().waitFor();
    await screenshot(page, 'frozen-pay-refused');
    await page.goto('/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('¥314.50');
  });

  test('a feature in maintenance says so, with the announcement', async () => {
    const staff = JSON.parse(readFileSync(join(server.dataDir, 'demo-staff.json'), 'utf8')) as {
      phone: string;
      roles: string[];
      totpSecret: string;
    }[];
    const admin = staff.find((member) => member.roles.includes('admin'));
    if (!admin) throw new Error('no demo admin');
    const login = await fetch(`${server.url}/api/v1/staff/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phone: admin.phone,
        password: DEMO_PASSWORD,
        totpCode: await generate({ secret: admin.totpSecret }),
        client: 'api',
      }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const now = Date.now();
    const scheduled = await fetch(`${server.url}/api/v1/ops/maintenance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        feature: 'transfers',
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        titleZh: '转账系统升级',
        titleEn: 'Transfer upgrade',
        messageZh: '转账服务暂停一小时，其他功能正常使用。',
        messageEn: 'Transfers pause for an hour; everything else works.',
      }),
    });
    expect(scheduled.status, await scheduled.clone().text()).toBeLessThan(300);

    await page.goto('/');
    await page.getByTestId('announcements').getByText('转账系统升级').waitFor();
    await screenshot(page, 'home-announcement');
    await page.goto('/transfer');
    await page.getByLabel('对方手机号').fill(friend.phone);
    await page.getByTestId('payee-next').click();
    await page.getByRole('alert').getByText('转账服务暂停一小时').waitFor();
    await screenshot(page, 'maintenance');
  });
});
