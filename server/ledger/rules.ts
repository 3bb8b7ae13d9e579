import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { LedgerError } from './errors.js';
import { commandHash } from './hash.js';
import type { StoredEntry, StoredHold } from './store.js';
import type { AccountView, CommandResult, EntryKind, HoldView, LedgerCommand, LimitName, Metadata, PostingView, TransferLeg } from './types.js';
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

export type Outcome = Result<CommandResult | { pendingEntry: PlannedEntry; build: (entry: StoredEntry) => CommandResult }, LedgerError>;

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

function limitError(accountId: string, limit: LimitName, limitFen: bigint, usedFen: bigint, _wantedFen: bigint): LedgerError {
  const remainingFen = limitFen - usedFen > 0n ? limitFen - usedFen : 0n;
  return { code: 'LIMIT_EXCEEDED', accountId, limit, limitFen, usedFen, remainingFen };
}

function addUsage(state: BatchState, accountId: string, day: string, deltaFen: bigint): void {
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
function checkPostings(state: BatchState, postings: readonly PostingView[], options: MoveOptions): LedgerError | null {
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
      return { code: 'INSUFFICIENT_FUNDS', accountId, availableFen: account.balanceFen - account.pendingDebitsFen, requiredFen: -movement.netFen };
    }
    const cap = account.limits.balanceCapFen;
    if (options.enforcePolicy && movement.netFen > 0n && cap !== undefined && account.balanceFen + movement.netFen > cap) {
      return limitError(accountId, 'balanceCapFen', cap, account.balanceFen, movement.netFen);
    }
  }
  return null;
}

function applyPostings(state: BatchState, postings: readonly PostingView[], trackOutflow: boolean): void {
  const day = shanghaiDay(state.now);
  for (const [accountId, movement] of netMovements(postings)) {
    const account = state.accounts.get(accountId) as AccountState;
    account.balanceFen += movement.netFen;
    account.availableFen = account.balanceFen - account.pendingDebitsFen;
    account.dirty = true;
    if (trackOutflow && movement.outflowFen > 0n && tracksUsage(account)) addUsage(state, accountId, day, movement.outflowFen);
    assert(!NON_NEGATIVE_KINDS.has(account.kind) || account.availableFen >= 0n, `account ${accountId} went below zero`);
  }
}

function planEntry(state: BatchState, fields: Omit<PlannedEntry, 'id' | 'createdAt'>): PlannedEntry {
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
function replayEntry(entry: StoredEntry | PlannedEntry, hash: string, build: (entry: StoredEntry) => CommandResult): Outcome {
  if (entry.commandHash !== hash) return err({ code: 'REFERENCE_CONFLICT', reference: entry.reference });
  if (isPlanned(entry)) return ok({ pendingEntry: entry, build: (stored) => ({ ...build(stored), replayed: true }) as CommandResult });
  return ok({ ...build(entry), replayed: true } as CommandResult);
}

export function applyCommand(state: BatchState, command: LedgerCommand): Outcome {
  const hash = commandHash(command);
  switch (command.type) {
    case 'transfer':
      return applyTransfer(state, command, hash);
    case 'hold':
      return applyHold(state, command, hash);
    case 'post_hold':
      return applyPostHold(state, command, hash);
    case 'void_hold':
      return applyVoidHold(state, command, hash);
    case 'reverse':
      return applyReverse(state, command, hash);
  }
}

function validAmount(amountFen: bigint): LedgerError | null {
  return amountFen > 0n ? null : { code: 'INVALID_AMOUNT', amountFen };
}

function applyTransfer(state: BatchState, command: Extract<LedgerCommand, { type: 'transfer' }>, hash: string): Outcome {
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

function applyHold(state: BatchState, command: Extract<LedgerCommand, { type: 'hold' }>, hash: string): Outcome {
  const seen = state.holdsByReference.get(command.reference);
  if (seen) {
    if (seen.reference !== command.reference || seen.commandHash !== hash) return err({ code: 'REFERENCE_CONFLICT', reference: command.reference });
    return ok({ type: 'hold', hold: publicHold(seen), replayed: true });
  }
  const invalid = validAmount(command.amountFen);
  if (invalid) return err(invalid);
  if (command.debitAccountId === command.creditAccountId) return err({ code: 'SAME_ACCOUNT', accountId: command.debitAccountId });
  const postings = [
    { accountId: command.debitAccountId, amountFen: -command.amountFen },
    { accountId: command.creditAccountId, amountFen: command.amountFen },
  ];
  // A hold is checked like the transfer it may become, except for the payee's balance cap, checked when it posts.
  const failure = checkPostings(state, postings.slice(0, 1).concat({ ...postings[1], amountFen: 0n }), {
    currency: command.currency,
    enforcePolicy: !command.limitExempt,
  });
  if (failure) return err(failure);
  const debit = state.accounts.get(command.debitAccountId) as AccountState;
  const credit = state.accounts.get(command.creditAccountId) as AccountState;
  debit.pendingDebitsFen += command.amountFen;
  debit.availableFen = debit.balanceFen - debit.pendingDebitsFen;
  debit.dirty = true;
  credit.pendingCreditsFen += command.amountFen;
  credit.dirty = true;
  assert(!NON_NEGATIVE_KINDS.has(debit.kind) || debit.availableFen >= 0n, `hold took ${debit.id} below zero`);
  const day = shanghaiDay(state.now);
  const tracked = !command.limitExempt && tracksUsage(debit);
  if (tracked) addUsage(state, debit.id, day, command.amountFen);
  const hold = {
    id: newId('hld', state.now.getTime()),
    reference: command.reference,
    commandHash: hash,
    debitAccountId: command.debitAccountId,
    creditAccountId: command.creditAccountId,
    currency: command.currency,
    amountFen: command.amountFen,
    status: 'pending' as const,
    postedAmountFen: null,
    metadata: command.metadata ?? {},
    expiresAt: command.expiresAt,
    createdAt: state.now,
    resolvedAt: null,
    resolveReference: null,
    usageDay: tracked ? day : null,
    isNew: true,
  };
  state.holds.set(hold.id, hold);
  state.holdsByReference.set(hold.reference, hold);
  return ok({ type: 'hold', hold: publicHold(hold), replayed: false });
}

/** Releases what a pending hold reserved: pending amounts, and the limit usage not spent. */
function releaseHold(state: BatchState, hold: StoredHold, usedFen: bigint): void {
  const debit = state.accounts.get(hold.debitAccountId) as AccountState;
  const credit = state.accounts.get(hold.creditAccountId) as AccountState;
  debit.pendingDebitsFen -= hold.amountFen;
  credit.pendingCreditsFen -= hold.amountFen;
  assert(debit.pendingDebitsFen >= 0n && credit.pendingCreditsFen >= 0n, `hold ${hold.id} released more than was pending`);
  debit.availableFen = debit.balanceFen - debit.pendingDebitsFen;
  debit.dirty = true;
  credit.dirty = true;
  if (hold.usageDay && usedFen < hold.amountFen) addUsage(state, debit.id, hold.usageDay, usedFen - hold.amountFen);
}

function pendingHold(state: BatchState, holdId: string, reference: string): Result<StoredHold & { dirty?: boolean }, LedgerError> {
  const hold = state.holds.get(holdId);
  if (!hold) return err({ code: 'HOLD_NOT_FOUND', holdId });
  if (hold.status !== 'pending') {
    return err(hold.resolveReference === reference ? { code: 'REFERENCE_CONFLICT', reference } : { code: 'HOLD_ALREADY_RESOLVED', holdId, status: hold.status });
  }
  return ok(hold);
}

function applyPostHold(state: BatchState, command: Extract<LedgerCommand, { type: 'post_hold' }>, hash: string): Outcome {
  const seen = state.entriesByReference.get(command.reference);
  if (seen) {
    return replayEntry(seen, hash, (entry) => ({ type: 'post_hold', entry, hold: publicHold(state.holds.get(command.holdId) as StoredHold), replayed: false }));
  }
  const found = pendingHold(state, command.holdId, command.reference);
  if (!found.ok) return found;
  const hold = found.value;
  if (state.now.getTime() >= hold.expiresAt.getTime()) return err({ code: 'HOLD_EXPIRED', holdId: hold.id });
  const amountFen = command.amountFen ?? hold.amountFen;
  const invalid = validAmount(amountFen);
  if (invalid) return err(invalid);
  if (amountFen > hold.amountFen) return err({ code: 'AMOUNT_EXCEEDS_HOLD', holdId: hold.id, holdAmountFen: hold.amountFen });
  const credit = state.accounts.get(hold.creditAccountId) as AccountState;
  const cap = credit.limits.balanceCapFen;
  if (cap !== undefined && credit.balanceFen + amountFen > cap) return err(limitError(credit.id, 'balanceCapFen', cap, credit.balanceFen, amountFen));
  releaseHold(state, hold, amountFen);
  const postings = [
    { accountId: hold.debitAccountId, amountFen: -amountFen },
    { accountId: hold.creditAccountId, amountFen },
  ];
  // Usage was counted when the hold was made; posting only moves the reserved money.
  applyPostings(state, postings, false);
  Object.assign(hold, { status: 'posted', postedAmountFen: amountFen, resolveReference: command.reference, resolvedAt: state.now, dirty: true });
  state.holdsByReference.set(command.reference, hold);
  const entry = planEntry(state, {
    reference: command.reference,
    kind: 'hold_post',
    currency: hold.currency,
    commandHash: hash,
    metadata: { ...hold.metadata, ...(command.metadata ?? {}) },
    holdId: hold.id,
    reversesEntryId: null,
    postings,
  });
  const view = publicHold(hold);
  return ok({ pendingEntry: entry, build: (stored) => ({ type: 'post_hold', hold: view, entry: stored, replayed: false }) });
}

function applyVoidHold(state: BatchState, command: Extract<LedgerCommand, { type: 'void_hold' }>, hash: string): Outcome {
  const seen = state.holdsByReference.get(command.reference);
  if (seen) {
    const same = seen.id === command.holdId && seen.resolveReference === command.reference && (seen.status === 'voided' || seen.status === 'expired');
    if (!same) return err({ code: 'REFERENCE_CONFLICT', reference: command.reference });
    return ok({ type: 'void_hold', hold: publicHold(seen), replayed: true });
  }
  void hash;
  const found = pendingHold(state, command.holdId, command.reference);
  if (!found.ok) return found;
  const hold = found.value;
  if (command.expired && state.now.getTime() < hold.expiresAt.getTime()) return err({ code: 'HOLD_NOT_EXPIRED', holdId: hold.id });
  releaseHold(state, hold, 0n);
  Object.assign(hold, {
    status: command.expired ? 'expired' : 'voided',
    postedAmountFen: null,
    resolveReference: command.reference,
    resolvedAt: state.now,
    dirty: true,
  });
  state.holdsByReference.set(command.reference, hold);
  return ok({ type: 'void_hold', hold: publicHold(hold), replayed: false });
}

function applyReverse(state: BatchState, command: Extract<LedgerCommand, { type: 'reverse' }>, hash: string): Outcome {
  const seen = state.entriesByReference.get(command.reference);
  if (seen) return replayEntry(seen, hash, (entry) => ({ type: 'reverse', entry, replayed: false }));
  const original = state.entriesById.get(command.entryId);
  if (!original) return err({ code: 'ENTRY_NOT_FOUND', entryId: command.entryId });
  if (state.reversed.has(original.id)) return err({ code: 'ENTRY_ALREADY_REVERSED', entryId: original.id });
  const postings = original.postings.map((posting) => ({ accountId: posting.accountId, amountFen: -posting.amountFen }));
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

export function publicHold(hold: StoredHold): HoldView {
  return {
    id: hold.id,
    reference: hold.reference,
    debitAccountId: hold.debitAccountId,
    creditAccountId: hold.creditAccountId,
    currency: hold.currency,
    amountFen: hold.amountFen,
    status: hold.status,
    postedAmountFen: hold.postedAmountFen,
    metadata: hold.metadata,
    expiresAt: hold.expiresAt,
    createdAt: hold.createdAt,
    resolvedAt: hold.resolvedAt,
  };
}
