import { type Clock, shanghaiDay } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import type { Currency } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { type CommandOutcome, executeBatch } from './batch.js';
import type { LedgerError } from './errors.js';
import { publicHold } from './rules-holds.js';
import { usagePeriods } from './rules.js';
import * as store from './store.js';
import type { AccountKind, AccountLimits, AccountView, EntryView, HoldView, LedgerCommand, ResultOf } from './types.js';
import { createLedgerWriter } from './writer.js';

export interface LedgerServiceDeps {
  db: Db;
  clock: Clock;
  maxBatchSize?: number;
}

export interface LimitUsage {
  dayFen: bigint;
  yearFen: bigint;
  lifetimeFen: bigint;
}

const MAX_PAGE = 100;

function strip<T extends { commandHash?: string; reversedBy?: string | null }>(entry: T): EntryView {
  const { commandHash: _hash, reversedBy: _reversedBy, ...view } = entry as T & EntryView;
  return view;
}

/** The only way money moves. Other domains ask it to transfer, hold, post, void or reverse. */
export function createLedgerService(deps: LedgerServiceDeps) {
  const { db, clock } = deps;
  const writer = createLedgerWriter({ db, clock, maxBatchSize: deps.maxBatchSize });

  async function submit<C extends LedgerCommand>(command: C): Promise<Result<ResultOf<C>, LedgerError>> {
    return (await writer.submit(command)) as Result<ResultOf<C>, LedgerError>;
  }

  return {
    async createAccount(input: {
      kind: AccountKind;
      currency: Currency;
      ownerRef?: string | null;
      limits?: AccountLimits;
      id?: string;
    }): Promise<AccountView> {
      const now = clock.now();
      return store.insertAccount(db, {
        id: input.id ?? newId('acc', now.getTime()),
        kind: input.kind,
        currency: input.currency,
        ownerRef: input.ownerRef ?? null,
        limits: input.limits ?? {},
        createdAt: now,
      });
    },

    /** Opens an account inside the caller's transaction, e.g. a wallet created with its user. */
    async createAccountInTx(
      tx: Tx,
      input: { kind: AccountKind; currency: Currency; ownerRef?: string | null; limits?: AccountLimits },
    ): Promise<AccountView> {
      const now = clock.now();
      return store.insertAccount(tx, {
        id: newId('acc', now.getTime()),
        kind: input.kind,
        currency: input.currency,
        ownerRef: input.ownerRef ?? null,
        limits: input.limits ?? {},
        createdAt: now,
      });
    },

    getAccount: (id: string) => store.findAccount(db, id),
    accountsOwnedBy: (ownerRef: string) => store.findAccountsByOwner(db, ownerRef),

    async getHold(id: string): Promise<HoldView | null> {
      const hold = await store.findHold(db, id);
      return hold ? publicHold(hold) : null;
    },

    async getEntry(id: string): Promise<EntryView | null> {
      const [entry] = await store.findEntriesByIds(db, [id]);
      return entry ? strip(entry) : null;
    },

    async getEntryByReference(reference: string): Promise<EntryView | null> {
      const [entry] = await store.findEntriesByReferences(db, [reference]);
      return entry ? strip(entry) : null;
    },

    async listEntries(accountId: string, page: { beforeSeq?: bigint; limit?: number } = {}): Promise<EntryView[]> {
      const limit = Math.min(Math.max(page.limit ?? 20, 1), MAX_PAGE);
      return (await store.listEntriesForAccount(db, accountId, { beforeSeq: page.beforeSeq, limit })).map(strip);
    },

    /** Entries after a sequence number, oldest first (at most 1,000): a watermark reader's feed. */
    async listEntriesAfter(afterSeq: bigint, limit = 500): Promise<EntryView[]> {
      const bounded = Math.min(Math.max(limit, 1), 1_000);
      return (await store.listEntriesAfter(db, afterSeq, bounded)).map(strip);
    },

    /** Accounts by id (kind and owner tell a reader whose money an entry moved); unknown ids are left out. */
    getAccounts: (ids: readonly string[]) => store.findAccountsByIds(db, ids.slice(0, 1_000)),

    /** Today's-volume figures for the console: entries per movement kind in [from, to) (at most 20 kinds). */
    volumesBetween: (from: Date, to: Date, kinds: readonly string[]) =>
      store.volumesBetween(db, from, to, kinds.slice(0, 20)),

    async usage(accountId: string): Promise<LimitUsage> {
      const [day, year, lifetime] = usagePeriods(shanghaiDay(clock.now()));
      const used = await store.readUsage(db, accountId, [day, year, lifetime]);
      return { dayFen: used.get(day) ?? 0n, yearFen: used.get(year) ?? 0n, lifetimeFen: used.get(lifetime) ?? 0n };
    },

    transfer: (command: Omit<Extract<LedgerCommand, { type: 'transfer' }>, 'type'>) =>
      submit({ ...command, type: 'transfer' as const }),
    hold: (command: Omit<Extract<LedgerCommand, { type: 'hold' }>, 'type'>) =>
      submit({ ...command, type: 'hold' as const }),
    postHold: (command: Omit<Extract<LedgerCommand, { type: 'post_hold' }>, 'type'>) =>
      submit({ ...command, type: 'post_hold' as const }),
    voidHold: (command: Omit<Extract<LedgerCommand, { type: 'void_hold' }>, 'type'>) =>
      submit({ ...command, type: 'void_hold' as const }),
    reverse: (command: Omit<Extract<LedgerCommand, { type: 'reverse' }>, 'type'>) =>
      submit({ ...command, type: 'reverse' as const }),
    submit,

    /**
     * Applies commands inside the caller's transaction, so a business record and its money move
     * commit together. Call it last in the transaction: it takes the chain-head lock until commit.
     */
    execute: (tx: Tx, commands: readonly LedgerCommand[]): Promise<CommandOutcome[]> =>
      executeBatch(tx, commands, clock.now()),

    /** Blocks (or allows again) outgoing movements; incoming money still arrives. */
    async setFrozen(tx: Tx, accountId: string, frozen: boolean): Promise<Result<true, LedgerError>> {
      const [account] = await store.lockAccounts(tx, [accountId]);
      if (!account) return err({ code: 'ACCOUNT_NOT_FOUND', accountId });
      await store.updateAccountFlags(tx, accountId, { frozen });
      return ok(true);
    },

    /** Replaces an account's limits, e.g. when its holder's verification tier changes. */
    async setLimits(tx: Tx, accountId: string, limits: AccountLimits): Promise<Result<true, LedgerError>> {
      const [account] = await store.lockAccounts(tx, [accountId]);
      if (!account) return err({ code: 'ACCOUNT_NOT_FOUND', accountId });
      await store.updateAccountFlags(tx, accountId, { limits });
      return ok(true);
    },

    /** Ids of the holds still reserving money on an account (at most 500). */
    pendingHoldsDebiting: (accountId: string) => store.findPendingHoldIdsDebiting(db, accountId, 500),

    /** Voids holds whose expiry has passed; run by a job. Returns how many it expired. */
    async expireHolds(batchSize = 100): Promise<number> {
      const ids = await store.findExpiredHoldIds(db, clock.now(), batchSize);
      const outcomes = await Promise.all(
        ids.map((holdId) => submit({ type: 'void_hold', holdId, reference: `expire:${holdId}`, expired: true })),
      );
      return outcomes.filter((outcome) => outcome.ok && !outcome.value.replayed).length;
    },

    close: () => writer.close(),
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
