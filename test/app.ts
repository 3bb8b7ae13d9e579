import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { type AppConfig, type Services, buildApp } from '../server/app.js';
import { type Clock, systemClock } from '../server/platform/clock.js';
import type { Db } from '../server/platform/db/types.js';
import type { PinKeyRing } from '../server/platform/pin-keys.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const TEST_OPERATOR_TOKEN = 'op_test-operator-token-0123456789abcdef';
export const TEST_PII_KEY = Buffer.alloc(32, 7);
export const TEST_PIN_KEYS: PinKeyRing = { current: { id: 'test', key: Buffer.alloc(32, 8) }, previous: [] };
export const TEST_OPERATOR_ID = 'test-maker';
export const TEST_CHECKER_ID = 'test-checker';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  db: Db;
  database: TestDatabase;
  /** Authorization and X-Operator-Id headers for the operator API (the first operator, the maker). */
  operator: { authorization: string; 'x-operator-id': string };
  /** app.inject with the operator's token, as operator TEST_OPERATOR_ID. */
  asOperator(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** app.inject with the operator's token, as a second operator (TEST_CHECKER_ID). */
  asSecondOperator(options: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * A money movement through the operator API, both halves: asked for as TEST_OPERATOR_ID and, when
   * that answers 202, approved as TEST_CHECKER_ID. Returns the approval's answer (or the refusal).
   */
  operatorMove(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app on a fresh database of this project's engine, for app.inject() tests. */
export async function createTestApp(
  options: {
    clock?: Clock;
    database?: TestDatabase;
    pinKeys?: PinKeyRing;
    logger?: Logger;
    config?: Partial<AppConfig>;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const { app, services } = await buildApp({
    config: {
      operatorToken: TEST_OPERATOR_TOKEN,
      logLevel: 'silent',
      production: false,
      publicUrl: 'http://localhost',
      piiKey: TEST_PII_KEY,
      pinKeys: options.pinKeys ?? TEST_PIN_KEYS,
      ...options.config,
    },
    db: database.db,
    clock: options.clock ?? systemClock,
    logger: options.logger,
  });
  await app.ready();
  const operator = { authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'x-operator-id': TEST_OPERATOR_ID };
  const checker = { ...operator, 'x-operator-id': TEST_CHECKER_ID };
  const asOperator = (inject: InjectOptions) =>
    app.inject({ ...inject, headers: { ...operator, ...(inject.headers ?? {}) } });
  const asSecondOperator = (inject: InjectOptions) =>
    app.inject({ ...inject, headers: { ...checker, ...(inject.headers ?? {}) } });
  let approvals = 0;
  return {
    app,
    services,
    db: database.db,
    database,
    operator,
    asOperator,
    asSecondOperator,
    async operatorMove(inject) {
      const asked = await asOperator(inject);
      if (asked.statusCode !== 202) return asked;
      const { id } = asked.json().approval;
      const headers = { 'idempotency-key': `test-approve-${id}-${approvals++}` };
      return asSecondOperator({
        method: 'POST',
        url: `/api/v1/ledger/approvals/${id}/approve`,
        headers,
        payload: { note: 'second operator' },
      });
    },
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
