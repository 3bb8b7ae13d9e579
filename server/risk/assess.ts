import { newId } from '../platform/ids.js';
import { assert } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import type { OutgoingInput, RiskReason, RiskRefusalCode } from './port.js';
import * as queue from './store-queue.js';
import type { Restrictions, RestrictionView } from './restrictions.js';
import { restrictionView } from './restrictions.js';
import { type Holds, isReservation } from './holds.js';
import type { RuleCache } from './rule-cache.js';
import { type Features, type RiskOutcome, evaluate, networkOf } from './rules.js';
import * as store from './store.js';
import { REASON_TEXT } from './text.js';

export { CHANNELS } from './port.js';
export type { Channel, OutgoingInput, RiskReason } from './port.js';
export type DecisionProblem = RiskRefusalCode;

export interface RiskDecision {
  assessmentId: string;
  outcome: RiskOutcome;
  reasons: RiskReason[];
  /** The problem code a channel answers with when the outcome is not allow. */
  problem: DecisionProblem | null;
  /** For step_up: how to satisfy it, bound to this movement. */
  stepUp?: { methods: readonly ('passkey' | 'pin_sms')[] };
  restriction?: RestrictionView;
  /** For hold: the held movement the holder is asked about (GET /api/v1/risk/confirmations). */
  held?: { riskHoldId: string; expiresAt: Date };
  replayed: boolean;
}

const PROBLEM_OF: Record<RiskOutcome, DecisionProblem | null> = {
  allow: null,
  step_up: 'STEP_UP_REQUIRED',
  hold: 'RISK_CONFIRMATION_REQUIRED',
  block: 'RISK_BLOCKED',
};
const DAY_MS = 24 * 3600_000;

function plain(reasons: readonly store.StoredReason[]): RiskReason[] {
  return reasons.map((reason) => {
    const text = REASON_TEXT[reason.rule as keyof typeof REASON_TEXT];
    return { code: reason.code, zh: text?.zh ?? '', en: text?.en ?? '' };
  });
}

function decisionOf(
  row: store.AssessmentRow,
  replayed: boolean,
  restriction?: RestrictionView,
  held?: store.HoldRow | null,
): RiskDecision {
  const restricted = restriction !== undefined || row.reasons.some((reason) => reason.rule === 'restricted');
  const outcome: RiskOutcome = row.outcome === 'step_up' && row.step_up_verified_at ? 'allow' : row.outcome;
  return {
    assessmentId: row.id,
    outcome,
    reasons: plain(row.reasons),
    problem: restricted ? 'RISK_RESTRICTED' : PROBLEM_OF[outcome],
    ...(outcome === 'step_up' ? { stepUp: { methods: ['passkey', 'pin_sms'] as const } } : {}),
    ...(restriction ? { restriction } : {}),
    ...(held && outcome === 'hold' ? { held: { riskHoldId: held.id, expiresAt: held.expires_at } } : {}),
    replayed,
  };
}

export function createAssessor(
  deps: RiskDeps,
  rules: RuleCache,
  restrictions: Restrictions,
  holds: Pick<Holds, 'reserve'>,
) {
  const { db, clock } = deps;

  async function replay(existing: store.AssessmentRow, input: OutgoingInput): Promise<RiskDecision> {
    const same =
      existing.user_id === input.userId &&
      existing.amount === input.amountFen &&
      existing.payee_key === input.payeeKey &&
      existing.currency === input.currency;
    if (!same) {
      const reason = REASON_TEXT.reference_conflict;
      return {
        assessmentId: existing.id,
        outcome: 'block',
        reasons: [{ code: reason.code, zh: reason.zh, en: reason.en }],
        problem: 'RISK_BLOCKED',
        replayed: true,
      };
    }
    if (existing.outcome === 'step_up' && existing.step_up_verified_at && !existing.proceeded)
      await store.updateAssessment(db, existing.id, { proceeded: true });
    let restriction: RestrictionView | undefined;
    if (existing.reasons.some((reason) => reason.rule === 'restricted')) {
      const active = await queue.activeRestriction(db, existing.user_id);
      if (active) restriction = restrictionView(active);
    }
    if (existing.outcome !== 'hold') return decisionOf(existing, true, restriction);
    // A movement the channel left waiting: once the holder answered, the answer is the decision.
    const held = await store.findHoldByAssessment(db, existing.id);
    if (held && isReservation(held) && (held.status === 'confirmed' || held.status === 'released')) {
      return { ...decisionOf(existing, true), outcome: 'allow', problem: null };
    }
    if (held && held.status !== 'pending' && held.status !== 'confirmed' && held.status !== 'released') {
      const reason = REASON_TEXT.not_confirmed;
      return {
        assessmentId: existing.id,
        outcome: 'block',
        reasons: [{ code: reason.code, zh: reason.zh, en: reason.en }],
        problem: 'RISK_BLOCKED',
        replayed: true,
      };
    }
    return decisionOf(existing, true, undefined, held);
  }

  return {
    /**
     * Decides on one outgoing movement before it is posted, records it with its reasons (the
     * history later movements are judged against), and answers allow, step_up, hold or block.
     */
    async assessOutgoing(input: OutgoingInput): Promise<RiskDecision> {
      assert(input.amountFen > 0n, 'amount must be positive');
      // A repeated reference is rare (a retry, or the retry after a step-up): it is found when the
      // insert below conflicts, so the common path is one read and one insert under the holder's lock.
      const now = clock.now();
      const config = await rules.get();
      const windowOf = (rule: 'velocity' | 'deviation' | 'network_change', key: string) =>
        new Date(now.getTime() - Number(config.get(rule)?.thresholds[key] ?? DAY_MS));
      const velocitySince = windowOf('velocity', 'windowMs');
      const historySince = windowOf('deviation', 'historyMs');
      const networkSince = windowOf('network_change', 'historyMs');
      const oldest = new Date(Math.min(velocitySince.getTime(), historySince.getTime(), networkSince.getTime()));
      const network = networkOf(input.ip);
      const signals = await deps.identity.riskSignals(input.userId, input.deviceId);

      // Read the holder's history and record this movement under a per-holder lock: without it a
      // burst of parallel payments would each see the history before the others and all pass the
      // velocity rule together.
      const assessed = await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`risk:${input.userId}`]);
        const history = await store.historyFeatures(tx, {
          userId: input.userId,
          payeeKey: input.payeeKey,
          network,
          velocitySince,
          historySince,
          networkSince,
          oldest,
        });

        let outcome: RiskOutcome;
        let reasons: store.StoredReason[];
        if (history.restriction) {
          outcome = 'block';
          reasons = [
            {
              rule: 'restricted',
              code: REASON_TEXT.restricted.code,
              action: 'block',
              details: { restrictionId: history.restriction.id, reasonCode: history.restriction.reason_code },
            },
          ];
        } else {
          const features: Features = {
            now,
            amountFen: input.amountFen,
            windowCount: Number(history.window_count),
            windowAmountFen: BigInt(history.window_amount),
            historyCount: Number(history.history_count),
            historyMeanFen: Number(history.history_mean ?? 0),
            historyStddevFen: Number(history.history_stddev ?? 0),
            payeeFirstSeenAt: history.payee_first_seen,
            deviceFirstSeenAt: signals?.deviceFirstSeenAt,
            credentialResetAt: signals?.credentialResetAt ?? null,
            ip: input.ip,
            networkHistoryCount: Number(history.network_count),
            networkSeen: history.network_seen === true,
          };
          const evaluated = evaluate(features, config);
          outcome = evaluated.outcome;
          reasons = evaluated.findings.map((finding) => ({
            rule: finding.rule,
            code: REASON_TEXT[finding.rule].code,
            action: finding.action,
            version: finding.version,
            details: finding.details,
          }));
        }

        const row: store.AssessmentRow = {
          id: newId('rsk', now.getTime()),
          user_id: input.userId,
          wallet_account_id: input.walletAccountId,
          reference: input.reference,
          channel: input.channel,
          amount: input.amountFen,
          currency: input.currency,
          payee_key: input.payeeKey,
          payee_display: input.payeeDisplay,
          device_id: input.deviceId ?? null,
          ip: input.ip ?? null,
          network,
          outcome,
          reasons,
          proceeded: outcome === 'allow',
          step_up_verified_at: null,
          step_up_code_hash: null,
          step_up_code_expires_at: null,
          step_up_code_attempts: 0,
          created_at: now,
        };
        if (!(await store.insertAssessment(tx, row)))
          return { inserted: false as const, history, row, restricted: null };
        // A clean allow is history only, and the movement it lets through is durable elsewhere: it
        // commits without waiting for the WAL flush. Every decision with reasons waits.
        if (outcome === 'allow' && reasons.length === 0) await tx.query('SET LOCAL synchronous_commit = off');
        let restricted: RestrictionView | null = null;
        if (outcome === 'block' && !history.restriction) {
          const takeover = reasons.find((reason) => reason.rule === 'takeover' && reason.action === 'block');
          if (takeover) {
            restricted = await restrictions.restrictIn(
              tx,
              input.userId,
              {
                reasonCode: 'takeover',
                details: { assessmentId: row.id, ...takeover.details },
                liftBy: 'support',
                source: 'auto',
              },
              { kind: 'system', id: 'risk' },
            );
          }
          await queue.insertAlert(tx, {
            id: newId('ral', now.getTime()),
            userId: input.userId,
            kind: 'block',
            assessmentId: row.id,
            at: now,
          });
        }
        return { inserted: true as const, history, row, restricted };
      });
      const { history, row, restricted } = assessed;
      const { outcome } = row;
      const inserted = assessed.inserted;
      if (!inserted) {
        // A concurrent retry of the same reference got there first: answer what it decided.
        const winner = await store.findAssessmentByReference(db, input.reference);
        assert(winner, 'a conflicting assessment must exist');
        return replay(winner, input);
      }
      if (restricted) await restrictions.notifyRestricted(input.userId, restricted);
      let restriction: RestrictionView | undefined = restricted ?? undefined;
      if (history.restriction) {
        const active = await queue.activeRestriction(db, input.userId);
        if (active) restriction = restrictionView(active);
      }
      // A held movement is reserved and the holder asked at once, whether or not the channel
      // then places its own hold (holdInTx takes the reservation's place).
      const held = outcome === 'hold' ? await holds.reserve(row) : null;
      return decisionOf(
        row,
        false,
        restriction,
        held ? ({ id: held.riskHoldId, expires_at: held.expiresAt } as store.HoldRow) : null,
      );
    },
  };
}
