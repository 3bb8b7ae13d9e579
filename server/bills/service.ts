import { createSavedAccounts } from './accounts.js';
import { createAutopay } from './autopay.js';
import { createBillers } from './billers.js';
import type { BillsDeps } from './deps.js';
import { createInquiry } from './inquiry.js';
import type { BillNetwork } from './network.js';
import { type BillNetworkSandbox, createBillNetworkSandbox } from './network-sandbox.js';
import { createPaying } from './paying.js';
import { createReceipts } from './receipts.js';
import { createReconciliation } from './reconciliation.js';
import { createReminders } from './reminders.js';

/**
 * Bills (生活缴费): billers and their account formats, inquiry, saved accounts and what is due,
 * paying (two-phase through the ledger), receipts, reminders, autopay and the daily
 * reconciliation with each biller's settlement file (docs/bills.md).
 */
export function createBillsService(deps: BillsDeps) {
  const billers = createBillers(deps);
  const sandbox: BillNetworkSandbox | null = deps.network
    ? null
    : createBillNetworkSandbox({
        db: deps.db,
        clock: deps.clock,
        biller: (id) => billers.sandboxBiller(id),
        latencyMs: deps.sandboxLatencyMs,
      });
  const network: BillNetwork = deps.network ?? (sandbox as BillNetworkSandbox);
  const inquiry = createInquiry(deps, billers, network);
  const accounts = createSavedAccounts(deps, billers, inquiry);
  const paying = createPaying(deps, billers, inquiry, network);
  const receipts = createReceipts(deps, billers);
  const reminders = createReminders(deps, billers, inquiry);
  const autopay = createAutopay(deps, billers, inquiry, paying);
  const reconciliation = createReconciliation(deps, billers, network);
  // The sandbox's billers confirm straight to the same handler a real network's push would reach.
  sandbox?.setReceiver((confirmation) => paying.handleConfirmation(confirmation));

  return { billers, network, sandbox, inquiry, accounts, paying, receipts, reminders, autopay, reconciliation };
}

export type BillsService = ReturnType<typeof createBillsService>;
