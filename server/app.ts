import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { registerOperatorCallAudit } from './audit/operator-calls.js';
import { SANDBOX_HEADER } from './outside-adapters.js';
import { deriveSubkey } from './platform/crypto.js';
import { maintenanceProblems, registerMaintenanceGate } from './maintenance/routes.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import { operatorAuthenticator, registerAuth } from './platform/http/auth.js';
import { frameworkErrorHandler, registerErrorHandling } from './platform/http/errors.js';
import { registerProblems } from './platform/http/problem-registry.js';
import { documentProblems, platformProblems } from './platform/http/openapi.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { registerResilience } from './platform/resilience.js';
import { registerValidation } from './platform/http/validation.js';
import { newId } from './platform/ids.js';
import { DebugRequestLines, loggerOptions } from './platform/logging.js';
import { guardMerchantRoutes } from './payments/merchant-roles.js';
import { DOMAIN_PROBLEM_TABLES } from './problem-catalogue.js';
import { type AppDeps, type Services, createServices, servedOverHttps } from './services.js';
import { registerRoutes } from './routes.js';

export { type AppConfig, type AppDeps, type Services, createServices, servedOverHttps } from './services.js';

/** The one place the HTTP app is assembled from the domains. */
export async function buildApp(
  deps: AppDeps,
): Promise<{ app: FastifyInstance; services: Services; startShutdown: () => void }> {
  const clock = deps.clock ?? systemClock;
  // Each domain's problem codes, before any route can answer with one; a code defined twice throws here.
  for (const table of DOMAIN_PROBLEM_TABLES) registerProblems(table);
  const services = createServices(deps.db, clock, deps.config, deps.logger);
  let shuttingDown = false;
  const trustProxyHops = deps.config.trustProxyHops ?? 0;

  const app = Fastify({
    loggerInstance: deps.logger,
    logger: deps.logger ? undefined : loggerOptions(deps.config.logLevel),
    genReqId: () => newId('req'),
    requestIdHeader: false,
    // Development logs each request at debug, so the start banner is not drowned at info.
    logController: deps.config.production ? undefined : new DebugRequestLines(),
    bodyLimit: 1024 * 1024,
    // A hop count, never `true`: X-Forwarded-For is believed only as far as our own proxies wrote it
    // (hop 0 is the socket's peer). Fastify's own numeric form trusts nothing, hence the function.
    trustProxy: (_address: string, hop: number) => hop < trustProxyHops,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { coerceTypes: false } },
  }) as unknown as FastifyInstance;

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  // Staging with sandboxes says so on every answer; the web apps turn it into a banner.
  if (deps.config.allowSandbox) {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header(SANDBOX_HEADER, 'on');
      return payload;
    });
  }
  registerSecurityHeaders(app, { hsts: servedOverHttps(deps.config) });
  // Load shedding, lingering close and metrics (docs/operations.md), before authentication.
  await registerResilience(app, { db: deps.db, config: deps.config });

  // The API speaks JSON only; anything else is 415 rather than a string to validate.
  app.removeContentTypeParser('text/plain');
  registerValidation(app);
  registerErrorHandling(app);
  await app.register(cookie);
  registerAuth(app, [
    operatorAuthenticator(deps.config.operatorToken),
    services.payments.auth.authenticator,
    services.merchantApi.keys.authenticator,
    services.identity.sessions.authenticator,
  ]);
  guardMerchantRoutes(app);
  registerMaintenanceGate(app, services.maintenance, () => clock.now());
  const fingerprintKey = deriveSubkey(deps.config.piiKey, 'tongbao-idempotency');
  registerIdempotency(app, {
    db: deps.db,
    clock,
    fingerprintKey,
    lockTimeoutMs: deps.config.resilience?.idempotencyLockMs,
  });
  registerOperatorCallAudit(app, services.audit, deps.db);

  // Each route's problem responses: its `schema.problems` and what the platform's and the maintenance gate's hooks
  // answer.
  const problemDocs = documentProblems([platformProblems, maintenanceProblems]);
  await app.register(swagger, {
    transform: problemDocs.transform,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongbao (通宝) API',
        version: '1',
        description:
          'The digital wallet API. Amounts are integers in minor units (fen) beside a currency: {"amount": 8850, ' +
          '"currency": "CNY"} is ¥88.50. Errors are application/problem+json with a stable `code`. Money-moving ' +
          'POSTs need an Idempotency-Key header.',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        schemas: problemDocs.components.schemas,
        securitySchemes: {
          operatorToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'Operator token (TONGBAO_OPERATOR_TOKEN, or data/operator-token in development)',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tb_session',
            description: 'Web session cookie; writes also need the X-CSRF-Token header',
          },
          bearer: { type: 'http', scheme: 'bearer', description: "Session token from sign-in with client: 'api'" },
          merchantApiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'Merchant API key (sk_live_… or sk_test_…) made in the merchant pages (docs/merchant-api.md)',
          },
        },
      },
    },
  });
  if (deps.config.apiDocs ?? !deps.config.production) {
    const https = deps.config.publicUrl.startsWith('https:');
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Upgrading requests breaks the page on a plain-HTTP development origin.
      transformStaticCSP: (csp) => (https ? csp : csp.replace(/\s*upgrade-insecure-requests;?/, '')),
    });
  }
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerRoutes(app, services, deps, clock, () => shuttingDown);

  return {
    app,
    services,
    startShutdown: () => {
      shuttingDown = true;
    },
  };
}
