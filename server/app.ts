import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { accountSafetyRoutes } from './account-safety/routes.js';
import { type AccountSafety, createAccountSafety } from './account-safety/service.js';
import { approvalStaffRoutes } from './approvals/routes.js';
import { type Approvals, createApprovals } from './approvals/service.js';
import { registerOperatorCallAudit } from './audit/operator-calls.js';
import { type AuditLog, createAuditLog } from './audit/service.js';
import { confirmationRoutes } from './confirmations/routes.js';
import { authRoutes } from './identity/routes-auth.js';
import { meRoutes } from './identity/routes-me.js';
import { webAuthnSettingsFrom } from './identity/passkeys.js';
import { passkeyRoutes } from './identity/routes-passkeys.js';
import { createSandboxDocumentCheck } from './kyc/adapter.js';
import { createDocumentCipher } from './kyc/document-cipher.js';
import { kycStaffRoutes } from './kyc/routes-staff.js';
import { kycRoutes } from './kyc/routes.js';
import { type KycService, createKycService } from './kyc/service.js';
import { walletRoutes } from './wallet/routes.js';
import { type WalletService, createWalletService } from './wallet/service.js';
import { DEFAULT_TIER_TABLE } from './kyc/tiers.js';
import { riskStaffRoutes } from './risk/routes-staff.js';
import { riskRoutes } from './risk/routes.js';
import { type RiskService, createRiskService } from './risk/service.js';
import { type Identity, createIdentity } from './identity/service.js';
import { DEFAULT_SESSION_SETTINGS } from './identity/sessions.js';
import { devOutboxRoutes, notificationRoutes } from './notifications/routes.js';
import { type NotificationService, createNotificationService } from './notifications/service.js';
import { createSandboxSms } from './notifications/sms.js';
import { SANDBOX_HEADER, createOutsideAdapters } from './outside-adapters.js';
import { createPiiCipher, deriveSubkey } from './platform/crypto.js';
import type { PinKeyRing } from './platform/pin-keys.js';
import { createLedgerService, type LedgerService } from './ledger/service.js';
import { type OperatorMovements, createOperatorMovements } from './ledger/operator-movements.js';
import { ledgerApprovalRoutes } from './ledger/routes-approvals.js';
import { ledgerRoutes } from './ledger/routes.js';
import { createMaintenanceService, type MaintenanceService } from './maintenance/service.js';
import { maintenanceProblems, maintenanceRoutes, registerMaintenanceGate } from './maintenance/routes.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import { operatorAuthenticator, registerAuth } from './platform/http/auth.js';
import { backupRoutes } from './platform/http/backup.js';
import { frameworkErrorHandler, registerErrorHandling } from './platform/http/errors.js';
import { registerProblems } from './platform/http/problem-registry.js';
import { documentProblems, platformProblems } from './platform/http/openapi.js';
import { healthRoutes } from './platform/http/health.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { webAppRoutes } from './platform/http/static.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { metricsRoutes, registerResilience } from './platform/resilience.js';
import { registerValidation } from './platform/http/validation.js';
import { newId } from './platform/ids.js';
import { loggerOptions } from './platform/logging.js';
import { type RequestService, createRequestService } from './transfers/requests.js';
import { transferRoutes } from './transfers/routes.js';
import { type TransferService, createTransferService } from './transfers/service.js';
import { paymentMerchantRoutes } from './payments/routes-merchant.js';
import { paymentOpsRoutes } from './payments/routes-ops.js';
import { paymentUserRoutes } from './payments/routes-user.js';
import { type PaymentsService, createPaymentsService } from './payments/service.js';
import { guardMerchantRoutes } from './payments/merchant-roles.js';
import { opsRoutes } from './ops/routes.js';
import { billDevRoutes, billRoutes } from './bills/routes.js';
import { billReceiptRoutes } from './bills/routes-receipts.js';
import { billStaffRoutes } from './bills/routes-staff.js';
import { type BillsService, createBillsService } from './bills/service.js';
import { savingsDevRoutes, savingsRoutes } from './savings/routes.js';
import { savingsDocumentRoutes } from './savings/routes-documents.js';
import { savingsStaffRoutes } from './savings/routes-staff.js';
import { type SavingsService, createSavingsService } from './savings/service.js';
import { insightsRoutes } from './insights/routes.js';
import { checkoutRoutes, merchantApiRoutes } from './merchant-api/routes-api.js';
import { merchantApiKeyRoutes } from './merchant-api/routes-keys.js';
import { type MerchantApiService, createMerchantApiService } from './merchant-api/service.js';
import { type InsightsService, createInsightsService } from './insights/service.js';
import { creditDevRoutes, creditRoutes } from './credit/routes.js';
import { creditCardRoutes } from './credit/routes-cards.js';
import { creditStaffRoutes } from './credit/routes-staff.js';
import { type CreditService, createCreditService } from './credit/service.js';
import { DOMAIN_PROBLEM_TABLES } from './problem-catalogue.js';
import { createOpsService } from './ops/service.js';
import { ok } from './platform/result.js';
import { createDocumentCipher as createAttachmentCipher } from './kyc/document-cipher.js';
import { createTicketLive } from './support/live.js';
import { caseRoutes } from './support/routes-cases.js';
import { disputeRoutes } from './support/routes-disputes.js';
import { explanationRoutes } from './support/routes-explain.js';
import { supportRoutes } from './support/routes.js';
import { supportStaffRoutes } from './support/routes-staff.js';
import { type SupportService, createSupportService } from './support/service.js';
import type { HolderState, RecordFacts } from './support/explain.js';
import type { LinkedRecord } from './support/types.js';

export interface Services {
  ledger: LedgerService;
  maintenance: MaintenanceService;
  notifications: NotificationService;
  audit: AuditLog;
  identity: Identity;
  accountSafety: AccountSafety;
  kyc: KycService;
  wallet: WalletService;
  risk: RiskService;
  transfers: TransferService;
  transferRequests: RequestService;
  payments: PaymentsService;
  bills: BillsService;
  approvals: Approvals;
  operatorMovements: OperatorMovements;
  savings: SavingsService;
  insights: InsightsService;
  merchantApi: MerchantApiService;
  credit: CreditService;
  support: SupportService;
}

export type AppConfig = Pick<Config, 'operatorToken' | 'logLevel' | 'production' | 'publicUrl' | 'piiKey'> &
  Partial<
    Pick<
      Config,
      'sessionIdleMs' | 'sessionAbsoluteMs' | 'passwordReminderDays' | 'pinKeys' | 'trustProxyHops' | 'apiDocs'
    >
  > &
  Partial<Pick<Config, 'allowSandbox' | 'outsideSystems' | 'resilience'>>;

/**
 * Served over HTTPS: in production, and whenever the public origin is HTTPS. Then cookies are Secure
 * and `__Host-` prefixed, and every answer carries HSTS.
 */
export const servedOverHttps = (config: Pick<AppConfig, 'production' | 'publicUrl'>) =>
  config.production || config.publicUrl.startsWith('https:');

export interface AppDeps {
  config: AppConfig;
  db: Db;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The PIN keys from the configuration. Embedded uses (tests, benchmarks) may leave them out and get
 * a key derived from the personal-data key; production never does (loadConfig requires one).
 */
function pinKeysOf(config: AppConfig): PinKeyRing {
  if (config.pinKeys) return config.pinKeys;
  if (config.production) throw new Error('TONGBAO_PIN_KEY is required when NODE_ENV=production');
  return { current: { id: 'derived', key: deriveSubkey(config.piiKey, 'tongbao-pin-fallback') }, previous: [] };
}

export function createServices(db: Db, clock: Clock, config: AppConfig, logger?: Logger): Services {
  const ledger = createLedgerService({ db, clock });
  const outside = createOutsideAdapters(config, { clock });
  const sms = outside.sms ?? createSandboxSms({ db, clock, cipher: createPiiCipher(config.piiKey) });
  const notifications = createNotificationService({ db, clock, sms, logger });
  const audit = createAuditLog({ db, clock });
  const approvals = createApprovals({ db, clock, audit, logger });
  const identity = createIdentity({
    db,
    clock,
    cipher: createPiiCipher(config.piiKey),
    ledger,
    notifications,
    audit,
    sms,
    sessionSettings: {
      idleMs: config.sessionIdleMs ?? DEFAULT_SESSION_SETTINGS.idleMs,
      absoluteMs: config.sessionAbsoluteMs ?? DEFAULT_SESSION_SETTINGS.absoluteMs,
      secureCookies: servedOverHttps(config),
    },
    webAuthn: webAuthnSettingsFrom(config.publicUrl),
    passwordReminderDays: config.passwordReminderDays,
    pinKeys: pinKeysOf(config),
  });
  const accountSafety = createAccountSafety({
    db,
    clock,
    ledger,
    notifications,
    audit,
    holders: identity.holders,
  });
  const stepUpCodeKey = deriveSubkey(config.piiKey, 'tongbao-step-up-codes');
  const risk = createRiskService({
    db,
    clock,
    ledger,
    identity,
    accountSafety,
    notifications,
    audit,
    approvals,
    logger,
    stepUpCodeKey,
  });
  const wallet = createWalletService({
    db,
    clock,
    cipher: createPiiCipher(config.piiKey),
    ledger,
    identity,
    notifications,
    sms,
    logger,
    risk,
    ...outside.cardNetwork,
  });
  const transfers = createTransferService({ db, clock, ledger, identity, notifications, risk });
  const transferRequests = createRequestService({ db, clock, identity, notifications, transfers });
  // The verified tier also needs a linked bank card in the holder's own name (docs/kyc.md).
  const kyc = createKycService({
    db,
    clock,
    identity,
    ledger,
    notifications,
    audit,
    approvals,
    cipher: createDocumentCipher(config.piiKey),
    adapter: outside.documentCheck ?? createSandboxDocumentCheck({ clock }),
    tiers: DEFAULT_TIER_TABLE,
    hasSameNameCard: (userId) => wallet.hasSameNameCard(userId),
    logger,
  });
  const payments = createPaymentsService({
    db,
    clock,
    ledger,
    identity,
    notifications,
    audit,
    risk,
    secureCookies: servedOverHttps(config),
    rail: outside.payoutRail,
  });
  const operatorMovements = createOperatorMovements(ledger, approvals);
  const maintenance = createMaintenanceService({ db, clock });
  const bills = createBillsService({
    db,
    clock,
    ledger,
    identity,
    notifications,
    audit,
    maintenance,
    risk,
    passwordFree: payments.passwordFree,
    network: outside.billNetwork,
    logger,
  });
  const savings = createSavingsService({
    db,
    clock,
    ledger,
    identity,
    approvals,
    audit,
    fundCompany: outside.fundCompany,
    logger,
  });
  const insights = createInsightsService({
    db,
    clock,
    ledger,
    merchantMcc: async (merchantId) => (await payments.merchants.row(merchantId))?.mcc ?? null,
    notify: (userId, notice) => notifications.notify(userId, notice),
    linkedCards: async (userId) =>
      (await wallet.cards.list(userId)).map((card) => ({
        id: card.id,
        bankName: card.bankName,
        bankNameEn: card.bankNameEn,
        last4: card.last4,
      })),
    savingsTotal: async (userId) => (await savings.holdings.of(userId)).totalAssets,
    logger,
  });
  const merchantApi = createMerchantApiService({
    db,
    clock,
    cipher: identity.ctx.cipher,
    audit,
    payments: {
      merchant: async (merchantId) => {
        const row = await payments.merchants.row(merchantId);
        return row ? { id: row.id, name: row.name, status: row.status, merchantNumber: row.merchant_number } : null;
      },
      issueCode: async (merchantId, input) => {
        const code = await payments.qr.create(merchantId, { kind: 'dynamic', ...input });
        return code.ok ? { ok: true, value: { id: code.value.id, payload: code.value.payload } } : code;
      },
      codeState: (qrId) => payments.qr.state(qrId),
      revokeCode: (qrId) => payments.qr.revoke(qrId),
      refund: (merchantId, paymentId, input) => payments.refunds.refundForApi(merchantId, paymentId, input),
    },
  });
  const credit = createCreditService({
    db,
    clock,
    ledger,
    identity,
    approvals,
    audit,
    maintenance,
    cipher: createPiiCipher(config.piiKey),
    walletCards: {
      async defaultCard(userId) {
        const card = (await wallet.cards.list(userId)).find((linked) => linked.isDefault);
        return card ? { id: card.id, label: `${card.bankName} ${card.masked}` } : null;
      },
      async topUp(userId, cardId, amountFen, currency) {
        const done = await wallet.orders.topUp(userId, { cardId, amountFen, currency });
        return done.ok && done.value.status === 'succeeded';
      },
    },
    logger,
  });
  /** A record a ticket links to or a holder asks about, from the domain that keeps it; null when not theirs. */
  const findRecord = async (userId: string, record: LinkedRecord): Promise<RecordFacts | null> => {
    const facts = (status: string, failure: string | null, amountFen: bigint | null) => ({
      kind: record.kind,
      id: record.id,
      status,
      failure,
      amountFen,
    });
    switch (record.kind) {
      case 'payment': {
        const found = await payments.payments.get(userId, record.id);
        return found && facts(found.status, found.failureCode, found.amountFen);
      }
      case 'transfer': {
        const found = await transfers.get(userId, record.id);
        return found && facts(found.status, found.failure_code, found.amount);
      }
      case 'withdrawal':
      case 'topup': {
        const found = await wallet.orders.get(userId, record.id);
        if (!found || found.kind !== (record.kind === 'topup' ? 'topup' : 'withdraw')) return null;
        return facts(found.status, found.status === 'failed' ? found.failureReason : null, found.amountFen);
      }
      case 'bill': {
        const found = await bills.paying.get(userId, record.id);
        return found && facts(found.status, found.status === 'failed' ? found.failureReason : null, found.amountFen);
      }
      case 'movement': {
        const found = await wallet.history.detail(userId, record.id);
        return found.ok ? facts(found.value.status, null, found.value.amountFen) : null;
      }
      case 'hold': {
        const found = await risk.heldMovement(userId, record.id);
        if (!found) return null;
        const failure = found.status === 'denied' ? 'RISK_DENIED' : found.status === 'voided' ? 'RISK_BLOCKED' : null;
        return {
          ...facts(found.status, failure, found.amount),
          pendingHold: found.status === 'pending' ? { id: found.id, expiresAt: found.expires_at } : null,
        };
      }
    }
  };
  /** The holder's situation now: balance, today's limit, restriction, maintenance. */
  const holderState = (userId: string): HolderState => {
    const account = async () => {
      const profile = await identity.profile(userId);
      return profile ? ledger.getAccount(profile.walletAccountId) : null;
    };
    return {
      availableFen: async () => (await account())?.availableFen ?? null,
      async dailyLimit() {
        const wallet = await account();
        if (!wallet) return { limitFen: null, usedFen: 0n };
        return { limitFen: wallet.limits.dailyFen ?? null, usedFen: (await ledger.usage(wallet.id)).dayFen };
      },
      restriction: async () => (await risk.restrictions.ofUser(userId)).active,
      maintenance: async (feature) => (await maintenance.activeFor(feature)) ?? (await maintenance.activeFor('all')),
    };
  };
  const support = createSupportService({
    db,
    clock,
    audit,
    notifications,
    holders: { findParty: (by) => identity.findParty(by) },
    staff: identity.staff,
    records: { find: findRecord, state: holderState },
    cipher: createAttachmentCipher(deriveSubkey(config.piiKey, 'tongbao-support-attachments')),
    live: createTicketLive(),
    announcements: () => maintenance.announcements(),
    payments: {
      async paymentOf(userId, paymentId) {
        const found = await payments.payments.get(userId, paymentId);
        return found && { ...found, refundedFen: found.refundedFen };
      },
      async refundAsMerchant(actor, paymentId, input) {
        const refunded = await payments.refunds.refund(actor, paymentId, input);
        return refunded.ok ? ok(refunded.value) : refunded;
      },
      refundForDispute: (tx, input) => payments.refunds.refundForDispute(tx, input),
    },
    cases: { getCase: (id) => accountSafety.getCase(id), listCases: (filter) => accountSafety.listCases(filter) },
    transfers: { get: (userId, id) => transfers.get(userId, id) },
    ledger,
  });
  return {
    ledger,
    maintenance,
    notifications,
    audit,
    identity,
    accountSafety,
    risk,
    transfers,
    transferRequests,
    kyc,
    wallet,
    payments,
    bills,
    approvals,
    operatorMovements,
    savings,
    insights,
    merchantApi,
    credit,
    support,
  };
}

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

  await app.register(healthRoutes(deps.db, () => shuttingDown));
  await app.register(metricsRoutes());
  await app.register(backupRoutes(deps.db));
  await app.register(webAppRoutes());
  await app.register(maintenanceRoutes(services.maintenance, () => clock.now()));
  await app.register(ledgerRoutes(services.ledger, services.operatorMovements));
  await app.register(ledgerApprovalRoutes(services.ledger, services.approvals));
  await app.register(approvalStaffRoutes(services.approvals));
  await app.register(authRoutes(services.identity));
  await app.register(meRoutes(services.identity));
  await app.register(passkeyRoutes(services.identity));
  await app.register(accountSafetyRoutes(services.accountSafety, services.identity.sessions.clearCookies));
  await app.register(confirmationRoutes(services.identity.confirmations, services.risk.stepUps));
  await app.register(kycRoutes(services.kyc));
  await app.register(kycStaffRoutes(services.kyc));
  await app.register(walletRoutes(services.wallet));
  await app.register(riskRoutes(services.risk));
  await app.register(riskStaffRoutes(services.risk));
  await app.register(transferRoutes(services.transfers, services.transferRequests));
  await app.register(paymentUserRoutes(services.payments));
  await app.register(paymentMerchantRoutes(services.payments));
  await app.register(paymentOpsRoutes(services.payments));
  await app.register(billRoutes(services.bills));
  await app.register(billReceiptRoutes(services.bills, () => clock.now()));
  await app.register(billStaffRoutes(services.bills, () => clock.now()));
  await app.register(notificationRoutes(services.notifications));
  await app.register(supportRoutes(services.support));
  await app.register(supportStaffRoutes(services.support));
  await app.register(disputeRoutes(services.support));
  await app.register(caseRoutes(services.support));
  await app.register(explanationRoutes(services.support));
  await app.register(savingsRoutes(services.savings));
  await app.register(savingsDocumentRoutes(services.savings));
  await app.register(insightsRoutes(services.insights));
  await app.register(merchantApiKeyRoutes(services.merchantApi));
  await app.register(merchantApiRoutes(services.merchantApi));
  await app.register(checkoutRoutes(services.merchantApi));
  await app.register(
    savingsStaffRoutes(services.savings, async (userId) => {
      const party = await services.identity.findParty({ userId });
      return party ? { name: party.name, phone: party.phone } : null;
    }),
  );
  await app.register(creditRoutes(services.credit));
  await app.register(creditCardRoutes(services.credit));
  await app.register(
    creditStaffRoutes(services.credit, async (userId) => {
      const party = await services.identity.findParty({ userId });
      return party ? { name: party.name, phone: party.phone } : null;
    }),
  );
  // Development-only routes do not exist in production, not even behind a flag.
  if (!deps.config.production) {
    await app.register(devOutboxRoutes(deps.db, { production: false, cipher: services.identity.ctx.cipher }));
    await app.register(billDevRoutes(services.bills));
    await app.register(savingsDevRoutes(services.savings));
    await app.register(creditDevRoutes(services.credit));
  }
  const ops = createOpsService({
    db: deps.db,
    clock,
    identity: services.identity,
    accountSafety: services.accountSafety,
    ledger: services.ledger,
    risk: services.risk,
    maintenance: services.maintenance,
    audit: services.audit,
  });
  await app.register(opsRoutes(ops, () => clock.now()));

  return {
    app,
    services,
    startShutdown: () => {
      shuttingDown = true;
    },
  };
}
