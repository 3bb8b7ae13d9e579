import { generate, generateSecret, generateURI, verify } from 'otplib';
import { type Result, err, ok } from '../platform/result.js';
import type { IdentityContext } from './context.js';
import * as store from './store.js';

/** Optional TOTP second factor (RFC 6238: 30 s steps, 6 digits, ±1 step, each code used once). */

export const TOTP_STEP_SECONDS = 30;

export async function checkTotp(secret: string, code: string, now: Date, lastStep: bigint | null): Promise<number | null> {
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

export function createTotp(ctx: IdentityContext) {
  return {
    async setup(userId: string): Promise<{ secret: string; uri: string }> {
      const secret = generateSecret();
      await store.updateUser(ctx.db, userId, { totp_secret_enc: ctx.cipher.encrypt(secret), totp_enabled: false, totp_last_step: null });
      return { secret, uri: generateURI({ issuer: '通宝 Tongbao', label: userId, secret }) };
    },

    async enable(userId: string, code: string): Promise<Result<true, { code: 'TOTP_INVALID' }>> {
      const user = await store.findUserById(ctx.db, userId);
      if (!user?.totp_secret_enc) return err({ code: 'TOTP_INVALID' });
      const step = await checkTotp(ctx.cipher.decrypt(user.totp_secret_enc), code, ctx.clock.now(), user.totp_last_step);
      if (step === null) return err({ code: 'TOTP_INVALID' });
      await store.updateUser(ctx.db, userId, { totp_enabled: true, totp_last_step: BigInt(step) });
      await ctx.audit.record(ctx.db, { actorKind: 'user', actorId: userId, action: 'user.totp_enabled', subjectType: 'user', subjectId: userId });
      return ok(true);
    },

    async disable(userId: string, code: string): Promise<Result<true, { code: 'TOTP_INVALID' } | { code: 'TOTP_NOT_ENABLED' }>> {
      const user = await store.findUserById(ctx.db, userId);
      if (!user?.totp_enabled || !user.totp_secret_enc) return err({ code: 'TOTP_NOT_ENABLED' });
      if (!(await this.verifyForUser(userId, code))) return err({ code: 'TOTP_INVALID' });
      await store.updateUser(ctx.db, userId, { totp_enabled: false, totp_secret_enc: null });
      await ctx.audit.record(ctx.db, { actorKind: 'user', actorId: userId, action: 'user.totp_disabled', subjectType: 'user', subjectId: userId });
      return ok(true);
    },

    /** Checks a code and spends its time step atomically, so the same code never works twice. */
    async verifyForUser(userId: string, code: string): Promise<boolean> {
      return ctx.db.transaction(async (tx) => {
        const user = await store.findUserById(tx, userId, true);
        if (!user?.totp_secret_enc) return false;
        const step = await checkTotp(ctx.cipher.decrypt(user.totp_secret_enc), code, ctx.clock.now(), user.totp_last_step);
        if (step === null) return false;
        await store.updateUser(tx, userId, { totp_last_step: BigInt(step) });
        return true;
      });
    },
  };
}

export type Totp = ReturnType<typeof createTotp>;
