import { newId } from '../platform/ids.js';
import { maskIdNumber } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import { type IdentityContext, type RequestContext, hashSecret, verifySecret } from './context.js';
import { checkPasswordGuess } from './password-guess.js';
import { checkPassword } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import { removeAllPasskeys } from './passkey-store.js';
import * as store from './store.js';

/** Password change and recovery, freezing and unfreezing, and reporting theft. */

export type SecurityError =
  | { code: 'PASSWORD_INVALID' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'SMS_CODE_INVALID' }
  | { code: 'IDENTITY_MISMATCH' }
  | { code: 'ALREADY_FROZEN' }
  | { code: 'NOT_FROZEN' };

export const RECENT_RECOVERY_MS = 24 * 3600_000;
const CASE_HISTORY_DAYS = 30;

export function createAccountSecurity(ctx: IdentityContext) {
  async function load(userId: string) {
    const user = await store.findUserById(ctx.db, userId);
    if (!user) throw new Error(`user ${userId} vanished`);
    return user;
  }
  const phoneOf = (user: store.UserRow) => ctx.cipher.decrypt(user.phone_enc);
  const idMatches = (user: store.UserRow, idNumber: string) =>
    ctx.cipher.lookupHash(idNumber.trim().toUpperCase()) === user.id_number_hash;

  async function freezeWallet(
    user: store.UserRow,
    reason: string,
    actor: { kind: 'user' | 'staff' | 'system'; id: string },
    request?: RequestContext,
  ) {
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      const frozen = await ctx.ledger.setFrozen(tx, user.wallet_account_id, true);
      if (!frozen.ok) throw new Error(`wallet ${user.wallet_account_id} missing`);
      await store.updateUser(tx, user.id, { frozen: true, frozen_reason: reason, frozen_at: now });
      await ctx.audit.record(tx, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'user.frozen',
        subjectType: 'user',
        subjectId: user.id,
        details: { reason },
        ip: request?.ip,
        requestId: request?.requestId,
      });
    });
    await ctx.notifications.notify(user.id, {
      kind: 'security.frozen',
      titleZh: '账户已冻结',
      titleEn: 'Wallet frozen',
      bodyZh: '您的钱包已冻结，所有付款、转账和提现将被拒绝。解冻需验证短信、登录密码和身份证号。',
      bodyEn:
        'Your wallet is frozen: every payment, transfer and withdrawal is refused. Unfreezing needs an SMS code, your password and your ID number.',
      smsTo: phoneOf(user),
    });
  }

  return {
    async changePassword(
      userId: string,
      input: { currentPassword: string; newPassword: string },
      sessionId: string | undefined,
      request: RequestContext,
    ): Promise<Result<{ otherSessionsEnded: number }, SecurityError>> {
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
    ): Promise<Result<true, SecurityError>> {
      const phone = normalizeMobile(input.phone);
      const code = phone ? await ctx.smsCodes.verify(phone, 'recover', input.smsCode) : null;
      if (!phone || !code?.ok) return err({ code: 'SMS_CODE_INVALID' });
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
      if (!user || !idMatches(user, input.idNumber) || ctx.cipher.decrypt(user.name_enc) !== input.name.trim())
        return err({ code: 'IDENTITY_MISMATCH' });
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
          'Your password was reset and every device was signed out. If this was not you, freeze your wallet and contact us.',
        smsTo: phone,
      });
      return ok(true);
    },

    /** Whether the holder recovered their password in the last 24 hours (the risk engine lowers limits). */
    async recentlyRecovered(userId: string): Promise<boolean> {
      const user = await load(userId);
      return user.recovered_at !== null && ctx.clock.now().getTime() - user.recovered_at.getTime() < RECENT_RECOVERY_MS;
    },

    /** Freezes at once: a signed-in session (or an SMS code, see freezeBySms) is enough. */
    async freeze(userId: string, request: RequestContext): Promise<Result<true, SecurityError>> {
      const user = await load(userId);
      if (user.frozen) return err({ code: 'ALREADY_FROZEN' });
      await freezeWallet(user, 'self', { kind: 'user', id: userId }, request);
      return ok(true);
    },

    async freezeBySms(
      input: { phone: string; smsCode: string },
      request: RequestContext,
    ): Promise<Result<true, SecurityError>> {
      const phone = normalizeMobile(input.phone);
      const code = phone ? await ctx.smsCodes.verify(phone, 'freeze', input.smsCode) : null;
      if (!phone || !code?.ok) return err({ code: 'SMS_CODE_INVALID' });
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
      if (!user) return err({ code: 'SMS_CODE_INVALID' });
      if (user.frozen) return err({ code: 'ALREADY_FROZEN' });
      await freezeWallet(user, 'self_sms', { kind: 'user', id: user.id }, request);
      return ok(true);
    },

    /** Unfreezing needs the strongest proof: SMS code, password and ID number together. */
    async unfreeze(
      userId: string,
      input: { smsCode: string; password: string; idNumber: string },
      request: RequestContext,
    ): Promise<Result<true, SecurityError>> {
      const user = await load(userId);
      if (!user.frozen) return err({ code: 'NOT_FROZEN' });
      const code = await ctx.smsCodes.verify(phoneOf(user), 'unfreeze', input.smsCode);
      if (!code.ok) return err({ code: 'SMS_CODE_INVALID' });
      if (!(await verifySecret(user.password_hash, input.password)) || !idMatches(user, input.idNumber))
        return err({ code: 'IDENTITY_MISMATCH' });
      await this.lift(user.id, { kind: 'user', id: user.id }, 'self', request);
      return ok(true);
    },

    /** Lifts a freeze: the holder after full verification, or staff with a reason. */
    async lift(
      userId: string,
      actor: { kind: 'user' | 'staff'; id: string },
      reason: string,
      request?: RequestContext,
    ): Promise<Result<true, SecurityError>> {
      const user = await load(userId);
      if (!user.frozen) return err({ code: 'NOT_FROZEN' });
      await ctx.db.transaction(async (tx) => {
        await ctx.ledger.setFrozen(tx, user.wallet_account_id, false);
        await store.updateUser(tx, userId, { frozen: false, frozen_reason: null, frozen_at: null });
        await ctx.audit.record(tx, {
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'user.unfrozen',
          subjectType: 'user',
          subjectId: userId,
          details: { reason },
          ip: request?.ip,
          requestId: request?.requestId,
        });
      });
      await ctx.notifications.notify(userId, {
        kind: 'security.unfrozen',
        titleZh: '账户已解冻',
        titleEn: 'Wallet unfrozen',
        bodyZh: '您的钱包已解冻，可正常使用。',
        bodyEn: 'Your wallet is unfrozen and works normally again.',
        smsTo: phoneOf(user),
      });
      return ok(true);
    },

    /**
     * Reports the phone or account stolen: freezes, ends every session, removes every passkey,
     * voids pending holds, and opens a case with the last 30 days of movements for staff.
     */
    async reportTheft(userId: string, request: RequestContext): Promise<{ caseId: string; voidedHolds: number }> {
      const user = await load(userId);
      if (!user.frozen) await freezeWallet(user, 'theft', { kind: 'user', id: userId }, request);
      const now = ctx.clock.now();
      // Sessions and payment-code seeds end together: no device keeps paying after the report.
      const revokedDeviceCredentials = await ctx.db.transaction(async (tx) => {
        await ctx.sessions.revokeAll(tx, 'user', userId);
        return ctx.deviceCredentials.revokeAll(tx, userId, 'theft');
      });
      const removedPasskeys = await removeAllPasskeys(ctx.db, userId, now);
      let voidedHolds = 0;
      for (const holdId of await ctx.ledger.pendingHoldsDebiting(user.wallet_account_id)) {
        const voided = await ctx.ledger.voidHold({ holdId, reference: `theft:${holdId}` });
        if (voided.ok) voidedHolds++;
      }
      const since = new Date(now.getTime() - CASE_HISTORY_DAYS * 24 * 3600_000);
      const entries = (await ctx.ledger.listEntries(user.wallet_account_id, { limit: 100 })).filter(
        (entry) => entry.createdAt >= since,
      );
      const caseId = newId('case', now.getTime());
      await store.insertCase(ctx.db, {
        id: caseId,
        userId,
        kind: 'theft',
        createdAt: now,
        details: {
          reportedVia: request.ip,
          idNumber: maskIdNumber(ctx.cipher.decrypt(user.id_number_enc)),
          voidedHolds,
          movements: entries.map((entry) => ({
            entryId: entry.id,
            reference: entry.reference,
            at: entry.createdAt.toISOString(),
            amountFen: (
              entry.postings.find((posting) => posting.accountId === user.wallet_account_id)?.amountFen ?? 0n
            ).toString(),
          })),
        },
      });
      await ctx.audit.record(ctx.db, {
        actorKind: 'user',
        actorId: userId,
        action: 'user.theft_reported',
        subjectType: 'case',
        subjectId: caseId,
        details: { voidedHolds, removedPasskeys, revokedDeviceCredentials },
        ip: request.ip,
        requestId: request.requestId,
      });
      return { caseId, voidedHolds };
    },

    async reportTheftBySms(
      input: { phone: string; smsCode: string; idNumber: string },
      request: RequestContext,
    ): Promise<Result<{ caseId: string; voidedHolds: number }, SecurityError>> {
      const phone = normalizeMobile(input.phone);
      const code = phone ? await ctx.smsCodes.verify(phone, 'report_theft', input.smsCode) : null;
      if (!phone || !code?.ok) return err({ code: 'SMS_CODE_INVALID' });
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
      if (!user || !idMatches(user, input.idNumber)) return err({ code: 'IDENTITY_MISMATCH' });
      return ok(await this.reportTheft(user.id, request));
    },
  };
}

export type AccountSecurity = ReturnType<typeof createAccountSecurity>;
