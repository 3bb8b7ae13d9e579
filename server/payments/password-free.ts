import { shanghaiDay } from '../platform/clock.js';
import type { Queryable, Tx } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import * as store from './store-payments.js';
import type { PaymentsDeps } from './deps.js';
import type { PaymentError } from './types.js';

/**
 * Password-free small payments (小额免密): off until the holder turns them on with their PIN.
 * PBOC Announcement [2015] No. 43 Art. 24 caps payments confirmed by fewer than two factors at
 * ¥1,000 a day, and Art. 23 lets the institution verify on the bank's behalf only up to ¥200 a
 * payment; the holder may choose lower caps, never higher.
 */
export const PASSWORD_FREE_MAX_PER_PAYMENT_FEN = 20_000n;
export const PASSWORD_FREE_MAX_DAILY_FEN = 100_000n;

export interface PasswordFreeSettings {
  enabled: boolean;
  perPaymentFen: bigint;
  dailyFen: bigint;
  usedTodayFen: bigint;
}

export function createPasswordFree(deps: PaymentsDeps) {
  const { db, clock, identity } = deps;

  async function read(q: Queryable, userId: string): Promise<Omit<PasswordFreeSettings, 'usedTodayFen'>> {
    const row = await store.findPasswordFreeSettings(q, userId);
    return row
      ? { enabled: row.enabled, perPaymentFen: BigInt(row.per_payment_fen), dailyFen: BigInt(row.daily_fen) }
      : { enabled: false, perPaymentFen: PASSWORD_FREE_MAX_PER_PAYMENT_FEN, dailyFen: PASSWORD_FREE_MAX_DAILY_FEN };
  }

  return {
    async get(userId: string): Promise<PasswordFreeSettings> {
      const settings = await read(db, userId);
      const used = (await store.dailyUsage(db, userId, shanghaiDay(clock.now()))).get('password_free') ?? 0n;
      return { ...settings, usedTodayFen: used };
    },

    /** Turning it on needs the payment PIN; turning it off or lowering caps does not. */
    async set(
      userId: string,
      input: { enabled: boolean; pin?: string; perPaymentFen?: bigint; dailyFen?: bigint },
    ): Promise<Result<PasswordFreeSettings, PaymentError>> {
      const current = await read(db, userId);
      const perPaymentFen = input.perPaymentFen ?? current.perPaymentFen;
      const dailyFen = input.dailyFen ?? current.dailyFen;
      const raising =
        (input.enabled && !current.enabled) ||
        (current.enabled && (perPaymentFen > current.perPaymentFen || dailyFen > current.dailyFen));
      if (raising) {
        const checked = await identity.pin.verify(userId, input.pin ?? '');
        if (!checked.ok) return err(checked.error as PaymentError);
      }
      await store.savePasswordFreeSettings(
        db,
        userId,
        { enabled: input.enabled, perPaymentFen, dailyFen },
        clock.now(),
      );
      return ok(await this.get(userId));
    },

    /**
     * Takes `amountFen` from today's password-free allowance inside the paying transaction, or
     * answers false (taking nothing) when the payment needs the holder's confirmation instead.
     */
    async take(tx: Tx, userId: string, amountFen: bigint): Promise<boolean> {
      const settings = await read(tx, userId);
      if (!settings.enabled || amountFen > settings.perPaymentFen) return false;
      return store.addDailyUsage(tx, userId, shanghaiDay(clock.now()), 'password_free', amountFen, settings.dailyFen);
    },
  };
}

export type PasswordFree = ReturnType<typeof createPasswordFree>;
