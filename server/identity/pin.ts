import type { Queryable, Tx } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import type { IdentityContext } from './deps.js';
import { checkPasswordGuess } from './password-guess.js';
import type { PinHasher } from './pin-hash.js';
import { checkPin } from './pin-policy.js';
import * as store from './store.js';

/**
 * The 6-digit payment PIN: checked by HMAC under a key outside the database (pin-hash.ts); 5 wrong
 * tries lock it for 24 hours. Every check runs in one transaction with the holder's row locked, so
 * a holder's checks are serialised and the 5-tries rule holds however many arrive at once.
 */

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 24 * 3600_000;

export type PinError =
  | { code: 'PIN_NOT_SET' }
  | { code: 'PIN_INVALID'; triesLeft: number }
  | { code: 'PIN_LOCKED'; retryAfterSeconds: number }
  | { code: 'PIN_TOO_WEAK'; reason: string }
  | { code: 'PASSWORD_INVALID' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'SMS_CODE_INVALID' }
  | { code: 'IDENTITY_MISMATCH' };

interface PinRefusal {
  error: PinError;
  /** This check made the fifth failure: the holder is told after the commit. */
  justLocked: boolean;
}

/** What a caller does around one PIN check, inside its transaction (the holder's row is locked). */
export interface PinAttemptSteps<T, E> {
  /** Runs before the PIN is looked at; an error ends the attempt without counting or checking it. */
  guard?: (tx: Tx) => Promise<E | null>;
  /** The PIN was right. */
  onMatch: (tx: Tx) => Promise<Result<T, E>>;
  /** The PIN was wrong, locked or not set. */
  onRefusal?: (tx: Tx) => Promise<void>;
}

export function createPin(ctx: IdentityContext, hasher: PinHasher) {
  async function profile(userId: string) {
    const user = await store.findUserById(ctx.db, userId);
    if (!user) throw new Error(`user ${userId} vanished`);
    return { user, birthDate: ctx.cipher.decrypt(user.birth_date_enc), phone: ctx.cipher.decrypt(user.phone_enc) };
  }

  async function save(userId: string, pin: string, action: string, q: Queryable = ctx.db) {
    const pinHash = hasher.hash(userId, pin);
    const reset = action === 'user.pin_reset' ? { pin_reset_at: ctx.clock.now() } : {};
    await store.updateUser(q, userId, { pin_hash: pinHash, pin_failures: 0, pin_locked_until: null, ...reset });
    await ctx.audit.record(q, {
      actorKind: 'user',
      actorId: userId,
      action,
      subjectType: 'user',
      subjectId: userId,
    });
  }

  /**
   * Checks the PIN of the holder whose row the caller locked: the lock is read, the PIN checked and
   * a failure counted in the same transaction. A right PIN under an earlier key (or an argon2id hash from
   * before keyed checks) is re-hashed under the current key.
   */
  async function checkLocked(tx: Tx, user: store.UserRow | null, pin: string, now: Date): Promise<PinRefusal | null> {
    if (!user?.pin_hash) return { error: { code: 'PIN_NOT_SET' }, justLocked: false };
    if (user.pin_locked_until && user.pin_locked_until > now) {
      const retryAfterSeconds = Math.ceil((user.pin_locked_until.getTime() - now.getTime()) / 1000);
      return { error: { code: 'PIN_LOCKED', retryAfterSeconds }, justLocked: false };
    }
    const userId = user.id;
    const wellFormed = /^\d{6}$/.test(pin);
    const check = wellFormed ? await hasher.check(userId, pin, user.pin_hash) : { matches: false, rehash: false };
    if (check.matches) {
      if (check.rehash) await store.updateUser(tx, userId, { pin_hash: hasher.hash(userId, pin), pin_failures: 0 });
      else if (user.pin_failures > 0) await store.updateUser(tx, userId, { pin_failures: 0 });
      return null;
    }
    const failures = user.pin_failures + 1;
    if (failures < PIN_MAX_FAILURES) {
      await store.updateUser(tx, userId, { pin_failures: failures });
      return { error: { code: 'PIN_INVALID', triesLeft: PIN_MAX_FAILURES - failures }, justLocked: false };
    }
    await store.updateUser(tx, userId, { pin_failures: 0, pin_locked_until: new Date(now.getTime() + PIN_LOCK_MS) });
    await ctx.audit.record(tx, {
      actorKind: 'system',
      actorId: 'pin',
      action: 'user.pin_locked',
      subjectType: 'user',
      subjectId: userId,
    });
    return { error: { code: 'PIN_LOCKED', retryAfterSeconds: PIN_LOCK_MS / 1000 }, justLocked: true };
  }

  async function notifyLocked(userId: string): Promise<void> {
    const user = await store.findUserById(ctx.db, userId);
    if (!user) return;
    await ctx.notifications.notify(userId, {
      kind: 'security.pin_locked',
      titleZh: '支付密码已锁定',
      titleEn: 'Payment PIN locked',
      bodyZh: '支付密码连续输错5次，已锁定24小时。如非本人操作，请立即冻结账户。',
      bodyEn:
        'The payment PIN was wrong 5 times and is locked for 24 hours. If this was not you, freeze your wallet now.',
      smsTo: ctx.cipher.decrypt(user.phone_enc),
    });
  }

  /** One PIN check with the caller's steps in the same transaction; the lock notice goes out after the commit. */
  async function attempt<T, E>(
    userId: string,
    pin: string,
    steps: PinAttemptSteps<T, E>,
  ): Promise<Result<T, E | PinError>> {
    const now = ctx.clock.now();
    type Outcome = { result: Result<T, E | PinError>; justLocked: boolean };
    const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
      // The holder's row is locked first, so that the guard's view cannot change under the check.
      const user = await store.findUserById(tx, userId, true);
      const refused = steps.guard ? await steps.guard(tx) : null;
      if (refused) return { result: err(refused), justLocked: false };
      const failed = await checkLocked(tx, user, pin, now);
      if (!failed) return { result: await steps.onMatch(tx), justLocked: false };
      if (steps.onRefusal) await steps.onRefusal(tx);
      return { result: err(failed.error), justLocked: failed.justLocked };
    });
    // Notified after the commit: never a pool query or an SMS inside the transaction.
    if (outcome.justLocked) await notifyLocked(userId);
    return outcome.result;
  }

  const service = {
    attempt,

    /**
     * What a right PIN's stored hash is under the current key, for a one-statement check of the
     * common case (right PIN, no failures counted, not locked) by a caller that falls back to
     * `attempt` when it does not match; null for a PIN that is not six digits.
     */
    currentHash(userId: string, pin: string): string | null {
      return /^\d{6}$/.test(pin) ? hasher.hash(userId, pin) : null;
    },

    /** Checks the PIN, counting failures; the fifth wrong PIN locks payments for 24 hours. */
    async verify(userId: string, pin: string): Promise<Result<true, PinError>> {
      return attempt<true, PinError>(userId, pin, { onMatch: async () => ok(true) });
    },

    /** Sets the first PIN (with the login password) or changes it (with the current PIN). */
    async set(
      userId: string,
      input: { newPin: string; password?: string; currentPin?: string },
    ): Promise<Result<true, PinError>> {
      const { user, birthDate, phone } = await profile(userId);
      if (user.pin_hash) {
        if (!input.currentPin) return err({ code: 'PIN_INVALID', triesLeft: PIN_MAX_FAILURES - user.pin_failures });
        const current = await service.verify(userId, input.currentPin);
        if (!current.ok) return current;
      } else {
        if (!input.password) return err({ code: 'PASSWORD_INVALID' });
        const password = await checkPasswordGuess(ctx, user, input.password);
        if (!password.ok) return password;
      }
      const weak = checkPin(input.newPin, { birthDate, phone });
      if (weak) return err(weak);
      await save(userId, input.newPin, user.pin_hash ? 'user.pin_changed' : 'user.pin_set');
      await ctx.notifications.notify(userId, {
        kind: 'security.pin_changed',
        titleZh: '支付密码已设置',
        titleEn: 'Payment PIN set',
        bodyZh: '您的支付密码已设置/修改。如非本人操作，请立即冻结账户。',
        bodyEn: 'Your payment PIN was set or changed. If this was not you, freeze your wallet now.',
      });
      return ok(true);
    },

    /** Forgotten PIN: an SMS code to the registered phone plus the ID number. */
    async reset(
      userId: string,
      input: { smsCode: string; idNumber: string; newPin: string },
    ): Promise<Result<true, PinError>> {
      const { user, birthDate, phone } = await profile(userId);
      const code = await ctx.smsCodes.verify(phone, 'pin_reset', input.smsCode);
      if (!code.ok) return err({ code: 'SMS_CODE_INVALID' });
      if (ctx.cipher.lookupHash(input.idNumber.trim().toUpperCase()) !== user.id_number_hash)
        return err({ code: 'IDENTITY_MISMATCH' });
      const weak = checkPin(input.newPin, { birthDate, phone });
      if (weak) return err(weak);
      // A reset PIN ends every payment-code seed, like a password change or recovery: a device
      // that held one mints no more codes until the new PIN approves it again.
      await ctx.db.transaction(async (tx) => {
        await save(userId, input.newPin, 'user.pin_reset', tx);
        await ctx.deviceCredentials.revokeAll(tx, userId, 'pin_reset');
      });
      await ctx.notifications.notify(userId, {
        kind: 'security.pin_changed',
        titleZh: '支付密码已重置',
        titleEn: 'Payment PIN reset',
        bodyZh: '您的支付密码已重置。如非本人操作，请立即冻结账户。',
        bodyEn: 'Your payment PIN was reset. If this was not you, freeze your wallet now.',
        smsTo: phone,
      });
      return ok(true);
    },
  };
  return service;
}

export type Pin = ReturnType<typeof createPin>;
