import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile, request, setupRequest } from './harness.js';

/**
 * Online checkout end to end, for `bench:payments`' `checkout:` line: a shop's server creates a live
 * order with its API key, the buyer's wallet pays the order's code with the PIN inline, and the clock
 * stops when the shop's webhook receiver (in this process, on 127.0.0.1) gets that order's
 * `order.paid`. The server under test runs its jobs in process (the webhook job is woken after each
 * payment's commit) and allows the loopback receiver (TONGBAO_WEBHOOK_ALLOW_PRIVATE=1).
 */

export interface CheckoutMeasured {
  ops: number;
  p50: number;
  p99: number;
  errors: number;
  errorCodes: Map<string, number>;
}

const WEBHOOK_WAIT_MS = 30_000;

function codeOf(body: string, status: number): string {
  try {
    return String(JSON.parse(body).code ?? status);
  } catch {
    return String(status);
  }
}

/** The shop's webhook receiver: answers 204 and resolves whoever waits for an order's `order.paid`. */
async function startReceiver(): Promise<{ url: string; paid: (orderId: string) => Promise<boolean>; server: Server }> {
  const waiting = new Map<string, () => void>();
  const arrived = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(204).end();
      const event = JSON.parse(body) as { type: string; data: { id: string } };
      if (event.type !== 'order.paid') return;
      arrived.add(event.data.id);
      waiting.get(event.data.id)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const paid = (orderId: string) =>
    new Promise<boolean>((resolve) => {
      if (arrived.delete(orderId)) return resolve(true);
      const timer = setTimeout(() => {
        waiting.delete(orderId);
        resolve(false);
      }, WEBHOOK_WAIT_MS);
      waiting.set(orderId, () => {
        clearTimeout(timer);
        waiting.delete(orderId);
        arrived.delete(orderId);
        resolve(true);
      });
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, paid, server };
}

export async function driveCheckout(input: {
  url: string;
  holderTokens: string[];
  owner: { phone: string; password: string };
  pin: string;
  seconds: number;
  clients: number;
  label: string;
}): Promise<CheckoutMeasured> {
  const { url, label } = input;
  const receiver = await startReceiver();
  try {
    const login = await setupRequest(url, 'POST', '/api/v1/merchant/auth/login', { ...input.owner, client: 'api' }, {});
    if (login.status !== 200) throw new Error(`merchant login: ${login.status} ${login.body}`);
    const owner = { authorization: `Bearer ${JSON.parse(login.body).token}` };
    const key = await setupRequest(
      url,
      'POST',
      '/api/v1/merchant/api-keys',
      { name: `bench ${label}`, mode: 'live', rateLimitPerMinute: 6000 },
      { ...owner, 'idempotency-key': `${label}-key` },
    );
    if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.body}`);
    const shop = { authorization: `Bearer ${JSON.parse(key.body).secret}` };
    const hook = await setupRequest(
      url,
      'POST',
      '/api/v1/merchant/webhooks',
      { url: receiver.url, mode: 'live', events: ['order.paid'] },
      { ...owner, 'idempotency-key': `${label}-hook` },
    );
    if (hook.status !== 201) throw new Error(`webhook endpoint: ${hook.status} ${hook.body}`);

    const latencies: number[] = [];
    const errorCodes = new Map<string, number>();
    let errors = 0;
    let sequence = 0;
    const fail = (code: string) => {
      errors++;
      errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
    };
    const warmUntil = Date.now() + 1_500;
    const endAt = warmUntil + input.seconds * 1000;
    /** One checkout; false when a step failed (counted). */
    const checkout = async (n: number): Promise<boolean> => {
      const created = await request(
        url,
        'POST',
        '/api/merchant/v1/orders',
        { amount: 1_000 + (n % 100), currency: 'CNY', description: '压测订单', shopOrderNumber: `BENCH-${n}` },
        { ...shop, 'idempotency-key': `${label}-order-${n}` },
      );
      if (created.status !== 201) return (fail(`order:${codeOf(created.body, created.status)}`), false);
      const orderId = JSON.parse(created.body).id as string;
      const page = await request(url, 'GET', `/api/v1/checkout/orders/${orderId}`, undefined, { authorization: '' });
      const payload = JSON.parse(page.body).payload as string | null;
      if (!payload) return (fail('no_payload'), false);
      const paid = await request(
        url,
        'POST',
        '/api/v1/payments',
        { payload, confirmation: { pin: input.pin } },
        {
          authorization: `Bearer ${input.holderTokens[n % input.holderTokens.length]}`,
          'idempotency-key': `${label}-pay-${n}`,
        },
      );
      if (paid.status !== 200) return (fail(`pay:${codeOf(paid.body, paid.status)}`), false);
      if (!(await receiver.paid(orderId))) return (fail('webhook_timeout'), false);
      return true;
    };
    await Promise.all(
      Array.from({ length: input.clients }, async () => {
        for (;;) {
          const now = Date.now();
          if (now >= endAt) return;
          const started = performance.now();
          const done = await checkout(sequence++);
          if (now >= warmUntil && done) latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      ops: latencies.length / input.seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      errors,
      errorCodes,
    };
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
}
