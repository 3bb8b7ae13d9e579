import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { LedgerError } from './errors.js';
import { entryHash } from './hash.js';
import { type AccountState, type BatchState, type PlannedEntry, applyCommand, tracksUsage, usagePeriods } from './rules.js';
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
  const references = commands.map((command) => command.reference);
  const holdIds = new Set<string>();
  const entryIds = new Set<string>();
  for (const command of commands) {
    if (command.type === 'post_hold' || command.type === 'void_hold') holdIds.add(command.holdId);
    if (command.type === 'reverse') entryIds.add(command.entryId);
  }
  // One statement at a time: a transaction is one session, on PGlite as on PostgreSQL.
  const knownEntries = await store.findEntriesByReferences(tx, references);
  const knownHolds = await store.findHoldsByReferences(tx, references);
  const targetEntries = await store.findEntriesByIds(tx, [...entryIds]);
  const lockedHolds = await store.lockHolds(tx, [...holdIds]);

  const accountIds = new Set<string>();
  for (const command of commands) {
    if (command.type === 'transfer') for (const leg of command.legs) accountIds.add(leg.debitAccountId).add(leg.creditAccountId);
    if (command.type === 'hold') accountIds.add(command.debitAccountId).add(command.creditAccountId);
  }
  for (const hold of lockedHolds) accountIds.add(hold.debitAccountId).add(hold.creditAccountId);
  for (const entry of targetEntries) for (const posting of entry.postings) accountIds.add(posting.accountId);
  const accounts = await store.lockAccounts(tx, [...accountIds]);

  const today = shanghaiDay(now);
  const usageKeys: { accountId: string; period: string }[] = [];
  for (const account of accounts) {
    if (tracksUsage(account)) for (const period of usagePeriods(today)) usageKeys.push({ accountId: account.id, period });
  }
  for (const hold of lockedHolds) {
    if (hold.usageDay && hold.usageDay !== today) {
      for (const period of usagePeriods(hold.usageDay)) usageKeys.push({ accountId: hold.debitAccountId, period });
    }
  }
  const usage = await store.loadUsage(tx, usageKeys);

  const holds = new Map<string, StoredHold>();
  const holdsByReference = new Map<string, StoredHold>();
  for (const hold of [...knownHolds, ...lockedHolds]) {
    // The locked copy wins: it is the one read under the lock.
    if (!holds.has(hold.id) || lockedHolds.includes(hold)) holds.set(hold.id, hold);
  }
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
  const newHolds = [...state.holds.values()].filter((hold) => hold.isNew);
  const resolvedHolds = [...state.holds.values()].filter((hold) => hold.dirty && !hold.isNew);
  // A hold made and resolved in the same batch is inserted pending, then resolved.
  const madeAndResolved = newHolds.filter((hold) => hold.status !== 'pending');
  await store.insertHolds(tx, newHolds.map((hold) => ({ ...hold, status: 'pending' })));
  await store.resolveHolds(tx, [...resolvedHolds, ...madeAndResolved]);

  const dirtyAccounts = [...state.accounts.values()].filter((account) => account.dirty);
  await store.writeAccountBalances(tx, dirtyAccounts, state.now);
  await store.writeUsage(
    tx,
    [...state.dirtyUsage].map((key) => {
      const [accountId, period] = key.split('|');
      return { accountId, period, debitFen: state.usage.get(key) ?? 0n };
    }),
  );

  if (state.planned.length > 0) {
    // The chain head is locked last and held only for the appends: it is the one global lock.
    const head = await store.lockChainHead(tx);
    let seq = head.seq;
    let prevHash = head.hash;
    const rows: store.NewEntryRow[] = [];
    for (const planned of state.planned) {
      seq += 1n;
      const content = { ...planned, seq, prevHash };
      const hash = entryHash(content);
      const row = { ...content, hash };
      rows.push(row);
      planned.view = { ...row, currency: planned.currency as StoredEntry['currency'], commandHash: planned.commandHash, reversedBy: null };
      prevHash = hash;
    }
    await store.insertEntries(tx, rows);
    await store.writeChainHead(tx, { seq, hash: prevHash });
  }
  for (const account of dirtyAccounts) assert(account.pendingDebitsFen >= 0n, `negative pending debits on ${account.id}`);
}
