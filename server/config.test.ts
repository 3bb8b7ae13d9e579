import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, resilienceFromEnv } from './config.js';

// TONGBAO_PIN_KEY: required in production, generated into DATA_DIR in development, with key ids for rotation.
const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const key = (byte: number, bytes = 32) => Buffer.alloc(bytes, byte).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATA_DIR: join(dataDir, 'production'),
  TONGBAO_OPERATOR_TOKEN: 'op_'.padEnd(40, 'x'),
  TONGBAO_PII_KEY: key(7),
  // Staging: outside systems on their sandboxes, so only the PIN key is missing.
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

describe('TONGBAO_PIN_KEY', () => {
  it('is required in production: without it the process refuses to start', () => {
    expect(() => loadConfig(production)).toThrow(/TONGBAO_PIN_KEY is required/);
  });

  it('takes the current key and earlier keys with their ids', () => {
    const config = loadConfig({
      ...production,
      TONGBAO_PIN_KEY: `k3:${key(3)}`,
      TONGBAO_PIN_KEYS_OLD: `k1:${key(1)}, k2:${key(2, 48)}`,
    });
    expect(config.pinKeys.current).toEqual({ id: 'k3', key: Buffer.alloc(32, 3) });
    expect(config.pinKeys.previous.map((old) => old.id)).toEqual(['k1', 'k2']);
  });

  it('refuses a key without an id, a short key and a repeated key id', () => {
    expect(() => loadConfig({ ...production, TONGBAO_PIN_KEY: key(3) })).toThrow(/<keyId>:<base64 key>/);
    expect(() => loadConfig({ ...production, TONGBAO_PIN_KEY: `k3:${key(3, 16)}` })).toThrow(/at least 32 bytes/);
    expect(() =>
      loadConfig({ ...production, TONGBAO_PIN_KEY: `k3:${key(3)}`, TONGBAO_PIN_KEYS_OLD: `k3:${key(1)}` }),
    ).toThrow(/distinct key ids/);
  });

  it('is generated once into the data directory in development, readable by the owner only', () => {
    const env = { NODE_ENV: 'development', DATA_DIR: join(dataDir, 'development') };
    const first = loadConfig(env);
    const file = join(env.DATA_DIR, 'pin.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^dev1:/);
    expect(first.pinKeys.current.key.length).toBe(32);
    expect(loadConfig(env).pinKeys.current).toEqual(first.pinKeys.current);
  });
});

describe('load shedding by event-loop delay', () => {
  it('is on at 1 s by default, off under test unless asked for, and settable', () => {
    expect(resilienceFromEnv({}).maxEventLoopDelayMs).toBe(1_000);
    expect(resilienceFromEnv({ NODE_ENV: 'production' }).maxEventLoopDelayMs).toBe(1_000);
    expect(resilienceFromEnv({ NODE_ENV: 'test' }).maxEventLoopDelayMs).toBe(0);
    expect(resilienceFromEnv({ NODE_ENV: 'test', TONGBAO_MAX_EVENT_LOOP_DELAY_MS: '250' }).maxEventLoopDelayMs).toBe(
      250,
    );
  });
});

describe('TONGBAO_WEBHOOK_ALLOW_PRIVATE', () => {
  it('lets development call private webhook targets, and stops production from starting with it', () => {
    const env = { NODE_ENV: 'development', DATA_DIR: join(dataDir, 'development') };
    expect(loadConfig(env).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ ...env, TONGBAO_WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ ...env, TONGBAO_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/must be "1" or "0"/);
    expect(() =>
      loadConfig({ ...production, TONGBAO_PIN_KEY: `k1:${key(1)}`, TONGBAO_WEBHOOK_ALLOW_PRIVATE: '1' }),
    ).toThrow(/refused when NODE_ENV=production/);
  });
});
