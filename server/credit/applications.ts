import type { Party } from '../approvals/service.js';
import type { Operation } from '../confirmations/service.js';
import { shanghaiDay } from '../platform/clock.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { BureauReport } from './bureau.js';
import { addDays, daysBetween } from './calendar.js';
import type { CreditContext } from './context.js';
import { CONTRACT_VERSION } from './contract.js';
import type { CreditError } from './deps.js';
import { type ScoreInputs, type ScorecardRules, evaluate } from './scorecard.js';
import { type Method, TERMS } from './schedule.js';
import * as store from './store.js';
import type { ApplicationRow, OfferJson } from './store.js';
import * as loansStore from './store-loans.js';

/**
 * Applications and decisions in seconds: the scorecard in effect scores the wallet's own data and
 * the bureau report; an approval carries an offer (limit, rate, the contract) the holder signs with
 * the PIN; a decline carries its main reasons in words; borderline and thin files go to staff,
 * and staff approvals above the threshold need a second person (server/approvals).
 */

export const OFFER_TTL_MS = 7 * 24 * 3600_000;
/** Staff approvals above this limit need a second person (maker-checker). */
export const REVIEW_THRESHOLD_FEN = 5_000_000n;
export const REFERRAL_DECISION = 'credit.referral_decision' as const;
/** A card's statement falls on the day of the month it was issued (at most the 28th), due 20 days later. */
export const CARD_DUE_AFTER_DAYS = 20;
export const cardStatementDay = (day: string) => Math.min(28, Number(day.slice(8, 10)));
/** The usual due day of the month, for display (kept within 1-28 like the statement day); the real due date is
 * the statement date plus 20 days. */
export const cardDueDay = (statementDay: number) => ((statementDay + CARD_DUE_AFTER_DAYS - 1) % 28) + 1;
/** The longest interest-free period: bought the day after a 31-day cycle began, repaid on its due date. */
export const CARD_INTEREST_FREE_DAYS_MAX = 31 + CARD_DUE_AFTER_DAYS;

export type LoanRequest = {
  product: 'loan';
  amountFen: bigint;
  termMonths: number;
  method: Method;
  purpose: string;
  monthlyIncomeFen: bigint;
};
export type CardRequest = { product: 'card'; monthlyIncomeFen: bigint };

export function createApplications(ctx: CreditContext, hooks: { holdsCard(userId: string): Promise<boolean> }) {
  const { db, clock, identity } = ctx;

  async function scorecard(): Promise<{ version: string; rules: ScorecardRules }> {
    const found = await store.scorecardInEffect(db, clock.now());
    if (!found) throw new Error('no credit scorecard in effect (migration 020 seeds v1)');
    return { version: found.version, rules: found.rules as ScorecardRules };
  }

  /** Validates a loan's figures against the product; null when they are fine. */
  async function checkLoan(input: { amountFen: bigint; termMonths: number }): Promise<CreditError | null> {
    const { rules } = await scorecard();
    if (!(rules.loan.terms as readonly number[]).includes(input.termMonths) || !TERMS.includes(input.termMonths as 3))
      return { code: 'CREDIT_TERM_NOT_OFFERED', terms: rules.loan.terms.join(',') };
    if (input.amountFen < BigInt(rules.loan.minFen))
      return { code: 'CREDIT_AMOUNT_BELOW_MINIMUM', minimum: rules.loan.minFen };
    if (input.amountFen > BigInt(rules.loan.maxFen))
      return { code: 'CREDIT_AMOUNT_ABOVE_LIMIT', limit: rules.loan.maxFen };
    return null;
  }

  async function gatherInputs(
    userId: string,
    profile: { tier: string; createdAt: Date; walletAccountId: string },
    monthlyIncomeFen: bigint,
    report: BureauReport,
  ): Promise<{ inputs: ScoreInputs; bureau: Record<string, unknown> }> {
    const now = clock.now();
    const today = shanghaiDay(now);
    const wallet = await ctx.ledger.getAccount(profile.walletAccountId);
    const activity = await ctx.ledger.listEntries(profile.walletAccountId, { limit: 50 });
    const history = await loansStore.countUserInstallments(db, userId);
    const signals = await identity.riskSignals(userId);
    const recentReset =
      signals?.credentialResetAt && now.getTime() - signals.credentialResetAt.getTime() < 30 * 86_400_000;
    const monthlyDebt = report.debts.reduce((sum, debt) => sum + debt.monthlyPaymentFen, 0n);
    const liveRecords = report.records.filter((record) => !record.removed);
    const inputs: ScoreInputs = {
      tier: profile.tier,
      accountAgeDays: Math.max(0, daysBetween(shanghaiDay(profile.createdAt), today)),
      monthlyIncomeYuan: Number(monthlyIncomeFen / 100n),
      walletBalanceYuan: Number((wallet?.balanceFen ?? 0n) / 100n),
      walletActivity: activity.length,
      onTimeRepayments: Number(history.on_time),
      lateRepayments: Number(history.late),
      riskFlags: (signals?.frozen ? 1 : 0) + (recentReset ? 1 : 0),
      bureauScore: report.score,
      debtToIncomePct: monthlyIncomeFen > 0n ? Number((monthlyDebt * 100n) / monthlyIncomeFen) : 999,
      overdueMonths24:
        report.debts.reduce((sum, debt) => sum + debt.overdueMonths24, 0) +
        liveRecords.filter((record) => record.kind === 'overdue').length,
      inquiries3m: report.inquiries.filter((inquiry) => inquiry.day >= addDays(today, -90)).length,
      pastDefault: report.debts.some((debt) => debt.defaulted) || liveRecords.some((r) => r.kind === 'write_off'),
    };
    const bureau = {
      score: report.score,
      debts: Number(report.debts.reduce((sum, debt) => sum + debt.balanceFen, 0n)),
      monthlyDebtPayments: Number(monthlyDebt),
      overdueMonths24: inputs.overdueMonths24,
      inquiries3m: inputs.inquiries3m,
      pastDefault: inputs.pastDefault,
    };
    return { inputs, bureau };
  }

  function offerFor(request: LoanRequest | CardRequest, limitFen: bigint, annualRateBp: number): OfferJson {
    if (request.product === 'card')
      return {
        limitFen: String(limitFen),
        annualRateBp,
        termMonths: null,
        method: null,
        card: {
          statementDay: cardStatementDay(shanghaiDay(clock.now())),
          dueDay: cardDueDay(cardStatementDay(shanghaiDay(clock.now()))),
          interestFreeDaysMax: CARD_INTEREST_FREE_DAYS_MAX,
        },
        contractVersion: CONTRACT_VERSION,
      };
    const amount = request.amountFen < limitFen ? request.amountFen : limitFen;
    return {
      limitFen: String(amount),
      annualRateBp,
      termMonths: request.termMonths,
      method: request.method,
      card: null,
      contractVersion: CONTRACT_VERSION,
    };
  }

  async function apply(
    userId: string,
    request: LoanRequest | CardRequest,
  ): Promise<Result<ApplicationRow, CreditError>> {
    if (request.product === 'loan') {
      const invalid = await checkLoan(request);
      if (invalid) return err(invalid);
    }
    const profile = await identity.profile(userId);
    if (!profile) return err({ code: 'NOT_FOUND' });
    if (profile.tier === 'basic') return err({ code: 'CREDIT_NOT_ELIGIBLE', tier: profile.tier });
    const open = (await store.listUserApplications(db, userId, 20)).find(
      (row) => row.product === request.product && ['approved', 'referred', 'awaiting_signature'].includes(row.status),
    );
    if (open) return err({ code: 'CREDIT_APPLICATION_OPEN', applicationId: open.id });
    if (request.product === 'card' && (await hooks.holdsCard(userId))) return err({ code: 'CREDIT_CARD_ALREADY_HELD' });
    const person = await identity.verifiedIdentity(userId);
    if (!person) return err({ code: 'NOT_FOUND' });
    const inquiry = await ctx.bureau.inquire(
      person.idNumber,
      request.product === 'loan' ? 'loan_approval' : 'card_approval',
    );
    if (!inquiry.ok) return err(inquiry.error);
    const { version, rules } = await scorecard();
    const { inputs, bureau } = await gatherInputs(userId, profile, request.monthlyIncomeFen, inquiry.value);
    const evaluation = evaluate(rules, inputs, request.product, request.monthlyIncomeFen);
    let outcome = evaluation.outcome;
    let reasons = evaluation.reasons;
    if (outcome === 'approve' && request.product === 'loan' && evaluation.limitFen < BigInt(rules.loan.minFen)) {
      outcome = 'decline';
      reasons = [{ code: 'monthlyIncomeYuan', text: rules.reasons.monthlyIncomeYuan }];
    }
    const now = clock.now();
    const approved = outcome === 'approve';
    const row: ApplicationRow = {
      id: newId('cra', now.getTime()),
      user_id: userId,
      product: request.product,
      status: approved ? 'approved' : outcome === 'decline' ? 'declined' : 'referred',
      amount: request.product === 'loan' ? request.amountFen : null,
      term_months: request.product === 'loan' ? request.termMonths : null,
      method: request.product === 'loan' ? request.method : null,
      purpose: request.product === 'loan' ? request.purpose : null,
      monthly_income: request.monthlyIncomeFen,
      scorecard_version: version,
      score: evaluation.score,
      inputs: { ...inputs, bureau },
      components: evaluation.components,
      outcome: outcome === 'refer' ? null : outcome,
      reasons,
      decided_by: outcome === 'refer' ? null : 'scorecard',
      decided_at: outcome === 'refer' ? null : now,
      offer: approved ? offerFor(request, evaluation.limitFen, evaluation.annualRateBp) : null,
      offer_expires_at: approved ? new Date(now.getTime() + OFFER_TTL_MS) : null,
      confirmation_id: null,
      loan_id: null,
      card_id: null,
      created_at: now,
    };
    try {
      return ok(await store.insertApplication(db, row));
    } catch (error) {
      if (isUniqueViolation(error)) return err({ code: 'CREDIT_APPLICATION_OPEN' });
      throw error;
    }
  }

  async function get(userId: string, id: string): Promise<ApplicationRow | null> {
    const row = await store.findApplication(db, id);
    return row && row.user_id === userId ? row : null;
  }

  /** The operation a signature is bound to: built here only, when the confirmation is made and spent. */
  function signOperation(row: ApplicationRow): Operation {
    return {
      reference: `credit:sign:${row.id}`,
      amountFen: BigInt(row.offer?.limitFen ?? '0'),
      currency: 'CNY',
      payee: `credit:${row.product}`,
    };
  }

  /** Makes (or finds) the confirmation the holder signs with. Nothing is written when the offer is not open. */
  async function prepareSigning(userId: string, id: string): Promise<Result<ApplicationRow, CreditError>> {
    const row = await get(userId, id);
    if (!row) return err({ code: 'CREDIT_APPLICATION_NOT_FOUND' });
    if (row.status !== 'approved' && row.status !== 'awaiting_signature')
      return err({ code: 'CREDIT_OFFER_NOT_OPEN', status: row.status });
    if (!row.offer_expires_at || row.offer_expires_at <= clock.now()) return err({ code: 'CREDIT_OFFER_EXPIRED' });
    if (row.confirmation_id) {
      const existing = await identity.confirmations.get(userId, row.confirmation_id);
      if (
        existing &&
        (existing.status === 'pending' || existing.status === 'confirmed') &&
        existing.expiresAt > clock.now()
      )
        return ok(row);
    }
    const confirmation = await identity.confirmations.create(userId, signOperation(row));
    return ok(
      await store.updateApplication(db, row.id, { status: 'awaiting_signature', confirmation_id: confirmation.id }),
    );
  }

  async function listFor(userId: string) {
    return store.listUserApplications(db, userId, 50);
  }

  /** Staff decide a referred application; above the threshold a second person approves it. */
  async function decide(
    id: string,
    staff: Party,
    input: { decision: 'approve' | 'decline'; limitFen?: bigint; annualRateBp?: number; note: string },
  ): Promise<Result<{ application: ApplicationRow; approvalId: string | null }, CreditError>> {
    const row = await store.findApplication(db, id);
    if (!row) return err({ code: 'CREDIT_APPLICATION_NOT_FOUND' });
    if (row.status !== 'referred') return err({ code: 'CREDIT_APPLICATION_NOT_REFERRED', status: row.status });
    const { rules } = await scorecard();
    if (input.decision === 'approve') {
      if (input.limitFen === undefined) return err({ code: 'CREDIT_LIMIT_REQUIRED' });
      const cap = BigInt(row.product === 'loan' ? rules.loan.maxFen : rules.card.maxFen);
      if (input.limitFen > cap) return err({ code: 'CREDIT_AMOUNT_ABOVE_LIMIT', limit: Number(cap) });
      if (row.product === 'loan' && input.limitFen < BigInt(rules.loan.minFen))
        return err({ code: 'CREDIT_AMOUNT_BELOW_MINIMUM', minimum: rules.loan.minFen });
    }
    const now = clock.now();
    const rate =
      input.annualRateBp ??
      (row.product === 'card' ? rules.card.annualRateBp : (rules.rates.at(-1)?.annualRateBp ?? 1440));
    const payload = {
      applicationId: id,
      decision: input.decision,
      limitFen: input.limitFen === undefined ? null : String(input.limitFen),
      annualRateBp: rate,
      note: input.note,
    };
    if (input.decision === 'approve' && (input.limitFen as bigint) > REVIEW_THRESHOLD_FEN) {
      const asked = await ctx.approvals.request(
        { kind: REFERRAL_DECISION, subjectType: 'credit_application', subjectId: id, payload, reason: input.note },
        staff,
      );
      if (!asked.ok) return err(asked.error as CreditError);
      await store.insertReview(db, {
        id: newId('crv', now.getTime()),
        application_id: id,
        staff_id: staff.id,
        decision: 'approve',
        credit_limit: input.limitFen ?? null,
        annual_rate_bp: rate,
        note: input.note,
        approval_id: asked.value.id,
        created_at: now,
      });
      return ok({ application: row, approvalId: asked.value.id });
    }
    const done = await inTransaction<ApplicationRow, CreditError>(db, async (tx, rollback) => {
      const applied = await applyDecision(tx, payload, staff.id);
      if (!applied.ok) return rollback(applied.error);
      await store.insertReview(tx, {
        id: newId('crv', now.getTime()),
        application_id: id,
        staff_id: staff.id,
        decision: input.decision,
        credit_limit: input.limitFen ?? null,
        annual_rate_bp: rate,
        note: input.note,
        approval_id: null,
        created_at: now,
      });
      return applied.value;
    });
    if (!done.ok) return done;
    await notifyDecision(done.value);
    return ok({ application: done.value, approvalId: null });
  }

  async function applyDecision(
    tx: Parameters<Parameters<typeof db.transaction>[0]>[0],
    payload: {
      applicationId: string;
      decision: 'approve' | 'decline';
      limitFen: string | null;
      annualRateBp: number;
      note: string;
    },
    by: string,
  ): Promise<Result<ApplicationRow, CreditError>> {
    const row = await store.findApplication(tx, payload.applicationId, true);
    if (!row) return err({ code: 'CREDIT_APPLICATION_NOT_FOUND' });
    if (row.status !== 'referred') return err({ code: 'CREDIT_APPLICATION_NOT_REFERRED', status: row.status });
    const now = clock.now();
    if (payload.decision === 'decline')
      return ok(
        await store.updateApplication(tx, row.id, {
          status: 'declined',
          outcome: 'decline',
          decided_by: `staff:${by}`,
          decided_at: now,
          reasons:
            row.reasons.length > 0 ? row.reasons : [{ code: 'staff', text: { zh: payload.note, en: payload.note } }],
        }),
      );
    const limit = BigInt(payload.limitFen as string);
    const request: LoanRequest | CardRequest =
      row.product === 'card'
        ? { product: 'card', monthlyIncomeFen: row.monthly_income }
        : {
            product: 'loan',
            amountFen: row.amount as bigint,
            termMonths: row.term_months as number,
            method: row.method as Method,
            purpose: row.purpose as string,
            monthlyIncomeFen: row.monthly_income,
          };
    return ok(
      await store.updateApplication(tx, row.id, {
        status: 'approved',
        outcome: 'approve',
        decided_by: `staff:${by}`,
        decided_at: now,
        reasons: [],
        offer: offerFor(request, limit, payload.annualRateBp),
        offer_expires_at: new Date(now.getTime() + OFFER_TTL_MS),
      }),
    );
  }

  async function notifyDecision(row: ApplicationRow) {
    const approved = row.status === 'approved';
    await identity.notifyHolder(row.user_id, {
      kind: 'credit_decision',
      titleZh: approved ? '您的申请已获批准' : '您的申请未获批准',
      titleEn: approved ? 'Your application is approved' : 'Your application was declined',
      bodyZh: approved ? '请在 7 天内查看额度并签约。' : '您可以在通宝查看原因。',
      bodyEn: approved ? 'See the offer and sign within 7 days.' : 'See the reasons in Tongbao.',
      data: { applicationId: row.id },
    });
  }

  ctx.approvals.register(REFERRAL_DECISION, {
    approverRoles: ['risk_analyst', 'admin'],
    operatorsMayApprove: false,
    async apply(tx, request, approver) {
      const applied = await applyDecision(tx, request.payload as Parameters<typeof applyDecision>[1], approver.id);
      if (!applied.ok) return err(applied.error);
      return ok({ applicationId: applied.value.id, status: applied.value.status });
    },
    async afterApproved(request) {
      const row = await store.findApplication(db, request.subject_id);
      if (row) await notifyDecision(row);
    },
  });

  /** Offers nobody signed in time end; run by the daily job. */
  async function expireOffers(limit = 200): Promise<number> {
    let ended = 0;
    for (const row of await store.lapsedOffers(db, clock.now(), limit)) {
      await store.updateApplication(db, row.id, { status: 'expired' });
      ended++;
    }
    return ended;
  }

  return { scorecard, checkLoan, apply, get, listFor, prepareSigning, signOperation, decide, expireOffers };
}

export type Applications = ReturnType<typeof createApplications>;
