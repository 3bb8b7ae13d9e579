/** The composition root: every domain service, built once and wired to the others. */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { type AccountSafety, createAccountSafety } from './account-safety/service.js';
import { type Approvals, createApprovals } from './approvals/service.js';
import { type AuditLog, createAuditLog } from './audit/service.js';
import { webAuthnSettingsFrom } from './identity/passkeys.js';
import { createSandboxDocumentCheck } from './kyc/adapter.js';
import { createDocumentCipher } from './kyc/document-cipher.js';
import { type KycService, createKycService } from './kyc/service.js';
import { type WalletService, createWalletService } from './wallet/service.js';
import { DEFAULT_TIER_TABLE } from './kyc/tiers.js';
import { type RiskService, createRiskService } from './risk/service.js';
import { type Identity, createIdentity } from './identity/service.js';
import { DEFAULT_SESSION_SETTINGS } from './identity/sessions.js';
import { type NotificationService, createNotificationService } from './notifications/service.js';
import { createSandboxEmail } from './notifications/email.js';
import { createSandboxSms } from './notifications/sms.js';
import { createOutsideAdapters } from './outside-adapters.js';
import { createPiiCipher, deriveSubkey } from './platform/crypto.js';
import type { PinKeyRing } from './platform/pin-keys.js';
import { createLedgerService, type LedgerService } from './ledger/service.js';
import { type OperatorMovements, createOperatorMovements } from './ledger/operator-movements.js';
import { createMaintenanceService, type MaintenanceService } from './maintenance/service.js';
import { type Clock } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import { type RequestService, createRequestService } from './transfers/requests.js';
import { type TransferService, createTransferService } from './transfers/service.js';
import { type PaymentsService, createPaymentsService } from './payments/service.js';
import { type BillsService, createBillsService } from './bills/service.js';
import { type SavingsService, createSavingsService } from './savings/service.js';
import { type MerchantApiService, createMerchantApiService } from './merchant-api/service.js';
import { type InsightsService, createInsightsService } from './insights/service.js';
import { type CreditService, createCreditService } from './credit/service.js';
import { type FundingService, createFundingService } from './funding/service.js';
import { ok } from './platform/result.js';
import { createDocumentCipher as createAttachmentCipher } from './kyc/document-cipher.js';
import { createTicketLive } from './support/live.js';
import { type SupportService, createSupportService } from './support/service.js';
import { supportRecords } from './support-records.js';

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
  funding: FundingService;
}

export type AppConfig = Pick<Config, 'operatorToken' | 'logLevel' | 'production' | 'publicUrl' | 'piiKey'> &
  Partial<
    Pick<
      Config,
      | 'sessionIdleMs'
      | 'sessionAbsoluteMs'
      | 'passwordReminderDays'
      | 'pinKeys'
      | 'trustProxyHops'
      | 'apiDocs'
      | 'webhookAllowPrivate'
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
  const email = outside.email ?? createSandboxEmail({ db, clock, cipher: createPiiCipher(config.piiKey) });
  // Identity tells the notification service where a holder is reached; it is built just below.
  const notifications = createNotificationService({ db, clock, sms, email, logger, contacts: () => identity.contacts });
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
    email,
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
    // The credit service is made further down; a false-positive lift is its own fault (docs/credit.md).
    onFalsePositiveLift: async (lift) => {
      await credit.restrictionFault(lift);
    },
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
    // A same-name card completes the verified tier at once (kyc is made further down; docs/kyc.md).
    onCardLinked: async (userId) => {
      await kyc.cardLinked(userId);
    },
    ...outside.cardNetwork,
  });
  const funding = createFundingService({
    db,
    clock,
    cipher: createPiiCipher(config.piiKey),
    ledger,
    identity,
    notifications,
    publicUrl: config.publicUrl,
    logger,
    ...outside.interbankNetwork,
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
    // Online checkout records its webhook events in the payment's and the payout's own transactions.
    events: {
      codesPaid: (tx, codes, at) => merchantApi.paymentEvents.codesPaid(tx, codes, at),
      payoutPaid: (tx, payout, at) => merchantApi.paymentEvents.payoutPaid(tx, payout, at),
      committed: () => merchantApi.paymentEvents.committed(),
    },
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
    // The credit service is made further down; insights asks it only when a holder opens 我的资产.
    debts: (userId) => credit.debtsOf(userId),
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
    webhooks: {
      allowPrivate: config.webhookAllowPrivate ?? false,
      // A disabled endpoint is told to the merchant's registered contact phone (merchants have no in-app inbox).
      notifyMerchant: async (merchantId, text) => {
        const row = await payments.merchants.row(merchantId);
        if (row)
          await notifications.text(identity.ctx.cipher.decrypt(row.contact_phone_enc), text.zh, 'merchant_webhook');
      },
    },
    mandates: {
      holder: async (userId) => {
        const profile = await identity.profile(userId);
        return profile ? { walletAccountId: profile.walletAccountId, frozen: profile.frozen } : null;
      },
      confirmations: identity.confirmations,
      notify: (userId, notice) => notifications.notify(userId, notice),
      charge: (input, within) => payments.mandateCharges.charge(input, within),
    },
    settlement: {
      completedSince: (merchantId, since) => payments.reports.completedSince(merchantId, since),
      refundsSince: (merchantId, since) => payments.reports.refundsSince(merchantId, since),
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
    bureau: outside.creditBureau,
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
  const records = supportRecords({ payments, transfers, wallet, bills, risk, identity, ledger, maintenance });
  const support = createSupportService({
    db,
    clock,
    audit,
    notifications,
    holders: { findParty: (by) => identity.findParty(by) },
    staff: identity.staff,
    records,
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
    funding,
  };
}
