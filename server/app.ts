import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createLedgerService, type LedgerService } from './ledger/service.js';
import { ledgerRoutes } from './ledger/routes.js';
import { createMaintenanceService, type MaintenanceService } from './maintenance/service.js';
import { maintenanceRoutes, registerMaintenanceGate } from './maintenance/routes.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import { operatorAuthenticator, registerAuth } from './platform/http/auth.js';
import { registerErrorHandling } from './platform/http/errors.js';
import { healthRoutes } from './platform/http/health.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { placeholderRoutes } from './platform/http/placeholder.js';
import { registerValidation } from './platform/http/validation.js';
import { newId } from './platform/ids.js';
import { loggerOptions } from './platform/logging.js';

export interface Services {
  ledger: LedgerService;
  maintenance: MaintenanceService;
}

export interface AppDeps {
  config: Pick<Config, 'operatorToken' | 'logLevel' | 'production' | 'publicUrl'>;
  db: Db;
  clock?: Clock;
  logger?: Logger;
}

export function createServices(db: Db, clock: Clock): Services {
  return {
    ledger: createLedgerService({ db, clock }),
    maintenance: createMaintenanceService({ db, clock }),
  };
}

/** The one place the HTTP app is assembled from the domains. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services; startShutdown: () => void }> {
  const clock = deps.clock ?? systemClock;
  const services = createServices(deps.db, clock);
  let shuttingDown = false;

  const app = Fastify({
    loggerInstance: deps.logger,
    logger: deps.logger ? undefined : loggerOptions(deps.config.logLevel),
    genReqId: () => newId('req'),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.production,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false } },
  }) as unknown as FastifyInstance;

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  // The API speaks JSON only; anything else is 415 rather than a string to validate.
  app.removeContentTypeParser('text/plain');
  registerValidation(app);
  registerErrorHandling(app);
  registerAuth(app, [operatorAuthenticator(deps.config.operatorToken)]);
  registerMaintenanceGate(app, services.maintenance, () => clock.now());
  registerIdempotency(app, { db: deps.db, clock });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongbao (通宝) API',
        version: '1',
        description:
          'The digital wallet API. Amounts are integers in minor units (fen) beside a currency: {"amount": 8850, "currency": "CNY"} is ¥88.50. Errors are application/problem+json with a stable `code`. Money-moving POSTs need an Idempotency-Key header.',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          operatorToken: { type: 'http', scheme: 'bearer', description: 'Operator token (TONGBAO_OPERATOR_TOKEN, or data/operator-token in development)' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps.db, () => shuttingDown));
  await app.register(placeholderRoutes());
  await app.register(maintenanceRoutes(services.maintenance, () => clock.now()));
  await app.register(ledgerRoutes(services.ledger));

  return {
    app,
    services,
    startShutdown: () => {
      shuttingDown = true;
    },
  };
}
