import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/types.js';
import { RETRY_AFTER_SECONDS } from './errors.js';
import { Problem } from './problem-error.js';

export interface LoadLimits {
  /** Mean event-loop delay (ms) past which requests are shed; 0: not checked. */
  maxEventLoopDelayMs: number;
  /** Heap in use (bytes) past which requests are shed; 0: not checked. */
  maxHeapUsedBytes: number;
  /** Queries waiting for a database connection past which requests are shed (PostgreSQL). */
  maxPoolWaiting: number;
  /** How often the event loop and heap are sampled (ms); default 1000. */
  sampleIntervalMs?: number;
}

/** Probes and the metrics scrape answer even under pressure: they tell the operator what is going on. */
const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics']);

export type ShedReason = 'eventLoopDelay' | 'heapUsedBytes' | 'poolWaiting' | string;

const overloaded = () => new Problem('SERVICE_UNAVAILABLE', {}, [], { 'retry-after': String(RETRY_AFTER_SECONDS) });

/**
 * Load shedding: past a limit the server answers 503 SERVICE_UNAVAILABLE (problem+json, Retry-After)
 * at once, before authentication or any database work, instead of queueing every request until all
 * of them time out. Event-loop delay and heap through @fastify/under-pressure; the database pool's
 * queue of waiting queries by our own check (a full pool shows there first).
 */
export async function registerLoadShedding(
  app: FastifyInstance,
  options: { db: Db; limits: LoadLimits; onShed?: (reason: ShedReason) => void },
): Promise<void> {
  const { db, limits, onShed } = options;
  const exempt = (request: FastifyRequest) => NEVER_SHED.has(request.routeOptions.url ?? '');
  await app.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    maxHeapUsedBytes: limits.maxHeapUsedBytes,
    sampleInterval: limits.sampleIntervalMs ?? 1_000,
    pressureHandler: (request: FastifyRequest, _reply: unknown, type: string) => {
      if (exempt(request)) return undefined;
      onShed?.(type);
      return Promise.reject(overloaded());
    },
  });
  if (db.stats && limits.maxPoolWaiting > 0) {
    const stats = db.stats.bind(db);
    app.addHook('onRequest', async (request) => {
      if (exempt(request) || stats().waiting <= limits.maxPoolWaiting) return;
      onShed?.('poolWaiting');
      throw overloaded();
    });
  }
}

export interface LingerOptions {
  /** Bytes read and thrown away after the answer, at most. */
  maxBytes?: number;
  /** How long to wait for the client to stop sending, at most (ms). */
  maxMs?: number;
}

/**
 * Lingering close, as nginx does it. When the server answers before reading the body (401 from the
 * auth hook, 413 for a body over the limit) and then closes the connection, the unread bytes make
 * the kernel send RST, and a client that was still sending loses the answer it had not read yet.
 * Instead, after the answer, only our side is shut (FIN) and what the client still sends is read
 * and discarded, up to a bound in bytes and time, before the socket is destroyed.
 */
export function enableLingeringClose(server: Server, options: LingerOptions = {}): void {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const maxMs = options.maxMs ?? 5_000;
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = function lingeringClose(this: Socket) {
      if (this.destroyed) return;
      this.end();
      let drained = 0;
      const done = () => {
        clearTimeout(timer);
        this.destroy();
      };
      const timer = setTimeout(done, maxMs);
      timer.unref();
      this.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > maxBytes) done();
      });
      this.once('end', done);
      this.once('close', () => clearTimeout(timer));
      this.resume();
    };
  });
}
