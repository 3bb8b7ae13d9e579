import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import * as store from './store.js';

/**
 * Step-up for a movement the engine answered step_up: an SMS code bound to that one assessment
 * (its reference, amount and payee), on top of the PIN the channel's own confirmation asks for.
 * Once verified, assessing the same reference again answers allow. (A passkey assertion over the
 * channel's confirmation is the other way; see docs/risk.md.)
 */

export const STEP_UP_CODE_TTL_MS = 5 * 60_000;
export const STEP_UP_MAX_ATTEMPTS = 3;
const RESEND_AFTER_MS = 30_000;

export type StepUpError = { code: 'RISK_STEP_UP_NOT_FOUND' } | { code: 'RISK_STEP_UP_CODE_INVALID' } | { code: 'RATE_LIMITED'; retryAfterSeconds: number };

const hashCode = (assessmentId: string, code: string) => createHash('sha256').update(`${assessmentId}:${code}`).digest('hex');

export function createStepUps(deps: RiskDeps) {
  const { db, clock } = deps;

  async function pending(userId: string, assessmentId: string) {
    const row = await store.findAssessment(db, assessmentId);
    if (!row || row.user_id !== userId || row.outcome !== 'step_up' || row.step_up_verified_at) return null;
    return row;
  }

  return {
    async sendCode(userId: string, assessmentId: string): Promise<Result<{ expiresInSeconds: number }, StepUpError>> {
      const row = await pending(userId, assessmentId);
      if (!row) return err({ code: 'RISK_STEP_UP_NOT_FOUND' });
      const now = clock.now();
      const sentAt = row.step_up_code_expires_at ? row.step_up_code_expires_at.getTime() - STEP_UP_CODE_TTL_MS : null;
      if (sentAt !== null && now.getTime() - sentAt < RESEND_AFTER_MS) return err({ code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil((sentAt + RESEND_AFTER_MS - now.getTime()) / 1000) });
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await store.updateAssessment(db, row.id, { step_up_code_hash: hashCode(row.id, code), step_up_code_expires_at: new Date(now.getTime() + STEP_UP_CODE_TTL_MS), step_up_code_attempts: 0 });
      const amount = formatFen(row.amount, 'CNY');
      await deps.identity.textHolder(userId, `【通宝】验证码${code}，用于向${row.payee_display}付款${amount}，5分钟内有效。请勿告诉任何人。`, 'risk_step_up');
      return ok({ expiresInSeconds: STEP_UP_CODE_TTL_MS / 1000 });
    },

    async verify(userId: string, assessmentId: string, code: string): Promise<Result<true, StepUpError>> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const row = await store.findAssessment(tx, assessmentId, true);
        if (!row || row.user_id !== userId || row.outcome !== 'step_up' || row.step_up_verified_at) return err({ code: 'RISK_STEP_UP_NOT_FOUND' as const });
        if (!row.step_up_code_hash || !row.step_up_code_expires_at || row.step_up_code_expires_at <= now || row.step_up_code_attempts >= STEP_UP_MAX_ATTEMPTS) {
          return err({ code: 'RISK_STEP_UP_CODE_INVALID' as const });
        }
        const matches = timingSafeEqual(Buffer.from(hashCode(row.id, code)), Buffer.from(row.step_up_code_hash));
        if (!matches) {
          await store.updateAssessment(tx, row.id, { step_up_code_attempts: row.step_up_code_attempts + 1 });
          return err({ code: 'RISK_STEP_UP_CODE_INVALID' as const });
        }
        await store.updateAssessment(tx, row.id, { step_up_verified_at: now, step_up_code_hash: null });
        await deps.audit.record(tx, { actorKind: 'user', actorId: userId, action: 'risk.step_up_verified', subjectType: 'risk_assessment', subjectId: row.id, details: { method: 'pin_sms' } });
        return ok(true as const);
      });
    },
  };
}

export type StepUps = ReturnType<typeof createStepUps>;
