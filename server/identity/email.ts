import { EmailDeliveryError, type EmailGateway, isEmailAddress, normalizeEmail } from '../notifications/email.js';
import { randomDigits } from '../platform/crypto.js';
import type { Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { maskEmail } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import type { IdentityContext, RequestContext } from './deps.js';
import { normalizeMobile } from './phone.js';
import * as store from './store.js';
import * as emails from './store-email.js';

/**
 * The recovery e-mail: a second way to prove "this is my wallet" when texts do not reach the
 * holder (issue 19; the seeds confirm identity "by SMS or e-mail"). An address is added by proving
 * it receives a code; every change is told in the app, by SMS, and to the address that was replaced
 * or removed. Codes are 6 digits, kept only as keyed hashes, 15 minutes, single-use, 3 tries.
 */

export const EMAIL_CODE_TTL_MS = 15 * 60_000;
export const EMAIL_MAX_ATTEMPTS = 3;
/** Codes a signed-in holder may ask for an hour, and any one address (IP) may. */
export const EMAIL_CODES_PER_USER_PER_HOUR = 5;
export const EMAIL_CODES_PER_IP_PER_HOUR = 30;
/** Recovery codes asked for one phone an hour, whether or not it has a wallet. */
export const RECOVERY_CODES_PER_PHONE_PER_HOUR = 5;
const HOUR = 3600_000;

export interface RecoveryEmailView {
  /** Masked. The verified address, else the one waiting for its code. */
  email: string | null;
  verified: boolean;
  verifiedAt: string | null;
  /** Masked: an address waiting for its code while another stays verified. */
  pendingEmail: string | null;
}

export type EmailError =
  | { code: 'EMAIL_INVALID' }
  | { code: 'INVALID_PHONE' }
  | { code: 'EMAIL_RATE_LIMITED'; retryAfterSeconds: number }
  | { code: 'EMAIL_DELIVERY_FAILED' }
  | { code: 'EMAIL_CODE_INVALID' }
  | { code: 'EMAIL_NOT_PENDING' };

export function createRecoveryEmail(ctx: IdentityContext, gateway: EmailGateway) {
  const { db, clock, cipher } = ctx;
  const addressHash = (email: string) => cipher.lookupHash(`email:${email}`);
  const codeHash = (id: string, code: string) => cipher.lookupHash(`email-code:${id}:${code}`);

  function viewOf(row: emails.UserEmailRow | null): RecoveryEmailView {
    const verified = row?.email_enc ? cipher.decrypt(row.email_enc) : null;
    const pending = row?.pending_email_enc ? cipher.decrypt(row.pending_email_enc) : null;
    return {
      email: verified ? maskEmail(verified) : pending ? maskEmail(pending) : null,
      verified: verified !== null,
      verifiedAt: row?.verified_at?.toISOString() ?? null,
      pendingEmail: verified && pending ? maskEmail(pending) : null,
    };
  }

  /** Creates a code for the address and e-mails it. */
  async function sendCode(
    userId: string,
    email: string,
    purpose: 'verify' | 'recover',
  ): Promise<Result<{ expiresInSeconds: number }, EmailError>> {
    const now = clock.now();
    const id = newId('emc', now.getTime());
    const code = randomDigits(6);
    await emails.insertEmailCode(db, {
      id,
      userId,
      purpose,
      emailHash: addressHash(email),
      codeHash: codeHash(id, code),
      expiresAt: new Date(now.getTime() + EMAIL_CODE_TTL_MS),
      createdAt: now,
    });
    const [zh, en] =
      purpose === 'verify' ? ['验证备用邮箱', 'verify your recovery e-mail'] : ['找回密码', 'reset your password'];
    try {
      await gateway.send({
        to: email,
        purpose: `code:${purpose}`,
        subject: `【通宝】${zh}验证码 / Your code to ${en}`,
        text:
          `您${zh}的验证码是 ${code}，15分钟内有效。工作人员不会向您索要验证码，请勿告知他人。\n\n` +
          `Your code to ${en} is ${code}. It is valid for 15 minutes. We never ask for it: do not share it.\n\n` +
          '——通宝钱包 Tongbao Wallet',
      });
    } catch (error) {
      if (error instanceof EmailDeliveryError) return err({ code: 'EMAIL_DELIVERY_FAILED' });
      throw error;
    }
    return ok({ expiresInSeconds: EMAIL_CODE_TTL_MS / 1000 });
  }

  /** Checks a code under the lock and uses it up; a wrong one counts a try. */
  async function useCode(
    tx: Tx,
    userId: string,
    purpose: 'verify' | 'recover',
    emailHash: string,
    code: string,
  ): Promise<boolean> {
    const live = await emails.lockLiveEmailCode(tx, userId, purpose, emailHash, clock.now());
    if (!live || live.attempts >= EMAIL_MAX_ATTEMPTS) return false;
    if (codeHash(live.id, code) !== live.code_hash) {
      await emails.countWrongEmailTry(tx, live.id);
      return false;
    }
    await emails.useEmailCode(tx, live.id, clock.now());
    return true;
  }

  async function phoneOf(userId: string): Promise<string | undefined> {
    const user = await store.findUserById(db, userId);
    return user ? cipher.decrypt(user.phone_enc) : undefined;
  }

  return {
    async view(userId: string): Promise<RecoveryEmailView> {
      return viewOf(await emails.findUserEmail(db, userId));
    },

    /** The verified address in clear, for the notification service; null when there is none. */
    async verifiedAddress(userId: string): Promise<string | null> {
      const row = await emails.findUserEmail(db, userId);
      return row?.email_enc ? cipher.decrypt(row.email_enc) : null;
    },

    /** Sets (or replaces) the address waiting for its code, and e-mails the code to it. */
    async start(
      userId: string,
      rawEmail: string,
      request: RequestContext,
    ): Promise<Result<{ expiresInSeconds: number }, EmailError>> {
      const email = normalizeEmail(rawEmail);
      if (!isEmailAddress(email)) return err({ code: 'EMAIL_INVALID' });
      const allowed = await ctx.throttle.take([
        { scope: 'email-code:ip', key: request.ip, limit: EMAIL_CODES_PER_IP_PER_HOUR, windowMs: HOUR },
        { scope: 'email-code:user', key: userId, limit: EMAIL_CODES_PER_USER_PER_HOUR, windowMs: HOUR },
      ]);
      if (!allowed.ok) return err({ code: 'EMAIL_RATE_LIMITED', retryAfterSeconds: allowed.error.retryAfterSeconds });
      await emails.setPendingEmail(db, userId, { enc: cipher.encrypt(email), hash: addressHash(email) }, clock.now());
      return sendCode(userId, email, 'verify');
    },

    /** The code proves the pending address: it becomes the recovery e-mail, and the change is told everywhere. */
    async verify(
      userId: string,
      code: string,
      request: RequestContext,
    ): Promise<Result<RecoveryEmailView, EmailError>> {
      if (!/^\d{6}$/.test(code)) return err({ code: 'EMAIL_CODE_INVALID' });
      const outcome = await db.transaction(async (tx) => {
        const row = await emails.findUserEmail(tx, userId, true);
        if (!row?.pending_email_hash) return err({ code: 'EMAIL_NOT_PENDING' as const });
        if (!(await useCode(tx, userId, 'verify', row.pending_email_hash, code)))
          return err({ code: 'EMAIL_CODE_INVALID' as const });
        await emails.promotePendingEmail(tx, userId, clock.now());
        const replaced =
          row.email_enc && row.email_hash !== row.pending_email_hash ? cipher.decrypt(row.email_enc) : null;
        await ctx.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: row.email_enc ? 'user.email_changed' : 'user.email_added',
          subjectType: 'user',
          subjectId: userId,
          ip: request.ip,
          requestId: request.requestId,
        });
        return ok({ replaced, changed: row.email_enc !== null });
      });
      if (!outcome.ok) return outcome;
      const view = viewOf(await emails.findUserEmail(db, userId));
      const notice = {
        titleZh: outcome.value.changed ? '备用邮箱已更换' : '已添加备用邮箱',
        titleEn: outcome.value.changed ? 'Recovery e-mail changed' : 'Recovery e-mail added',
        bodyZh: `您的备用邮箱已设为 ${view.email}，可用于找回密码。如非本人操作，请立即冻结账户并联系客服。`,
        bodyEn:
          `Your recovery e-mail is now ${view.email}; it can be used to reset your password. If this was not you, ` +
          'freeze your wallet and contact us.',
      };
      await ctx.notifications.notify(userId, {
        kind: outcome.value.changed ? 'security.email_changed' : 'security.email_added',
        ...notice,
        smsTo: await phoneOf(userId),
      });
      if (outcome.value.replaced)
        await ctx.notifications.mail(outcome.value.replaced, notice, 'security.email_changed');
      return ok(view);
    },

    /** Removes the recovery e-mail (and any pending one); the removed address is told, and the holder. */
    async remove(userId: string, request: RequestContext): Promise<void> {
      const removed = await db.transaction(async (tx) => {
        const row = await emails.findUserEmail(tx, userId, true);
        if (!row?.email_enc && !row?.pending_email_enc) return null;
        await emails.clearEmail(tx, userId, clock.now());
        await ctx.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: 'user.email_removed',
          subjectType: 'user',
          subjectId: userId,
          ip: request.ip,
          requestId: request.requestId,
        });
        return { verified: row.email_enc ? cipher.decrypt(row.email_enc) : null };
      });
      if (!removed?.verified) return;
      const notice = {
        titleZh: '备用邮箱已移除',
        titleEn: 'Recovery e-mail removed',
        bodyZh: `备用邮箱 ${maskEmail(removed.verified)} 已移除，不能再用于找回密码。如非本人操作，请立即冻结账户并联系客服。`,
        bodyEn:
          `The recovery e-mail ${maskEmail(removed.verified)} was removed and can no longer reset your password. ` +
          'If this was not you, freeze your wallet and contact us.',
      };
      await ctx.notifications.notify(userId, {
        kind: 'security.email_removed',
        ...notice,
        smsTo: await phoneOf(userId),
      });
      await ctx.notifications.mail(removed.verified, notice, 'security.email_removed');
    },

    /**
     * Forgot password, e-mail way, step 1: e-mails a code when the phone has a wallet whose verified
     * recovery e-mail is this address. The answer is the same whether or not it does (and whether
     * or not the e-mail went out), so it tells nobody who has a wallet or which address it uses.
     */
    async sendRecoveryCode(
      rawPhone: string,
      rawEmail: string,
      request: RequestContext,
    ): Promise<Result<{ expiresInSeconds: number }, EmailError>> {
      const phone = normalizeMobile(rawPhone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const email = normalizeEmail(rawEmail);
      if (!isEmailAddress(email)) return err({ code: 'EMAIL_INVALID' });
      const allowed = await ctx.throttle.take([
        { scope: 'email-recover:ip', key: request.ip, limit: EMAIL_CODES_PER_IP_PER_HOUR, windowMs: HOUR },
        { scope: 'email-recover:phone', key: phone, limit: RECOVERY_CODES_PER_PHONE_PER_HOUR, windowMs: HOUR },
      ]);
      if (!allowed.ok) return err({ code: 'EMAIL_RATE_LIMITED', retryAfterSeconds: allowed.error.retryAfterSeconds });
      const user = await store.findUserByPhoneHash(db, cipher.lookupHash(phone));
      const row = user ? await emails.findUserEmail(db, user.id) : null;
      if (user && row?.email_hash && row.email_hash === addressHash(email)) await sendCode(user.id, email, 'recover');
      return ok({ expiresInSeconds: EMAIL_CODE_TTL_MS / 1000 });
    },

    /** Step 2: the holder of this phone, when the code e-mailed to their verified address matches (used up). */
    async proveRecovery(rawPhone: string, rawEmail: string, code: string): Promise<string | null> {
      const phone = normalizeMobile(rawPhone);
      if (!phone || !/^\d{6}$/.test(code)) return null;
      const email = normalizeEmail(rawEmail);
      const user = await store.findUserByPhoneHash(db, cipher.lookupHash(phone));
      if (!user) return null;
      return db.transaction(async (tx) => {
        const row = await emails.findUserEmail(tx, user.id, true);
        if (!row?.email_hash || row.email_hash !== addressHash(email)) return null;
        return (await useCode(tx, user.id, 'recover', row.email_hash, code)) ? user.id : null;
      });
    },
  };
}

export type RecoveryEmail = ReturnType<typeof createRecoveryEmail>;
