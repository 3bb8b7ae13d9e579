import { createHmac } from 'node:crypto';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  type CircuitBreakerPolicy,
  circuitBreaker,
  handleType,
} from 'cockatiel';
import type { Clock } from './clock.js';
import { outboundBreakerState, outboundDuration } from './metrics.js';

/**
 * Signed JSON calls to the outside systems' real HTTP adapters (SMS gateway, document check, card
 * network, payout rail). One wire format for all of them, documented in docs/operations.md:
 *
 * - `tongbao-key-id: <key id>` names the credential;
 * - `tongbao-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.METHOD.path.body">` signs the
 *   request with the shared secret (path: the full request path as sent, base path included), so
 *   an altered or stale request is refused by the remote;
 * - `idempotency-key` carries our unique reference where the call moves money or sends a message.
 *
 * The remote's answers are returned as status + parsed JSON; a call that takes longer than the
 * timeout throws OutboundTimeout (outcome unknown), and one that never reached an answer (DNS,
 * refused connection, TLS) throws OutboundUnreachable. Mapping answers to domain values is the
 * adapter's job.
 */

export interface HttpAdapterSettings {
  /** https:// in production; no trailing slash. */
  readonly baseUrl: string;
  readonly keyId: string;
  /** Shared HMAC secret, at least 32 characters. */
  readonly secret: string;
  readonly timeoutMs: number;
}

/** The remote did not answer within the timeout: the call may or may not have taken effect. */
export class OutboundTimeout extends Error {
  constructor(readonly path: string) {
    super(`outside system timed out on ${path}`);
    this.name = 'OutboundTimeout';
  }
}

/** No answer at all (connection refused, DNS, TLS) or an answer that is not JSON. */
export class OutboundUnreachable extends Error {
  constructor(
    readonly path: string,
    cause?: unknown,
  ) {
    super(`outside system unreachable on ${path}`, { cause });
    this.name = 'OutboundUnreachable';
  }
}

/**
 * The circuit breaker is open: the system failed too often in a row, so calls fail at once without
 * being sent until it is tried again (half-open). An OutboundUnreachable, so adapters treat it alike.
 */
export class OutboundCircuitOpen extends OutboundUnreachable {
  constructor(path: string) {
    super(path);
    this.message = `outside system circuit open on ${path}`;
    this.name = 'OutboundCircuitOpen';
  }
}

export interface BreakerSettings {
  /** Failures in a row (timeouts, no answer, 5xx) that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one call is let through (half-open). */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 5, halfOpenAfterMs: 30_000 };

class RemoteServerError extends Error {
  constructor(readonly answer: OutboundAnswer) {
    super(`outside system answered ${answer.status}`);
  }
}

const BREAKER_GAUGE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

export const SIGNATURE_HEADER = 'tongbao-signature';
export const KEY_ID_HEADER = 'tongbao-key-id';
/** A bound on what we read back, so a broken remote cannot fill our memory. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function signRequest(secret: string, method: string, path: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${method}.${path}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export interface OutboundAnswer {
  status: number;
  /** The parsed JSON body; undefined for an empty body. */
  body: unknown;
}

export interface OutboundClient {
  /** The circuit breaker's state, for tests and the metrics. */
  readonly breaker: Pick<CircuitBreakerPolicy, 'state'>;
  call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: { idempotencyKey?: string },
  ): Promise<OutboundAnswer>;
}

/**
 * A client for one outside system: every call has the system's timeout and goes through its circuit
 * breaker (cockatiel). After `failures` timeouts, unreachable calls or 5xx answers in a row the
 * circuit opens and calls throw OutboundCircuitOpen at once, so an outage of one system costs its
 * own features a fast refusal instead of a timeout per request, and nothing else; after
 * `halfOpenAfterMs` one call is let through, and its success closes the circuit again.
 */
export function createOutboundClient(
  settings: HttpAdapterSettings,
  clock: Clock,
  options: { system?: string; breaker?: BreakerSettings } = {},
): OutboundClient {
  const system = options.system ?? new URL(settings.baseUrl).host;
  const breakerSettings = options.breaker ?? DEFAULT_BREAKER;
  const breaker = circuitBreaker(handleType(OutboundTimeout).orType(OutboundUnreachable).orType(RemoteServerError), {
    halfOpenAfter: breakerSettings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerSettings.failures),
  });
  outboundBreakerState.set({ system }, 0);
  breaker.onStateChange((state) => outboundBreakerState.set({ system }, BREAKER_GAUGE[state]));
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: { idempotencyKey?: string },
  ): Promise<OutboundAnswer> => {
    const started = performance.now();
    let outcome = 'answered';
    try {
      const answer = await sendOnce(method, path, body, options);
      if (answer.status >= 500) throw new RemoteServerError(answer);
      return answer;
    } catch (error) {
      outcome =
        error instanceof OutboundTimeout
          ? 'timeout'
          : error instanceof RemoteServerError
            ? 'server_error'
            : 'unreachable';
      throw error;
    } finally {
      outboundDuration.observe({ system, outcome }, (performance.now() - started) / 1000);
    }
  };
  return {
    breaker,
    async call(method, path, body, callOptions = {}) {
      try {
        return await breaker.execute(() => send(method, path, body, callOptions));
      } catch (error) {
        if (error instanceof RemoteServerError) return error.answer;
        if (error instanceof BrokenCircuitError) {
          outboundDuration.observe({ system, outcome: 'breaker_open' }, 0);
          throw new OutboundCircuitOpen(path);
        }
        throw error;
      }
    },
  };

  async function sendOnce(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: { idempotencyKey?: string },
  ): Promise<OutboundAnswer> {
    {
      const text = body === undefined ? '' : JSON.stringify(body);
      const url = `${settings.baseUrl}${path}`;
      const headers: Record<string, string> = {
        accept: 'application/json',
        [KEY_ID_HEADER]: settings.keyId,
        [SIGNATURE_HEADER]: signRequest(settings.secret, method, new URL(url).pathname, text, clock.now()),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      let response: Response;
      let raw: string;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : text,
          signal: AbortSignal.timeout(settings.timeoutMs),
          redirect: 'error',
        });
        raw = await response.text();
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw new OutboundTimeout(path);
        throw new OutboundUnreachable(path, error);
      }
      if (raw.length > MAX_RESPONSE_BYTES) throw new OutboundUnreachable(path, new Error('answer too large'));
      if (raw === '') return { status: response.status, body: undefined };
      try {
        return { status: response.status, body: JSON.parse(raw) as unknown };
      } catch (error) {
        throw new OutboundUnreachable(path, error);
      }
    }
  }
}
