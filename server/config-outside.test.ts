import { describe, expect, it } from 'vitest';
import { OutsideSystemsConfigError, loadOutsideSystems } from './config-outside.js';
import { loadConfig } from './config.js';

const SECRET = 's'.repeat(40);
/** Every outside system configured with a real https adapter. */
function realAdapters(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    TONGBAO_CARD_NETWORK_CALLBACK_SECRET: 'c'.repeat(40),
    TONGBAO_INTERBANK_NETWORK_CALLBACK_SECRET: 'i'.repeat(40),
  };
  for (const prefix of [
    'SMS',
    'EMAIL',
    'DOCUMENT_CHECK',
    'CARD_NETWORK',
    'PAYOUT_RAIL',
    'BILL_NETWORK',
    'FUND_COMPANY',
    'CREDIT_BUREAU',
    'INTERBANK_NETWORK',
  ]) {
    env[`TONGBAO_${prefix}_URL`] = `https://${prefix.toLowerCase().replace('_', '-')}.example.com/api/`;
    env[`TONGBAO_${prefix}_KEY_ID`] = 'tongbao-prod';
    env[`TONGBAO_${prefix}_SECRET`] = SECRET;
  }
  return { ...env, ...overrides };
}
const production = { production: true, allowSandbox: false };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof OutsideSystemsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('outside systems configuration', () => {
  it('refuses production without adapters, listing every missing setting', () => {
    const problems = problemsOf(() => loadOutsideSystems({}, production));
    const systems: Record<string, string> = {
      SMS: 'SMS gateway',
      EMAIL: 'e-mail gateway',
      DOCUMENT_CHECK: 'identity document check',
      CARD_NETWORK: 'bank card network',
      PAYOUT_RAIL: 'interbank payout rail',
      BILL_NETWORK: 'bill network',
      FUND_COMPANY: 'fund company',
      CREDIT_BUREAU: 'credit bureau',
      INTERBANK_NETWORK: 'interbank network',
    };
    for (const name of Object.keys(systems)) {
      expect(problems).toContain(`TONGBAO_${name}_URL is missing ` + `(${systems[name]})`);
      expect(problems.some((problem) => problem.startsWith(`TONGBAO_${name}_KEY_ID is missing`))).toBe(true);
      expect(problems.some((problem) => problem.startsWith(`TONGBAO_${name}_SECRET is missing`))).toBe(true);
    }
    expect(problems.some((problem) => problem.startsWith('TONGBAO_CARD_NETWORK_CALLBACK_SECRET is missing'))).toBe(
      true,
    );
    expect(problems).toContain(
      'TONGBAO_INTERBANK_NETWORK_CALLBACK_SECRET is missing (interbank network notifications)',
    );
  });

  it('passes production with valid https settings', () => {
    const systems = loadOutsideSystems(realAdapters({ TONGBAO_SMS_TIMEOUT_MS: '3000' }), production);
    expect(systems.sms).toEqual({
      kind: 'http',
      settings: { baseUrl: 'https://sms.example.com/api', keyId: 'tongbao-prod', secret: SECRET, timeoutMs: 3000 },
    });
    expect(systems.cardNetwork).toMatchObject({
      kind: 'http',
      callbackSecret: 'c'.repeat(40),
      settings: { baseUrl: 'https://card-network.example.com/api', timeoutMs: 10_000 },
    });
    expect(systems.documentCheck.kind).toBe('http');
    expect(systems.payoutRail.kind).toBe('http');
    expect(systems.creditBureau).toEqual({
      kind: 'http',
      settings: {
        baseUrl: 'https://credit-bureau.example.com/api',
        keyId: 'tongbao-prod',
        secret: SECRET,
        timeoutMs: 10_000,
      },
    });
  });

  it('refuses production with the credit bureau on a sandbox, over http:// or without its secret', () => {
    expect(
      problemsOf(() => loadOutsideSystems(realAdapters({ TONGBAO_CREDIT_BUREAU_ADAPTER: 'sandbox' }), production)),
    ).toEqual([
      'TONGBAO_CREDIT_BUREAU_ADAPTER=sandbox: the credit bureau sandbox never runs in production ' +
        'without --allow-sandbox',
    ]);
    expect(
      problemsOf(() =>
        loadOutsideSystems(
          realAdapters({
            TONGBAO_CREDIT_BUREAU_URL: 'http://bureau.example.com',
            TONGBAO_CREDIT_BUREAU_SECRET: '',
            TONGBAO_CREDIT_BUREAU_KEY_ID: '',
          }),
          production,
        ),
      ),
    ).toEqual([
      'TONGBAO_CREDIT_BUREAU_KEY_ID is missing (credit bureau)',
      'TONGBAO_CREDIT_BUREAU_URL must use https:// in production',
      'TONGBAO_CREDIT_BUREAU_SECRET is missing (credit bureau)',
    ]);
    const staging = loadOutsideSystems(realAdapters({ TONGBAO_CREDIT_BUREAU_ADAPTER: 'sandbox' }), {
      production: true,
      allowSandbox: true,
    });
    expect(staging.creditBureau).toEqual({ kind: 'sandbox' });
  });

  it('refuses http:// URLs, credentials in URLs, short secrets and bad timeouts in production', () => {
    const problems = problemsOf(() =>
      loadOutsideSystems(
        realAdapters({
          TONGBAO_SMS_URL: 'http://sms.example.com',
          TONGBAO_DOCUMENT_CHECK_URL: 'https://user:pw@ocr.example.com',
          TONGBAO_CARD_NETWORK_SECRET: 'short',
          TONGBAO_PAYOUT_RAIL_TIMEOUT_MS: '0',
        }),
        production,
      ),
    );
    expect(problems).toEqual([
      'TONGBAO_SMS_URL must use https:// in production',
      'TONGBAO_DOCUMENT_CHECK_URL must not carry credentials (use the _KEY_ID and _SECRET variables)',
      'TONGBAO_CARD_NETWORK_SECRET must be at least 32 characters',
      'TONGBAO_PAYOUT_RAIL_TIMEOUT_MS must be an integer between 100 and 120000, got "0"',
    ]);
  });

  it('validates the e-mail gateway like the others: https in production, a key id, a long secret', () => {
    expect(loadOutsideSystems(realAdapters(), production).email).toEqual({
      kind: 'http',
      settings: { baseUrl: 'https://email.example.com/api', keyId: 'tongbao-prod', secret: SECRET, timeoutMs: 10_000 },
    });
    const problems = problemsOf(() =>
      loadOutsideSystems(
        realAdapters({
          TONGBAO_EMAIL_URL: 'http://mail.example.com',
          TONGBAO_EMAIL_KEY_ID: '',
          TONGBAO_EMAIL_SECRET: 'short',
        }),
        production,
      ),
    );
    expect(problems).toEqual([
      'TONGBAO_EMAIL_KEY_ID is missing (e-mail gateway)',
      'TONGBAO_EMAIL_URL must use https:// in production',
      'TONGBAO_EMAIL_SECRET must be at least 32 characters',
    ]);
    expect(
      problemsOf(() => loadOutsideSystems(realAdapters({ TONGBAO_EMAIL_ADAPTER: 'sandbox' }), production)),
    ).toEqual([
      'TONGBAO_EMAIL_ADAPTER=sandbox: the e-mail gateway sandbox never runs in production without --allow-sandbox',
    ]);
    expect(loadOutsideSystems({}, { production: false, allowSandbox: false }).email).toEqual({ kind: 'sandbox' });
  });

  it('refuses a sandbox in production unless the staging flag allows it', () => {
    const env = realAdapters({ TONGBAO_SMS_ADAPTER: 'sandbox' });
    expect(problemsOf(() => loadOutsideSystems(env, production))).toEqual([
      'TONGBAO_SMS_ADAPTER=sandbox: the SMS gateway sandbox never runs in production without --allow-sandbox',
    ]);
    expect(loadOutsideSystems(env, { production: true, allowSandbox: true }).sms).toEqual({ kind: 'sandbox' });
    expect(problemsOf(() => loadOutsideSystems(realAdapters({ TONGBAO_SMS_ADAPTER: 'fake' }), production))).toEqual([
      'TONGBAO_SMS_ADAPTER must be "http" or "sandbox", got "fake"',
    ]);
  });

  it('uses sandboxes in development unless a URL is set, and allows http:// there', () => {
    const systems = loadOutsideSystems(
      { TONGBAO_SMS_URL: 'http://127.0.0.1:9000', TONGBAO_SMS_KEY_ID: 'dev', TONGBAO_SMS_SECRET: SECRET },
      { production: false, allowSandbox: false },
    );
    expect(systems.sms).toMatchObject({ kind: 'http', settings: { baseUrl: 'http://127.0.0.1:9000' } });
    expect([
      systems.documentCheck,
      systems.cardNetwork,
      systems.payoutRail,
      systems.billNetwork,
      systems.fundCompany,
      systems.creditBureau,
    ]).toEqual([
      { kind: 'sandbox' },
      { kind: 'sandbox' },
      { kind: 'sandbox' },
      { kind: 'sandbox' },
      { kind: 'sandbox' },
      { kind: 'sandbox' },
    ]);
  });

  it('makes loadConfig refuse production without adapters, and take the staging flag from the environment', () => {
    const base = {
      NODE_ENV: 'production',
      TONGBAO_OPERATOR_TOKEN: 'o'.repeat(40),
      TONGBAO_PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      DATA_DIR: '/nonexistent-tongbao',
      TONGBAO_PIN_KEY: `k1:${Buffer.alloc(32, 2).toString('base64')}`,
    };
    expect(() => loadConfig(base)).toThrow(/Refusing to start[\s\S]*TONGBAO_SMS_URL is missing/);
    const config = loadConfig({ ...base, ...realAdapters() });
    expect(config.outsideSystems.sms.kind).toBe('http');
    expect(config.allowSandbox).toBe(false);
    const staging = loadConfig({
      ...base,
      ...realAdapters({ TONGBAO_CARD_NETWORK_ADAPTER: 'sandbox' }),
      TONGBAO_ALLOW_SANDBOX: '1',
    });
    expect(staging.allowSandbox).toBe(true);
    expect(staging.outsideSystems.cardNetwork).toEqual({ kind: 'sandbox', callbackSecret: undefined });
    expect(
      loadConfig({ ...base, ...realAdapters({ TONGBAO_CARD_NETWORK_ADAPTER: 'sandbox' }) }, { allowSandbox: true })
        .allowSandbox,
    ).toBe(true);
  });
});
