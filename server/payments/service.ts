import type { AuditLog } from '../audit/service.js';
import type { Identity } from '../identity/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { createLiveFeed } from './live.js';
import { createMerchantAuth } from './merchant-auth.js';
import { createMandateCharges } from './mandate-charges.js';
import { createMerchants } from './merchants.js';
import { createPasswordFree } from './password-free.js';
import { createPaymentCodeSeeds } from './payment-code-seeds.js';
import { createPaymentCodes } from './payment-code.js';
import { createPayments } from './payments.js';
import { createPayouts } from './payouts.js';
import { createQrCodes } from './qr.js';
import { type PayoutRail, createSandboxPayoutRail } from './rail.js';
import { createRefunds } from './refunds.js';
import { createReports } from './reports.js';
import type { PaymentEvents, PaymentRisk, PaymentsDeps } from './deps.js';

/**
 * Merchants, their QR codes, payments by QR code, merchant number and payment code,
 * password-free payments, refunds, reports and payouts, assembled from their parts.
 */
export function createPaymentsService(input: {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  notifications: NotificationService;
  audit: AuditLog;
  rail?: PayoutRail;
  risk?: PaymentRisk;
  events?: PaymentEvents;
  secureCookies: boolean;
}) {
  const deps: PaymentsDeps = {
    db: input.db,
    clock: input.clock,
    ledger: input.ledger,
    identity: input.identity,
    notifications: input.notifications,
    audit: input.audit,
    cipher: input.identity.ctx.cipher,
    rail: input.rail ?? createSandboxPayoutRail(),
    live: createLiveFeed(),
    risk: input.risk,
    events: input.events,
  };
  const merchants = createMerchants(deps);
  const qr = createQrCodes(deps);
  const passwordFree = createPasswordFree(deps);
  const paymentCodeSeeds = createPaymentCodeSeeds(deps);
  // Seeds end with the holder's sessions: theft report, recovery, password change, sign-out-others.
  input.identity.deviceCredentials.register(paymentCodeSeeds.revokeAll);
  return {
    deps,
    merchants,
    auth: createMerchantAuth({ ...deps, merchants, secureCookies: input.secureCookies }),
    qr,
    payments: createPayments({ ...deps, qr }),
    paymentCodes: createPaymentCodes({ ...deps, passwordFree }),
    paymentCodeSeeds,
    passwordFree,
    refunds: createRefunds(deps),
    reports: createReports(deps),
    payouts: createPayouts(deps),
    mandateCharges: createMandateCharges(deps),
    live: deps.live,
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
