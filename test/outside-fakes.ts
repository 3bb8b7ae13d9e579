import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpAdapterSettings } from '../server/platform/outbound-http.js';

/** A request the fake outside system received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
}

/** What the fake answers: a status with a JSON body, or `hang` (no answer until closed). */
export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface FakeRemote {
  url: string;
  received: ReceivedRequest[];
  /** Replaces how the fake answers from now on. */
  answer(handler: (request: ReceivedRequest) => FakeAnswer): void;
  close(): Promise<void>;
}

export const FAKE_KEY_ID = 'tongbao-test-key';
export const FAKE_SECRET = 'fake-remote-secret-0123456789abcdef';

export function fakeSettings(baseUrl: string, overrides: Partial<HttpAdapterSettings> = {}): HttpAdapterSettings {
  return { baseUrl, keyId: FAKE_KEY_ID, secret: FAKE_SECRET, timeoutMs: 2_000, ...overrides };
}

/** An outside system on 127.0.0.1 with a port of its own, for the HTTP adapters' tests. */
export async function startFakeRemote(
  handler: (request: ReceivedRequest) => FakeAnswer = () => ({ status: 200, body: {} }),
): Promise<FakeRemote> {
  let current = handler;
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        json: rawBody ? JSON.parse(rawBody) : undefined,
      };
      received.push(request);
      const answer = current(request);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks a received request's signature the way the remote must: HMAC-SHA256 of "t.METHOD.path.body". */
export function signatureOf(request: ReceivedRequest, secret = FAKE_SECRET): { t: number; valid: boolean } {
  const header = String(request.headers['tongbao-signature'] ?? '');
  const t = Number(/t=(\d+)/.exec(header)?.[1]);
  const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1];
  const expected = createHmac('sha256', secret)
    .update(`${t}.${request.method}.${request.path}.${request.rawBody}`)
    .digest('hex');
  return { t, valid: v1 === expected };
}
