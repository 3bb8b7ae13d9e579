import { type OutsideSystems, sandboxesIn } from './config-outside.js';
import type { Config } from './config.js';
import type { CreditBureau } from './credit/bureau.js';
import { createHttpBureau } from './credit/bureau-http.js';
import { createHttpDocumentCheck } from './kyc/document-check-http.js';
import type { DocumentCheckAdapter } from './kyc/adapter.js';
import { createHttpEmail } from './notifications/email-http.js';
import type { EmailGateway } from './notifications/email.js';
import { createHttpSms } from './notifications/sms-http.js';
import type { SmsGateway } from './notifications/sms.js';
import { createHttpPayoutRail } from './payments/rail-http.js';
import type { PayoutRail } from './payments/rail.js';
import type { Clock } from './platform/clock.js';
import type { BillNetwork } from './bills/network.js';
import { createHttpBillNetwork } from './bills/network-http.js';
import type { InterbankNetwork } from './funding/network.js';
import { createHttpInterbankNetwork } from './funding/network-http.js';
import type { FundCompany } from './savings/fund-company.js';
import { createHttpFundCompany } from './savings/fund-http.js';
import type { CardNetwork } from './wallet/card-network.js';
import { createHttpCardNetwork } from './wallet/card-network-http.js';

/** Set on every answer while sandboxes are allowed (staging); the web apps show a banner for it. */
export const SANDBOX_HEADER = 'x-tongbao-sandbox';

/** Development and tests: every outside system is its sandbox. */
export const ALL_SANDBOXES: OutsideSystems = {
  sms: { kind: 'sandbox' },
  email: { kind: 'sandbox' },
  documentCheck: { kind: 'sandbox' },
  cardNetwork: { kind: 'sandbox' },
  payoutRail: { kind: 'sandbox' },
  billNetwork: { kind: 'sandbox' },
  fundCompany: { kind: 'sandbox' },
  creditBureau: { kind: 'sandbox' },
  interbankNetwork: { kind: 'sandbox' },
};

/**
 * The real HTTP adapters chosen by configuration; an absent one means the domain's sandbox. The
 * one place adapters are picked. Production refuses a sandbox here too, whatever built the
 * configuration, unless the staging flag allows it.
 */
export interface OutsideAdapters {
  sms?: SmsGateway;
  /** The e-mail gateway; absent means the sandbox (development outbox). */
  email?: EmailGateway;
  documentCheck?: DocumentCheckAdapter;
  /** Spread into the wallet's dependencies: no network means the wallet's own sandbox. */
  cardNetwork: { network?: CardNetwork; callbackSecret?: string };
  payoutRail?: PayoutRail;
  /** Absent means the bills domain's own sandbox. */
  billNetwork?: BillNetwork;
  /** The fund company; absent means the savings sandbox. */
  fundCompany?: FundCompany;
  /** The credit bureau; absent means the credit sandbox kept in the database. */
  creditBureau?: CreditBureau;
  /** Spread into funding's dependencies: no network means funding's own sandbox. */
  interbankNetwork: { network?: InterbankNetwork; notificationSecret?: string };
}

export function createOutsideAdapters(
  config: Pick<Config, 'production'> & Partial<Pick<Config, 'allowSandbox' | 'outsideSystems'>>,
  deps: { clock: Clock },
): OutsideAdapters {
  const systems = config.outsideSystems ?? ALL_SANDBOXES;
  const sandboxes = sandboxesIn(systems);
  if (config.production && !config.allowSandbox && sandboxes.length > 0) {
    throw new Error(
      `Refusing to start: production never runs a sandbox (${sandboxes.join(', ')}); configure the real adapters`,
    );
  }
  const clock = deps.clock;
  const { sms, email, documentCheck, cardNetwork, payoutRail, billNetwork, fundCompany, creditBureau } = systems;
  // Configurations built before the interbank network existed (tests) mean its sandbox.
  const interbank = systems.interbankNetwork ?? { kind: 'sandbox' };
  return {
    sms: sms.kind === 'http' ? createHttpSms(sms.settings, { clock }) : undefined,
    email: email.kind === 'http' ? createHttpEmail(email.settings, { clock }) : undefined,
    documentCheck:
      documentCheck.kind === 'http' ? createHttpDocumentCheck(documentCheck.settings, { clock }) : undefined,
    cardNetwork:
      cardNetwork.kind === 'http'
        ? {
            network: createHttpCardNetwork(cardNetwork.settings, { clock }),
            callbackSecret: cardNetwork.callbackSecret,
          }
        : {},
    payoutRail: payoutRail.kind === 'http' ? createHttpPayoutRail(payoutRail.settings, { clock }) : undefined,
    billNetwork: billNetwork.kind === 'http' ? createHttpBillNetwork(billNetwork.settings, { clock }) : undefined,
    fundCompany: fundCompany.kind === 'http' ? createHttpFundCompany(fundCompany.settings, { clock }) : undefined,
    creditBureau: creditBureau.kind === 'http' ? createHttpBureau(creditBureau.settings, { clock }) : undefined,
    interbankNetwork:
      interbank.kind === 'http'
        ? {
            network: createHttpInterbankNetwork(interbank.settings, { clock }),
            notificationSecret: interbank.callbackSecret,
          }
        : {},
  };
}
