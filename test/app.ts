import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Services, buildApp } from '../server/app.js';
import { type Clock, systemClock } from '../server/platform/clock.js';
import type { Db } from '../server/platform/db/types.js';
import type { PinKeyRing } from '../server/platform/pin-keys.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const TEST_OPERATOR_TOKEN = 'op_test-operator-token-0123456789abcdef';
export const TEST_PII_KEY = Buffer.alloc(32, 7);
export const TEST_PIN_KEYS: PinKeyRing = { current: { id: 'test', key: Buffer.alloc(32, 8) }, previous: [] };

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  db: Db;
  database: TestDatabase;
  /** Authorization header for the operator API. */
  operator: { authorization: string };
  /** app.inject with the operator's token. */
  asOperator(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app on a fresh database of this project's engine, for app.inject() tests. */
export async function createTestApp(options: { clock?: Clock; database?: TestDatabase; pinKeys?: PinKeyRing } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const { app, services } = await buildApp({
    config: { operatorToken: TEST_OPERATOR_TOKEN, logLevel: 'silent', production: false, publicUrl: 'http://localhost', piiKey: TEST_PII_KEY, pinKeys: options.pinKeys ?? TEST_PIN_KEYS },
    db: database.db,
    clock: options.clock ?? systemClock,
  });
  await app.ready();
  const operator = { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
  return {
    app,
    services,
    db: database.db,
    database,
    operator,
    asOperator: (inject) => app.inject({ ...inject, headers: { ...operator, ...(inject.headers ?? {}) } }),
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
