import { describe, expect, it } from 'vitest';
import { runCli } from '../bench/harness.js';
import { testEngine } from './db.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: '',
  DATA_DIR: '/nonexistent-tongbao-data',
  TONGBAO_PII_KEY: Buffer.alloc(32, 1).toString('base64'),
};

// These commands stop before touching a database, so one engine is enough.
describe.skipIf(testEngine !== 'pglite')('the CLI in production', () => {
  it('refuses to run demo when NODE_ENV=production', () => {
    const result = runCli(['demo'], production);
    expect(result.status).toBe(1);
    expect(result.output).toContain('demo refuses to run when NODE_ENV=production');
  }, 60_000);

  it('refuses to serve without real adapters, listing what is missing', () => {
    const result = runCli(['serve'], production);
    expect(result.status).toBe(1);
    expect(result.output).toContain('Refusing to start');
    for (const name of [
      'TONGBAO_SMS_URL',
      'TONGBAO_EMAIL_URL',
      'TONGBAO_DOCUMENT_CHECK_URL',
      'TONGBAO_CARD_NETWORK_URL',
      'TONGBAO_PAYOUT_RAIL_URL',
      'TONGBAO_BILL_NETWORK_URL',
      'TONGBAO_FUND_COMPANY_URL',
      'TONGBAO_CREDIT_BUREAU_URL',
      'TONGBAO_CARD_NETWORK_CALLBACK_SECRET',
      'TONGBAO_INTERBANK_NETWORK_URL',
      'TONGBAO_INTERBANK_NETWORK_CALLBACK_SECRET',
    ]) {
      expect(result.output).toContain(`${name} is missing`);
    }
  }, 60_000);
});
