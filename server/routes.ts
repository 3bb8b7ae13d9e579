import type { FastifyInstance } from 'fastify';
import { accountSafetyRoutes } from './account-safety/routes.js';
import { approvalStaffRoutes } from './approvals/routes.js';
import { confirmationRoutes } from './confirmations/routes.js';
import { authRoutes } from './identity/routes-auth.js';
import { emailRoutes } from './identity/routes-email.js';
import { meRoutes } from './identity/routes-me.js';
import { passkeyRoutes } from './identity/routes-passkeys.js';
import { kycStaffRoutes } from './kyc/routes-staff.js';
import { kycRoutes } from './kyc/routes.js';
import { movementReceiptRoutes } from './wallet/receipt-routes.js';
import { walletRoutes } from './wallet/routes.js';
import { riskStaffRoutes } from './risk/routes-staff.js';
import { riskRoutes } from './risk/routes.js';
import { devOutboxRoutes, notificationRoutes } from './notifications/routes.js';
import { ledgerApprovalRoutes } from './ledger/routes-approvals.js';
import { ledgerRoutes } from './ledger/routes.js';
import { maintenanceRoutes } from './maintenance/routes.js';
import { type Clock } from './platform/clock.js';
import { backupRoutes } from './platform/http/backup.js';
import { healthRoutes } from './platform/http/health.js';
import { webAppRoutes } from './platform/http/static.js';
import { metricsRoutes } from './platform/resilience.js';
import { transferRoutes } from './transfers/routes.js';
import { paymentMerchantRoutes } from './payments/routes-merchant.js';
import { paymentOpsRoutes } from './payments/routes-ops.js';
import { paymentUserRoutes } from './payments/routes-user.js';
import { opsRoutes } from './ops/routes.js';
import { volumeRoutes } from './ops/routes-volumes.js';
import { billDevRoutes, billRoutes } from './bills/routes.js';
import { billAccountRoutes } from './bills/routes-accounts.js';
import { billReceiptRoutes } from './bills/routes-receipts.js';
import { billStaffRoutes } from './bills/routes-staff.js';
import { savingsDevRoutes, savingsRoutes } from './savings/routes.js';
import { savingsDocumentRoutes } from './savings/routes-documents.js';
import { savingsStaffRoutes } from './savings/routes-staff.js';
import { insightsRoutes } from './insights/routes.js';
import { checkoutRoutes, merchantApiRoutes } from './merchant-api/routes-api.js';
import { merchantApiKeyRoutes } from './merchant-api/routes-keys.js';
import { apiWebhookRoutes, merchantWebhookRoutes } from './merchant-api/routes-webhooks.js';
import { mandateHolderRoutes, merchantApiMandateRoutes } from './merchant-api/routes-mandates.js';
import { creditDevRoutes, creditRoutes } from './credit/routes.js';
import { creditCardControlRoutes } from './credit/routes-card-controls.js';
import { creditCardRoutes } from './credit/routes-cards.js';
import { creditStaffRetryRoutes } from './credit/routes-staff-retries.js';
import { creditStaffRoutes } from './credit/routes-staff.js';
import { fundingRoutes } from './funding/routes.js';
import { interbankDevRoutes, interbankSandboxPageRoutes } from './funding/routes-sandbox.js';
import { createOpsService } from './ops/service.js';
import { caseRoutes } from './support/routes-cases.js';
import { disputeRoutes } from './support/routes-disputes.js';
import { explanationRoutes } from './support/routes-explain.js';
import { supportRoutes } from './support/routes.js';
import { supportStaffRoutes } from './support/routes-staff.js';
import type { AppDeps, Services } from './services.js';

/** Every domain's routes, in one list: the API's table of contents. */
export async function registerRoutes(
  app: FastifyInstance,
  services: Services,
  deps: AppDeps,
  clock: Clock,
  shuttingDown: () => boolean,
): Promise<void> {
  await app.register(healthRoutes(deps.db, shuttingDown));
  await app.register(metricsRoutes());
  await app.register(backupRoutes(deps.db));
  await app.register(webAppRoutes());
  await app.register(maintenanceRoutes(services.maintenance, () => clock.now()));
  await app.register(ledgerRoutes(services.ledger, services.operatorMovements));
  await app.register(ledgerApprovalRoutes(services.ledger, services.approvals));
  await app.register(approvalStaffRoutes(services.approvals));
  await app.register(authRoutes(services.identity));
  await app.register(meRoutes(services.identity));
  await app.register(emailRoutes(services.identity));
  await app.register(passkeyRoutes(services.identity));
  await app.register(accountSafetyRoutes(services.accountSafety, services.identity.sessions.clearCookies));
  await app.register(confirmationRoutes(services.identity.confirmations, services.risk.stepUps));
  await app.register(kycRoutes(services.kyc));
  await app.register(kycStaffRoutes(services.kyc));
  await app.register(walletRoutes(services.wallet));
  await app.register(movementReceiptRoutes(services.wallet));
  await app.register(riskRoutes(services.risk));
  await app.register(riskStaffRoutes(services.risk));
  await app.register(transferRoutes(services.transfers, services.transferRequests));
  await app.register(paymentUserRoutes(services.payments));
  await app.register(paymentMerchantRoutes(services.payments));
  await app.register(paymentOpsRoutes(services.payments));
  await app.register(billRoutes(services.bills));
  await app.register(billAccountRoutes(services.bills));
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
  await app.register(merchantWebhookRoutes(services.merchantApi));
  await app.register(apiWebhookRoutes(services.merchantApi));
  await app.register(merchantApiMandateRoutes(services.merchantApi));
  await app.register(mandateHolderRoutes(services.merchantApi));
  await app.register(
    savingsStaffRoutes(services.savings, async (userId) => {
      const party = await services.identity.findParty({ userId });
      return party ? { name: party.name, phone: party.phone } : null;
    }),
  );
  await app.register(creditRoutes(services.credit));
  await app.register(creditCardRoutes(services.credit));
  await app.register(creditCardControlRoutes(services.credit));
  await app.register(creditStaffRetryRoutes(services.credit));
  await app.register(
    creditStaffRoutes(services.credit, async (userId) => {
      const party = await services.identity.findParty({ userId });
      return party ? { name: party.name, phone: party.phone } : null;
    }),
  );
  await app.register(fundingRoutes(services.funding));
  // The sandbox bank's pages exist wherever the sandbox runs (development, tests, staging).
  if (services.funding.sandbox) await app.register(interbankSandboxPageRoutes(services.funding.sandbox));
  // Development-only routes do not exist in production, not even behind a flag.
  if (!deps.config.production) {
    await app.register(devOutboxRoutes(deps.db, { production: false, cipher: services.identity.ctx.cipher }));
    await app.register(billDevRoutes(services.bills));
    await app.register(savingsDevRoutes(services.savings));
    await app.register(creditDevRoutes(services.credit));
    await app.register(interbankDevRoutes(services.funding));
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
  await app.register(volumeRoutes(() => ops.todayVolumes()));
}
