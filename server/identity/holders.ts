import type { Queryable, Tx } from '../platform/db/types.js';
import { type IdentityContext, verifySecret } from './deps.js';
import { normalizeMobile } from './phone.js';
import type { SmsPurpose } from './sms-codes.js';
import { removeAllPasskeys } from './store-passkeys.js';
import * as store from './store.js';

/**
 * What account safety (freezing, theft reports) may know and change about a holder, lent by
 * identity so that no other domain reads the users table. Phone and ID number come decrypted
 * for the server's own use (texts, masked case details), never for a client.
 */

export interface Holder {
  id: string;
  walletAccountId: string;
  frozen: boolean;
  phone: string;
  idNumber: string;
}

export function createHolders(ctx: IdentityContext) {
  const holderOf = (user: store.UserRow): Holder => ({
    id: user.id,
    walletAccountId: user.wallet_account_id,
    frozen: user.frozen,
    phone: ctx.cipher.decrypt(user.phone_enc),
    idNumber: ctx.cipher.decrypt(user.id_number_enc),
  });
  const rowFor = (q: Queryable, userId: string, forUpdate = false) => store.findUserById(q, userId, forUpdate);

  return {
    /** The holder; with `forUpdate`, their row stays locked for the rest of the transaction. */
    async get(q: Queryable, userId: string, forUpdate = false): Promise<Holder | null> {
      const user = await rowFor(q, userId, forUpdate);
      return user ? holderOf(user) : null;
    },

    /** The holder with this mobile number (any common spelling); null when none. */
    async byPhone(phone: string): Promise<Holder | null> {
      const normalized = normalizeMobile(phone);
      if (!normalized) return null;
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(normalized));
      return user ? holderOf(user) : null;
    },

    /** Whether `idNumber` is the holder's resident ID number (compared by keyed hash). */
    async idNumberMatches(userId: string, idNumber: string): Promise<boolean> {
      const user = await rowFor(ctx.db, userId);
      return user !== null && ctx.cipher.lookupHash(idNumber.trim().toUpperCase()) === user.id_number_hash;
    },

    /** Whether `password` is the holder's sign-in password. */
    async passwordMatches(userId: string, password: string): Promise<boolean> {
      const user = await rowFor(ctx.db, userId);
      return user !== null && verifySecret(user.password_hash, password);
    },

    /** Checks (and spends) an SMS code sent to `phone` for `purpose`. */
    async smsCodeMatches(phone: string, purpose: SmsPurpose, code: string): Promise<boolean> {
      const normalized = normalizeMobile(phone);
      return normalized !== null && (await ctx.smsCodes.verify(normalized, purpose, code)).ok;
    },

    /** Records the freeze on the holder (the caller freezes the wallet account in the same transaction). */
    async setFrozen(tx: Tx, userId: string, freeze: { reason: string; at: Date } | null): Promise<void> {
      await store.updateUser(
        tx,
        userId,
        freeze
          ? { frozen: true, frozen_reason: freeze.reason, frozen_at: freeze.at }
          : { frozen: false, frozen_reason: null, frozen_at: null },
      );
    },

    /** Ends every session and every device credential (payment-code seeds); the revoked credentials counted. */
    async endAllAccess(tx: Tx, userId: string, reason: 'theft'): Promise<number> {
      await ctx.sessions.revokeAll(tx, 'user', userId);
      return ctx.deviceCredentials.revokeAll(tx, userId, reason);
    },

    /** Removes every passkey of the holder; how many there were. */
    removePasskeys: (userId: string) => removeAllPasskeys(ctx.db, userId, ctx.clock.now()),
  };
}

export type Holders = ReturnType<typeof createHolders>;
