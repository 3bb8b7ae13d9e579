import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { shanghaiDay } from '../platform/clock.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { StepUpDeps } from './deps.js';
import * as store from './store-step-ups.js';

/**
 * Step-up for a movement the engine answered step_up: an SMS code bound to that one assessment
 * (its reference, amount and payee), on top of the PIN the channel's own confirmation asks for.
 * Once verified, assessing the same reference again answers allow. (A passkey assertion over the
 * channel's confirmation is the other way; see docs/risk.md.)
 */

export const STEP_UP_CODE_TTL_MS = 5 * 60_000;
export const STEP_UP_MAX_ATTEMPTS = 3;
const RESEND_AFTER_MS = 30_000;
/** Texts for one operation (one assessment) within an hour. */
export const STEP_UP_TEXTS_PER_OPERATION_PER_HOUR = 5;
/** Texts to one holder within an Asia/Shanghai day, whatever the operations. */
export const STEP_UP_TEXTS_PER_HOLDER_PER_DAY = 10;
const HOUR_MS = 3600_000;

export type StepUpError =
  | { code: 'RISK_STEP_UP_NOT_FOUND' }
  | { code: 'RISK_STEP_UP_CODE_INVALID' }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number };

/** The start of the Asia/Shanghai day of `at`. */
const shanghaiMidnight = (at: Date) => new Date(`${shanghaiDay(at)}T00:00:00+08:00`);

const rateLimited = (untilMs: number, now: Date) => ({
  code: 'RATE_LIMITED' as const,
  retryAfterSeconds: Math.max(1, Math.ceil((untilMs - now.getTime()) / 1000)),
});

export function createStepUps(deps: StepUpDeps) {
  const { db, clock } = deps;
  // Keyed: a 6-digit code under a plain hash would be read back from a copy of the database at once.
  const hashCode = (assessmentId: string, code: string) =>
    createHmac('sha256', deps.stepUpCodeKey).update(`${assessmentId}:${code}`).digest('hex');

  return {
    /**
     * Texts a fresh code: at most one per 30 seconds, 5 per operation per hour and 10 per holder per
     * Asia/Shanghai day. The text is counted in a transaction (serialised per holder) and sent after it.
     */
    async sendCode(userId: string, assessmentId: string): Promise<Result<{ expiresInSeconds: number }, StepUpError>> {
      const now = clock.now();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const counted = await db.transaction(async (tx) => {
        const row = await deps.assessments.find(tx, assessmentId, true);
        if (!row || row.user_id !== userId || row.outcome !== 'step_up' || row.step_up_verified_at) {
          return err({ code: 'RISK_STEP_UP_NOT_FOUND' as const });
        }
        const sentAt = row.step_up_code_expires_at ? row.step_up_code_expires_at.getTime() - STEP_UP_CODE_TTL_MS : null;
        if (sentAt !== null && now.getTime() - sentAt < RESEND_AFTER_MS) {
          return err(rateLimited(sentAt + RESEND_AFTER_MS, now));
        }
        await store.lockStepUpTexts(tx, userId);
        const dayStart = shanghaiMidnight(now);
        const sent = await store.countStepUpTexts(tx, row.id, new Date(now.getTime() - HOUR_MS), userId, dayStart);
        if (sent.forOperation >= STEP_UP_TEXTS_PER_OPERATION_PER_HOUR && sent.oldestForOperation) {
          return err(rateLimited(sent.oldestForOperation.getTime() + HOUR_MS, now));
        }
        if (sent.forHolder >= STEP_UP_TEXTS_PER_HOLDER_PER_DAY) {
          return err(rateLimited(dayStart.getTime() + 24 * HOUR_MS, now));
        }
        await store.insertStepUpText(tx, row.id, userId, now);
        await deps.assessments.update(tx, row.id, {
          step_up_code_hash: hashCode(row.id, code),
          step_up_code_expires_at: new Date(now.getTime() + STEP_UP_CODE_TTL_MS),
          step_up_code_attempts: 0,
        });
        return ok(row);
      });
      if (!counted.ok) return counted;
      const amount = formatFen(counted.value.amount, 'CNY');
      const payee = counted.value.payee_display;
      await deps.textHolder(
        userId,
        `【通宝】验证码${code}，用于向${payee}付款${amount}，5分钟内有效。请勿告诉任何人。`,
        'risk_step_up',
      );
      return ok({ expiresInSeconds: STEP_UP_CODE_TTL_MS / 1000 });
    },

    async verify(userId: string, assessmentId: string, code: string): Promise<Result<true, StepUpError>> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const row = await deps.assessments.find(tx, assessmentId, true);
        if (!row || row.user_id !== userId || row.outcome !== 'step_up' || row.step_up_verified_at)
          return err({ code: 'RISK_STEP_UP_NOT_FOUND' as const });
        if (
          !row.step_up_code_hash ||
          !row.step_up_code_expires_at ||
          row.step_up_code_expires_at <= now ||
          row.step_up_code_attempts >= STEP_UP_MAX_ATTEMPTS
        ) {
          return err({ code: 'RISK_STEP_UP_CODE_INVALID' as const });
        }
        const matches = timingSafeEqual(Buffer.from(hashCode(row.id, code)), Buffer.from(row.step_up_code_hash));
        if (!matches) {
          await deps.assessments.update(tx, row.id, { step_up_code_attempts: row.step_up_code_attempts + 1 });
          return err({ code: 'RISK_STEP_UP_CODE_INVALID' as const });
        }
        await deps.assessments.update(tx, row.id, { step_up_verified_at: now, step_up_code_hash: null });
        await deps.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: 'risk.step_up_verified',
          subjectType: 'risk_assessment',
          subjectId: row.id,
          details: { method: 'pin_sms' },
        });
        return ok(true as const);
      });
    },
  };
}

export type StepUps = ReturnType<typeof createStepUps>;
