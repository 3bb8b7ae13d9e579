import { type Result, err, ok } from '../platform/result.js';
import { type IdentityContext, type RequestContext, hashSecret } from './deps.js';
import type { RecoveryEmail } from './email.js';
import { checkPasswordGuess } from './password-guess.js';
import { checkPassword } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import * as store from './store.js';

/** Password change and recovery, and signing out other devices. */

export type PasswordError =
  | { code: 'PASSWORD_INVALID' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'SMS_CODE_INVALID' }
  | { code: 'IDENTITY_MISMATCH' };

export const RECENT_RECOVERY_MS = 24 * 3600_000;

export function createPasswords(ctx: IdentityContext, recoveryEmail: () => RecoveryEmail) {
  async function load(userId: string) {
    const user = await store.findUserById(ctx.db, userId);
    if (!user) throw new Error(`user ${userId} vanished`);
    return user;
  }
  const phoneOf = (user: store.UserRow) => ctx.cipher.decrypt(user.phone_enc);
  const idMatches = (user: store.UserRow, idNumber: string) =>
    ctx.cipher.lookupHash(idNumber.trim().toUpperCase()) === user.id_number_hash;

  /** The proof of the phone or e-mail is done: the ID and name must match, then the new password is set. */
  async function reset(
    user: store.UserRow,
    input: { idNumber: string; name: string; newPassword: string },
    via: 'sms' | 'email',
    request: RequestContext,
  ): Promise<Result<true, PasswordError>> {
    if (!idMatches(user, input.idNumber) || ctx.cipher.decrypt(user.name_enc) !== input.name.trim())
      return err({ code: 'IDENTITY_MISMATCH' });
    const phone = phoneOf(user);
    const weak = checkPassword(input.newPassword, {
      phone,
      idNumber: ctx.cipher.decrypt(user.id_number_enc),
      birthDate: ctx.cipher.decrypt(user.birth_date_enc),
    });
    if (weak) return err(weak);
    const passwordHash = await hashSecret(input.newPassword);
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      await store.updateUser(tx, user.id, {
        password_hash: passwordHash,
        password_changed_at: now,
        recovered_at: now,
        login_failures: 0,
        login_locked_until: null,
      });
      await ctx.sessions.revokeAll(tx, 'user', user.id);
      await ctx.deviceCredentials.revokeAll(tx, user.id, 'recovery');
      await ctx.audit.record(tx, {
        actorKind: 'user',
        actorId: user.id,
        action: 'user.password_recovered',
        subjectType: 'user',
        subjectId: user.id,
        details: { via },
        ip: request.ip,
        requestId: request.requestId,
      });
    });
    await ctx.notifications.notify(user.id, {
      kind: 'security.password_recovered',
      titleZh: '登录密码已重置',
      titleEn: 'Password reset',
      bodyZh: '您的登录密码已通过找回流程重置，所有设备已退出登录。如非本人操作，请立即冻结账户并联系客服。',
      bodyEn:
        'Your password was reset and every device was signed out. If this was not you, freeze your wallet and ' +
        'contact us.',
      smsTo: phone,
    });
    return ok(true);
  }

  return {
    async changePassword(
      userId: string,
      input: { currentPassword: string; newPassword: string },
      sessionId: string | undefined,
      request: RequestContext,
    ): Promise<Result<{ otherSessionsEnded: number }, PasswordError>> {
      const user = await load(userId);
      const current = await checkPasswordGuess(ctx, user, input.currentPassword);
      if (!current.ok) return current;
      const birthDate = ctx.cipher.decrypt(user.birth_date_enc);
      const weak = checkPassword(input.newPassword, {
        phone: phoneOf(user),
        idNumber: ctx.cipher.decrypt(user.id_number_enc),
        birthDate,
      });
      if (weak) return err(weak);
      const passwordHash = await hashSecret(input.newPassword);
      const ended = await ctx.db.transaction(async (tx) => {
        await store.updateUser(tx, userId, {
          password_hash: passwordHash,
          password_changed_at: ctx.clock.now(),
          password_reminded_at: null,
        });
        await ctx.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: 'user.password_changed',
          subjectType: 'user',
          subjectId: userId,
          ip: request.ip,
          requestId: request.requestId,
        });
        // A changed password ends every other session (ASVS 3.3.3), and every payment-code seed.
        const sessionsEnded = await ctx.sessions.revokeAll(tx, 'user', userId, sessionId);
        await ctx.deviceCredentials.revokeAll(tx, userId, 'password_change');
        return sessionsEnded;
      });
      await ctx.notifications.notify(userId, {
        kind: 'security.password_changed',
        titleZh: '登录密码已修改',
        titleEn: 'Password changed',
        bodyZh: '您的登录密码已修改，其他设备已退出登录。如非本人操作，请立即冻结账户。',
        bodyEn:
          'Your password was changed and other devices were signed out. If this was not you, freeze your wallet now.',
        smsTo: phoneOf(user),
      });
      return ok({ otherSessionsEnded: ended });
    },

    /** "Sign out other devices": every other session ends, and every payment-code seed with them. */
    async signOutOthers(
      userId: string,
      sessionId: string | undefined,
      request: RequestContext,
    ): Promise<{ ended: number }> {
      return ctx.db.transaction(async (tx) => {
        const ended = await ctx.sessions.revokeAll(tx, 'user', userId, sessionId);
        const revokedDeviceCredentials = await ctx.deviceCredentials.revokeAll(tx, userId, 'sign_out_others');
        await ctx.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: 'user.signed_out_others',
          subjectType: 'user',
          subjectId: userId,
          details: { ended, revokedDeviceCredentials },
          ip: request.ip,
          requestId: request.requestId,
        });
        return { ended };
      });
    },

    /** Forgot password: SMS code, ID number and name must all match; every session ends. */
    async recover(
      input: { phone: string; smsCode: string; idNumber: string; name: string; newPassword: string },
      request: RequestContext,
    ): Promise<Result<true, PasswordError>> {
      const phone = normalizeMobile(input.phone);
      const code = phone ? await ctx.smsCodes.verify(phone, 'recover', input.smsCode) : null;
      if (!phone || !code?.ok) return err({ code: 'SMS_CODE_INVALID' });
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
      if (!user) return err({ code: 'IDENTITY_MISMATCH' });
      return reset(user, input, 'sms', request);
    },

    /**
     * Forgot password by the recovery e-mail: the phone, the code e-mailed to its wallet's verified
     * address, the ID number and the name must all match; every session ends. A phone without a
     * wallet, another address or a wrong code all answer `EMAIL_CODE_INVALID`.
     */
    async recoverByEmail(
      input: { phone: string; email: string; emailCode: string; idNumber: string; name: string; newPassword: string },
      request: RequestContext,
    ): Promise<Result<true, PasswordError | { code: 'EMAIL_CODE_INVALID' }>> {
      const userId = await recoveryEmail().proveRecovery(input.phone, input.email, input.emailCode);
      const user = userId ? await store.findUserById(ctx.db, userId) : null;
      if (!user) return err({ code: 'EMAIL_CODE_INVALID' });
      return reset(user, input, 'email', request);
    },

    /** Whether the holder recovered their password in the last 24 hours (the risk engine lowers limits). */
    async recentlyRecovered(userId: string): Promise<boolean> {
      const user = await load(userId);
      return user.recovered_at !== null && ctx.clock.now().getTime() - user.recovered_at.getTime() < RECENT_RECOVERY_MS;
    },
  };
}

export type Passwords = ReturnType<typeof createPasswords>;
