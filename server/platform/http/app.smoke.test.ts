import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it('serves health and a problem for unknown routes', async () => {
  expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  const missing = await t.app.inject({ url: '/api/v1/nothing', headers: { 'accept-language': 'en' } });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['content-type']).toContain('application/problem+json');
  expect(missing.json().code).toBe('NOT_FOUND');
});
