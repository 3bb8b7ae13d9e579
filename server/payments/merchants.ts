import { hashSecret } from '../identity/deps.js';
import { checkPassword } from '../identity/password-policy.js';
import { normalizeMobile } from '../identity/phone.js';
import { randomDigits } from '../platform/crypto.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { charLength } from './emv/tlv.js';
import { LATIN_CITY_MAX, LATIN_NAME_MAX, cleanLatin, latinCityFor, latinNameFor, pinyinOf } from './latin.js';
import type { MerchantRole } from './merchant-roles.js';
import * as store from './store-merchants.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantRow, MerchantStatus, PaymentError } from './types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';

/** Merchants: created by staff or applied for and approved, suspended and reactivated; their staff logins. */

export interface MerchantInput {
  name: string;
  /** The registered English or pinyin name for tag 59 (printable ASCII, ≤ 25); the pinyin of `name` when absent. */
  latinName?: string;
  mcc: string;
  city: string;
  /** The city in pinyin for tag 60 (printable ASCII, ≤ 15); the pinyin of `city` when absent. */
  latinCity?: string;
  contactPhone: string;
  payoutBankName: string;
  payoutAccountNumber: string;
  owner: { name: string; phone: string; password: string };
}

export interface MerchantView {
  id: string;
  merchantNumber: string;
  name: string;
  /** Written in tag 59 of its QR codes; `name` goes in tag 64. */
  latinName: string;
  mcc: string;
  city: string;
  latinCity: string;
  status: MerchantStatus;
  statusReason: string | null;
  settlementAccountId: string | null;
  payoutBankName: string;
  payoutAccount: string;
  createdAt: Date;
}

export const merchantView = (row: MerchantRow): MerchantView => ({
  id: row.id,
  merchantNumber: row.merchant_number,
  name: row.name,
  latinName: latinNameFor(row),
  mcc: row.mcc,
  city: row.city,
  latinCity: latinCityFor(row),
  status: row.status,
  statusReason: row.status_reason,
  settlementAccountId: row.settlement_account_id,
  payoutBankName: row.payout_bank_name,
  payoutAccount: `**** ${row.payout_account_last4}`,
  createdAt: row.created_at,
});

export interface Actor {
  kind: 'staff' | 'system' | 'operator';
  id: string;
  requestId?: string;
}

export const APPLICATIONS_PER_IP_PER_HOUR = 10;
export const APPLICATIONS_PER_PHONE_PER_DAY = 3;

const staffPhoneHash = (deps: PaymentsDeps, phone: string) => deps.cipher.lookupHash(`merchant-staff:${phone}`);

export function createMerchants(deps: PaymentsDeps) {
  const { db, clock, ledger, audit, cipher } = deps;
  // Names are sealed at rest; a row from before sealing still has its plain name until the job seals it.
  const staffName = (row: store.StaffRow) => (row.name_enc ? cipher.decrypt(row.name_enc) : (row.name ?? ''));

  async function validate(
    input: MerchantInput,
  ): Promise<Result<{ ownerPhone: string; contactPhone: string; latinName: string; latinCity: string }, PaymentError>> {
    if (charLength(input.name) > 25 || charLength(input.city) > 15) return err({ code: 'MERCHANT_NAME_INVALID' });
    const latinName =
      input.latinName === undefined
        ? pinyinOf(input.name, LATIN_NAME_MAX)
        : cleanLatin(input.latinName, LATIN_NAME_MAX)?.toUpperCase();
    const latinCity =
      input.latinCity === undefined
        ? pinyinOf(input.city, LATIN_CITY_MAX, true)
        : cleanLatin(input.latinCity, LATIN_CITY_MAX)?.toUpperCase();
    if (!latinName || !latinCity) return err({ code: 'MERCHANT_NAME_INVALID' });
    const ownerPhone = normalizeMobile(input.owner.phone);
    const contactPhone = normalizeMobile(input.contactPhone);
    if (!ownerPhone || !contactPhone) return err({ code: 'INVALID_PHONE' });
    const weak = checkPassword(input.owner.password, { phone: ownerPhone });
    if (weak) return err(weak);
    return ok({ ownerPhone, contactPhone, latinName, latinCity });
  }

  /** Writes the merchant and its owner login; an active merchant gets its settlement account at once. */
  async function insert(
    input: MerchantInput,
    status: 'pending' | 'active',
    actor: Actor,
  ): Promise<Result<MerchantView, PaymentError>> {
    const checked = await validate(input);
    if (!checked.ok) return checked;
    const passwordHash = await hashSecret(input.owner.password);
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = clock.now();
      const id = newId('mer', now.getTime());
      const merchantNumber = `M${randomDigits(9)}`;
      try {
        return await inTransaction(db, async (tx, rollback: RollbackWith<PaymentError>) => {
          const settlement =
            status === 'active'
              ? await ledger.createAccountInTx(tx, {
                  kind: 'merchant_settlement',
                  currency: 'CNY',
                  ownerRef: `merchant:${id}`,
                })
              : null;
          const row: MerchantRow = {
            id,
            merchant_number: merchantNumber,
            name: input.name.trim(),
            mcc: input.mcc,
            city: input.city.trim(),
            latin_name: checked.value.latinName,
            latin_city: checked.value.latinCity,
            status,
            settlement_account_id: settlement?.id ?? null,
            payout_bank_name: input.payoutBankName,
            payout_account_enc: cipher.encrypt(input.payoutAccountNumber),
            payout_account_last4: input.payoutAccountNumber.slice(-4),
            contact_phone_enc: cipher.encrypt(checked.value.contactPhone),
            status_reason: null,
            created_by: `${actor.kind}:${actor.id}`,
            created_at: now,
            decided_at: status === 'active' ? now : null,
          };
          await store.insertMerchant(tx, row);
          try {
            await store.insertStaff(tx, {
              id: newId('mst', now.getTime()),
              merchant_id: id,
              phone_hash: staffPhoneHash(deps, checked.value.ownerPhone),
              name_enc: cipher.encrypt(input.owner.name),
              role: 'owner',
              password_hash: passwordHash,
              created_at: now,
            });
          } catch (error) {
            if (isUniqueViolation(error)) rollback({ code: 'MERCHANT_STAFF_PHONE_TAKEN' });
            throw error;
          }
          await audit.record(tx, {
            actorKind: actor.kind,
            actorId: actor.id,
            action: status === 'active' ? 'merchant.created' : 'merchant.applied',
            subjectType: 'merchant',
            subjectId: id,
            requestId: actor.requestId,
            details: { merchantNumber, mcc: input.mcc },
          });
          return merchantView(row);
        });
      } catch (error) {
        // Another merchant drew the same number: draw again.
        if (isUniqueViolation(error, 'merchants_merchant_number_key')) continue;
        throw error;
      }
    }
    throw new Error('could not draw a free merchant number in 5 attempts');
  }

  async function decide(
    id: string,
    from: MerchantStatus[],
    to: MerchantStatus,
    actor: Actor,
    reason: string | null,
  ): Promise<Result<MerchantView, PaymentError>> {
    return inTransaction(db, async (tx, rollback: RollbackWith<PaymentError>) => {
      const merchant = await store.findMerchant(tx, id, true);
      if (!merchant) return rollback({ code: 'MERCHANT_NOT_FOUND' });
      if (!from.includes(merchant.status)) return rollback({ code: 'MERCHANT_STATUS_CONFLICT' });
      const now = clock.now();
      let settlementAccountId: string | undefined;
      if (to === 'active' && !merchant.settlement_account_id) {
        settlementAccountId = (
          await ledger.createAccountInTx(tx, {
            kind: 'merchant_settlement',
            currency: 'CNY',
            ownerRef: `merchant:${id}`,
          })
        ).id;
      }
      await store.updateMerchantStatus(tx, id, { status: to, settlementAccountId, reason, at: now });
      await audit.record(tx, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: `merchant.${to}`,
        subjectType: 'merchant',
        subjectId: id,
        requestId: actor.requestId,
        details: { from: merchant.status, reason },
      });
      return merchantView({
        ...merchant,
        status: to,
        status_reason: reason,
        settlement_account_id: merchant.settlement_account_id ?? settlementAccountId ?? null,
      });
    });
  }

  return {
    /** Bank staff create a merchant that can take payments at once. */
    create: (input: MerchantInput, actor: Actor) => insert(input, 'active', actor),
    /**
     * A business applies; it cannot sign in or take payments until staff approve. Public, so:
     * cheap checks first, then the throttles, and only then the argon2 hash; an owner phone that
     * already has a merchant login is not told apart from a new one (its owner is texted instead).
     */
    async apply(
      input: MerchantInput,
      request: { ip: string; requestId?: string },
    ): Promise<Result<{ received: true }, PaymentError>> {
      const checked = await validate(input);
      if (!checked.ok) return checked;
      const allowed = await deps.identity.throttle.take([
        { scope: 'merchant-apply:ip', key: request.ip, limit: APPLICATIONS_PER_IP_PER_HOUR, windowMs: 3600_000 },
        {
          scope: 'merchant-apply:phone',
          key: checked.value.ownerPhone,
          limit: APPLICATIONS_PER_PHONE_PER_DAY,
          windowMs: 24 * 3600_000,
        },
      ]);
      if (!allowed.ok) return allowed;
      const applied = await insert(input, 'pending', {
        kind: 'system',
        id: 'merchant-application',
        requestId: request.requestId,
      });
      if (!applied.ok && applied.error.code !== 'MERCHANT_STAFF_PHONE_TAKEN') return applied;
      await deps.notifications.text(
        checked.value.ownerPhone,
        applied.ok
          ? `您的商户入驻申请（${applied.value.name}，商户号${applied.value.merchantNumber}）已受理，审核结果将短信通知您。`
          : '有人使用您的手机号提交了商户入驻申请。该手机号已是商户员工账号，此次申请未受理；如是您本人，请直接登录商户端；如非本人操作，请忽略。',
        'merchant.application',
      );
      return ok({ received: true });
    },
    approve: (id: string, actor: Actor) => decide(id, ['pending'], 'active', actor, null),
    reject: (id: string, actor: Actor, reason: string) => decide(id, ['pending'], 'rejected', actor, reason),
    suspend: (id: string, actor: Actor, reason: string) => decide(id, ['active'], 'suspended', actor, reason),
    reactivate: (id: string, actor: Actor) => decide(id, ['suspended'], 'active', actor, null),

    async get(id: string): Promise<MerchantView | null> {
      const row = await store.findMerchant(db, id);
      return row ? merchantView(row) : null;
    },
    row: (id: string) => store.findMerchant(db, id),
    byNumber: (merchantNumber: string) => store.findMerchantByNumber(db, merchantNumber),

    async list(filter: {
      status?: MerchantStatus;
      after?: string;
      limit?: number;
    }): Promise<{ items: MerchantView[]; nextAfter: string | null }> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 100);
      const rows = await store.listMerchants(db, { ...filter, limit });
      return { items: rows.map(merchantView), nextAfter: rows.length === limit ? rows[rows.length - 1].id : null };
    },

    /** Adds a staff login to a merchant (owner, manager or cashier). */
    async createStaff(
      merchantId: string,
      input: { name: string; phone: string; password: string; role: MerchantRole },
      actor: Actor,
    ): Promise<Result<{ id: string }, PaymentError>> {
      const merchant = await store.findMerchant(db, merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      const phone = normalizeMobile(input.phone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const weak = checkPassword(input.password, { phone });
      if (weak) return err(weak);
      const now = clock.now();
      const id = newId('mst', now.getTime());
      try {
        await store.insertStaff(db, {
          id,
          merchant_id: merchantId,
          phone_hash: staffPhoneHash(deps, phone),
          name_enc: cipher.encrypt(input.name),
          role: input.role,
          password_hash: await hashSecret(input.password),
          created_at: now,
        });
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'MERCHANT_STAFF_PHONE_TAKEN' });
        throw error;
      }
      await audit.record(db, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'merchant.staff_created',
        subjectType: 'merchant',
        subjectId: merchantId,
        requestId: actor.requestId,
        details: { staffId: id, role: input.role },
      });
      return ok({ id });
    },

    async staff(merchantId: string) {
      return (await store.listStaff(db, merchantId)).map((row) => ({
        id: row.id,
        name: staffName(row),
        role: row.role,
        active: row.active,
        createdAt: row.created_at,
      }));
    },

    /** Seals names written before names were sealed; answers how many it sealed (a job runs it). */
    async sealPlainStaffNames(limit: number): Promise<number> {
      const rows = await store.staffWithPlainNames(db, limit);
      for (const row of rows) await store.sealStaffName(db, row.id, row.name, cipher.encrypt(row.name));
      return rows.length;
    },

    /** Turns a manager's or cashier's login off; their sessions stop working at once (sessions check `active`). */
    async deactivateStaff(
      merchantId: string,
      staffId: string,
      actor: Actor,
    ): Promise<Result<{ id: string }, PaymentError>> {
      const member = (await store.listStaff(db, merchantId)).find((row) => row.id === staffId);
      if (!member) return err({ code: 'MERCHANT_STAFF_NOT_FOUND' });
      if (member.role === 'owner') return err({ code: 'MERCHANT_STAFF_PROTECTED' });
      await store.deactivateStaff(db, merchantId, staffId);
      await audit.record(db, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'merchant.staff_deactivated',
        subjectType: 'merchant',
        subjectId: merchantId,
        requestId: actor.requestId,
        details: { staffId, role: member.role },
      });
      return ok({ id: staffId });
    },

    staffPhoneHash: (phone: string) => staffPhoneHash(deps, phone),
  };
}

export type Merchants = ReturnType<typeof createMerchants>;
