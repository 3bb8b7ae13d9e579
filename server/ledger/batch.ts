import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { LedgerError } from './errors.js';
import { entryHash } from './hash.js';
import { applyCommand } from './commands.js';
import { type AccountState, type BatchState, type PlannedEntry, usagePeriods } from './rules.js';
import { type EntryRow, lockAccountsWithUsage, writeBatch } from './store-batch.js';
import * as store from './store.js';
import type { StoredEntry, StoredHold } from './store.js';
import type { CommandResult, LedgerCommand } from './types.js';

export type CommandOutcome = Result<CommandResult, LedgerError>;

/**
 * Applies a batch of commands in one database transaction with a fixed number of statements,
 * however many commands it holds. Lock order, the same for every writer: holds, then accounts,
 * then the chain head. Each command succeeds or fails on its own; a failed one changes nothing.
 */
export async function executeBatch(tx: Tx, commands: readonly LedgerCommand[], now: Date): Promise<CommandOutcome[]> {
  const state = await loadState(tx, commands, now);
  const outcomes = commands.map((command) => applyCommand(state, command));
  if (state.planned.length > 0 || hasDirtyState(state)) await persist(tx, state);
  return outcomes.map((outcome) => {
    if (!outcome.ok) return err(outcome.error);
    const value = outcome.value;
    if ('pendingEntry' in value) return ok(value.build(value.pendingEntry.view as StoredEntry));
    return ok(value);
  });
}

function hasDirtyState(state: BatchState): boolean {
  for (const account of state.accounts.values()) if (account.dirty) return true;
  for (const hold of state.holds.values()) if (hold.isNew || hold.dirty) return true;
  return state.dirtyUsage.size > 0;
}

async function loadState(tx: Tx, commands: readonly LedgerCommand[], now: Date): Promise<BatchState> {
  const entryReferences: string[] = [];
  const holdReferences: string[] = [];
  const holdIds = new Set<string>();
  const entryIds = new Set<string>();
  for (const command of commands) {
    // Only the tables a command's reference can live in are searched for a replay.
    if (command.type === 'hold' || command.type === 'void_hold') holdReferences.push(command.reference);
    else entryReferences.push(command.reference);
    if (command.type === 'post_hold' || command.type === 'void_hold') holdIds.add(command.holdId);
    if (command.type === 'reverse') entryIds.add(command.entryId);
  }
  // One statement at a time: a transaction is one session, on PGlite as on PostgreSQL.
  const knownEntries = await store.findEntriesByReferences(tx, entryReferences);
  const knownHolds = await store.findHoldsByReferences(tx, holdReferences);
  const targetEntries = await store.findEntriesByIds(tx, [...entryIds]);
  const lockedHolds = await store.lockHolds(tx, [...holdIds]);

  const accountIds = new Set<string>();
  for (const command of commands) {
    if (command.type === 'transfer')
      for (const leg of command.legs) accountIds.add(leg.debitAccountId).add(leg.creditAccountId);
    if (command.type === 'hold') accountIds.add(command.debitAccountId).add(command.creditAccountId);
  }
  for (const hold of lockedHolds) accountIds.add(hold.debitAccountId).add(hold.creditAccountId);
  for (const entry of targetEntries) for (const posting of entry.postings) accountIds.add(posting.accountId);

  // Usage of today, plus of the days on which holds being resolved reserved theirs.
  const periods = new Set(usagePeriods(shanghaiDay(now)));
  for (const hold of lockedHolds)
    if (hold.usageDay) for (const period of usagePeriods(hold.usageDay)) periods.add(period);
  const { accounts, usage } = await lockAccountsWithUsage(tx, [...accountIds], [...periods]);

  const holds = new Map<string, StoredHold>();
  for (const hold of knownHolds) holds.set(hold.id, hold);
  // The locked copy wins: it is the one read under the lock.
  for (const hold of lockedHolds) holds.set(hold.id, hold);
  const holdsByReference = new Map<string, StoredHold>();
  for (const hold of holds.values()) {
    holdsByReference.set(hold.reference, hold);
    if (hold.resolveReference) holdsByReference.set(hold.resolveReference, hold);
  }
  const entriesById = new Map<string, StoredEntry | PlannedEntry>();
  const reversed = new Set<string>();
  for (const entry of [...knownEntries, ...targetEntries]) {
    entriesById.set(entry.id, entry);
    if (entry.reversedBy) reversed.add(entry.id);
  }
  return {
    now,
    accounts: new Map(accounts.map((account) => [account.id, { ...account, dirty: false } as AccountState])),
    holds,
    holdsByReference,
    entriesByReference: new Map(knownEntries.map((entry) => [entry.reference, entry])),
    entriesById,
    reversed,
    usage,
    dirtyUsage: new Set(),
    planned: [],
  };
}

async function persist(tx: Tx, state: BatchState): Promise<void> {
  const holds = [...state.holds.values()];
  const dirtyAccounts = [...state.accounts.values()].filter((account) => account.dirty);
  for (const account of dirtyAccounts)
    assert(account.pendingDebitsFen >= 0n, `negative pending debits on ${account.id}`);
  const entries: EntryRow[] = [];
  let head: { seq: bigint; hash: string } | null = null;
  if (state.planned.length > 0) {
    // The chain head is locked last and held only for the final write: it is the one global lock.
    const locked = await store.lockChainHead(tx);
    let seq = locked.seq;
    let prevHash = locked.hash;
    for (const planned of state.planned) {
      seq += 1n;
      const content = { ...planned, seq, prevHash };
      const row = { ...content, hash: entryHash(content) };
      entries.push(row);
      planned.view = {
        ...row,
        currency: planned.currency as StoredEntry['currency'],
        commandHash: planned.commandHash,
        reversedBy: null,
      };
      prevHash = row.hash;
    }
    head = { seq, hash: prevHash };
  }
  await writeBatch(tx, {
    now: state.now,
    accounts: dirtyAccounts,
    usage: [...state.dirtyUsage].map((key) => {
      const [accountId, period] = key.split('|');
      return { accountId, period, debitFen: state.usage.get(key) ?? 0n };
    }),
    // A hold made and resolved in the same batch is inserted in its final state.
    newHolds: holds.filter((hold) => hold.isNew),
    resolvedHolds: holds.filter((hold) => hold.dirty && !hold.isNew),
    entries,
    head,
  });
}
