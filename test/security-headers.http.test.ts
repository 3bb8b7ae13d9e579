import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { registerUser } from './identity-factories.js';
import { loadConfig } from '../server/config.js';
import { TEST_PII_KEY } from './app.js';

/** Security headers, the API docs switch, the proxy hop count and malformed static paths, through HTTP. */

let database: TestDatabase;
let local: TestApp;
let https: TestApp;
let behindOneProxy: TestApp;
let docsOff: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  local = await createTestApp({ database });
  https = await createTestApp({ database, config: { publicUrl: 'https://wallet.example.cn' } });
  behindOneProxy = await createTestApp({ database, config: { trustProxyHops: 1 } });
  docsOff = await createTestApp({ database, config: { apiDocs: false } });
});
afterAll(async () => {
  for (const app of [local, https, behindOneProxy, docsOff]) await app?.close();
  await database?.close();
});

describe('API answers', () => {
  it('are never cached and never sniffed, successes and problems alike', async () => {
    const user = await registerUser(local);
    for (const answer of [
      await local.app.inject({ url: '/api/v1/me', headers: user.auth }),
      await local.app.inject({ url: '/api/v1/me' }),
      await local.app.inject({ url: '/api/v1/no-such-route' }),
      await local.app.inject({ url: '/api/openapi.json' }),
    ]) {
      expect(answer.headers['cache-control'], answer.body).toBe('no-store');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('carry HSTS only when served over HTTPS', async () => {
    expect((await local.app.inject({ url: '/healthz' })).headers['strict-transport-security']).toBeUndefined();
    const secure = await https.app.inject({ url: '/api/v1/announcements' });
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect((await https.app.inject({ url: '/healthz' })).headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });
});

describe('API docs', () => {
  it('serve Swagger UI under a content security policy', async () => {
    const page = await local.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("object-src 'none'");
    // A plain-HTTP development origin must not upgrade the page's own requests to HTTPS.
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect((await https.app.inject({ url: '/docs' })).headers['content-security-policy']).toContain(
      'upgrade-insecure-requests',
    );
  });

  it('are not served when turned off, the default in production', async () => {
    const answer = await docsOff.app.inject({ url: '/docs/static/index.html' });
    expect([answer.statusCode, answer.json().code]).toEqual([404, 'NOT_FOUND']);
    expect((await docsOff.app.inject({ url: '/docs' })).statusCode).toBe(404);
    expect((await docsOff.app.inject({ url: '/api/openapi.json' })).statusCode).toBe(200);

    const sandboxes = {
      TONGBAO_ALLOW_SANDBOX: '1',
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
    const production = {
      NODE_ENV: 'production',
      ...sandboxes,
      TONGBAO_PIN_KEY: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
      DATA_DIR: '/nonexistent',
      TONGBAO_OPERATOR_TOKEN: 'op_'.padEnd(40, 'x'),
      TONGBAO_PII_KEY: TEST_PII_KEY.toString('base64'),
    };
    expect(loadConfig(production).apiDocs).toBe(false);
    expect(loadConfig({ ...production, TONGBAO_API_DOCS: 'on' }).apiDocs).toBe(true);
    expect(
      loadConfig({
        DATA_DIR: '/nonexistent',
        TONGBAO_OPERATOR_TOKEN: 'op_'.padEnd(40, 'x'),
        TONGBAO_PII_KEY: TEST_PII_KEY.toString('base64'),
      }).apiDocs,
    ).toBe(true);
    expect(() => loadConfig({ ...production, TONGBAO_API_DOCS: 'yes' })).toThrow(/TONGBAO_API_DOCS/);
  });
});

describe('client address behind proxies', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' };
  const sessionIp = async (t: TestApp) => {
    const user = await registerUser(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: forwarded,
      remoteAddress: '10.1.2.3',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const sessions = await t.app.inject({
      url: '/api/v1/me/sessions',
      headers: { authorization: `Bearer ${login.json().token}` },
    });
    return sessions.json().items.find((session: { current: boolean }) => session.current).ip as string;
  };

  it('ignores X-Forwarded-For by default (TRUST_PROXY=0)', async () => {
    expect(await sessionIp(local)).toBe('10.1.2.3');
  });

  it('believes exactly as many hops as configured, not what the client prepends', async () => {
    expect(await sessionIp(behindOneProxy)).toBe('198.51.100.7');
  });

  it('takes TRUST_PROXY as a bounded hop count', () => {
    const base = {
      DATA_DIR: '/tmp/tongbao-config-test',
      TONGBAO_OPERATOR_TOKEN: 'op_'.padEnd(40, 'x'),
      TONGBAO_PII_KEY: TEST_PII_KEY.toString('base64'),
    };
    expect(loadConfig(base).trustProxyHops).toBe(0);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxyHops).toBe(2);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
});

describe('static paths', () => {
  it('answer a malformed %-escape with 400, not 500', async () => {
    for (const url of ['/%E0%A4%A', '/wallet/%zz', '/ops/%']) {
      const answer = await local.app.inject({ url });
      expect(answer.statusCode, `${url}: ${answer.body}`).toBe(400);
      expect(answer.json().code).toBe('MALFORMED_REQUEST');
    }
  });
});
