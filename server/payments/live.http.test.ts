import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { MERCHANT_PASSWORD, activeMerchant, pay, type TestMerchant } from '../../test/payment-factories.js';
import { walletHolder } from '../../test/transfer-factories.js';

let t: TestApp;
let shop: TestMerchant;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await activeMerchant(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => t?.close());

describe('the merchant live stream', () => {
  it('sends each completed payment and each refund as a server-sent event', async () => {
    const holder = await walletHolder(t, { balanceFen: 10_000n });
    const abort = new AbortController();
    const response = await fetch(`${base}/api/v1/merchant/payments/stream`, {
      headers: shop.auth,
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const paid = (await pay(t, holder, { merchantNumber: shop.merchantNumber, amount: 1234 })).json();
    const deadline = Date.now() + 10_000;
    while (!text.includes('event: payment') && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    const data = /event: payment\ndata: (.*)\n/.exec(text)?.[1];
    expect(data).toBeDefined();
    expect(JSON.parse(data as string)).toMatchObject({ id: paid.id, amount: 1234, status: 'completed' });
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/payments/${paid.id}/refunds`,
      headers: { ...shop.auth, 'idempotency-key': 'live-refund' },
      payload: { amount: 234, password: MERCHANT_PASSWORD },
    });
    expect(refunded.statusCode).toBe(201);
    while (!text.includes('event: refund') && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    expect(JSON.parse(/event: refund\ndata: (.*)\n/.exec(text)?.[1] as string)).toMatchObject({
      paymentId: paid.id,
      amount: 234,
    });
  });

  it('is for merchants only', async () => {
    const holder = await walletHolder(t);
    const response = await fetch(`${base}/api/v1/merchant/payments/stream`, { headers: holder.auth });
    expect(response.status).toBe(403);
  });

  it('ends open streams when the server shuts down', async () => {
    const response = await fetch(`${base}/api/v1/merchant/payments/stream`, { headers: shop.auth });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = Date.now();
    await t.app.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    while (!(await reader.read()).done) {
      // drain until the server ends the stream
    }
  });
});
