import type { LedgerError } from '../ledger/errors.js';
import { systemAccounts } from '../ledger/system-accounts.js';
import type { LedgerCommand } from '../ledger/types.js';
import type { Tx } from '../platform/db/types.js';
import { Rollback } from '../platform/db/transaction-result.js';
import type { CreditBureau } from './bureau.js';
import type { CreditDeps, CreditError } from './deps.js';
import * as store from './store.js';

/** The bank-side accounts credit posts to, each created once per database. */
export const INTEREST_INCOME = 'interest-income';
export const CARD_NETWORK = 'card-network';
export const CREDIT_LOSSES = 'credit-losses';
const KINDS = {
  [INTEREST_INCOME]: 'credit_income',
  [CARD_NETWORK]: 'bank_clearing',
  [CREDIT_LOSSES]: 'expense',
} as const;

export type CreditContext = CreditDeps & {
  bureau: CreditBureau;
  systemAccount(name: keyof typeof KINDS): Promise<string>;
  /** Ledger commands last in the caller's transaction; a refusal rolls everything back. Entry ids in order. */
  post(tx: Tx, commands: readonly LedgerCommand[]): Promise<(string | null)[]>;
};

/** A ledger refusal as a credit error (no bigints in answers). */
export function fromLedger(error: LedgerError): CreditError {
  const details: CreditError = { code: error.code };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'code') continue;
    details[key] = typeof value === 'bigint' ? Number(value) : (value as string);
  }
  return details;
}

export function createContext(deps: CreditDeps, bureau: CreditBureau): CreditContext {
  const systemAccount = systemAccounts<keyof typeof KINDS>(
    deps.db,
    deps.ledger,
    { find: store.systemAccount, insert: store.insertSystemAccount },
    (name) => ({ kind: KINDS[name], ownerRef: `system:credit:${name}` }),
  );
  async function post(tx: Tx, commands: readonly LedgerCommand[]) {
    if (commands.length === 0) return [];
    const outcomes = await deps.ledger.execute(tx, commands);
    return outcomes.map((outcome) => {
      if (!outcome.ok) throw new Rollback(fromLedger(outcome.error));
      return outcome.value.type === 'transfer' ? outcome.value.entry.id : null;
    });
  }
  return { ...deps, bureau, systemAccount, post };
}
