import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import { CircuitState } from 'cockatiel';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../server/platform/clock.js';
import { metricsText } from '../server/platform/metrics.js';
import {
  OutboundCircuitOpen,
  OutboundTimeout,
  OutboundUnreachable,
  createOutboundClient,
} from '../server/platform/outbound-http.js';

/** The shared outbound helper: a timeout on every call and a circuit breaker per outside system. */
describe('outbound calls: timeout and circuit breaker', () => {
  let server: Server;
  let baseUrl: string;
  let mode: 'fail' | 'ok' | 'hang' = 'fail';
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      hits++;
      if (mode === 'hang') return;
      response.writeHead(mode === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ mode }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  // A remote that answers at once gets a long timeout (a busy CI machine took over 200 ms to answer); the
  // silent one a short one.
  const settings = (timeoutMs = 5_000) => ({ baseUrl, keyId: 'k1', secret: 's'.repeat(32), timeoutMs });

  it('opens after failures in a row, fails fast while open, half-opens and closes on success', async () => {
    const client = createOutboundClient(settings(), systemClock, {
      system: 'test_system',
      breaker: { failures: 3, halfOpenAfterMs: 30_000 },
    });
    mode = 'fail';
    hits = 0;
    for (let i = 0; i < 3; i++) expect((await client.call('POST', '/v1/things', { i })).status).toBe(503);
    expect(client.breaker.state).toBe(CircuitState.Open);
    // Open: refused at once, the remote is not called.
    await expect(client.call('POST', '/v1/things', {})).rejects.toBeInstanceOf(OutboundCircuitOpen);
    await expect(client.call('GET', '/v1/things')).rejects.toBeInstanceOf(OutboundUnreachable);
    expect(hits).toBe(3);
    expect((await metricsText()).body).toContain('tongbao_outbound_breaker_state{system="test_system"} 2');

    // After the open period one call goes through (half-open); it fails, so the circuit opens again.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 30_001);
    try {
      expect((await client.call('GET', '/v1/things')).status).toBe(503);
      expect(hits).toBe(4);
      expect(client.breaker.state).toBe(CircuitState.Open);
      await expect(client.call('GET', '/v1/things')).rejects.toBeInstanceOf(OutboundCircuitOpen);

      // The remote is back: after the next open period, the trial call succeeds and closes the circuit.
      mode = 'ok';
      clock.mockReturnValue(now + 70_000);
      expect((await client.call('GET', '/v1/things')).status).toBe(200);
      expect(client.breaker.state).toBe(CircuitState.Closed);
      expect((await client.call('GET', '/v1/things')).body).toEqual({ mode: 'ok' });
      expect(hits).toBe(6);
    } finally {
      clock.mockRestore();
    }
    expect((await metricsText()).body).toContain('tongbao_outbound_breaker_state{system="test_system"} 0');
  });

  it('times out a silent remote, and timeouts count toward opening the circuit', async () => {
    const client = createOutboundClient(settings(200), systemClock, {
      system: 'silent_system',
      breaker: { failures: 2, halfOpenAfterMs: 30_000 },
    });
    mode = 'hang';
    await expect(client.call('POST', '/v1/slow', {})).rejects.toBeInstanceOf(OutboundTimeout);
    await expect(client.call('POST', '/v1/slow', {})).rejects.toBeInstanceOf(OutboundTimeout);
    await expect(client.call('POST', '/v1/slow', {})).rejects.toBeInstanceOf(OutboundCircuitOpen);
    expect((await metricsText()).body).toMatch(
      /tongbao_outbound_duration_seconds_count\{system="silent_system",outcome="timeout"\} 2/,
    );
    // Another system's client is not affected by this one's outage.
    mode = 'ok';
    const other = createOutboundClient(settings(), systemClock, { system: 'other_system' });
    expect((await other.call('GET', '/v1/things')).status).toBe(200);
  });
});
