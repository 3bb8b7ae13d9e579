import { createHash } from 'node:crypto';
import { randomToken } from '../platform/crypto.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { ConfirmationsDeps } from './deps.js';
import type { PinError } from '../identity/pin.js';
import * as store from './store.js';
import type { ConfirmationRow } from './store.js';

/**
 * Confirming money movements with dynamic linking (PSD2 RTS Art. 5): a confirmation is made for one
 * operation — amount, currency, payee and reference — and approves only that one, once, within
 * five minutes. Payments, transfers and withdrawals call `create` when they prepare a movement and
 * `consume` in the transaction that moves the money.
 */

export const CONFIRMATION_TTL_MS = 5 * 60_000;
export const CONFIRMATION_MAX_FAILURES = 5;

export interface Operation {
  reference: string;
  amountFen: bigint;
  currency: string;
  /** A stable description of the payee, e.g. `wallet:138****5678` or `merchant:M1002003`. */
  payee: string;
}

/** What a confirmation's challenge hashes, before the nonce. */
export function challengeText(operation: Operation): string {
  return (
    `v1|txn=${operation.reference}|amount=${operation.amountFen}|currency=${operation.currency}` +
    `|payee=${operation.payee}|nonce=`
  );
}

export function confirmationChallenge(operation: Operation, nonce: string): string {
  return createHash('sha256')
    .update(challengeText(operation) + nonce)
    .digest('base64url');
}

export type ConfirmationError =
  { code: 'CONFIRMATION_NOT_FOUND' } | { code: 'CONFIRMATION_INVALID' } | { code: 'CONFIRMATION_EXPIRED' } | PinError;

export interface ConfirmationView {
  id: string;
  reference: string;
  amountFen: bigint;
  currency: string;
  payee: string;
  challenge: string;
  status: string;
  expiresAt: Date;
}

const view = (row: ConfirmationRow): ConfirmationView => ({
  id: row.id,
  reference: row.reference,
  amountFen: row.amount,
  currency: row.currency,
  payee: row.payee,
  challenge: row.challenge,
  status: row.status,
  expiresAt: row.expires_at,
});

type Deps = ConfirmationsDeps;

/** Makes a pending confirmation for one operation, with a fresh nonce in its challenge. */
export async function create(deps: Deps, userId: string, operation: Operation): Promise<ConfirmationView> {
  const now = deps.clock.now();
  const nonce = randomToken(12);
  const row = await store.insertConfirmation(deps.db, {
    id: newId('cfm', now.getTime()),
    user_id: userId,
    reference: operation.reference,
    amount: operation.amountFen,
    currency: operation.currency,
    payee: operation.payee,
    nonce,
    challenge: confirmationChallenge(operation, nonce),
    expires_at: new Date(now.getTime() + CONFIRMATION_TTL_MS),
    created_at: now,
  });
  return view(row);
}

export async function get(deps: Deps, userId: string, id: string): Promise<ConfirmationView | null> {
  const row = await store.findConfirmation(deps.db, userId, id);
  return row ? view(row) : null;
}

async function markConfirmedIn(
  deps: Deps,
  q: Queryable,
  userId: string,
  id: string,
  method: 'pin' | 'passkey',
): Promise<Result<ConfirmationView, ConfirmationError>> {
  const row = await store.markConfirmed(q, userId, id, method, deps.clock.now());
  return row ? ok(view(row)) : err({ code: 'CONFIRMATION_INVALID' });
}

/**
 * The holder approves with the payment PIN. The confirmation is read and changed in the PIN
 * check's transaction, under the holder's row lock: once it is approved or spent, further PINs
 * sent for it at the same moment are refused without being checked.
 */
export async function confirmWithPin(
  deps: Deps,
  userId: string,
  id: string,
  enteredPin: string,
): Promise<Result<ConfirmationView, ConfirmationError>> {
  // The right PIN on a pending confirmation is one statement; anything else takes the full check below.
  const pinHash = deps.pin.currentHash(userId, enteredPin);
  const matched = pinHash ? await store.confirmIfPinMatches(deps.db, userId, id, pinHash, deps.clock.now()) : null;
  if (matched) return ok(view(matched));
  return deps.pin.attempt<ConfirmationView, ConfirmationError>(userId, enteredPin, {
    guard: async (tx) => {
      const row = await store.findConfirmation(tx, userId, id, true);
      if (!row) return { code: 'CONFIRMATION_NOT_FOUND' };
      if (row.expires_at <= deps.clock.now()) return { code: 'CONFIRMATION_EXPIRED' };
      return row.status === 'pending' ? null : { code: 'CONFIRMATION_INVALID' };
    },
    onMatch: (tx) => markConfirmedIn(deps, tx, userId, id, 'pin'),
    onRefusal: (tx) => store.recordFailure(tx, id, CONFIRMATION_MAX_FAILURES),
  });
}

/** A wrong PIN or a refused passkey assertion; the fifth spends the confirmation. */
export async function recordFailure(deps: Deps, id: string): Promise<void> {
  await store.recordFailure(deps.db, id, CONFIRMATION_MAX_FAILURES);
}

/** Marks a pending confirmation approved (after a PIN or a passkey assertion over its challenge). */
export function markConfirmed(
  deps: Deps,
  userId: string,
  id: string,
  method: 'pin' | 'passkey',
): Promise<Result<ConfirmationView, ConfirmationError>> {
  return markConfirmedIn(deps, deps.db, userId, id, method);
}

/** Why `row` may not pay for `operation` now; null when it may. */
function refusal(
  row: ConfirmationRow | undefined | null,
  userId: string,
  operation: Operation,
  now: Date,
): ConfirmationError | null {
  if (!row || row.user_id !== userId) return { code: 'CONFIRMATION_NOT_FOUND' };
  if (row.expires_at <= now) return { code: 'CONFIRMATION_EXPIRED' };
  if (row.status !== 'confirmed' || confirmationChallenge(operation, row.nonce) !== row.challenge)
    return { code: 'CONFIRMATION_INVALID' };
  return null;
}

/**
 * Spends a confirmation on the operation it was made for: recomputes the challenge from the
 * operation being posted, so any change of amount, payee or reference is refused. Call it in
 * the transaction that moves the money; it succeeds once.
 */
export async function consume(
  deps: Deps,
  q: Queryable,
  userId: string,
  id: string,
  operation: Operation,
): Promise<Result<true, ConfirmationError>> {
  const now = deps.clock.now();
  const refused = refusal(await store.findConfirmation(q, userId, id, true), userId, operation, now);
  if (refused) return err(refused);
  await store.markUsed(q, [id], now);
  return ok(true);
}

/**
 * `consume` for many movements posted in one transaction (group commit): the same checks per
 * item. Every confirmation that passes them is spent in one statement that checks them in SQL
 * (`spendMatching`, when no confirmation appears twice in the batch); any other is then locked,
 * in id order, and checked in full, which says why it is refused.
 */
export async function consumeMany(
  deps: Deps,
  q: Queryable,
  items: readonly { userId: string; confirmationId: string; operation: Operation }[],
): Promise<Result<true, ConfirmationError>[]> {
  const now = deps.clock.now();
  const unique = new Set(items.map((item) => item.confirmationId)).size === items.length;
  const spentAtOnce = new Set(
    unique && items.length > 0
      ? await store.spendMatching(
          q,
          items.map((item) => ({
            id: item.confirmationId,
            userId: item.userId,
            challengeText: challengeText(item.operation),
          })),
          now,
        )
      : [],
  );
  if (spentAtOnce.size === items.length) return items.map(() => ok(true));
  const ids = [...new Set(items.map((item) => item.confirmationId))].filter((id) => !spentAtOnce.has(id)).sort();
  const byId = new Map((await store.lockConfirmations(q, ids)).map((row) => [row.id, row]));
  const spent = new Set<string>();
  const results = items.map((item): Result<true, ConfirmationError> => {
    if (spentAtOnce.has(item.confirmationId)) return ok(true);
    const row = byId.get(item.confirmationId);
    const refused =
      refusal(row, item.userId, item.operation, now) ??
      (spent.has(item.confirmationId) ? { code: 'CONFIRMATION_INVALID' as const } : null);
    if (refused) return err(refused);
    spent.add(item.confirmationId);
    return ok(true);
  });
  if (spent.size > 0) await store.markUsed(q, [...spent], now);
  return results;
}

/** The confirmations service, its functions bound to their dependencies. */
export function createConfirmations(deps: ConfirmationsDeps) {
  return {
    create: (userId: string, operation: Operation) => create(deps, userId, operation),
    get: (userId: string, id: string) => get(deps, userId, id),
    confirmWithPin: (userId: string, id: string, enteredPin: string) => confirmWithPin(deps, userId, id, enteredPin),
    recordFailure: (id: string) => recordFailure(deps, id),
    markConfirmed: (userId: string, id: string, method: 'pin' | 'passkey') => markConfirmed(deps, userId, id, method),
    consume: (q: Queryable, userId: string, id: string, operation: Operation) =>
      consume(deps, q, userId, id, operation),
    consumeMany: (q: Queryable, items: Parameters<typeof consumeMany>[2]) => consumeMany(deps, q, items),
  };
}

export type Confirmations = ReturnType<typeof createConfirmations>;
