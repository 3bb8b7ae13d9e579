import { generate, generateSecret, generateURI, verify } from 'otplib';
import { type Result, err, ok } from '../platform/result.js';
import type { Queryable } from '../platform/db/types.js';
import type { IdentityContext, RequestContext } from './deps.js';
import * as store from './store.js';

/** Optional TOTP second factor (RFC 6238: 30 s steps, 6 digits, ±1 step, each code used once). */

export const TOTP_STEP_SECONDS = 30;

export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastStep: bigint | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_STEP_SECONDS,
    afterTimeStep: lastStep === null ? undefined : Number(lastStep),
  });
  if (!result.valid) return null;
  const step = (result as { timeStep?: number }).timeStep;
  return step ?? Math.floor(now.getTime() / 1000 / TOTP_STEP_SECONDS);
}

/** The current code for a secret: for tests and the staff CLI. */
export function totpNow(secret: string, now: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}

type TotpEvent = 'enabled' | 'disabled' | 'setup_refused';

/** The security notice for each TOTP event, in the app and by SMS. */
const NOTICES: Record<TotpEvent, { titleZh: string; titleEn: string; bodyZh: string; bodyEn: string }> = {
  enabled: {
    titleZh: '动态口令已开启',
    titleEn: 'Authenticator codes turned on',
    bodyZh: '您的账户已开启动态口令，登录时需输入验证器中的动态口令。如非本人操作，请立即冻结账户。',
    bodyEn: 'Signing in now needs a code from your authenticator app. If this was not you, freeze your wallet now.',
  },
  disabled: {
    titleZh: '动态口令已关闭',
    titleEn: 'Authenticator codes turned off',
    bodyZh: '您的账户已关闭动态口令。如非本人操作，请立即修改密码并冻结账户。',
    bodyEn:
      'Signing in no longer needs an authenticator code. If this was not you, change your password and freeze your ' +
      'wallet now.',
  },
  setup_refused: {
    titleZh: '有人尝试更换动态口令',
    titleEn: 'Someone tried to replace your authenticator',
    bodyZh: '有人尝试为您的账户重新设置动态口令，已被拒绝，原动态口令仍然有效。如非本人操作，请立即修改密码。',
    bodyEn:
      'A new authenticator setup was refused; your current one still works. If this was not you, change your ' +
      'password now.',
  },
};

export function createTotp(ctx: IdentityContext) {
  const audit = (q: Queryable, userId: string, action: string, request?: Partial<RequestContext>) =>
    ctx.audit.record(q, {
      actorKind: 'user',
      actorId: userId,
      action,
      subjectType: 'user',
      subjectId: userId,
      ip: request?.ip,
      requestId: request?.requestId,
    });

  async function notify(userId: string, event: TotpEvent): Promise<void> {
    const user = await store.findUserById(ctx.db, userId);
    if (!user) return;
    await ctx.notifications.notify(userId, {
      kind: `security.totp_${event}`,
      ...NOTICES[event],
      smsTo: ctx.cipher.decrypt(user.phone_enc),
    });
  }

  return {
    /**
     * A new secret for an authenticator app, not yet in force. An account whose TOTP is on keeps
     * it: setup is refused (and the holder told), so a stolen session cannot swap the factor.
     */
    async setup(
      userId: string,
      request?: Partial<RequestContext>,
    ): Promise<Result<{ secret: string; uri: string }, { code: 'TOTP_ALREADY_ENABLED' }>> {
      const secret = generateSecret();
      const started = await ctx.db.transaction(async (tx) => {
        const user = await store.findUserById(tx, userId, true);
        if (!user) throw new Error(`user ${userId} vanished during TOTP setup`);
        if (user.totp_enabled) {
          await audit(tx, userId, 'user.totp_setup_refused', request);
          return false;
        }
        await store.updateUser(tx, userId, {
          totp_secret_enc: ctx.cipher.encrypt(secret),
          totp_enabled: false,
          totp_last_step: null,
        });
        await audit(tx, userId, 'user.totp_setup_started', request);
        return true;
      });
      if (!started) {
        await notify(userId, 'setup_refused');
        return err({ code: 'TOTP_ALREADY_ENABLED' });
      }
      return ok({ secret, uri: generateURI({ issuer: '通宝 Tongbao', label: userId, secret }) });
    },

    async enable(
      userId: string,
      code: string,
      request?: Partial<RequestContext>,
    ): Promise<Result<true, { code: 'TOTP_INVALID' } | { code: 'TOTP_ALREADY_ENABLED' }>> {
      const enabled = await ctx.db.transaction(async (tx) => {
        const user = await store.findUserById(tx, userId, true);
        if (user?.totp_enabled) return err({ code: 'TOTP_ALREADY_ENABLED' as const });
        if (!user?.totp_secret_enc) return err({ code: 'TOTP_INVALID' as const });
        const step = await checkTotp(
          ctx.cipher.decrypt(user.totp_secret_enc),
          code,
          ctx.clock.now(),
          user.totp_last_step,
        );
        if (step === null) return err({ code: 'TOTP_INVALID' as const });
        await store.updateUser(tx, userId, { totp_enabled: true, totp_last_step: BigInt(step) });
        await audit(tx, userId, 'user.totp_enabled', request);
        return ok(true as const);
      });
      if (enabled.ok) await notify(userId, 'enabled');
      return enabled;
    },

    /** Turning TOTP off needs a current code (spent by this use); the holder is told. */
    async disable(
      userId: string,
      code: string,
      request?: Partial<RequestContext>,
    ): Promise<Result<true, { code: 'TOTP_INVALID' } | { code: 'TOTP_NOT_ENABLED' }>> {
      const disabled = await ctx.db.transaction(async (tx) => {
        const user = await store.findUserById(tx, userId, true);
        if (!user?.totp_enabled || !user.totp_secret_enc) return err({ code: 'TOTP_NOT_ENABLED' as const });
        const step = await checkTotp(
          ctx.cipher.decrypt(user.totp_secret_enc),
          code,
          ctx.clock.now(),
          user.totp_last_step,
        );
        if (step === null) {
          await audit(tx, userId, 'user.totp_disable_refused', request);
          return err({ code: 'TOTP_INVALID' as const });
        }
        await store.updateUser(tx, userId, { totp_enabled: false, totp_secret_enc: null, totp_last_step: null });
        await audit(tx, userId, 'user.totp_disabled', request);
        return ok(true as const);
      });
      if (disabled.ok) await notify(userId, 'disabled');
      return disabled;
    },

    /** Checks a code and spends its time step atomically, so the same code never works twice. */
    async verifyForUser(userId: string, code: string): Promise<boolean> {
      return ctx.db.transaction(async (tx) => {
        const user = await store.findUserById(tx, userId, true);
        if (!user?.totp_secret_enc) return false;
        const step = await checkTotp(
          ctx.cipher.decrypt(user.totp_secret_enc),
          code,
          ctx.clock.now(),
          user.totp_last_step,
        );
        if (step === null) return false;
        await store.updateUser(tx, userId, { totp_last_step: BigInt(step) });
        return true;
      });
    },
  };
}

export type Totp = ReturnType<typeof createTotp>;
