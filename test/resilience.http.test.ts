import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resilienceFromEnv } from '../server/config.js';
import type { Db } from '../server/platform/db/types.js';
import { type TestApp, createTestApp } from './app.js';
import { createTestDatabase } from './db.js';
import { type TestUser, registerUser } from './identity-factories.js';

/**
 * Sends a request with a 2 MiB body over a raw socket, as a simple client does: without
 * `Expect: 100-continue`, writing the whole body before reading anything. Answers what it read.
 */
async function rawPost(port: number, path: string, authorization: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.pause();
  const body = Buffer.alloc(2 * 1024 * 1024, 'a');
  const head =
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${authorization}\r\n` +
    `Content-Type: application/json\r\nIdempotency-Key: big-1\r\nContent-Length: ${body.length}\r\n\r\n`;
  let failed: Error | null = null;
  socket.on('error', (error) => (failed = error));
  // The body goes out in pieces, as over a real network: the server answers while it still arrives.
  socket.write(head);
  for (let at = 0; at < body.length && !failed && !socket.destroyed; at += 64 * 1024) {
    await new Promise<void>((resolve) => {
      socket.write(body.subarray(at, at + 64 * 1024), () => resolve());
      socket.once('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // Only now read the answer, which has waited in the socket's receive buffer.
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.resume();
  // Until the whole answer is in (its Content-Length), or the server closes.
  const complete = () => {
    const end = received.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(received);
    return end >= 0 && length !== null && received.length >= end + 4 + Number(length[1]);
  };
  await new Promise<void>((resolve) => {
    socket.on('data', () => complete() && resolve());
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
  });
  socket.destroy();
  if (!received && failed) throw failed;
  return received;
}

describe('an answer given before the body is read reaches the client (lingering close)', () => {
  let t: TestApp;
  let user: TestUser;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    user = await registerUser(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  it('a 2 MiB payment with a valid session gets its 413', async () => {
    const answer = await rawPost(port, '/api/v1/payments', user.auth.authorization);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });

  it('a 2 MiB transfer with a bad token gets its 401', async () => {
    const answer = await rawPost(port, '/api/v1/transfers', 'Bearer not-a-token');
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('UNAUTHENTICATED');
  });

  it('counts requests per route in the Prometheus metrics (operator token)', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const scrape = await t.asOperator({ url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers['content-type']).toContain('text/plain');
    expect(scrape.body).toMatch(
      /tongbao_http_requests_total\{method="POST",route="\/api\/v1\/payments",status="413"\} [1-9]/,
    );
    expect(scrape.body).toContain('tongbao_http_request_duration_seconds_bucket');
    expect(scrape.body).toContain('# TYPE tongbao_group_commit_batch_size histogram');
    expect(scrape.body).toContain('tongbao_nodejs_heap_size_total_bytes');
  });
});

describe('load shedding', () => {
  it('answers 503 with Retry-After at once while the event loop lags, and recovers', async () => {
    const t = await createTestApp({
      config: {
        resilience: {
          ...resilienceFromEnv({}),
          maxEventLoopDelayMs: 20,
          sampleIntervalMs: 100,
        } as never,
      },
    });
    try {
      // Hog the event loop: 50 ms of work in every turn, as a server past its capacity would.
      const hog = setInterval(() => {
        const until = performance.now() + 50;
        while (performance.now() < until);
      }, 0);
      try {
        await expect.poll(async () => (await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(503);
        const shed = await t.app.inject({ url: '/api/v1/me' });
        expect(shed.statusCode).toBe(503);
        expect(shed.headers['content-type']).toContain('application/problem+json');
        expect(shed.json().code).toBe('SERVICE_UNAVAILABLE');
        expect(shed.headers['retry-after']).toBe('1');
        // Probes still answer: the process is alive, just busy.
        expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      } finally {
        clearInterval(hog);
      }
      // Healthy again once the load is gone: no session, so 401 rather than 503.
      await expect
        .poll(async () => (await t.app.inject({ url: '/api/v1/me' })).statusCode, { timeout: 15_000 })
        .toBe(401);
      const scrape = await t.asOperator({ url: '/metrics' });
      expect(scrape.body).toMatch(/tongbao_load_shed_total\{reason="eventLoopDelay"\} [1-9]/);
    } finally {
      await t.close();
    }
  });

  it('answers 503 while too many queries wait for a database connection', async () => {
    let waiting = 0;
    const database = await createTestDatabase();
    const { db } = database;
    const busy: Db = Object.assign(Object.create(db) as Db, {
      stats: () => ({ total: 4, idle: 0, waiting, max: 4 }),
    });
    const shedding = await createTestApp({
      database: { db: busy, url: database.url, close: () => db.close() },
      config: {
        resilience: { ...resilienceFromEnv({}), maxEventLoopDelayMs: 0, maxPoolWaiting: 10 },
      },
    });
    try {
      const calm = await shedding.app.inject({ url: '/api/v1/me' });
      expect(calm.statusCode, calm.body).toBe(401);
      waiting = 11;
      const shed = await shedding.app.inject({ url: '/api/v1/me' });
      expect(shed.statusCode).toBe(503);
      expect(shed.json().code).toBe('SERVICE_UNAVAILABLE');
      expect(shed.headers['retry-after']).toBe('1');
      expect((await shedding.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      waiting = 0;
      expect((await shedding.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
    } finally {
      await shedding.close();
      await db.close();
    }
  });
});
