import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { type PaymentView, announcePayment, merchantPayee, paymentView } from './payments.js';
import type { PasswordFree } from './password-free.js';
import * as merchantStore from './store-merchants.js';
import * as codeStore from './store-payment-codes.js';
import type { SeedRow } from './store-payment-codes.js';
import * as store from './store-payments.js';
import { type PaymentsDeps, assessPayment } from './deps.js';
import { type MerchantActor, type MerchantRow, PAYMENT_TTL_MS, type PaymentError, type PaymentRow } from './types.js';
import { createCharger } from './charges.js';
import { paymentOperation } from './settle.js';

/**
 * The user-presented payment code (付款码): 18 digits the wallet computes offline from a
 * device-bound secret and the time, so it works without a connection.
 *
 *   step   = floor(unix seconds / 60)
 *   mac    = HMAC-SHA256(secret, step as 8-byte big-endian)
 *   offset = mac[31] & 0x0f
 *   otp    = ((mac[offset] & 0x7f) << 24 | mac[offset+1] << 16 | mac[offset+2] << 8 | mac[offset+3]) mod 10^8
 *   code   = "28" + seedNumber (8 digits) + otp (8 digits, zero-padded)
 *
 * The server accepts steps −1, 0 and +1 around its clock, and each (user, step) once: a unique
 * key, kept even if the payment then fails, as Alipay's codes are "invalid after one use".
 */

export const PAYMENT_CODE_PREFIX = '28';
export const PAYMENT_CODE_STEP_SECONDS = 60;
export const PAYMENT_CODE_SKEW_STEPS = 1;
/** Wrong codes in a row before a seed stops working and the wallet must ask for a new one. */
export const PAYMENT_CODE_MAX_FAILURES = 10;
// Codes this many steps old are reported as expired rather than wrong.
const EXPIRED_LOOKBACK_STEPS = 10;
// Revoked seeds that carried a number, checked for a code that no live seed accepts.
const REVOKED_LOOKUP_LIMIT = 3;

export function paymentCodeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / PAYMENT_CODE_STEP_SECONDS);
}

export function paymentCodeOtp(secret: Buffer, step: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha256', secret).update(message).digest();
  const offset = mac[31] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 100_000_000).padStart(8, '0');
}

export function paymentCodeAt(seedNumber: string, secret: Buffer, at: Date): string {
  return `${PAYMENT_CODE_PREFIX}${seedNumber}${paymentCodeOtp(secret, paymentCodeStep(at))}`;
}

export interface PaymentCodeSeed {
  seedNumber: string;
  /** 32 bytes, base64url: the HMAC key. */
  secret: string;
  prefix: string;
  stepSeconds: number;
  digits: number;
  algorithm: 'HMAC-SHA256';
}

export function createPaymentCodes(deps: PaymentsDeps & { passwordFree: PasswordFree }) {
  const { db, clock, cipher, identity } = deps;
  const charger = createCharger(deps);

  /** Finds the seed and the step a code was made in, or why it is refused. */
  async function verify(code: string): Promise<Result<{ seed: SeedRow; step: number }, PaymentError>> {
    if (!/^28\d{16}$/.test(code)) return err({ code: 'PAYMENT_CODE_INVALID' });
    const seedNumber = code.slice(2, 10);
    const given = Buffer.from(code.slice(10));
    const now = paymentCodeStep(clock.now());
    const matcher = (seed: SeedRow) => {
      const secret = Buffer.from(cipher.decrypt(seed.secret_enc), 'base64url');
      return (step: number) => timingSafeEqual(Buffer.from(paymentCodeOtp(secret, step)), given);
    };
    const seed = await codeStore.findLiveSeedByNumber(db, seedNumber);
    if (!seed)
      return (await fromRevokedSeed(seedNumber, matcher, now))
        ? err({ code: 'PAYMENT_CODE_REVOKED' })
        : err({ code: 'PAYMENT_CODE_INVALID' });
    if (seed.failures >= PAYMENT_CODE_MAX_FAILURES) return err({ code: 'PAYMENT_CODE_LOCKED' });
    const matches = matcher(seed);
    for (let step = now - PAYMENT_CODE_SKEW_STEPS; step <= now + PAYMENT_CODE_SKEW_STEPS; step++) {
      if (matches(step)) {
        if (seed.failures > 0) await codeStore.resetSeedFailures(db, seed.id);
        return ok({ seed, step });
      }
    }
    for (let step = now - EXPIRED_LOOKBACK_STEPS; step < now - PAYMENT_CODE_SKEW_STEPS; step++)
      if (matches(step)) return err({ code: 'PAYMENT_CODE_EXPIRED' });
    if (await fromRevokedSeed(seedNumber, matcher, now)) return err({ code: 'PAYMENT_CODE_REVOKED' });
    await codeStore.countSeedFailure(db, seed.id);
    return err({ code: 'PAYMENT_CODE_INVALID' });
  }

  /**
   * Whether a code was made from a revoked seed with this number in the accepted window: the
   * merchant and the holder's audit trail learn it was a removed device, not a typo.
   */
  async function fromRevokedSeed(
    seedNumber: string,
    matcher: (seed: SeedRow) => (step: number) => boolean,
    now: number,
  ): Promise<boolean> {
    for (const revoked of await codeStore.recentlyRevokedSeeds(db, seedNumber, REVOKED_LOOKUP_LIMIT)) {
      const matches = matcher(revoked);
      for (let step = now - PAYMENT_CODE_SKEW_STEPS; step <= now + PAYMENT_CODE_SKEW_STEPS; step++) {
        if (!matches(step)) continue;
        await deps.audit.record(db, {
          actorKind: 'system',
          actorId: 'payment_code',
          action: 'payment_code.revoked_seed_used',
          subjectType: 'payment_code_seed',
          subjectId: revoked.id,
          details: { userId: revoked.user_id },
        });
        return true;
      }
    }
    return false;
  }

  async function askToConfirm(payment: PaymentRow, merchant: MerchantRow): Promise<PaymentView> {
    const confirmation = await identity.confirmations.create(payment.user_id, paymentOperation(payment, merchant));
    await store.setPaymentConfirmation(db, payment.id, confirmation.id);
    const amount = formatFen(payment.amount);
    await deps.notifications.notify(payment.user_id, {
      kind: 'payment.confirmation_required',
      titleZh: '请确认付款',
      titleEn: 'Confirm a payment',
      bodyZh: `${merchant.name}请求收款${amount}，请在通宝中确认。`,
      bodyEn: `${merchant.name} is charging you ${amount}. Confirm it in Tongbao.`,
      data: { paymentId: payment.id, confirmationId: confirmation.id },
    });
    return paymentView({ ...payment, confirmation_id: confirmation.id }, merchant);
  }

  return {
    verify,

    /**
     * The merchant charges a scanned code. Within the holder's password-free allowance the money
     * moves at once; above it the payment waits for the holder to confirm on their phone.
     */
    async charge(
      actor: MerchantActor,
      input: { code: string; amountFen: bigint; orderReference?: string },
    ): Promise<Result<PaymentView, PaymentError>> {
      const merchant = await merchantStore.findMerchant(db, actor.merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      const verified = await verify(input.code);
      if (!verified.ok) return verified;
      const { seed, step } = verified.value;
      const profile = await identity.profile(seed.user_id);
      if (!profile) return err({ code: 'PAYMENT_CODE_INVALID' });
      const now = clock.now();
      const id = newId('pay', now.getTime());
      // A seed revoked since `verify` (a theft report racing the charge) pays nothing.
      if (!(await codeStore.markSeedUsed(db, seed.id, now))) return err({ code: 'PAYMENT_CODE_REVOKED' });
      try {
        await codeStore.insertCodeUse(db, {
          userId: seed.user_id,
          step,
          seedId: seed.id,
          merchantId: merchant.id,
          paymentId: id,
          usedAt: now,
        });
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'PAYMENT_CODE_USED' });
        throw error;
      }
      if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: profile.walletAccountId });
      const payment: PaymentRow = {
        id,
        merchant_id: merchant.id,
        user_id: seed.user_id,
        wallet_account_id: profile.walletAccountId,
        amount: input.amountFen,
        currency: 'CNY',
        source: 'payment_code',
        qr_code_id: null,
        dynamic_qr_id: null,
        order_reference: input.orderReference ?? null,
        note: null,
        status: 'awaiting_confirmation',
        confirmation_id: null,
        password_free: false,
        failure_code: null,
        entry_id: null,
        refunded_amount: 0n,
        created_by: `merchant_staff:${actor.staffId}`,
        expires_at: new Date(now.getTime() + PAYMENT_TTL_MS),
        completed_at: null,
        created_at: now,
      };
      const refused = await assessPayment(deps, payment, merchant, 'payment_code');
      if (refused) return err(refused);
      const settled = await charger.charge({ payment, merchant });
      if (!settled.ok) return settled;
      if (!settled.value.completed) return ok(await askToConfirm(payment, merchant));
      const completed = { ...payment, password_free: true, status: 'completed' as const, completed_at: now };
      await announcePayment(deps, completed, merchant);
      return ok(paymentView(completed, merchant));
    },
  };
}

export type PaymentCodes = ReturnType<typeof createPaymentCodes>;
