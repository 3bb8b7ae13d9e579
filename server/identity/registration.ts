import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { BASIC_TIER_LIMITS, type IdentityContext, type RequestContext, hashSecret } from './context.js';
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
  | { code: 'PHONE_TAKEN' }
  | { code: 'ID_NUMBER_TAKEN' }
  | { code: 'SMS_CODE_INVALID' };

const ADULT_AGE = 18;
// Chinese names (with the middle dot of minority names) or Latin letters for foreign residents.
const NAME_PATTERN = /^(?:[\p{Script=Han}]{1,20}(?:·[\p{Script=Han}]{1,20})*|[A-Za-z]+(?:[ ·.'-][A-Za-z]+){0,6})$/u;

export function createRegistration(ctx: IdentityContext) {
  return {
    /** Opens a wallet: checks everything, then consumes the SMS code, then creates user and wallet together. */
    async register(input: RegistrationInput, request: RequestContext): Promise<Result<{ userId: string; walletAccountId: string }, RegistrationError>> {
      const phone = normalizeMobile(input.phone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const now = ctx.clock.now();
      const id = parseResidentId(input.idNumber, now);
      if (!id.ok) return err({ code: 'INVALID_ID_NUMBER', reason: id.error.reason });
      const name = input.name.trim();
      if (!NAME_PATTERN.test(name) || name.length > 60) return err({ code: 'INVALID_NAME' });
      if (ageOn(id.value.birthDate, now) < ADULT_AGE) return err({ code: 'UNDERAGE' });
      const weak = checkPassword(input.password, { phone, idNumber: id.value.normalized, birthDate: id.value.birthDate });
      if (weak) return err(weak);
      const phoneHash = ctx.cipher.lookupHash(phone);
      const idHash = ctx.cipher.lookupHash(id.value.normalized);
      const taken = await store.userExists(ctx.db, phoneHash, idHash);
      if (taken.phone) return err({ code: 'PHONE_TAKEN' });
      if (taken.idNumber) return err({ code: 'ID_NUMBER_TAKEN' });
      const code = await ctx.smsCodes.verify(phone, 'register', input.smsCode);
      if (!code.ok) return err({ code: 'SMS_CODE_INVALID' });

      const passwordHash = await hashSecret(input.password);
      const userId = newId('usr', now.getTime());
      try {
        const walletAccountId = await ctx.db.transaction(async (tx) => {
          const wallet = await ctx.ledger.createAccountInTx(tx, { kind: 'customer_wallet', currency: 'CNY', ownerRef: userId, limits: BASIC_TIER_LIMITS });
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
          await ctx.audit.record(tx, { actorKind: 'user', actorId: userId, action: 'user.registered', subjectType: 'user', subjectId: userId, ip: request.ip, requestId: request.requestId });
          return wallet.id;
        });
        return ok({ userId, walletAccountId });
      } catch (error) {
        // Two registrations racing for the same phone or ID: the unique keys decide.
        if (isUniqueViolation(error, 'users_phone_hash_key')) return err({ code: 'PHONE_TAKEN' });
        if (isUniqueViolation(error, 'users_id_number_hash_key')) return err({ code: 'ID_NUMBER_TAKEN' });
        throw error;
      }
    },
  };
}
