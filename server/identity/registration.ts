import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { BASIC_TIER_LIMITS, type IdentityContext, type RequestContext, hashSecret } from './deps.js';
import { deviceHash, deviceLabel } from './login.js';
import { checkPassword } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import { ageOn, parseResidentId } from './resident-id.js';
import * as store from './store.js';

export interface RegistrationInput {
  phone: string;
  smsCode: string;
  idNumber: string;
  name: string;
  password: string;
}

export type RegistrationError =
  | { code: 'INVALID_PHONE' }
  | { code: 'INVALID_ID_NUMBER'; reason: string }
  | { code: 'INVALID_NAME' }
  | { code: 'UNDERAGE' }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number }
  | { code: 'SMS_CODE_INVALID' };

/**
 * What happened, for the server only: the API answers both the same way, so a caller cannot
 * learn whether a phone or ID number already has a wallet (the existing holder is texted instead).
 */
export type RegistrationOutcome = { opened: true; userId: string; walletAccountId: string } | { opened: false };

const ADULT_AGE = 18;
// Chinese names (with the middle dot of minority names) or Latin letters for foreign residents.
const NAME_PATTERN = /^(?:[\p{Script=Han}]{1,20}(?:·[\p{Script=Han}]{1,20})*|[A-Za-z]+(?:[ ·.'-][A-Za-z]+){0,6})$/u;
export const REGISTRATIONS_PER_IP_PER_HOUR = 20;
export const REGISTRATIONS_PER_PHONE_PER_HOUR = 5;

export function createRegistration(ctx: IdentityContext) {
  /** Tells the holders who already own this phone or ID number that someone tried to register with it. */
  async function warnExistingHolders(phoneHash: string, idHash: string, request: RequestContext): Promise<void> {
    for (const holder of await store.findHoldersByPhoneOrIdNumber(ctx.db, phoneHash, idHash)) {
      await ctx.audit.record(ctx.db, {
        actorKind: 'system',
        actorId: 'registration',
        action: 'user.registration_refused',
        subjectType: 'user',
        subjectId: holder.id,
        ip: request.ip,
        requestId: request.requestId,
      });
      await ctx.notifications.notify(holder.id, {
        kind: 'security.registration_attempt',
        titleZh: '有人尝试用您的信息开户',
        titleEn: 'Someone tried to open a wallet with your details',
        bodyZh:
          '有人尝试使用您的手机号或身份证号注册通宝钱包，未开立新账户。如是您本人，请直接登录或找回密码；如非本人操作，请留意账户安全。',
        bodyEn:
          'Someone tried to open a Tongbao wallet with your phone number or ID number; no new wallet was opened. If ' +
          'it was you, sign in or reset your password; if not, keep an eye on your account.',
        smsTo: ctx.cipher.decrypt(holder.phone_enc),
      });
    }
  }

  return {
    /**
     * Opens a wallet. Checks the input's form, then the throttles, then the SMS code, and only then
     * looks at existing wallets: a phone or ID number that already has one is not opened again,
     * and the answer is the same as for a new wallet (`opened` is for the server only).
     */
    async register(
      input: RegistrationInput,
      request: RequestContext,
    ): Promise<Result<RegistrationOutcome, RegistrationError>> {
      const phone = normalizeMobile(input.phone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const now = ctx.clock.now();
      const id = parseResidentId(input.idNumber, now);
      if (!id.ok) return err({ code: 'INVALID_ID_NUMBER', reason: id.error.reason });
      const name = input.name.trim();
      if (!NAME_PATTERN.test(name) || name.length > 60) return err({ code: 'INVALID_NAME' });
      if (ageOn(id.value.birthDate, now) < ADULT_AGE) return err({ code: 'UNDERAGE' });
      const weak = checkPassword(input.password, {
        phone,
        idNumber: id.value.normalized,
        birthDate: id.value.birthDate,
      });
      if (weak) return err(weak);
      const allowed = await ctx.throttle.take([
        { scope: 'register:ip', key: request.ip, limit: REGISTRATIONS_PER_IP_PER_HOUR, windowMs: 3600_000 },
        { scope: 'register:phone', key: phone, limit: REGISTRATIONS_PER_PHONE_PER_HOUR, windowMs: 3600_000 },
      ]);
      if (!allowed.ok) return allowed;
      const code = await ctx.smsCodes.verify(phone, 'register', input.smsCode);
      if (!code.ok) return err({ code: 'SMS_CODE_INVALID' });

      // Hashed whether or not the wallet is opened, so both answers cost the same work.
      const passwordHash = await hashSecret(input.password);
      const phoneHash = ctx.cipher.lookupHash(phone);
      const idHash = ctx.cipher.lookupHash(id.value.normalized);
      const taken = await store.userExists(ctx.db, phoneHash, idHash);
      if (taken.phone || taken.idNumber) {
        await warnExistingHolders(phoneHash, idHash, request);
        return ok({ opened: false });
      }
      const userId = newId('usr', now.getTime());
      const device = deviceHash(ctx, request.deviceId);
      let walletAccountId: string;
      try {
        walletAccountId = await ctx.db.transaction(async (tx) => {
          const wallet = await ctx.ledger.createAccountInTx(tx, {
            kind: 'customer_wallet',
            currency: 'CNY',
            ownerRef: userId,
            limits: BASIC_TIER_LIMITS,
          });
          await store.insertUser(tx, {
            id: userId,
            phone_hash: phoneHash,
            phone_enc: ctx.cipher.encrypt(phone),
            id_number_hash: idHash,
            id_number_enc: ctx.cipher.encrypt(id.value.normalized),
            name_enc: ctx.cipher.encrypt(name),
            birth_date_enc: ctx.cipher.encrypt(id.value.birthDate),
            password_hash: passwordHash,
            wallet_account_id: wallet.id,
            created_at: now,
          });
          // The registering device proved the phone with the SMS code: signing in on it needs no second code.
          if (device)
            await store.upsertDevice(tx, {
              id: newId('dev', now.getTime()),
              user_id: userId,
              device_hash: device,
              label: deviceLabel(request.userAgent),
              first_seen_at: now,
              last_seen_at: now,
            });
          await ctx.audit.record(tx, {
            actorKind: 'user',
            actorId: userId,
            action: 'user.registered',
            subjectType: 'user',
            subjectId: userId,
            ip: request.ip,
            requestId: request.requestId,
          });
          return wallet.id;
        });
      } catch (error) {
        // Two registrations racing for the same phone or ID: the unique keys decide, and the loser looks like the
        // winner.
        if (isUniqueViolation(error, 'users_phone_hash_key') || isUniqueViolation(error, 'users_id_number_hash_key')) {
          await warnExistingHolders(phoneHash, idHash, request);
          return ok({ opened: false });
        }
        throw error;
      }
      await ctx.notifications.notify(userId, {
        kind: 'account.opened',
        titleZh: '钱包已开通',
        titleEn: 'Your wallet is open',
        bodyZh: '您的通宝钱包已开通，请使用本手机号和登录密码登录。如非本人操作，请联系客服。',
        bodyEn:
          'Your Tongbao wallet is open: sign in with this phone number and your password. If this was not you, ' +
          'contact us.',
        smsTo: phone,
      });
      return ok({ opened: true, userId, walletAccountId });
    },
  };
}
