import { verifySecret } from '../identity/deps.js';
import { type Result, err, ok } from '../platform/result.js';
import * as store from './store-merchants.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantActor, PaymentError } from './types.js';

/**
 * A signed-in staff member types their sign-in password again to confirm a refund, so a session
 * left open at the counter cannot send money back on its own. Five wrong passwords lock refunds
 * for that staff member for 30 minutes. Each attempt is counted before the (slow) password check,
 * so a burst of parallel guesses gets no more than five checks.
 */

export const REAUTH_MAX_FAILURES = 5;
export const REAUTH_LOCK_MS = 30 * 60_000;

export function createStaffReauth(deps: Pick<PaymentsDeps, 'db' | 'clock' | 'audit'>) {
  const { db, clock } = deps;
  return {
    async verify(actor: MerchantActor, password: string): Promise<Result<void, PaymentError>> {
      const now = clock.now();
      const staff = await store.findReauthLock(db, actor.staffId);
      if (!staff) return err({ code: 'UNAUTHENTICATED' });
      const limits = { now, maxFailures: REAUTH_MAX_FAILURES, lockMs: REAUTH_LOCK_MS };
      const reserved = await store.reserveReauthAttempt(db, actor.staffId, limits);
      if (!reserved) {
        const lockedUntil = (await store.findReauthLock(db, actor.staffId))?.reauth_locked_until ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
        return err({ code: 'REFUND_PASSWORD_LOCKED', retryAfterSeconds });
      }
      if (await verifySecret(staff.password_hash, password.slice(0, 256))) {
        await store.clearReauthFailures(db, actor.staffId);
        return ok(undefined);
      }
      if (reserved.attempt >= REAUTH_MAX_FAILURES) {
        await deps.audit.record(db, {
          actorKind: 'system',
          actorId: `merchant_staff:${actor.staffId}`,
          action: 'merchant.refund_password_locked',
          subjectType: 'merchant',
          subjectId: actor.merchantId,
          details: { staffId: actor.staffId },
        });
        return err({ code: 'REFUND_PASSWORD_LOCKED', retryAfterSeconds: REAUTH_LOCK_MS / 1000 });
      }
      return err({ code: 'REFUND_PASSWORD_INCORRECT', triesLeft: REAUTH_MAX_FAILURES - reserved.attempt });
    },
  };
}

export type StaffReauth = ReturnType<typeof createStaffReauth>;
