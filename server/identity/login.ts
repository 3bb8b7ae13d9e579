import { deviceNameOr } from '../platform/device-name.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type IdentityContext, type RequestContext, dummySecretHash, verifySecret } from './deps.js';
import { normalizeMobile } from './phone.js';
import * as store from './store.js';
import type { Totp } from './totp.js';

export type LoginError =
  | { code: 'INVALID_CREDENTIALS' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'RATE_LIMITED' }
  | { code: 'DEVICE_VERIFICATION_REQUIRED' }
  | { code: 'SMS_CODE_INVALID' }
  | { code: 'SMS_RATE_LIMITED' }
  | { code: 'SMS_DELIVERY_FAILED' }
  | { code: 'TOTP_REQUIRED' }
  | { code: 'TOTP_INVALID' };

export interface LoginInput {
  phone: string;
  password: string;
  smsCode?: string;
  totpCode?: string;
}

export const LOCK_AFTER_FAILURES = 5;
export const MAX_FAILURES_PER_HOUR = 100;
export const MAX_IP_FAILURES_PER_15_MIN = 50;
const MAX_LOCK_MINUTES = 60;

export function deviceHash(ctx: IdentityContext, deviceId: string | undefined): string | null {
  return deviceId ? ctx.cipher.lookupHash(`device:${deviceId}`) : null;
}

/** The device's name as stored and shown ("Chrome · Android"); see platform/device-name.ts. */
export function deviceLabel(userAgent: string): string {
  return deviceNameOr(userAgent, 'Unknown device');
}

export function createLogin(ctx: IdentityContext, totp: Totp) {
  async function fail(subjectHash: string, request: RequestContext, userId?: string): Promise<LoginError> {
    const now = ctx.clock.now();
    await store.recordLoginFailure(ctx.db, subjectHash, request.ip, now);
    if (!userId) return { code: 'INVALID_CREDENTIALS' };
    const outcome = await ctx.db.transaction(async (tx) => {
      const user = await store.findUserById(tx, userId, true);
      if (!user) return { error: { code: 'INVALID_CREDENTIALS' as const }, notifyPhoneEnc: null };
      const failures = user.login_failures + 1;
      if (failures < LOCK_AFTER_FAILURES) {
        await store.updateUser(tx, userId, { login_failures: failures });
        return { error: { code: 'INVALID_CREDENTIALS' as const }, notifyPhoneEnc: null };
      }
      // Each failure past the fifth doubles the lock: 1, 2, 4 … up to 60 minutes.
      const minutes = Math.min(MAX_LOCK_MINUTES, 2 ** (failures - LOCK_AFTER_FAILURES));
      await store.updateUser(tx, userId, {
        login_failures: failures,
        login_locked_until: new Date(now.getTime() + minutes * 60_000),
      });
      await ctx.audit.record(tx, {
        actorKind: 'system',
        actorId: 'login',
        action: 'user.login_locked',
        subjectType: 'user',
        subjectId: userId,
        details: { failures, minutes },
        ip: request.ip,
      });
      return {
        error: { code: 'ACCOUNT_LOCKED' as const, retryAfterSeconds: minutes * 60 },
        notifyPhoneEnc: failures === LOCK_AFTER_FAILURES ? user.phone_enc : null,
      };
    });
    // After the commit: the notification writes through the pool and texts the holder, and neither
    // may run inside the transaction (on PGlite a query outside it would wait for it forever).
    if (outcome.notifyPhoneEnc) {
      await ctx.notifications.notify(userId, {
        kind: 'security.login_locked',
        titleZh: '账户登录已锁定',
        titleEn: 'Sign-in locked',
        bodyZh: '您的账户因多次密码错误已暂时锁定。如非本人操作，请立即冻结账户。',
        bodyEn:
          'Your account is locked for a while after several wrong passwords. If this was not you, freeze your wallet ' +
          'now.',
        smsTo: ctx.cipher.decrypt(outcome.notifyPhoneEnc),
      });
    }
    return outcome.error;
  }

  async function signedIn(
    user: store.UserRow,
    known: store.DeviceRow | null,
    request: RequestContext,
    method: 'password' | 'passkey',
  ) {
    const now = ctx.clock.now();
    const device = deviceHash(ctx, request.deviceId);
    let deviceId: string | null = known?.id ?? null;
    if (device) {
      const saved = await store.upsertDevice(ctx.db, {
        id: known?.id ?? newId('dev', now.getTime()),
        user_id: user.id,
        device_hash: device,
        label: deviceLabel(request.userAgent),
        first_seen_at: now,
        last_seen_at: now,
      });
      deviceId = saved.id;
    }
    const session = await ctx.sessions.start('user', user.id, {
      deviceId,
      ip: request.ip,
      userAgent: request.userAgent,
    });
    await ctx.audit.record(ctx.db, {
      actorKind: 'user',
      actorId: user.id,
      action: 'user.signed_in',
      subjectType: 'session',
      subjectId: session.id,
      details: { newDevice: !known, method },
      ip: request.ip,
      requestId: request.requestId,
    });
    if (!known) {
      await ctx.notifications.notify(user.id, {
        kind: 'security.new_device',
        titleZh: '新设备登录提醒',
        titleEn: 'Sign-in from a new device',
        bodyZh: `您的账户于新设备（${deviceNameOr(request.userAgent, '未知设备')}）登录。如非本人操作，请立即冻结账户。`,
        bodyEn:
          `Your account signed in on a new device (${deviceLabel(request.userAgent)}). If this was not you, ` +
          `freeze your wallet now.`,
        smsTo: ctx.cipher.decrypt(user.phone_enc),
      });
    }
    return { userId: user.id, session };
  }

  return {
    async login(
      input: LoginInput,
      request: RequestContext,
    ): Promise<
      Result<{ userId: string; session: { id: string; token: string; csrfToken: string; expiresAt: Date } }, LoginError>
    > {
      const now = ctx.clock.now();
      const phone = normalizeMobile(input.phone) ?? input.phone.slice(0, 32);
      const subjectHash = ctx.cipher.lookupHash(`login:${phone}`);
      const ipFailures = await store.countLoginFailures(ctx.db, new Date(now.getTime() - 15 * 60_000), {
        ip: request.ip,
      });
      if (ipFailures >= MAX_IP_FAILURES_PER_15_MIN) return err({ code: 'RATE_LIMITED' });
      const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
      if (user?.login_locked_until && user.login_locked_until > now) {
        return err({
          code: 'ACCOUNT_LOCKED',
          retryAfterSeconds: Math.ceil((user.login_locked_until.getTime() - now.getTime()) / 1000),
        });
      }
      if (
        user &&
        (await store.countLoginFailures(ctx.db, new Date(now.getTime() - 3600_000), { subjectHash })) >=
          MAX_FAILURES_PER_HOUR
      ) {
        return err({ code: 'ACCOUNT_LOCKED', retryAfterSeconds: 3600 });
      }
      const passwordOk = await verifySecret(
        user?.password_hash ?? (await dummySecretHash()),
        input.password.slice(0, 256),
      );
      if (!user || !passwordOk) return err(await fail(subjectHash, request, user?.id));

      const device = deviceHash(ctx, request.deviceId);
      const known = device ? await store.findDevice(ctx.db, user.id, device) : null;
      if (!known) {
        if (!input.smsCode) {
          const sent = await ctx.smsCodes.send(phone, 'login_device', request.ip);
          if (!sent.ok) return err(sent.error);
          return err({ code: 'DEVICE_VERIFICATION_REQUIRED' });
        }
        const verified = await ctx.smsCodes.verify(phone, 'login_device', input.smsCode);
        if (!verified.ok) return err({ code: 'SMS_CODE_INVALID' });
      }
      if (user.totp_enabled) {
        if (!input.totpCode) return err({ code: 'TOTP_REQUIRED' });
        if (!(await totp.verifyForUser(user.id, input.totpCode))) return err(await fail(subjectHash, request, user.id));
      }

      await store.updateUser(ctx.db, user.id, { login_failures: 0, login_locked_until: null });
      return ok(await signedIn(user, known, request, 'password'));
    },

    /**
     * Signs in a holder who proved themselves with a passkey (user verification included, so it is
     * already two factors): no SMS code for a new device, but the holder is told about it.
     */
    async signInWithPasskey(userId: string, request: RequestContext) {
      const user = await store.findUserById(ctx.db, userId);
      if (!user) throw new Error(`user ${userId} vanished`);
      const device = deviceHash(ctx, request.deviceId);
      const known = device ? await store.findDevice(ctx.db, user.id, device) : null;
      return signedIn(user, known, request, 'passkey');
    },

    /** After registration the registering device is trusted and signed in. */
    async startAfterRegistration(userId: string, request: RequestContext) {
      const now = ctx.clock.now();
      const device = deviceHash(ctx, request.deviceId);
      let deviceId: string | null = null;
      if (device) {
        deviceId = (
          await store.upsertDevice(ctx.db, {
            id: newId('dev', now.getTime()),
            user_id: userId,
            device_hash: device,
            label: deviceLabel(request.userAgent),
            first_seen_at: now,
            last_seen_at: now,
          })
        ).id;
      }
      return ctx.sessions.start('user', userId, { deviceId, ip: request.ip, userAgent: request.userAgent });
    },
  };
}
