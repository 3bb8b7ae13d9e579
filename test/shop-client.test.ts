import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOP_CLIENT_TYPES, merchantApiOnly, shopClientTypes } from '../scripts/shop-client.js';
import { type TestApp, createTestApp } from './app.js';

/** The example shop's typed client is generated from the API as it is: regenerate it when this fails. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the example shop typed client', () => {
  it('matches the merchant API of this OpenAPI document (npm run shop:client)', async () => {
    const document = t.app.swagger() as { paths: Record<string, unknown> };
    const paths = Object.keys(merchantApiOnly(document).paths ?? {});
    expect(paths).toContain('/api/merchant/v1/orders');
    expect(paths.every((path) => path.startsWith('/api/merchant/v1/'))).toBe(true);
    expect(await shopClientTypes(document)).toBe(readFileSync(SHOP_CLIENT_TYPES, 'utf8'));
  });
});
