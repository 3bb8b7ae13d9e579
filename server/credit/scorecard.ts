/**
 * The scorecard is data (table credit_scorecards, seeded by migration 020 with version v1): points
 * per band of each input, cut-offs, limits and rates by score, and each factor's reason in words.
 * `evaluate` is a pure function of the rules and the inputs, so a stored decision can be explained
 * and replayed. The inputs carry nothing protected: no sex, no age, no region (domain-rules-2 §9).
 */

export interface Band {
  min?: number;
  equals?: string | boolean;
  points: number;
}

export interface ScorecardRules {
  base: number;
  factors: { factor: keyof ScoreInputs; bands: Band[] }[];
  cutoffs: { approve: number; refer: number };
  limits: { minScore: number; incomeMultiple: number }[];
  rates: { minScore: number; annualRateBp: number }[];
  loan: { minFen: number; maxFen: number; terms: number[] };
  card: { annualRateBp: number; incomeMultiple: number; maxFen: number };
  reasons: Record<string, { zh: string; en: string }>;
}

/** What the decision knows about the applicant: the wallet's own data and the bureau report. */
export interface ScoreInputs {
  tier: string;
  accountAgeDays: number;
  monthlyIncomeYuan: number;
  walletBalanceYuan: number;
  walletActivity: number;
  onTimeRepayments: number;
  lateRepayments: number;
  riskFlags: number;
  bureauScore: number | null;
  debtToIncomePct: number;
  overdueMonths24: number;
  inquiries3m: number;
  pastDefault: boolean;
}

export interface Component {
  factor: string;
  value: string;
  points: number;
}

export interface Evaluation {
  score: number | null;
  outcome: 'approve' | 'decline' | 'refer';
  components: Component[];
  reasons: { code: string; text: { zh: string; en: string } }[];
  /** The most this applicant may borrow (loan) or the card's limit, in fen; 0 when not approved. */
  limitFen: bigint;
  annualRateBp: number;
}

function pointsOf(bands: readonly Band[], value: ScoreInputs[keyof ScoreInputs]): number {
  for (const band of bands) {
    if (band.equals !== undefined) {
      if (band.equals === value) return band.points;
      continue;
    }
    if (band.min === undefined) return band.points;
    if (typeof value === 'number' && value >= band.min) return band.points;
  }
  return 0;
}

const best = (bands: readonly Band[]) => Math.max(...bands.map((band) => band.points), 0);

export function evaluate(
  rules: ScorecardRules,
  inputs: ScoreInputs,
  product: 'loan' | 'card',
  monthlyIncomeFen: bigint,
): Evaluation {
  const components: Component[] = [];
  const shortfalls: { factor: string; short: number }[] = [];
  let score = rules.base;
  for (const { factor, bands } of rules.factors) {
    const value = inputs[factor];
    if (value === null) continue;
    const points = pointsOf(bands, value);
    score += points;
    components.push({ factor, value: String(value), points });
    if (best(bands) - points > 0) shortfalls.push({ factor, short: best(bands) - points });
  }
  const reasonFor = (code: string) => ({ code, text: rules.reasons[code] ?? { zh: code, en: code } });
  const mainReasons = shortfalls
    .sort((a, b) => b.short - a.short)
    .slice(0, 3)
    .map((shortfall) => reasonFor(shortfall.factor));
  const rate = rules.rates.find((band) => score >= band.minScore)?.annualRateBp ?? rules.rates.at(-1)?.annualRateBp;
  const multiple = rules.limits.find((band) => score >= band.minScore)?.incomeMultiple ?? 0;
  const thin = inputs.bureauScore === null;
  if (thin) {
    return {
      score: null,
      outcome: 'refer',
      components,
      reasons: [reasonFor('thinFile')],
      limitFen: 0n,
      annualRateBp: rate ?? 0,
    };
  }
  const outcome = score >= rules.cutoffs.approve ? 'approve' : score >= rules.cutoffs.refer ? 'refer' : 'decline';
  const cap = product === 'loan' ? rules.loan.maxFen : rules.card.maxFen;
  const byIncome = monthlyIncomeFen * BigInt(product === 'loan' ? multiple : rules.card.incomeMultiple);
  const limitFen = outcome === 'approve' ? (byIncome < BigInt(cap) ? byIncome : BigInt(cap)) : 0n;
  return {
    score,
    outcome,
    components,
    reasons: outcome === 'approve' ? [] : mainReasons.length > 0 ? mainReasons : [reasonFor('score')],
    limitFen,
    annualRateBp: product === 'card' ? rules.card.annualRateBp : (rate ?? 0),
  };
}
