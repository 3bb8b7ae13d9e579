import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { STAFF_ROLES, type StaffRole } from './identity/staff.js';
import { type Services, buildApp, createServices } from './app.js';
import { describeDemo, seedDemo } from './demo/seed.js';
import { type Config, loadConfig } from './config.js';
import { sandboxesIn } from './config-outside.js';
import { jobDefinitions } from './jobs.js';
import { verifyLedger } from './ledger/verify.js';
import { qrCli } from './payments/emv/cli.js';
import { FEATURES, type Feature } from './maintenance/service.js';
import { systemClock } from './platform/clock.js';
import { openDatabase } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { backupPglite, restorePglite, writeBackupFile } from './platform/db/backup.js';
import { type Jobs, createJobs } from './platform/jobs.js';
import { loggerOptions } from './platform/logging.js';
import { totpCli } from './demo/totp-cli.js';
import { guardUnhandledRejections } from './platform/process-guards.js';
import { serveMetrics } from './platform/metrics-port.js';
import { watchPool } from './platform/metrics.js';

const USAGE = `Usage: tongbao <command>

  serve            run the HTTP server (and in-process workers unless TONGBAO_WORKERS=off)
  demo             like serve, for a laptop: the embedded database and demo data (refused when NODE_ENV=production)
  worker           run background jobs only (for separate worker processes)
  migrate          apply database migrations and exit
  verify-ledger    re-derive every balance and check the hash chain; non-zero exit on any mismatch
  backup <file> [--server URL] [--operator NAME]
                   copy the embedded database (PGlite) to a file, consistently; of a running server with
                   --server (asked with the operator token), else of DATA_DIR while no server has it open
                   (PostgreSQL: pg_dump, docs/operations.md)
  restore <file>   restore such a copy into DATA_DIR, which must not hold a database yet
  maintenance add --feature F --start ISO --end ISO --title-zh T --title-en T --message-zh M --message-en M
  maintenance list
  qr decode <payload>   parse an EMV merchant-presented QR payload; JSON fields, or the error and exit 1
  staff create --phone P --name N --role support[,kyc_reviewer,risk_analyst,admin]
                   (password from STAFF_PASSWORD, or generated and printed once, with the TOTP secret)
  totp <phone>     a demo staff member's current console sign-in code (development only)

Environment: PORT (8080), HOST, DATA_DIR (./data), DATABASE_URL (PostgreSQL; PGlite when unset),
TONGBAO_OPERATOR_TOKEN, TONGBAO_WORKERS=off, LOG_LEVEL; the outside systems' adapters in docs/operations.md.
--allow-sandbox (or TONGBAO_ALLOW_SANDBOX=1): staging only, lets production run sandboxes, announced on every page.`;

/** The staging flag may follow any command. */
const ALLOW_SANDBOX = process.argv.includes('--allow-sandbox');
const loadCliConfig = () => loadConfig(process.env, { allowSandbox: ALLOW_SANDBOX });

/** Loud, on purpose: a process with sandboxes allowed must never be mistaken for production. */
function warnIfSandboxAllowed(config: Config, logger: pino.Logger) {
  if (!config.allowSandbox) return;
  const sandboxes = sandboxesIn(config.outsideSystems);
  logger.warn(
    { sandboxes },
    'SANDBOX MODE (--allow-sandbox): not for real customers; every page shows a sandbox banner',
  );
  process.stderr.write(
    `\n  !!! SANDBOX MODE (--allow-sandbox): sandboxes in use: ${sandboxes.join(', ') || 'none'}. Not for real ` +
      `customers. !!!\n\n`,
  );
}

/** A running server's online backup (GET /api/v1/operations/backup, operator token). */
async function downloadBackup(server: string, token: string, operatorId: string): Promise<Uint8Array> {
  const answer = await fetch(new URL('/api/v1/operations/backup', server), {
    headers: { authorization: `Bearer ${token}`, 'x-operator-id': operatorId },
  });
  if (answer.status !== 200) throw new Error(`${server} answered ${answer.status}: ${await answer.text()}`);
  return new Uint8Array(await answer.arrayBuffer());
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Webhook events recorded and committed: the delivery job runs now rather than at the next minute. */
function wakeWebhooks(services: Services, jobs: Jobs, logger: Logger) {
  services.merchantApi.webhooks.setWake(() => {
    jobs.send('merchant-api-webhooks', {}).catch((error) => logger.warn({ err: error }, 'webhook job not woken'));
  });
}

async function serve(options: { demo: boolean }) {
  const config = loadCliConfig();
  const logger = pino(loggerOptions(config.logLevel));
  guardUnhandledRejections(logger);
  warnIfSandboxAllowed(config, logger);
  const db = await openDatabase(config);
  const { applied } = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const { app, services, startShutdown } = await buildApp({ config, db, logger });
  const jobs = createJobs({
    db,
    databaseUrl: config.databaseUrl,
    logger,
    definitions: jobDefinitions({ db, clock: systemClock, services }),
  });
  await jobs.start({ work: config.inProcessWorkers });
  wakeWebhooks(services, jobs, logger);
  await serveMetrics(config.resilience.metricsPort, config.host, logger);
  const demo = options.demo
    ? await seedDemo({ services, db, dataDir: config.dataDir, logger, spendingMonths: config.demoSpendingMonths })
    : null;
  await app.listen({ port: config.port, host: config.host });
  const engine = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  process.stdout.write(
    `\n  通宝 Tongbao is running at ${config.publicUrl}\n  API docs: ${config.publicUrl}/docs   database: ${engine}\n` +
      (options.demo ? `  operator token (internal API): ${config.dataDir}/operator-token\n` : '') +
      (demo ? describeDemo(demo, config.publicUrl) : '') +
      '  Press Ctrl-C to stop.\n\n',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    startShutdown();
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await app.close();
      await jobs.stop();
      await services.ledger.close();
      await db.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function worker() {
  const config = loadCliConfig();
  const logger = pino(loggerOptions(config.logLevel));
  guardUnhandledRejections(logger);
  warnIfSandboxAllowed(config, logger);
  const db = await openDatabase(config);
  await migrate(db);
  const services = createServices(db, systemClock, config, logger);
  const jobs = createJobs({
    db,
    databaseUrl: config.databaseUrl,
    logger,
    definitions: jobDefinitions({ db, clock: systemClock, services }),
  });
  await jobs.start({ work: true });
  wakeWebhooks(services, jobs, logger);
  if (config.databaseUrl && typeof db.stats === 'function') watchPool(db.stats.bind(db));
  await serveMetrics(config.resilience.metricsPort, config.host, logger);
  logger.info('worker running');
  const stop = async () => {
    await jobs.stop();
    await services.ledger.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadCliConfig());
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, sub] = args;
  switch (command) {
    case 'serve':
      await serve({ demo: false });
      return -1;
    case 'demo':
      // The demo seeds staff with published passwords and runs every sandbox.
      if (process.env.NODE_ENV === 'production') {
        console.error(
          'demo refuses to run when NODE_ENV=production: it seeds accounts with published passwords. Use serve.',
        );
        return 1;
      }
      await serve({ demo: true });
      return -1;
    case 'worker':
      await worker();
      return -1;
    case 'migrate':
      return withDb(async (db) => {
        const { applied } = await migrate(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      });
    case 'verify-ledger':
      return withDb(async (db) => {
        await migrate(db);
        const report = await verifyLedger(db);
        for (const problem of report.problems) console.error(`MISMATCH ${problem}`);
        console.log(
          `${report.ok ? 'ledger OK' : 'ledger BROKEN'}: ${report.entries} entries, ${report.accounts} accounts, ` +
            `${report.problems.length} problems`,
        );
        return report.ok ? 0 : 1;
      });
    case 'maintenance':
      return withDb(async (db) => {
        await migrate(db);
        const services = createServices(db, systemClock, loadCliConfig());
        try {
          if (sub === 'list') {
            for (const window of await services.maintenance.announcements()) {
              console.log(
                `${window.id} ${window.feature} ${window.startsAt.toISOString()} → ${window.endsAt.toISOString()} ` +
                  `${window.titleZh} / ${window.titleEn}`,
              );
            }
            return 0;
          }
          if (sub !== 'add') throw new Error('maintenance needs add or list');
          const feature = option(args, 'feature') as Feature;
          if (!FEATURES.includes(feature)) throw new Error(`--feature must be one of ${FEATURES.join(', ')}`);
          const result = await services.maintenance.schedule({
            feature,
            startsAt: new Date(option(args, 'start') ?? Date.now()),
            endsAt: new Date(option(args, 'end') ?? ''),
            titleZh: option(args, 'title-zh') ?? '系统维护',
            titleEn: option(args, 'title-en') ?? 'Scheduled maintenance',
            messageZh: option(args, 'message-zh') ?? '该功能正在维护，请稍后再试。',
            messageEn: option(args, 'message-en') ?? 'This feature is under maintenance. Please try again later.',
            createdBy: 'cli',
          });
          if (!result.ok) throw new Error(`${result.error.field} ${result.error.message}`);
          console.log(
            `scheduled ${result.value.id}: ${feature} ${result.value.startsAt.toISOString()} → ` +
              `${result.value.endsAt.toISOString()}`,
          );
          return 0;
        } finally {
          await services.ledger.close();
        }
      });
    case 'backup':
    case 'restore': {
      const file = args[1];
      const config = loadCliConfig();
      if (!file || file.startsWith('--')) throw new Error(`${command} needs a file`);
      const server = option(args, 'server');
      if (command === 'backup' && server) {
        const bytes = await downloadBackup(server, config.operatorToken, option(args, 'operator') ?? 'tongbao-backup');
        writeBackupFile(file, bytes);
        console.log(`backup written: ${file} (${bytes.length} bytes, online from ${server})`);
        return 0;
      }
      if (config.databaseUrl)
        throw new Error(
          `${command} is for the embedded database; for PostgreSQL see docs/operations.md (pg_dump, PITR)`,
        );
      if (command === 'restore') {
        await restorePglite(file, join(config.dataDir, 'pglite'));
        console.log(`restored ${file} into ${config.dataDir}; run tongbao verify-ledger`);
        return 0;
      }
      return withDb(async (db) => {
        const bytes = await backupPglite(db, file);
        console.log(`backup written: ${file} (${bytes} bytes)`);
        return 0;
      });
    }
    case 'qr':
      return qrCli(
        args.slice(1),
        (line) => console.log(line),
        (line) => console.error(line),
      );
    case 'totp': {
      const config = loadCliConfig();
      return totpCli(args.slice(1), { dataDir: config.dataDir, production: config.production }, (line) =>
        console.log(line),
      );
    }
    case 'staff':
      return withDb(async (db) => {
        await migrate(db);
        const services = createServices(db, systemClock, loadCliConfig());
        try {
          if (sub !== 'create') throw new Error('staff needs create');
          const roles = (option(args, 'role') ?? '').split(',').filter(Boolean) as StaffRole[];
          if (roles.length === 0 || !roles.every((role) => STAFF_ROLES.includes(role)))
            throw new Error(`--role must be one or more of ${STAFF_ROLES.join(', ')}`);
          const password = process.env.STAFF_PASSWORD ?? `${randomBytes(12).toString('base64url')}`;
          const created = await services.identity.staff.create({
            phone: option(args, 'phone') ?? '',
            name: option(args, 'name') ?? 'staff',
            password,
            roles,
          });
          if (!created.ok) throw new Error(`could not create staff: ${created.error.code}`);
          console.log(`staff ${created.value.id} (${roles.join(', ')})`);
          if (!process.env.STAFF_PASSWORD) console.log(`password: ${password}   (shown once)`);
          console.log(`TOTP secret: ${created.value.totpSecret}\nTOTP URI: ${created.value.totpUri}`);
          return 0;
        } finally {
          await services.ledger.close();
        }
      });
    default:
      console.log(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
