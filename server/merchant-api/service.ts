import type { Queryable } from '../platform/db/types.js';
import { createApiKeys } from './keys.js';
import { createMandates } from './mandates.js';
import { createOrders } from './orders.js';
import { createSettlements } from './settlement.js';
import type { MerchantApiDeps } from './deps.js';
import { type PaidPayout, payoutEvent, recordEvents } from './webhook-events.js';
import { createWebhooks } from './webhooks.js';
import { createNotifySigning } from './webhook-notify.js';

/** Online checkout's merchant API: keys, orders, refunds, webhooks and the pay page's view (docs/merchant-api.md). */
export function createMerchantApiService(deps: MerchantApiDeps) {
  const webhooks = createWebhooks(deps, deps.webhooks ?? { allowPrivate: false });
  const orders = createOrders(deps, () => webhooks.eventsRecorded());
  return {
    deps,
    keys: createApiKeys(deps),
    orders,
    webhooks,
    notify: createNotifySigning(deps, webhooks),
    mandates: createMandates(deps),
    settlements: createSettlements(deps),
    /**
     * What the payments domain tells, inside its own transactions: dynamic codes paid (their orders
     * become paid) and payouts paid. Each records its webhook events there; `committed` after the commit.
     */
    paymentEvents: {
      codesPaid: (tx: Queryable, codes: readonly { qrId: string; paymentId: string }[], at: Date) =>
        orders.codesPaid(tx, codes, at),
      payoutPaid: (tx: Queryable, payout: PaidPayout, at: Date) => recordEvents(tx, [payoutEvent(payout, at)]),
      committed: () => webhooks.eventsRecorded(),
    },
  };
}

export type MerchantApiService = ReturnType<typeof createMerchantApiService>;
