import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import * as queue from './store-queue.js';
import { LIFT_TEXT, REASON_TEXT } from './text.js';

/**
 * Restrictions on outgoing payments: set automatically (repeated denials, signs of takeover) or by
 * staff with a reason; while one is active every assessment answers block with RISK_RESTRICTED.
 */

export type RestrictionError =
  { code: 'RISK_ALREADY_RESTRICTED' } | { code: 'RISK_NOT_RESTRICTED' } | { code: 'RISK_USER_NOT_FOUND' };
export type Actor = { kind: 'user' | 'staff' | 'system'; id: string; ip?: string; requestId?: string };

export interface RestrictionView {
  id: string;
  reasonCode: string;
  reasonZh: string;
  reasonEn: string;
  liftBy: 'reverify' | 'support';
  howToLiftZh: string;
  howToLiftEn: string;
  source: 'auto' | 'staff';
  createdAt: Date;
  liftedAt: Date | null;
  /** Lifted by staff as a false positive. */
  falsePositive: boolean;
}

const STAFF_REASON = {
  zh: '根据风险核查结果，您的账户付款功能已被限制。',
  en: 'Outgoing payments were restricted after a risk review.',
};

export function restrictionView(row: queue.RestrictionRow): RestrictionView {
  const reason =
    row.reason_code in REASON_TEXT ? REASON_TEXT[row.reason_code as keyof typeof REASON_TEXT] : STAFF_REASON;
  return {
    id: row.id,
    reasonCode: row.reason_code,
    reasonZh: reason.zh,
    reasonEn: reason.en,
    liftBy: row.lift_by,
    howToLiftZh: LIFT_TEXT[row.lift_by].zh,
    howToLiftEn: LIFT_TEXT[row.lift_by].en,
    source: row.source,
    createdAt: row.created_at,
    liftedAt: row.lifted_at,
    falsePositive: row.false_positive ?? false,
  };
}

export function createRestrictions(deps: RiskDeps) {
  async function tell(userId: string, restricted: boolean, view: RestrictionView | null) {
    await deps.identity.notifyHolder(
      userId,
      restricted && view
        ? {
            kind: 'risk.restricted',
            titleZh: '账户付款功能已受限',
            titleEn: 'Outgoing payments restricted',
            bodyZh: `${view.reasonZh}${view.howToLiftZh}`,
            bodyEn: `${view.reasonEn} ${view.howToLiftEn}`,
            data: { restrictionId: view.id },
          }
        : {
            kind: 'risk.restriction_lifted',
            titleZh: '付款限制已解除',
            titleEn: 'Restriction lifted',
            bodyZh: '您的账户付款功能已恢复正常。',
            bodyEn: 'Outgoing payments work normally again.',
          },
    );
  }

  const service = {
    /** Restricts inside the caller's transaction when given one; returns null when one was already active. */
    async restrictIn(
      q: Queryable,
      userId: string,
      input: {
        reasonCode: string;
        details: Record<string, unknown>;
        liftBy: 'reverify' | 'support';
        source: 'auto' | 'staff';
      },
      actor: Actor,
    ): Promise<RestrictionView | null> {
      const now = deps.clock.now();
      const row: queue.RestrictionRow = {
        id: newId('rst', now.getTime()),
        user_id: userId,
        reason_code: input.reasonCode,
        details: input.details,
        lift_by: input.liftBy,
        source: input.source,
        created_by: `${actor.kind}:${actor.id}`,
        created_at: now,
        lifted_at: null,
        lifted_by: null,
        lift_reason: null,
        false_positive: false,
      };
      if (!(await queue.insertRestriction(q, row))) return null;
      await queue.insertAlert(q, { id: newId('ral', now.getTime()), userId, kind: 'restriction', at: now });
      await deps.audit.record(q, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'risk.restricted',
        subjectType: 'user',
        subjectId: userId,
        details: { restrictionId: row.id, reasonCode: input.reasonCode, liftBy: input.liftBy, ...input.details },
        ip: actor.ip,
        requestId: actor.requestId,
      });
      return restrictionView(row);
    },

    async restrict(
      userId: string,
      input: {
        reasonCode: string;
        details: Record<string, unknown>;
        liftBy: 'reverify' | 'support';
        source: 'auto' | 'staff';
      },
      actor: Actor,
    ): Promise<Result<RestrictionView, RestrictionError>> {
      if (!(await deps.identity.profile(userId))) return err({ code: 'RISK_USER_NOT_FOUND' });
      const view = await deps.db.transaction((tx) => service.restrictIn(tx, userId, input, actor));
      if (!view) return err({ code: 'RISK_ALREADY_RESTRICTED' });
      await tell(userId, true, view);
      return ok(view);
    },

    /**
     * Lifts the holder's active restriction (staff with a reason, or the system after re-verification).
     * Staff may say it was a false positive: then whoever listens (credit) treats what it got in the way
     * of as Tongbao's own fault, after the lift commits.
     */
    async lift(
      userId: string,
      reason: string,
      actor: Actor,
      only?: { liftBy?: 'reverify'; falsePositive?: boolean },
    ): Promise<Result<RestrictionView, RestrictionError>> {
      const now = deps.clock.now();
      const falsePositive = only?.falsePositive === true && actor.kind === 'staff';
      const lifted = await deps.db.transaction(async (tx) => {
        const active = await queue.activeRestriction(tx, userId, true);
        if (!active || (only?.liftBy && active.lift_by !== only.liftBy)) return null;
        await queue.liftRestriction(tx, active.id, `${actor.kind}:${actor.id}`, reason, now, falsePositive);
        await deps.audit.record(tx, {
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'risk.restriction_lifted',
          subjectType: 'user',
          subjectId: userId,
          details: { restrictionId: active.id, reason, falsePositive },
          ip: actor.ip,
          requestId: actor.requestId,
        });
        return restrictionView({
          ...active,
          lifted_at: now,
          lifted_by: actor.id,
          lift_reason: reason,
          false_positive: falsePositive,
        });
      });
      if (!lifted) return err({ code: 'RISK_NOT_RESTRICTED' });
      await tell(userId, false, null);
      if (falsePositive && deps.onFalsePositiveLift)
        await deps.onFalsePositiveLift({ userId, restrictedAt: lifted.createdAt, liftedAt: now });
      return ok(lifted);
    },

    /** For identity re-verification (KYC): lifts a restriction that asked for exactly that. */
    liftAfterReverification: (userId: string) =>
      service.lift(userId, 'identity verified again', { kind: 'system', id: 'reverification' }, { liftBy: 'reverify' }),

    async ofUser(userId: string): Promise<{ active: RestrictionView | null; history: RestrictionView[] }> {
      const rows = await queue.restrictionsOf(deps.db, userId, 20);
      const views = rows.map(restrictionView);
      return { active: views.find((view) => view.liftedAt === null) ?? null, history: views };
    },

    notifyRestricted: (userId: string, view: RestrictionView) => tell(userId, true, view),
  };
  return service;
}

export type Restrictions = ReturnType<typeof createRestrictions>;
