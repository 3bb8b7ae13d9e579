import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadPiiKey } from './platform/crypto.js';
import { type OutsideSystems, loadOutsideSystems } from './config-outside.js';
import { type PinKeyRing, loadPinKeys } from './platform/pin-keys.js';

/** Process configuration, parsed and validated once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** When set, PostgreSQL; otherwise embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly production: boolean;
  readonly logLevel: string;
  /** Bearer token for the operator (internal) API, e.g. the raw ledger API. */
  readonly operatorToken: string;
  /** Run pg-boss workers inside the serving process (the laptop default). */
  readonly inProcessWorkers: boolean;
  readonly publicUrl: string;
  /** 32-byte key for personal data at rest. */
  readonly piiKey: Buffer;
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  /** Remind holders to change a password older than this; never forced. */
  readonly passwordReminderDays: number;
  /** Staging only: sandboxes allowed in production, announced in the log and on every page. */
  readonly allowSandbox: boolean;
  /** The adapter of each outside system (SMS, document check, card network, payout rail). */
  readonly outsideSystems: OutsideSystems;
  /** HMAC keys for payment PIN checks (TONGBAO_PIN_KEY, TONGBAO_PIN_KEYS_OLD); see platform/pin-keys.ts. */
  readonly pinKeys: PinKeyRing;
  /** How many reverse proxies in front of the server to trust for the client address (0: none). */
  readonly trustProxyHops: number;
  /** Swagger UI at /docs: on in development, off in production unless TONGBAO_API_DOCS=on. */
  readonly apiDocs: boolean;
  /** PostgreSQL pool and timeouts, load shedding and metrics (server/platform/resilience.ts, docs/operations.md). */
  readonly resilience: ResilienceConfig;
  /**
   * Development only (TONGBAO_WEBHOOK_ALLOW_PRIVATE=1): live webhook endpoints may be private, loopback or
   * link-local addresses and plain http (a shop on a developer's machine). Refused in production.
   */
  readonly webhookAllowPrivate: boolean;
  /** `demo` only: months of sample spending seeded for the insights pages (0: none; browser tests use 0). */
  readonly demoSpendingMonths: number;
}

export interface ResilienceConfig {
  readonly dbPoolSize: number;
  readonly dbConnectTimeoutMs: number;
  readonly dbStatementTimeoutMs: number;
  /** Shed load (503) past this event-loop delay, heap use, or number of queries waiting for a connection. */
  readonly maxEventLoopDelayMs: number;
  readonly maxHeapUsedBytes: number;
  readonly maxPoolWaiting: number;
  /** Prometheus metrics on their own port (0: off); /metrics with the operator token is always there. */
  readonly metricsPort: number;
  /** After this long an idempotency key still in flight is taken to belong to a crashed process. */
  readonly idempotencyLockMs: number;
}

export function resilienceFromEnv(env: NodeJS.ProcessEnv): ResilienceConfig {
  return {
    dbPoolSize: intFromEnv(env, 'TONGBAO_DB_POOL_SIZE', 20, 1, 1000),
    dbConnectTimeoutMs: intFromEnv(env, 'TONGBAO_DB_CONNECT_TIMEOUT_MS', 2_000, 100, 120_000),
    dbStatementTimeoutMs: intFromEnv(env, 'TONGBAO_DB_STATEMENT_TIMEOUT_MS', 60_000, 100, 3_600_000),
    // Off by default under test: a busy CI machine stalls every process's event loop, which is not an
    // overload of the server under test (test/resilience.http.test.ts turns it on explicitly).
    maxEventLoopDelayMs: intFromEnv(
      env,
      'TONGBAO_MAX_EVENT_LOOP_DELAY_MS',
      env.NODE_ENV === 'test' ? 0 : 1_000,
      0,
      60_000,
    ),
    maxHeapUsedBytes: intFromEnv(env, 'TONGBAO_MAX_HEAP_MB', 0, 0, 1_000_000) * 1024 * 1024,
    maxPoolWaiting: intFromEnv(env, 'TONGBAO_MAX_POOL_WAITING', 200, 0, 1_000_000),
    metricsPort: intFromEnv(env, 'TONGBAO_METRICS_PORT', 0, 0, 65535),
    idempotencyLockMs: intFromEnv(env, 'TONGBAO_IDEMPOTENCY_LOCK_MS', 60_000, 1_000, 3_600_000),
  };
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name} must be "on" or "off", got "${raw}"`);
}

/**
 * The operator token comes from the environment in production. In development a random one is
 * generated once into the data directory so that a fresh clone needs no setup.
 */
function operatorToken(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): string {
  const fromEnv = env.TONGBAO_OPERATOR_TOKEN;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('TONGBAO_OPERATOR_TOKEN must be at least 32 characters');
    return fromEnv;
  }
  if (production) throw new Error('TONGBAO_OPERATOR_TOKEN is required when NODE_ENV=production');
  const file = join(dataDir, 'operator-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = `op_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The webhook SSRF override: a development convenience that production refuses to start with. */
function webhookAllowPrivate(env: NodeJS.ProcessEnv, production: boolean): boolean {
  const raw = env.TONGBAO_WEBHOOK_ALLOW_PRIVATE;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw !== '1') throw new Error(`TONGBAO_WEBHOOK_ALLOW_PRIVATE must be "1" or "0", got "${raw}"`);
  if (production)
    throw new Error('TONGBAO_WEBHOOK_ALLOW_PRIVATE is for development only and refused when NODE_ENV=production');
  return true;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { allowSandbox?: boolean } = {}): Config {
  const production = env.NODE_ENV === 'production';
  const allowSandbox = options.allowSandbox === true || env.TONGBAO_ALLOW_SANDBOX === '1';
  const dataDir = resolve(env.DATA_DIR || './data');
  const port = intFromEnv(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const displayHost = ['0.0.0.0', '::', '127.0.0.1'].includes(host) ? 'localhost' : host;
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    production,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    operatorToken: operatorToken(env, dataDir, production),
    inProcessWorkers: env.TONGBAO_WORKERS !== 'off',
    publicUrl: env.PUBLIC_URL || `http://${displayHost}:${port}`,
    piiKey: loadPiiKey({ dataDir, production, env }),
    sessionIdleMs: intFromEnv(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60_000,
    sessionAbsoluteMs: intFromEnv(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30) * 3600_000,
    passwordReminderDays: intFromEnv(env, 'PASSWORD_REMINDER_DAYS', 180, 1, 3650),
    allowSandbox,
    outsideSystems: loadOutsideSystems(env, { production, allowSandbox }),
    pinKeys: loadPinKeys({ dataDir, production, env }),
    trustProxyHops: intFromEnv(env, 'TRUST_PROXY', 0, 0, 10),
    apiDocs: onOff(env, 'TONGBAO_API_DOCS', !production),
    resilience: resilienceFromEnv(env),
    demoSpendingMonths: intFromEnv(env, 'TONGBAO_DEMO_SPENDING_MONTHS', 12, 0, 36),
    webhookAllowPrivate: webhookAllowPrivate(env, production),
  };
}
