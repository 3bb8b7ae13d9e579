/**
 * What support reads from the other domains: a record a ticket links to or a holder asks about, and the
 * holder's situation now. Kept beside the composition root because it reaches into six domains.
 */
import type { BillsService } from './bills/service.js';
import type { Identity } from './identity/service.js';
import type { LedgerService } from './ledger/service.js';
import type { MaintenanceService } from './maintenance/service.js';
import type { PaymentsService } from './payments/service.js';
import type { RiskService } from './risk/service.js';
import type { TransferService } from './transfers/service.js';
import type { WalletService } from './wallet/service.js';
import type { HolderState, RecordFacts } from './support/explain.js';
import type { LinkedRecord } from './support/types.js';

interface Sources {
  payments: PaymentsService;
  transfers: TransferService;
  wallet: WalletService;
  bills: BillsService;
  risk: RiskService;
  identity: Identity;
  ledger: LedgerService;
  maintenance: MaintenanceService;
}

export function supportRecords({ payments, transfers, wallet, bills, risk, identity, ledger, maintenance }: Sources) {
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
  return { find: findRecord, state: holderState };
}
