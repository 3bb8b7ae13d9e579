import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { LedgerError } from './errors.js';
import {
  type AccountState,
  type BatchState,
  type Outcome,
  addUsage,
  applyPostings,
  checkPostings,
  limitError,
  planEntry,
  replayEntry,
  tracksUsage,
  validAmount,
} from './rules.js';
import type { StoredHold } from './store.js';
import { type HoldView, type LedgerCommand, NON_NEGATIVE_KINDS } from './types.js';

/** The two-phase commands: a hold reserves funds, then is posted (in full or part) or voided, at most once. */

export function applyHold(state: BatchState, command: Extract<LedgerCommand, { type: 'hold' }>, hash: string): Outcome {
  const seen = state.holdsByReference.get(command.reference);
  if (seen) {
    if (seen.reference !== command.reference || seen.commandHash !== hash)
      return err({ code: 'REFERENCE_CONFLICT', reference: command.reference });
    return ok({ type: 'hold', hold: publicHold(seen), replayed: true });
  }
  const invalid = validAmount(command.amountFen);
  if (invalid) return err(invalid);
  if (command.debitAccountId === command.creditAccountId)
    return err({ code: 'SAME_ACCOUNT', accountId: command.debitAccountId });
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
  assert(
    debit.pendingDebitsFen >= 0n && credit.pendingCreditsFen >= 0n,
    `hold ${hold.id} released more than was pending`,
  );
  debit.availableFen = debit.balanceFen - debit.pendingDebitsFen;
  debit.dirty = true;
  credit.dirty = true;
  if (hold.usageDay && usedFen < hold.amountFen) addUsage(state, debit.id, hold.usageDay, usedFen - hold.amountFen);
}

function pendingHold(
  state: BatchState,
  holdId: string,
  reference: string,
): Result<StoredHold & { dirty?: boolean }, LedgerError> {
  const hold = state.holds.get(holdId);
  if (!hold) return err({ code: 'HOLD_NOT_FOUND', holdId });
  if (hold.status !== 'pending') {
    return err(
      hold.resolveReference === reference
        ? { code: 'REFERENCE_CONFLICT', reference }
        : { code: 'HOLD_ALREADY_RESOLVED', holdId, status: hold.status },
    );
  }
  return ok(hold);
}

export function applyPostHold(
  state: BatchState,
  command: Extract<LedgerCommand, { type: 'post_hold' }>,
  hash: string,
): Outcome {
  const seen = state.entriesByReference.get(command.reference);
  if (seen) {
    return replayEntry(seen, hash, (entry) => ({
      type: 'post_hold',
      entry,
      hold: publicHold(state.holds.get(command.holdId) as StoredHold),
      replayed: false,
    }));
  }
  const found = pendingHold(state, command.holdId, command.reference);
  if (!found.ok) return found;
  const hold = found.value;
  if (state.now.getTime() >= hold.expiresAt.getTime()) return err({ code: 'HOLD_EXPIRED', holdId: hold.id });
  const amountFen = command.amountFen ?? hold.amountFen;
  const invalid = validAmount(amountFen);
  if (invalid) return err(invalid);
  if (amountFen > hold.amountFen)
    return err({ code: 'AMOUNT_EXCEEDS_HOLD', holdId: hold.id, holdAmountFen: hold.amountFen });
  const credit = state.accounts.get(hold.creditAccountId) as AccountState;
  const cap = credit.limits.balanceCapFen;
  if (cap !== undefined && credit.balanceFen + amountFen > cap)
    return err(limitError(credit.id, 'balanceCapFen', cap, credit.balanceFen, amountFen));
  releaseHold(state, hold, amountFen);
  const postings = [
    { accountId: hold.debitAccountId, amountFen: -amountFen },
    { accountId: hold.creditAccountId, amountFen },
  ];
  // Usage was counted when the hold was made; posting only moves the reserved money.
  applyPostings(state, postings, false);
  Object.assign(hold, {
    status: 'posted',
    postedAmountFen: amountFen,
    resolveReference: command.reference,
    resolvedAt: state.now,
    dirty: true,
  });
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
  return ok({
    pendingEntry: entry,
    build: (stored) => ({ type: 'post_hold', hold: view, entry: stored, replayed: false }),
  });
}

export function applyVoidHold(
  state: BatchState,
  command: Extract<LedgerCommand, { type: 'void_hold' }>,
  hash: string,
): Outcome {
  const seen = state.holdsByReference.get(command.reference);
  if (seen) {
    const same =
      seen.id === command.holdId &&
      seen.resolveReference === command.reference &&
      (seen.status === 'voided' || seen.status === 'expired');
    if (!same) return err({ code: 'REFERENCE_CONFLICT', reference: command.reference });
    return ok({ type: 'void_hold', hold: publicHold(seen), replayed: true });
  }
  void hash;
  const found = pendingHold(state, command.holdId, command.reference);
  if (!found.ok) return found;
  const hold = found.value;
  if (command.expired && state.now.getTime() < hold.expiresAt.getTime())
    return err({ code: 'HOLD_NOT_EXPIRED', holdId: hold.id });
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
