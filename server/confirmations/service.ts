import { createHash } from 'node:crypto';
import { randomToken } from '../platform/crypto.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { ConfirmationsDeps } from './deps.js';
import type { PinError } from '../identity/pin.js';

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

export function confirmationChallenge(operation: Operation, nonce: string): string {
  const text =
    `v1|txn=${operation.reference}|amount=${operation.amountFen}|currency=${operation.currency}` +
    `|payee=${operation.payee}|nonce=${nonce}`;
  return createHash('sha256').update(text).digest('base64url');
}

interface ConfirmationRow {
  id: string;
  user_id: string;
  reference: string;
  amount: bigint;
  currency: string;
  payee: string;
  nonce: string;
  challenge: string;
  status: 'pending' | 'confirmed' | 'used' | 'failed' | 'expired';
  failures: number;
  expires_at: Date;
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

export function createConfirmations(ctx: ConfirmationsDeps) {
  const { pin } = ctx;
  async function find(userId: string, id: string): Promise<ConfirmationRow | null> {
    const { rows } = await ctx.db.query<ConfirmationRow>(
      'SELECT * FROM payment_confirmations WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return rows[0] ?? null;
  }

  async function recordFailureIn(q: Queryable, id: string): Promise<void> {
    await q.query(
      `UPDATE payment_confirmations SET failures = failures + 1, status = CASE WHEN failures + 1 >= $2 THEN 'failed'
        ELSE status END
       WHERE id = $1 AND status = 'pending'`,
      [id, CONFIRMATION_MAX_FAILURES],
    );
  }

  async function markConfirmedIn(
    q: Queryable,
    userId: string,
    id: string,
    method: 'pin' | 'passkey',
  ): Promise<Result<ConfirmationView, ConfirmationError>> {
    const { rows } = await q.query<ConfirmationRow>(
      `UPDATE payment_confirmations SET status = 'confirmed', method = $3, confirmed_at = $4
       WHERE id = $1 AND user_id = $2 AND status = 'pending' AND expires_at > $4 RETURNING *`,
      [id, userId, method, ctx.clock.now()],
    );
    return rows[0] ? ok(view(rows[0])) : err({ code: 'CONFIRMATION_INVALID' });
  }

  return {
    async create(userId: string, operation: Operation): Promise<ConfirmationView> {
      const now = ctx.clock.now();
      const nonce = randomToken(12);
      const { rows } = await ctx.db.query<ConfirmationRow>(
        `INSERT INTO payment_confirmations (id, user_id, reference, amount, currency, payee, nonce, challenge,
          status, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING *`,
        [
          newId('cfm', now.getTime()),
          userId,
          operation.reference,
          operation.amountFen,
          operation.currency,
          operation.payee,
          nonce,
          confirmationChallenge(operation, nonce),
          new Date(now.getTime() + CONFIRMATION_TTL_MS),
          now,
        ],
      );
      return view(rows[0]);
    },

    async get(userId: string, id: string): Promise<ConfirmationView | null> {
      const row = await find(userId, id);
      return row ? view(row) : null;
    },

    /**
     * The holder approves with the payment PIN. The confirmation is read and changed in the PIN
     * check's transaction, under the holder's row lock: once it is approved or spent, further PINs
     * sent for it at the same moment are refused without being checked.
     */
    async confirmWithPin(
      userId: string,
      id: string,
      enteredPin: string,
    ): Promise<Result<ConfirmationView, ConfirmationError>> {
      return pin.attempt<ConfirmationView, ConfirmationError>(userId, enteredPin, {
        guard: async (tx) => {
          const { rows } = await tx.query<ConfirmationRow>(
            'SELECT * FROM payment_confirmations WHERE id = $1 AND user_id = $2 FOR UPDATE',
            [id, userId],
          );
          const row = rows[0];
          if (!row) return { code: 'CONFIRMATION_NOT_FOUND' };
          if (row.expires_at <= ctx.clock.now()) return { code: 'CONFIRMATION_EXPIRED' };
          return row.status === 'pending' ? null : { code: 'CONFIRMATION_INVALID' };
        },
        onMatch: (tx) => markConfirmedIn(tx, userId, id, 'pin'),
        onRefusal: (tx) => recordFailureIn(tx, id),
      });
    },

    /** A wrong PIN or a refused passkey assertion; the fifth spends the confirmation. */
    async recordFailure(id: string): Promise<void> {
      await recordFailureIn(ctx.db, id);
    },

    /** Marks a pending confirmation approved (after a PIN or a passkey assertion over its challenge). */
    async markConfirmed(
      userId: string,
      id: string,
      method: 'pin' | 'passkey',
    ): Promise<Result<ConfirmationView, ConfirmationError>> {
      return markConfirmedIn(ctx.db, userId, id, method);
    },

    /**
     * Spends a confirmation on the operation it was made for: recomputes the challenge from the
     * operation being posted, so any change of amount, payee or reference is refused. Call it in
     * the transaction that moves the money; it succeeds once.
     */
    async consume(
      q: Queryable,
      userId: string,
      id: string,
      operation: Operation,
    ): Promise<Result<true, ConfirmationError>> {
      const now = ctx.clock.now();
      const { rows } = await q.query<ConfirmationRow>(
        'SELECT * FROM payment_confirmations WHERE id = $1 AND user_id = $2 FOR UPDATE',
        [id, userId],
      );
      const row = rows[0];
      if (!row) return err({ code: 'CONFIRMATION_NOT_FOUND' });
      if (row.expires_at <= now) return err({ code: 'CONFIRMATION_EXPIRED' });
      if (row.status !== 'confirmed' || confirmationChallenge(operation, row.nonce) !== row.challenge)
        return err({ code: 'CONFIRMATION_INVALID' });
      await q.query(`UPDATE payment_confirmations SET status = 'used', used_at = $2 WHERE id = $1`, [id, now]);
      return ok(true);
    },

    /**
     * `consume` for many movements posted in one transaction (group commit): the same checks per
     * item, in two statements for the whole batch. Rows are locked in id order.
     */
    async consumeMany(
      q: Queryable,
      items: readonly { userId: string; confirmationId: string; operation: Operation }[],
    ): Promise<Result<true, ConfirmationError>[]> {
      const now = ctx.clock.now();
      const ids = [...new Set(items.map((item) => item.confirmationId))].sort();
      const { rows } = await q.query<{
        id: string;
        user_id: string;
        nonce: string;
        challenge: string;
        status: string;
        expires_at: Date;
      }>(
        'SELECT id, user_id, nonce, challenge, status, expires_at FROM payment_confirmations WHERE id = ' +
          'ANY($1::text[]) ORDER BY id FOR UPDATE',
        [ids],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const spent = new Set<string>();
      const results = items.map((item): Result<true, ConfirmationError> => {
        const row = byId.get(item.confirmationId);
        if (!row || row.user_id !== item.userId) return err({ code: 'CONFIRMATION_NOT_FOUND' });
        if (row.expires_at <= now) return err({ code: 'CONFIRMATION_EXPIRED' });
        if (
          row.status !== 'confirmed' ||
          spent.has(row.id) ||
          confirmationChallenge(item.operation, row.nonce) !== row.challenge
        )
          return err({ code: 'CONFIRMATION_INVALID' });
        spent.add(row.id);
        return ok(true);
      });
      if (spent.size > 0)
        await q.query(`UPDATE payment_confirmations SET status = 'used', used_at = $2 WHERE id = ANY($1::text[])`, [
          [...spent],
          now,
        ]);
      return results;
    },
  };
}

export type Confirmations = ReturnType<typeof createConfirmations>;
