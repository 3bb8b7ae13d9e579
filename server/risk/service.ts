import { createStepUps } from '../confirmations/step-ups.js';
import { riskAssessDuration, riskDecisions } from '../platform/metrics.js';
import { newId } from '../platform/ids.js';
import { type Result, ok } from '../platform/result.js';
import { createAnalystQueue } from './analyst.js';
import { createAssessor } from './assess.js';
import type { RiskDeps } from './deps.js';
import { type HoldError, createHolds } from './holds.js';
import * as queue from './store-queue.js';
import { type Actor, createRestrictions } from './restrictions.js';
import { createRuleApprovals } from './rule-approvals.js';
import { createRuleCache } from './rule-cache.js';
import * as store from './store.js';

export type { OutgoingInput, RiskDecision, Channel } from './assess.js';
export { riskRefusal } from './port.js';
export type { OutgoingRisk, RequestOrigin, RiskRefusal, RiskVerdict } from './port.js';
export type { HoldCommand, HeldView, ResolutionEvent, ResolutionHandler } from './holds.js';

/**
 * The risk engine. Channels (transfers, merchant payments, withdrawals) call `assessOutgoing`
 * before posting; on `hold` they call `holdInTx` (or `holdForConfirmation`) instead of posting and
 * register `onResolved(channel, handler)` to learn when the held money is posted or voided.
 */
export function createRiskService(deps: RiskDeps) {
  const rules = createRuleCache(deps);
  const restrictions = createRestrictions(deps);
  const holds = createHolds(deps);
  const assessor = createAssessor(deps, rules, restrictions, holds);
  const stepUps = createStepUps({
    db: deps.db,
    clock: deps.clock,
    audit: deps.audit,
    textHolder: (userId, text, purpose) => deps.identity.textHolder(userId, text, purpose),
    stepUpCodeKey: deps.stepUpCodeKey,
    assessments: { find: store.findAssessment, update: store.updateAssessment },
  });
  const analyst = createAnalystQueue(deps, holds, restrictions);

  return {
    async assessOutgoing(input: Parameters<typeof assessor.assessOutgoing>[0]) {
      const stopTimer = riskAssessDuration.startTimer({ channel: input.channel });
      const decision = await assessor.assessOutgoing(input);
      stopTimer();
      if (!decision.replayed) riskDecisions.inc({ channel: input.channel, outcome: decision.outcome });
      return decision;
    },
    holdInTx: holds.holdInTx,

    /** holdInTx in a transaction of its own, then the prompt: for channels with no record to commit beside it. */
    async holdForConfirmation(
      input: Parameters<typeof holds.holdInTx>[1],
    ): Promise<Result<import('./holds.js').HeldView, HoldError>> {
      const made = await deps.db.transaction((tx) => holds.holdInTx(tx, input));
      if (!made.ok) return made;
      await made.value.announce();
      return ok(made.value.held);
    },

    onResolved: holds.onResolved,
    holdStatus: holds.statusOf,
    listPendingConfirmations: holds.listPending,
    heldMovement: holds.heldMovement,
    challenge: holds.challenge,
    confirm: holds.confirm,

    /** "It was not me": void, open a case for analysts, freeze the wallet, and restrict after repeated denials. */
    async deny(userId: string, riskHoldId: string, actor: Actor): Promise<Result<{ caseId: string }, HoldError>> {
      const now = deps.clock.now();
      const caseId = newId('ral', now.getTime());
      const denied = await holds.deny(userId, riskHoldId, actor, async (tx, row) => {
        await queue.insertAlert(tx, {
          id: caseId,
          userId,
          kind: 'denial',
          assessmentId: row.assessment_id,
          riskHoldId: row.id,
          at: now,
        });
      });
      if (!denied.ok) return denied;
      await deps.accountSafety.freezeFor(userId, 'risk_denied', { kind: 'user', id: userId }, actor);
      const config = (await rules.get()).get('repeated_denials');
      if (config?.enabled) {
        const since = new Date(now.getTime() - Number(config.thresholds.windowMs));
        const denials = await store.countDenials(deps.db, userId, since);
        if (denials >= Number(config.thresholds.count)) {
          await restrictions.restrict(
            userId,
            {
              reasonCode: 'repeated_denials',
              details: { denials, windowMs: Number(config.thresholds.windowMs) },
              liftBy: 'support',
              source: 'auto',
            },
            { kind: 'system', id: 'risk' },
          );
        }
      }
      return ok({ caseId });
    },

    expireDue: holds.expireDue,
    deliverPending: holds.deliverPending,
    stepUps,
    restrictions,
    analyst,
    rules,
    ruleApprovals: createRuleApprovals(rules, deps.approvals),
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
