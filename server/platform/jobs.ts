import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from './db/types.js';
import type { PGlite } from '@electric-sql/pglite';
import { jobsFinished, watchQueues } from './metrics.js';

const JOBS_START_LOCK_KEY = 7_362_149_002;

export interface JobDefinition {
  name: string;
  /** Cron in UTC for recurring jobs (pg-boss checks schedules once a minute). */
  cron?: string;
  handler: (data: unknown) => Promise<void>;
  /** Retries before a job fails for good. */
  retryLimit?: number;
}

export interface Jobs {
  start(options: { work: boolean }): Promise<void>;
  send(
    name: string,
    data: object,
    options?: { singletonKey?: string; startAfterSeconds?: number },
  ): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * Durable jobs in the same database through pg-boss: on PostgreSQL over its own pool, on PGlite
 * through pg-boss's `db.executeSql` adapter, which shares PGlite's single session.
 */
export function createJobs(deps: { db: Db; databaseUrl?: string; logger: Logger; definitions: JobDefinition[] }): Jobs {
  const { db, logger, definitions } = deps;
  const options: PgBoss.ConstructorOptions = {
    schema: 'pgboss',
    supervise: true,
    schedule: true,
    migrate: true,
  };
  if (db.engine === 'postgres') {
    options.connectionString = deps.databaseUrl;
    options.max = 4;
  } else {
    const pglite = (db as Db & { pglite: PGlite }).pglite;
    options.db = {
      async executeSql(text: string, values?: unknown[]) {
        if (values && values.length > 0) return pglite.query(text, values);
        // Migrations and maintenance send several statements in one string, without parameters.
        const results = await pglite.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      },
    };
  }
  const boss = new PgBoss(options);
  /** This process's worker of each queue (when it runs them), woken by `send` instead of its next poll. */
  const workers = new Map<string, string>();
  boss.on('error', (error) => logger.error({ err: error }, 'job system error'));
  let started = false;

  return {
    async start({ work }) {
      const install = async () => {
        await boss.start();
        for (const definition of definitions) {
          await boss.createQueue(definition.name, {
            name: definition.name,
            retryLimit: definition.retryLimit ?? 5,
            retryBackoff: true,
          });
        }
      };
      if (db.engine === 'postgres') {
        // pg-boss installs its schema and creates queue tables on first start; processes starting
        // together take turns, or their concurrent DDL deadlocks. Our session holds the lock while
        // pg-boss works over its own connections.
        await db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [JOBS_START_LOCK_KEY]);
          await install();
        });
      } else {
        await install();
      }
      started = true;
      watchQueues(async () => {
        const sizes: Record<string, number> = {};
        for (const definition of definitions) sizes[definition.name] = await boss.getQueueSize(definition.name);
        return sizes;
      });
      if (!work) return;
      for (const definition of definitions) {
        const workerId = await boss.work(definition.name, { pollingIntervalSeconds: 2 }, async (jobs) => {
          try {
            for (const job of jobs) await definition.handler(job.data);
          } catch (error) {
            jobsFinished.inc({ queue: definition.name, outcome: 'failed' }, jobs.length);
            throw error;
          }
          jobsFinished.inc({ queue: definition.name, outcome: 'completed' }, jobs.length);
        });
        workers.set(definition.name, workerId);
        if (definition.cron) await boss.schedule(definition.name, definition.cron);
      }
    },
    async send(name, data, sendOptions) {
      const id = await boss.send(name, data, {
        singletonKey: sendOptions?.singletonKey,
        startAfter: sendOptions?.startAfterSeconds,
      });
      // A job due now is fetched at once by this process's worker rather than at its next poll (up to 2 s
      // later: a shop waiting for its webhook waited that long). Other processes' workers still poll.
      const workerId = workers.get(name);
      if (id && workerId && !sendOptions?.startAfterSeconds) boss.notifyWorker(workerId);
      return id;
    },
    async stop() {
      if (!started) return;
      started = false;
      workers.clear();
      // Graceful: running handlers finish; no new jobs are fetched.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}
