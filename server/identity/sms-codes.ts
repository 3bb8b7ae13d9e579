import type { Clock } from '../platform/clock.js';
import { type PiiCipher, randomDigits } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { SmsDeliveryError, type SmsGateway } from '../notifications/sms.js';
import * as store from './store-sms-codes.js';

/** One-time SMS codes: 6 digits, 5 minutes, one use, a few tries, and rate limits on sending. */

export const SMS_PURPOSES = [
  'register',
  'login_device',
  'recover',
  'freeze',
  'unfreeze',
  'pin_reset',
  'report_theft',
] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_MAX_ATTEMPTS = 3;
export const SMS_PER_PHONE_PER_HOUR = 5;
export const SMS_PER_IP_PER_HOUR = 30;

const PURPOSE_TEXT: Record<SmsPurpose, string> = {
  register: '注册',
  login_device: '新设备登录',
  recover: '找回密码',
  freeze: '冻结账户',
  unfreeze: '解冻账户',
  pin_reset: '重置支付密码',
  report_theft: '挂失',
};

export type SmsCodeError =
  { code: 'SMS_RATE_LIMITED' } | { code: 'SMS_DELIVERY_FAILED' } | { code: 'SMS_CODE_INVALID' };

export function createSmsCodes(deps: { db: Db; clock: Clock; cipher: PiiCipher; sms: SmsGateway }) {
  const { db, clock, cipher, sms } = deps;
  const codeHash = (id: string, code: string) => cipher.lookupHash(`sms:${id}:${code}`);

  return {
    async send(
      phone: string,
      purpose: SmsPurpose,
      ip: string,
    ): Promise<Result<{ expiresInSeconds: number }, SmsCodeError>> {
      const now = clock.now();
      const hourAgo = new Date(now.getTime() - 3600_000);
      const phoneHash = cipher.lookupHash(phone);
      const recent = await store.countRecentCodes(db, phoneHash, ip, hourAgo);
      if (recent.byPhone >= SMS_PER_PHONE_PER_HOUR || recent.byIp >= SMS_PER_IP_PER_HOUR)
        return err({ code: 'SMS_RATE_LIMITED' });
      const id = newId('smc', now.getTime());
      const code = randomDigits(6);
      await store.insertCode(db, {
        id,
        phoneHash,
        purpose,
        codeHash: codeHash(id, code),
        ip,
        expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS),
        createdAt: now,
      });
      try {
        await sms.send({
          phone,
          purpose: `code:${purpose}`,
          text: `【通宝】您的${PURPOSE_TEXT[purpose]}验证码是${code}，5分钟内有效。工作人员不会向您索要验证码，请勿告知他人。`,
        });
      } catch (error) {
        if (error instanceof SmsDeliveryError) return err({ code: 'SMS_DELIVERY_FAILED' });
        throw error;
      }
      return ok({ expiresInSeconds: SMS_CODE_TTL_MS / 1000 });
    },

    /** Consumes the newest live code for this phone and purpose if `code` matches; wrong tries use it up. */
    async verify(phone: string, purpose: SmsPurpose, code: string): Promise<Result<true, SmsCodeError>> {
      if (!/^\d{6}$/.test(code)) return err({ code: 'SMS_CODE_INVALID' });
      const now = clock.now();
      return db.transaction(async (tx) => {
        const live = await store.lockLiveCode(tx, cipher.lookupHash(phone), purpose, now);
        if (!live || live.attempts >= SMS_MAX_ATTEMPTS) return err({ code: 'SMS_CODE_INVALID' as const });
        if (codeHash(live.id, code) !== live.code_hash) {
          await store.countWrongTry(tx, live.id);
          return err({ code: 'SMS_CODE_INVALID' as const });
        }
        await store.consumeCode(tx, live.id, now);
        return ok(true as const);
      });
    },
  };
}

export type SmsCodes = ReturnType<typeof createSmsCodes>;
