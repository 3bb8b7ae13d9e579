import type { Tx } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { assert } from '../platform/result.js';
import type { RiskDeps } from './deps.js';
import type { OutgoingInput, RiskReason, RiskRefusalCode } from './port.js';
import * as queue from './store-queue.js';
import type { Restrictions, RestrictionView } from './restrictions.js';
import { restrictionView } from './restrictions.js';
import { type Holds, isReservation } from './holds.js';
import type { RuleCache } from './rule-cache.js';
import type { Identity } from '../identity/service.js';
import { type Features, type RiskOutcome, type RuleConfig, type RuleName, evaluate, networkOf } from './rules.js';
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

/** What an assessment needs: the risk deps, the rules, restrictions and holds. */
interface Assessor {
  deps: RiskDeps;
  rules: RuleCache;
  restrictions: Restrictions;
  holds: Pick<Holds, 'reserve'>;
}

type Signals = Awaited<ReturnType<Identity['riskSignals']>>;
type Rules = ReadonlyMap<RuleName, RuleConfig>;

const blocked = (assessmentId: string, reason: { code: string; zh: string; en: string }): RiskDecision => ({
  assessmentId,
  outcome: 'block',
  reasons: [{ code: reason.code, zh: reason.zh, en: reason.en }],
  problem: 'RISK_BLOCKED',
  replayed: true,
});

/** The holder's active restriction, as a view; undefined when there is none any more. */
async function activeRestrictionView(deps: RiskDeps, userId: string): Promise<RestrictionView | undefined> {
  const active = await queue.activeRestriction(deps.db, userId);
  return active ? restrictionView(active) : undefined;
}

/** The decision already recorded for a reference, answered again (a retry, or the retry after a step-up). */
async function replay(deps: RiskDeps, existing: store.AssessmentRow, input: OutgoingInput): Promise<RiskDecision> {
  const same =
    existing.user_id === input.userId &&
    existing.amount === input.amountFen &&
    existing.payee_key === input.payeeKey &&
    existing.currency === input.currency;
  if (!same) return blocked(existing.id, REASON_TEXT.reference_conflict);
  if (existing.outcome === 'step_up' && existing.step_up_verified_at && !existing.proceeded)
    await store.updateAssessment(deps.db, existing.id, { proceeded: true });
  const restriction = existing.reasons.some((reason) => reason.rule === 'restricted')
    ? await activeRestrictionView(deps, existing.user_id)
    : undefined;
  if (existing.outcome !== 'hold') return decisionOf(existing, true, restriction);
  // A movement the channel left waiting: once the holder answered, the answer is the decision.
  const held = await store.findHoldByAssessment(deps.db, existing.id);
  if (held && isReservation(held) && (held.status === 'confirmed' || held.status === 'released')) {
    return { ...decisionOf(existing, true), outcome: 'allow', problem: null };
  }
  if (held && held.status !== 'pending' && held.status !== 'confirmed' && held.status !== 'released')
    return blocked(existing.id, REASON_TEXT.not_confirmed);
  return decisionOf(existing, true, undefined, held);
}

/** The history windows the rules look back over, ending now. */
function historyWindows(config: Rules, now: Date) {
  const windowOf = (rule: 'velocity' | 'deviation' | 'network_change', key: string) =>
    new Date(now.getTime() - Number(config.get(rule)?.thresholds[key] ?? DAY_MS));
  const velocitySince = windowOf('velocity', 'windowMs');
  const historySince = windowOf('deviation', 'historyMs');
  const networkSince = windowOf('network_change', 'historyMs');
  const oldest = new Date(Math.min(velocitySince.getTime(), historySince.getTime(), networkSince.getTime()));
  return { velocitySince, historySince, networkSince, oldest };
}

/** The rules' verdict on one movement, given the holder's history and identity's signals. */
function decide(
  input: OutgoingInput,
  history: store.HistoryFeatures,
  signals: Signals,
  config: Rules,
  now: Date,
): { outcome: RiskOutcome; reasons: store.StoredReason[] } {
  if (history.restriction) {
    const details = { restrictionId: history.restriction.id, reasonCode: history.restriction.reason_code };
    return {
      outcome: 'block',
      reasons: [{ rule: 'restricted', code: REASON_TEXT.restricted.code, action: 'block', details }],
    };
  }
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
  const reasons = evaluated.findings.map((finding) => ({
    rule: finding.rule,
    code: REASON_TEXT[finding.rule].code,
    action: finding.action,
    version: finding.version,
    details: finding.details,
  }));
  return { outcome: evaluated.outcome, reasons };
}

function assessmentRow(
  input: OutgoingInput,
  verdict: { outcome: RiskOutcome; reasons: store.StoredReason[] },
  network: string | null,
  now: Date,
): store.AssessmentRow {
  return {
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
    outcome: verdict.outcome,
    reasons: verdict.reasons,
    proceeded: verdict.outcome === 'allow',
    step_up_verified_at: null,
    step_up_code_hash: null,
    step_up_code_expires_at: null,
    step_up_code_attempts: 0,
    created_at: now,
  };
}

/** A block (not from an existing restriction): restricts the holder after a takeover, and alerts analysts. */
async function followUpBlock(
  assessor: Assessor,
  tx: Tx,
  row: store.AssessmentRow,
  now: Date,
): Promise<RestrictionView | null> {
  let restricted: RestrictionView | null = null;
  const takeover = row.reasons.find((reason) => reason.rule === 'takeover' && reason.action === 'block');
  if (takeover) {
    restricted = await assessor.restrictions.restrictIn(
      tx,
      row.user_id,
      {
        reasonCode: 'takeover',
        details: { assessmentId: row.id, ...takeover.details },
        liftBy: 'support',
        source: 'auto',
      },
      { kind: 'system', id: 'risk' },
    );
  }
  const alert = { id: newId('ral', now.getTime()), userId: row.user_id, kind: 'block' as const };
  await queue.insertAlert(tx, { ...alert, assessmentId: row.id, at: now });
  return restricted;
}

/**
 * Reads the holder's history and records this movement under a per-holder lock: without it a burst
 * of parallel payments would each see the history before the others and all pass the velocity rule
 * together. `inserted` is false when the reference was already assessed.
 */
async function record(assessor: Assessor, input: OutgoingInput, config: Rules, signals: Signals, now: Date) {
  const network = networkOf(input.ip);
  // The holder's lock is taken with BEGIN, in the same round trip.
  const lock = { advisoryLock: `risk:${input.userId}` };
  return assessor.deps.db.transaction(async (tx) => {
    const windows = historyWindows(config, now);
    const history = await store.historyFeatures(tx, {
      userId: input.userId,
      payeeKey: input.payeeKey,
      network,
      ...windows,
    });
    const row = assessmentRow(input, decide(input, history, signals, config, now), network, now);
    // A clean allow is history only, and the movement it lets through is durable elsewhere: it
    // commits without waiting for the WAL flush (set by the insert itself). Every decision with reasons waits.
    const withoutFlush = row.outcome === 'allow' && row.reasons.length === 0;
    if (!(await store.insertAssessment(tx, row, { withoutFlush })))
      return { inserted: false as const, history, row, restricted: null };
    const restricted =
      row.outcome === 'block' && !history.restriction ? await followUpBlock(assessor, tx, row, now) : null;
    return { inserted: true as const, history, row, restricted };
  }, lock);
}

/**
 * Decides on one outgoing movement before it is posted, records it with its reasons (the history
 * later movements are judged against), and answers allow, step_up, hold or block.
 */
async function assessOutgoing(assessor: Assessor, input: OutgoingInput): Promise<RiskDecision> {
  assert(input.amountFen > 0n, 'amount must be positive');
  const { deps } = assessor;
  // A repeated reference is rare (a retry, or the retry after a step-up): it is found when the
  // insert conflicts, so the common path is one read and one insert under the holder's lock.
  const now = deps.clock.now();
  const config = await assessor.rules.get();
  const signals = await deps.identity.riskSignals(input.userId, input.deviceId);
  const { inserted, history, row, restricted } = await record(assessor, input, config, signals, now);
  if (!inserted) {
    // A concurrent retry of the same reference got there first: answer what it decided.
    const winner = await store.findAssessmentByReference(deps.db, input.reference);
    assert(winner, 'a conflicting assessment must exist');
    return replay(deps, winner, input);
  }
  if (restricted) await assessor.restrictions.notifyRestricted(input.userId, restricted);
  let restriction: RestrictionView | undefined = restricted ?? undefined;
  if (history.restriction) restriction = (await activeRestrictionView(deps, input.userId)) ?? restriction;
  // A held movement is reserved and the holder asked at once, whether or not the channel
  // then places its own hold (holdInTx takes the reservation's place).
  const held = row.outcome === 'hold' ? await assessor.holds.reserve(row) : null;
  const heldRow = held ? ({ id: held.riskHoldId, expires_at: held.expiresAt } as store.HoldRow) : null;
  return decisionOf(row, false, restriction, heldRow);
}

export function createAssessor(
  deps: RiskDeps,
  rules: RuleCache,
  restrictions: Restrictions,
  holds: Pick<Holds, 'reserve'>,
) {
  const assessor: Assessor = { deps, rules, restrictions, holds };
  return { assessOutgoing: (input: OutgoingInput) => assessOutgoing(assessor, input) };
}
