import { type Result, err, ok } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import type { HoldError, Holds } from './holds.js';
import { heldView } from './holds.js';
import * as queue from './store-queue.js';
import type { Actor, RestrictionError, Restrictions } from './restrictions.js';
import * as store from './store.js';

/**
 * The analysts' queue: alerts for held, blocked and denied movements and for restrictions.
 * An analyst claims an alert, sees the movement, the holder's recent activity and every rule's
 * reasons in full, and resolves it: release (post), void, freeze, lift or dismiss. Each step is
 * audited in the transaction that makes it.
 */

export const RESOLUTIONS = ['release', 'void', 'freeze', 'lift', 'dismiss'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type AlertError =
  | { code: 'RISK_ALERT_NOT_FOUND' }
  | { code: 'RISK_ALERT_CLAIMED'; claimedBy: string }
  | { code: 'RISK_ALERT_RESOLVED' }
  | { code: 'RISK_ACTION_NOT_APPLICABLE'; reason: string }
  | HoldError
  | RestrictionError;

export function createAnalystQueue(deps: RiskDeps, holds: Holds, restrictions: Restrictions) {
  const { db, clock } = deps;

  async function claimable(alertId: string, staffId: string): Promise<Result<queue.AlertRow, AlertError>> {
    const alert = await queue.findAlert(db, alertId);
    if (!alert) return err({ code: 'RISK_ALERT_NOT_FOUND' });
    if (alert.status === 'resolved') return err({ code: 'RISK_ALERT_RESOLVED' });
    if (alert.status === 'claimed' && alert.claimed_by !== staffId)
      return err({ code: 'RISK_ALERT_CLAIMED', claimedBy: alert.claimed_by ?? '' });
    return ok(alert);
  }

  return {
    list: (filter: { status: queue.AlertRow['status'] | null; before: string | null; limit: number }) =>
      queue.listAlerts(db, { ...filter, limit: Math.min(Math.max(filter.limit, 1), 100) }),

    /** The holders' masked names by user id, for the queue ("*四" rather than usr_…). */
    async holderNames(userIds: string[]): Promise<Map<string, string>> {
      const names = new Map<string, string>();
      for (const userId of new Set(userIds)) {
        const profile = await deps.identity.profile(userId);
        if (profile) names.set(userId, profile.name);
      }
      return names;
    },

    async claim(alertId: string, actor: Actor): Promise<Result<queue.AlertRow, AlertError>> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const alert = await queue.findAlert(tx, alertId, true);
        if (!alert) return err({ code: 'RISK_ALERT_NOT_FOUND' as const });
        if (alert.status === 'resolved') return err({ code: 'RISK_ALERT_RESOLVED' as const });
        if (alert.status === 'claimed' && alert.claimed_by !== actor.id)
          return err({ code: 'RISK_ALERT_CLAIMED' as const, claimedBy: alert.claimed_by ?? '' });
        await queue.claimAlert(tx, alertId, actor.id, now);
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: actor.id,
          action: 'risk.alert_claimed',
          subjectType: 'risk_alert',
          subjectId: alertId,
          ip: actor.ip,
          requestId: actor.requestId,
        });
        return ok({ ...alert, status: 'claimed' as const, claimed_by: actor.id, claimed_at: now });
      });
    },

    /** Everything about an alert for staff: the movement, full rule reasons, the hold, the holder's recent activity. */
    async view(alertId: string, actor: Actor) {
      const alert = await queue.findAlert(db, alertId);
      if (!alert) return err({ code: 'RISK_ALERT_NOT_FOUND' as const });
      const assessment = alert.assessment_id ? await store.findAssessment(db, alert.assessment_id) : null;
      const hold = alert.risk_hold_id ? await store.findHold(db, alert.risk_hold_id) : null;
      const recent = await queue.recentAssessments(db, alert.user_id, 30);
      const { active, history } = await restrictions.ofUser(alert.user_id);
      const profile = await deps.identity.profile(alert.user_id);
      await deps.audit.record(db, {
        actorKind: 'staff',
        actorId: actor.id,
        action: 'risk.alert_viewed',
        subjectType: 'risk_alert',
        subjectId: alertId,
        ip: actor.ip,
        requestId: actor.requestId,
      });
      return ok({
        alert,
        holder: profile
          ? { userId: profile.id, name: profile.name, phone: profile.phone, tier: profile.tier, frozen: profile.frozen }
          : null,
        assessment,
        hold: hold ? heldView(hold) : null,
        recent,
        restriction: active,
        restrictions: history,
      });
    },

    async resolve(
      alertId: string,
      input: { resolution: Resolution; note: string; falsePositive?: boolean },
      actor: Actor,
    ): Promise<Result<queue.AlertRow, AlertError>> {
      if (input.falsePositive && input.resolution !== 'lift')
        return err({
          code: 'RISK_ACTION_NOT_APPLICABLE',
          reason: 'only a lift can say the restriction was a false positive',
        });
      const found = await claimable(alertId, actor.id);
      if (!found.ok) return found;
      const alert = found.value;
      if (input.resolution === 'release' || input.resolution === 'void') {
        if (!alert.risk_hold_id)
          return err({ code: 'RISK_ACTION_NOT_APPLICABLE', reason: 'the alert has no held movement' });
        const settled = await holds.resolveByStaff(
          alert.risk_hold_id,
          input.resolution === 'release' ? 'post' : 'void',
          actor,
        );
        if (!settled.ok) return settled;
      } else if (input.resolution === 'freeze') {
        await deps.accountSafety.freezeFor(alert.user_id, 'risk_analyst', { kind: 'staff', id: actor.id }, actor);
        // A frozen wallet pays nothing: a movement still held for this alert goes back to the holder.
        if (alert.risk_hold_id) {
          const voided = await holds.resolveByStaff(alert.risk_hold_id, 'void', actor);
          if (!voided.ok && voided.error.code !== 'RISK_HOLD_RESOLVED' && voided.error.code !== 'RISK_HOLD_EXPIRED')
            return voided;
        }
      } else if (input.resolution === 'lift') {
        const lifted = await restrictions.lift(alert.user_id, input.note, actor, {
          falsePositive: input.falsePositive === true,
        });
        if (!lifted.ok) return lifted;
      }
      const now = clock.now();
      return db.transaction(async (tx) => {
        const locked = await queue.findAlert(tx, alertId, true);
        if (!locked) return err({ code: 'RISK_ALERT_NOT_FOUND' as const });
        // Settling the hold closed the alert as released/voided; the analyst's words are kept either way.
        await queue.resolveAlert(tx, alertId, {
          resolution: input.resolution,
          note: input.note,
          by: actor.id,
          at: now,
        });
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: actor.id,
          action: 'risk.alert_resolved',
          subjectType: 'risk_alert',
          subjectId: alertId,
          details: {
            resolution: input.resolution,
            note: input.note,
            userId: alert.user_id,
            riskHoldId: alert.risk_hold_id,
          },
          ip: actor.ip,
          requestId: actor.requestId,
        });
        return ok({
          ...locked,
          status: 'resolved' as const,
          resolution: input.resolution,
          resolution_note: input.note,
          resolved_by: actor.id,
          resolved_at: now,
        });
      });
    },
  };
}

export type AnalystQueue = ReturnType<typeof createAnalystQueue>;
