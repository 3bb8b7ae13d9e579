import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from './db/types.js';

/**
 * Prometheus metrics of this process (prom-client). One registry per process; every app built in
 * the process (tests build several) feeds the same series. Served at `/metrics` with the operator
 * token, and on TONGBAO_METRICS_PORT without one (docs/operations.md: what each means, what to alert on).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'tongbao_' });

const registers = [metricsRegistry];
const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'tongbao_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpDuration = new Histogram({
  name: 'tongbao_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: seconds,
  registers,
});

export const loadShed = new Counter({
  name: 'tongbao_load_shed_total',
  help: 'Requests refused with 503 by load shedding, by reason (eventLoopDelay, heapUsedBytes, poolWaiting)',
  labelNames: ['reason'] as const,
  registers,
});

export const databaseUnavailable = new Counter({
  name: 'tongbao_database_unavailable_total',
  help: 'Requests answered 503 because the database could not be reached',
  registers,
});

export const groupCommitBatchSize = new Histogram({
  name: 'tongbao_group_commit_batch_size',
  help: 'Items per group-commit batch (ledger writer, transfer completion, settlement, idempotency records)',
  labelNames: ['queue'] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers,
});

export const groupCommitWait = new Histogram({
  name: 'tongbao_group_commit_wait_seconds',
  help: 'Time the first item of a batch waited before its batch started',
  labelNames: ['queue'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers,
});

export const groupCommitFailures = new Counter({
  name: 'tongbao_group_commit_failures_total',
  help: 'Group-commit batches that failed',
  labelNames: ['queue'] as const,
  registers,
});

export const jobsFinished = new Counter({
  name: 'tongbao_jobs_total',
  help: 'Background jobs run by this process, by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
  registers,
});

export const outboundDuration = new Histogram({
  name: 'tongbao_outbound_duration_seconds',
  help: 'Calls to outside systems, by system and outcome (answered, timeout, unreachable, breaker_open)',
  labelNames: ['system', 'outcome'] as const,
  buckets: seconds,
  registers,
});

export const outboundBreakerState = new Gauge({
  name: 'tongbao_outbound_breaker_state',
  help: 'Circuit breaker of each outside system: 0 closed, 1 half-open, 2 open',
  labelNames: ['system'] as const,
  registers,
});

export const riskDecisions = new Counter({
  name: 'tongbao_risk_decisions_total',
  help: 'Risk assessments of outgoing money, by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  registers,
});

export const riskAssessDuration = new Histogram({
  name: 'tongbao_risk_assess_duration_seconds',
  help: 'Time one risk assessment of outgoing money takes inside the payment, by channel (replays included)',
  labelNames: ['channel'] as const,
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers,
});

/** Figures read when scraped: the database pool and the job queues of this process. */
let poolStats: (() => PoolStats | undefined) | null = null;
let queueSizes: (() => Promise<Record<string, number>>) | null = null;

export function watchPool(stats: () => PoolStats | undefined): void {
  poolStats = stats;
}

export function watchQueues(sizes: () => Promise<Record<string, number>>): void {
  queueSizes = sizes;
}

new Gauge({
  name: 'tongbao_db_pool_connections',
  help: 'Database connections of this process by state (open, idle, max)',
  labelNames: ['state'] as const,
  registers,
  collect() {
    const stats = poolStats?.();
    if (!stats) return;
    this.set({ state: 'open' }, stats.total);
    this.set({ state: 'idle' }, stats.idle);
    this.set({ state: 'max' }, stats.max);
  },
});

new Gauge({
  name: 'tongbao_db_pool_waiting',
  help: 'Queries waiting for a database connection',
  registers,
  collect() {
    const stats = poolStats?.();
    if (stats) this.set(stats.waiting);
  },
});

new Gauge({
  name: 'tongbao_jobs_queue_depth',
  help: 'Jobs waiting in each queue (created or retrying)',
  labelNames: ['queue'] as const,
  registers,
  async collect() {
    if (!queueSizes) return;
    try {
      for (const [queue, size] of Object.entries(await queueSizes())) this.set({ queue }, size);
    } catch {
      // The database is away: the scrape still answers; the queue depths are simply not updated.
    }
  },
});

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
