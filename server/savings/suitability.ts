import { newId } from '../platform/ids.js';
import type { Queryable } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import { tierAllows } from './catalogue.js';
import type { SavingsContext, SavingsError } from './deps.js';
import {
  ASSESSMENT_VALID_DAYS,
  type InvestorLevel,
  QUESTIONNAIRE_VERSION,
  levelFor,
  levelNumber,
  scoreAnswers,
} from './questionnaire.js';
import * as store from './store.js';
import type { AssessmentRow, ProductRow } from './store.js';

/**
 * Suitability (适当性管理): the risk questionnaire gives a level C1-C5 for a year; a product above
 * the level needs the holder's explicit acknowledgement, recorded with the questionnaire version and
 * time, and is never sold to C1 holders; the verification tier limits what may be bought at all.
 */

export interface Suitability {
  assessment: AssessmentRow;
  /** Set when the product is above the holder's level: what the acknowledgement must record. */
  aboveLevel: { productRisk: string; investorLevel: InvestorLevel } | null;
}

export function createSuitability(ctx: SavingsContext) {
  const { db, clock } = ctx;

  async function submit(
    userId: string,
    input: { version: string; answers: Record<string, string> },
  ): Promise<Result<AssessmentRow, SavingsError>> {
    if (input.version !== QUESTIONNAIRE_VERSION)
      return err({ code: 'SAVINGS_QUESTIONNAIRE_OUTDATED', current: QUESTIONNAIRE_VERSION });
    const score = scoreAnswers(input.answers);
    if (score === null) return err({ code: 'SAVINGS_QUESTIONNAIRE_INVALID' });
    const now = clock.now();
    return ok(
      await store.insertAssessment(db, {
        id: newId('sra', now.getTime()),
        user_id: userId,
        version: QUESTIONNAIRE_VERSION,
        answers: input.answers,
        score,
        level: levelFor(score),
        taken_at: now,
        expires_at: new Date(now.getTime() + ASSESSMENT_VALID_DAYS * 86_400_000),
      }),
    );
  }

  const latest = (userId: string) => store.latestAssessment(db, userId);

  /** Whether this holder may buy this product now (nothing written). */
  async function check(
    userId: string,
    tier: string,
    product: ProductRow,
    acknowledged: boolean,
  ): Promise<Result<Suitability, SavingsError>> {
    const required = tierAllows(tier, product.terms);
    if (required) return err({ code: 'SAVINGS_TIER_NOT_ALLOWED', tier, requiredTier: required });
    const assessment = await latest(userId);
    if (!assessment) return err({ code: 'SAVINGS_QUESTIONNAIRE_REQUIRED' });
    if (assessment.expires_at <= clock.now())
      return err({ code: 'SAVINGS_QUESTIONNAIRE_EXPIRED', expiredAt: assessment.expires_at.toISOString() });
    const risk = product.terms.riskLevel;
    if (levelNumber(risk) <= levelNumber(assessment.level)) return ok({ assessment, aboveLevel: null });
    if (assessment.level === 'C1')
      return err({ code: 'SAVINGS_RISK_REFUSED', productRisk: risk, investorLevel: assessment.level });
    if (!acknowledged)
      return err({ code: 'SAVINGS_RISK_ACK_REQUIRED', productRisk: risk, investorLevel: assessment.level });
    return ok({ assessment, aboveLevel: { productRisk: risk, investorLevel: assessment.level as InvestorLevel } });
  }

  /** Records the acknowledgement of buying above one's level; returns its id. */
  async function recordAcknowledgement(
    q: Queryable,
    userId: string,
    product: ProductRow,
    suitability: Suitability,
  ): Promise<string | null> {
    if (!suitability.aboveLevel) return null;
    const now = clock.now();
    const id = newId('sak', now.getTime());
    await store.insertRiskAcknowledgement(q, {
      id,
      userId,
      productId: product.id,
      productRisk: suitability.aboveLevel.productRisk,
      investorLevel: suitability.aboveLevel.investorLevel,
      assessmentId: suitability.assessment.id,
      version: suitability.assessment.version,
      at: now,
    });
    return id;
  }

  return { submit, latest, check, recordAcknowledgement };
}

export type SuitabilityService = ReturnType<typeof createSuitability>;
