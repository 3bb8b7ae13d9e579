import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { LedgerError } from './errors.js';
import { commandHash } from './hash.js';
import type { StoredEntry, StoredHold } from './store.js';
import type {
  AccountView,
  CommandResult,
  EntryKind,
  LedgerCommand,
  LimitName,
  Metadata,
  PostingView,
  TransferLeg,
} from './types.js';
import { NON_NEGATIVE_KINDS } from './types.js';

/**
 * The ledger's rules, applied in memory to rows the batch has already locked. A command either
 * changes the state completely or not at all: it is checked first and applied only when it passes.
 */

export interface AccountState extends AccountView {
  dirty: boolean;
}

/** An entry decided in this batch; sequence number and hash are assigned when it is appended. */
export interface PlannedEntry {
  id: string;
  reference: string;
  kind: EntryKind;
  currency: string;
  commandHash: string;
  metadata: Metadata;
  holdId: string | null;
  reversesEntryId: string | null;
  createdAt: Date;
  postings: PostingView[];
  /** Filled in when the batch appends the entry to the chain. */
  view?: StoredEntry;
}

export interface BatchState {
  now: Date;
  accounts: Map<string, AccountState>;
  /** Every hold this batch knows, by id: locked existing ones and new ones. */
  holds: Map<string, StoredHold & { isNew?: boolean; dirty?: boolean }>;
  /** Holds by their creating or resolving reference. */
  holdsByReference: Map<string, StoredHold>;
  entriesByReference: Map<string, StoredEntry | PlannedEntry>;
  entriesById: Map<string, StoredEntry | PlannedEntry>;
  /** Entry ids that have a reversal, stored or planned. */
  reversed: Set<string>;
  /** Outgoing amount per `${accountId}|${period}`. */
  usage: Map<string, bigint>;
  dirtyUsage: Set<string>;
  planned: PlannedEntry[];
}

export type Outcome = Result<
  CommandResult | { pendingEntry: PlannedEntry; build: (entry: StoredEntry) => CommandResult },
  LedgerError
>;

export function usagePeriods(day: string): string[] {
  return [`D${day}`, `Y${day.slice(0, 4)}`, 'L'];
}

export function tracksUsage(account: Pick<AccountView, 'kind' | 'limits'>): boolean {
  return account.kind === 'customer_wallet' || Object.keys(account.limits).length > 0;
}

function isPlanned(entry: StoredEntry | PlannedEntry): entry is PlannedEntry {
  return !('seq' in entry);
}

function checkOutflowLimits(state: BatchState, account: AccountState, outflowFen: bigint): LedgerError | null {
  const { limits } = account;
  if (limits.perMovementFen !== undefined && outflowFen > limits.perMovementFen) {
    return limitError(account.id, 'perMovementFen', limits.perMovementFen, 0n, outflowFen);
  }
  const [day, year, lifetime] = usagePeriods(shanghaiDay(state.now));
  const checks = [
    ['dailyFen', day],
    ['yearlyFen', year],
    ['lifetimeFen', lifetime],
  ] as const;
  for (const [name, period] of checks) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const used = state.usage.get(`${account.id}|${period}`) ?? 0n;
    if (used + outflowFen > limit) return limitError(account.id, name, limit, used, outflowFen);
  }
  return null;
}

export function limitError(
  accountId: string,
  limit: LimitName,
  limitFen: bigint,
  usedFen: bigint,
  _wantedFen: bigint,
): LedgerError {
  const remainingFen = limitFen - usedFen > 0n ? limitFen - usedFen : 0n;
  return { code: 'LIMIT_EXCEEDED', accountId, limit, limitFen, usedFen, remainingFen };
}

export function addUsage(state: BatchState, accountId: string, day: string, deltaFen: bigint): void {
  for (const period of usagePeriods(day)) {
    const key = `${accountId}|${period}`;
    const next = (state.usage.get(key) ?? 0n) + deltaFen;
    // Releasing more than was used can only mean the usage rows were edited by hand; never go below zero.
    state.usage.set(key, next < 0n ? 0n : next);
    state.dirtyUsage.add(key);
  }
}

/** Net movement per account for a set of postings, with the gross outflow per account. */
function netMovements(postings: readonly PostingView[]): Map<string, { netFen: bigint; outflowFen: bigint }> {
  const movements = new Map<string, { netFen: bigint; outflowFen: bigint }>();
  for (const posting of postings) {
    const movement = movements.get(posting.accountId) ?? { netFen: 0n, outflowFen: 0n };
    movement.netFen += posting.amountFen;
    if (posting.amountFen < 0n) movement.outflowFen -= posting.amountFen;
    movements.set(posting.accountId, movement);
  }
  return movements;
}

function postingsForLegs(legs: readonly TransferLeg[]): PostingView[] {
  return legs.flatMap((leg) => [
    { accountId: leg.debitAccountId, amountFen: -leg.amountFen },
    { accountId: leg.creditAccountId, amountFen: leg.amountFen },
  ]);
}

interface MoveOptions {
  currency: string;
  /** Check frozen accounts and tier limits on the accounts that pay out. */
  enforcePolicy: boolean;
}

/** Checks that postings may be applied; returns the first failure, or null. Changes nothing. */
export function checkPostings(
  state: BatchState,
  postings: readonly PostingView[],
  options: MoveOptions,
): LedgerError | null {
  for (const posting of postings) {
    const account = state.accounts.get(posting.accountId);
    if (!account) return { code: 'ACCOUNT_NOT_FOUND', accountId: posting.accountId };
    if (account.currency !== options.currency) {
      return { code: 'CURRENCY_MISMATCH', accountId: account.id, expected: account.currency, actual: options.currency };
    }
  }
  for (const [accountId, movement] of netMovements(postings)) {
    const account = state.accounts.get(accountId) as AccountState;
    if (options.enforcePolicy && movement.outflowFen > 0n) {
      if (account.frozen) return { code: 'ACCOUNT_FROZEN', accountId };
      const limitFailure = checkOutflowLimits(state, account, movement.outflowFen);
      if (limitFailure) return limitFailure;
    }
    const availableAfter = account.balanceFen + movement.netFen - account.pendingDebitsFen;
    if (movement.netFen < 0n && NON_NEGATIVE_KINDS.has(account.kind) && availableAfter < 0n) {
      return {
        code: 'INSUFFICIENT_FUNDS',
        accountId,
        availableFen: account.balanceFen - account.pendingDebitsFen,
        requiredFen: -movement.netFen,
      };
    }
    const cap = account.limits.balanceCapFen;
    if (
      options.enforcePolicy &&
      movement.netFen > 0n &&
      cap !== undefined &&
      account.balanceFen + movement.netFen > cap
    ) {
      return limitError(accountId, 'balanceCapFen', cap, account.balanceFen, movement.netFen);
    }
  }
  return null;
}

export function applyPostings(state: BatchState, postings: readonly PostingView[], trackOutflow: boolean): void {
  const day = shanghaiDay(state.now);
  for (const [accountId, movement] of netMovements(postings)) {
    const account = state.accounts.get(accountId) as AccountState;
    account.balanceFen += movement.netFen;
    account.availableFen = account.balanceFen - account.pendingDebitsFen;
    account.dirty = true;
    if (trackOutflow && movement.outflowFen > 0n && tracksUsage(account))
      addUsage(state, accountId, day, movement.outflowFen);
    assert(!NON_NEGATIVE_KINDS.has(account.kind) || account.availableFen >= 0n, `account ${accountId} went below zero`);
  }
}

export function planEntry(state: BatchState, fields: Omit<PlannedEntry, 'id' | 'createdAt'>): PlannedEntry {
  const sum = fields.postings.reduce((total, posting) => total + posting.amountFen, 0n);
  assert(sum === 0n, `postings of ${fields.reference} sum to ${sum}, not zero`);
  assert(fields.postings.length >= 2, `entry ${fields.reference} has fewer than two postings`);
  const entry: PlannedEntry = { ...fields, id: newId('ent', state.now.getTime()), createdAt: state.now };
  state.planned.push(entry);
  state.entriesByReference.set(entry.reference, entry);
  state.entriesById.set(entry.id, entry);
  return entry;
}

/** A reference seen before: the same command replays its result, another command is a conflict. */
export function replayEntry(
  entry: StoredEntry | PlannedEntry,
  hash: string,
  build: (entry: StoredEntry) => CommandResult,
): Outcome {
  if (entry.commandHash !== hash) return err({ code: 'REFERENCE_CONFLICT', reference: entry.reference });
  if (isPlanned(entry))
    return ok({ pendingEntry: entry, build: (stored) => ({ ...build(stored), replayed: true }) as CommandResult });
  return ok({ ...build(entry), replayed: true } as CommandResult);
}

export function validAmount(amountFen: bigint): LedgerError | null {
  return amountFen > 0n ? null : { code: 'INVALID_AMOUNT', amountFen };
}

export function applyTransfer(
  state: BatchState,
  command: Extract<LedgerCommand, { type: 'transfer' }>,
  hash: string,
): Outcome {
  const seen = state.entriesByReference.get(command.reference);
  if (seen) return replayEntry(seen, hash, (entry) => ({ type: 'transfer', entry, replayed: false }));
  assert(command.legs.length > 0, 'a transfer has at least one leg');
  for (const leg of command.legs) {
    const invalid = validAmount(leg.amountFen);
    if (invalid) return err(invalid);
    if (leg.debitAccountId === leg.creditAccountId) return err({ code: 'SAME_ACCOUNT', accountId: leg.debitAccountId });
  }
  const postings = postingsForLegs(command.legs);
  const failure = checkPostings(state, postings, { currency: command.currency, enforcePolicy: !command.limitExempt });
  if (failure) return err(failure);
  applyPostings(state, postings, true);
  const entry = planEntry(state, {
    reference: command.reference,
    kind: 'transfer',
    currency: command.currency,
    commandHash: hash,
    metadata: command.metadata ?? {},
    holdId: null,
    reversesEntryId: null,
    postings,
  });
  return ok({ pendingEntry: entry, build: (stored) => ({ type: 'transfer', entry: stored, replayed: false }) });
}

export function applyReverse(
  state: BatchState,
  command: Extract<LedgerCommand, { type: 'reverse' }>,
  hash: string,
): Outcome {
  const seen = state.entriesByReference.get(command.reference);
  if (seen) return replayEntry(seen, hash, (entry) => ({ type: 'reverse', entry, replayed: false }));
  const original = state.entriesById.get(command.entryId);
  if (!original) return err({ code: 'ENTRY_NOT_FOUND', entryId: command.entryId });
  if (state.reversed.has(original.id)) return err({ code: 'ENTRY_ALREADY_REVERSED', entryId: original.id });
  const postings = original.postings.map((posting) => ({
    accountId: posting.accountId,
    amountFen: -posting.amountFen,
  }));
  // A correction ignores freezes and tier limits, but never overdraws an account.
  const failure = checkPostings(state, postings, { currency: original.currency, enforcePolicy: false });
  if (failure) return err(failure);
  applyPostings(state, postings, false);
  state.reversed.add(original.id);
  const entry = planEntry(state, {
    reference: command.reference,
    kind: 'reversal',
    currency: original.currency,
    commandHash: hash,
    metadata: command.metadata ?? {},
    holdId: null,
    reversesEntryId: original.id,
    postings,
  });
  return ok({ pendingEntry: entry, build: (stored) => ({ type: 'reverse', entry: stored, replayed: false }) });
}
