// @ts-check
// The shop's Tongbao client: openapi-fetch typed by tongbao-api.d.ts, which openapi-typescript
// generates from Tongbao's OpenAPI document (`npm run shop:client` in the repository root). A path,
// a body or a field the merchant API does not have is a type error (`npx tsc` checks this file).
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';

/**
 * @param {{ baseUrl: string, apiKey: string }} options
 */
export function tongbaoClient({ baseUrl, apiKey }) {
  /** @type {import('openapi-fetch').Client<import('./tongbao-api.js').paths>} */
  const client = createClient({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });

  /**
   * A problem+json answer becomes an error naming its stable code.
   * @template T
   * @param {string} what
   * @param {{ data?: T, error?: unknown, response: Response }} answer
   * @returns {T}
   */
  function unwrap(what, answer) {
    if (answer.data !== undefined) return answer.data;
    const code = /** @type {{ code?: string } | undefined} */ (answer.error)?.code ?? '';
    throw new Error(`${what}: ${answer.response.status} ${code}`);
  }

  return {
    /**
     * Every POST carries an Idempotency-Key: the shop's order number, so a retried buy creates one order.
     * @param {import('./tongbao-api.js').operations['createCheckoutOrder']['requestBody']['content']['application/json']} body
     */
    async createOrder(body) {
      const answer = await client.POST('/api/merchant/v1/orders', {
        body,
        headers: { 'idempotency-key': body.shopOrderNumber },
      });
      return unwrap('create order', answer);
    },

    /** @param {string} id */
    async getOrder(id) {
      return unwrap('get order', await client.GET('/api/merchant/v1/orders/{id}', { params: { path: { id } } }));
    },

    /**
     * @param {string} id
     * @param {number} amount fen
     */
    async refund(id, amount) {
      const answer = await client.POST('/api/merchant/v1/orders/{id}/refunds', {
        params: { path: { id } },
        body: { amount },
        headers: { 'idempotency-key': randomUUID() },
      });
      return unwrap('refund', answer);
    },
  };
}
