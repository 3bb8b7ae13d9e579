import { type Db, type Queryable, type Tx, isUniqueViolation } from '../platform/db/types.js';
import type { Currency } from '../platform/money.js';
import type { AccountKind, AccountView } from './types.js';

/**
 * The bank's own accounts a domain posts against (a clearing account, interest income, late-fee
 * expense…), each created once per database and named in the domain's `<domain>_system_accounts`
 * table, whose primary key on the name settles a race: processes creating the same account at
 * once agree on the one that committed first. Found ids are kept for the life of the process.
 */
export interface SystemAccountTable {
  find(q: Queryable, name: string): Promise<string | null>;
  insert(tx: Tx, name: string, accountId: string): Promise<void>;
}

export interface SystemAccountSpec {
  kind: AccountKind;
  ownerRef: string;
  currency?: Currency;
}

interface AccountOpener {
  createAccountInTx(
    tx: Tx,
    input: { kind: AccountKind; currency: Currency; ownerRef?: string | null },
  ): Promise<AccountView>;
}

/** A getter of the domain's system account by name: read, or created once (the spec says as what). */
export function systemAccounts<Name extends string>(
  db: Db,
  ledger: AccountOpener,
  table: SystemAccountTable,
  spec: (name: Name) => SystemAccountSpec,
): (name: Name) => Promise<string> {
  const known = new Map<string, string>();
  return async function systemAccount(name: Name): Promise<string> {
    const found = known.get(name) ?? (await table.find(db, name));
    if (found) {
      known.set(name, found);
      return found;
    }
    const { kind, ownerRef, currency = 'CNY' } = spec(name);
    try {
      const id = await db.transaction(async (tx) => {
        const account = await ledger.createAccountInTx(tx, { kind, currency, ownerRef });
        await table.insert(tx, name, account.id);
        return account.id;
      });
      known.set(name, id);
      return id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return systemAccount(name);
    }
  };
}
