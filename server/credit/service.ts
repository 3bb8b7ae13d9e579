import type { Party } from '../approvals/service.js';
import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { createApplications } from './applications.js';
import { position } from './book.js';
import { createBureauRetries } from './bureau-retries.js';
import { type BureauSandbox, createBureauSandbox } from './bureau-sandbox.js';
import { BureauUnavailable } from './bureau.js';
import { inQuietHours } from './calendar.js';
import { createCardControls } from './card-controls.js';
import { createCards } from './cards.js';
import { CREDIT_LOSSES, createContext } from './context.js';
import { createDaily } from './daily.js';
import type { CreditDeps, CreditError } from './deps.js';
import { createLoans } from './loans.js';
import { createSigning } from './signing.js';
import * as store from './store.js';
import * as loanStore from './store-loans.js';
import type { ContactRow, DisputeRow, LoanRow } from './store-loans.js';

/**
 * Credit (docs/credit.md): loans and credit cards decided in seconds from a versioned scorecard
 * and the bureau, signed with the PIN, disbursed and repaid through the ledger, with the daily
 * work (accrual, auto-repay, reminders, notices, reporting) in `runDaily`.
 */

export const WRITE_OFF = 'credit.write_off' as const;

export function createCreditService(input: CreditDeps) {
  // The domain reads time from its own clock: the injected clock plus whole days that only the
  // development hook moves (never registered in production), like savings.
  let offsetDays = 0;
  const deps: CreditDeps = {
    ...input,
    clock: { now: () => new Date(input.clock.now().getTime() + offsetDays * 86_400_000) },
  };
  const sandbox: BureauSandbox | null = deps.bureau
    ? null
    : createBureauSandbox({ db: deps.db, clock: deps.clock, cipher: deps.cipher });
  const ctx = createContext(deps, deps.bureau ?? (sandbox as BureauSandbox).bureau);
  const { db, clock } = ctx;
  const cards = createCards(ctx);
  const cardControls = createCardControls(ctx);
  const applications = createApplications(ctx, { holdsCard: cards.holdsCard });
  const loans = createLoans(ctx);
  const signing = createSigning(ctx, { applications, loans, issueCard: cards.issue });
  const retries = createBureauRetries(ctx);
  const daily = createDaily(ctx, loans, retries);

  async function runDaily() {
    const loanCounts = await daily.run();
    const cardCounts = await cards.run();
    const offersExpired = await applications.expireOffers();
    const bureauRetried = await retries.run();
    return { ...loanCounts, ...cardCounts, offersExpired, bureauRetried };
  }

  /** What the holder's bureau report says, as they may see it. */
  async function ownReport(userId: string) {
    const person = await deps.identity.verifiedIdentity(userId);
    return person ? ctx.bureau.ownReport(person.idNumber) : null;
  }

  async function dispute(userId: string, recordId: string, reason: string): Promise<Result<DisputeRow, CreditError>> {
    let report: Awaited<ReturnType<typeof ownReport>>;
    try {
      report = await ownReport(userId);
    } catch (error) {
      if (error instanceof BureauUnavailable) return err({ code: 'CREDIT_BUREAU_UNAVAILABLE' });
      throw error;
    }
    if (!report?.records.some((record) => record.id === recordId)) return err({ code: 'CREDIT_RECORD_NOT_FOUND' });
    const now = clock.now();
    const row: DisputeRow = {
      id: newId('crd', now.getTime()),
      user_id: userId,
      record_id: recordId,
      reason,
      status: 'open',
      resolution: null,
      resolved_by: null,
      created_at: now,
      resolved_at: null,
    };
    if (!(await loanStore.insertDispute(db, row))) return err({ code: 'CREDIT_DISPUTE_OPEN' });
    return ok(row);
  }

  async function resolveDispute(
    id: string,
    staff: Party,
    input: { outcome: 'upheld' | 'rejected'; note: string },
  ): Promise<Result<DisputeRow, CreditError>> {
    const found = await loanStore.findDispute(db, id);
    if (!found) return err({ code: 'CREDIT_DISPUTE_NOT_FOUND' });
    if (found.status !== 'open') return err({ code: 'CREDIT_DISPUTE_RESOLVED' });
    // An upheld dispute's correction the bureau did not take is kept and retried until it is taken.
    let correctionQueued = false;
    if (input.outcome === 'upheld') {
      try {
        await ctx.bureau.correct(found.record_id);
      } catch (error) {
        if (!(error instanceof BureauUnavailable)) throw error;
        correctionQueued = true;
      }
    }
    const resolved = await loanStore.resolveDispute(db, id, input.outcome, input.note, staff.id, clock.now());
    if (correctionQueued)
      await retries.enqueue({
        userId: found.user_id,
        kind: 'correct_record',
        reference: `dispute:${id}`,
        payload: { recordId: found.record_id, disputeId: id },
        error: new BureauUnavailable('the bureau did not confirm the correction'),
      });
    await deps.audit.record(db, {
      actorKind: staff.kind,
      actorId: staff.id,
      action: 'credit.dispute_resolved',
      subjectType: 'credit_dispute',
      subjectId: id,
      details: { outcome: input.outcome },
      ip: staff.ip,
      requestId: staff.requestId,
    });
    await deps.identity.notifyHolder(found.user_id, {
      kind: 'credit_dispute',
      titleZh: '征信异议处理结果',
      titleEn: 'Your credit record dispute',
      bodyZh:
        input.outcome !== 'upheld'
          ? `您的异议未获支持：${input.note}`
          : correctionQueued
            ? '您的异议成立，更正已提交征信机构，完成后会通知您。'
            : '您的异议成立，相关记录已更正。',
      bodyEn:
        input.outcome !== 'upheld'
          ? `Not upheld: ${input.note}`
          : correctionQueued
            ? 'Your dispute was upheld; the correction is on its way to the bureau and we will tell you ' +
              'when it is done.'
            : 'Your dispute was upheld; the record was corrected.',
      data: { disputeId: id },
    });
    return ok(resolved);
  }

  retries.handle('correct_record', async (row) => {
    const { recordId, disputeId } = row.payload as { recordId: string; disputeId: string };
    await ctx.bureau.correct(recordId);
    await deps.identity.notifyHolder(row.user_id, {
      kind: 'credit_dispute',
      titleZh: '征信记录已更正',
      titleEn: 'Your credit record was corrected',
      bodyZh: '您异议成立的征信记录已在征信机构更正。',
      bodyEn: 'The record you disputed has now been corrected at the bureau.',
      data: { disputeId },
    });
  });

  async function recordContact(
    loanId: string,
    staff: Party,
    input: { channel: ContactRow['channel']; note: string },
  ): Promise<Result<ContactRow, CreditError>> {
    const loan = await loanStore.findLoan(db, loanId);
    if (!loan) return err({ code: 'CREDIT_LOAN_NOT_FOUND' });
    if (inQuietHours(clock.now())) return err({ code: 'CREDIT_QUIET_HOURS' });
    const now = clock.now();
    const row: ContactRow = {
      id: newId('crk', now.getTime()),
      target: 'loan',
      target_id: loanId,
      channel: input.channel,
      note: input.note,
      contacted_by: staff.id,
      created_at: now,
    };
    await loanStore.insertContact(db, row);
    return ok(row);
  }

  /** A write-off is asked by one person and applied when a second approves it. */
  async function askWriteOff(loanId: string, staff: Party, reason: string) {
    const loan = await loanStore.findLoan(db, loanId);
    if (!loan) return err<CreditError>({ code: 'CREDIT_LOAN_NOT_FOUND' });
    if (loan.status !== 'overdue')
      return err<CreditError>({ code: 'CREDIT_WRITE_OFF_NOT_ALLOWED', status: loan.status });
    const asked = await deps.approvals.request(
      { kind: WRITE_OFF, subjectType: 'credit_loan', subjectId: loanId, payload: { loanId }, reason },
      staff,
    );
    return asked.ok ? ok(asked.value) : err(asked.error as CreditError);
  }

  deps.approvals.register(WRITE_OFF, {
    approverRoles: ['risk_analyst', 'admin'],
    operatorsMayApprove: false,
    async apply(tx, request) {
      const loan = await loanStore.findLoan(tx, request.subject_id, true);
      if (!loan) return err({ code: 'CREDIT_LOAN_NOT_FOUND' });
      if (loan.status !== 'overdue') return err({ code: 'CREDIT_WRITE_OFF_NOT_ALLOWED' });
      const rows = await loanStore.listInstallments(tx, loan.id, true);
      const owed = rows.reduce(
        (sum, row) => sum + row.principal - row.paid_principal + row.penalty - row.paid_penalty,
        loan.interest_accrued - rows.reduce((s, row) => s + row.paid_interest, 0n),
      );
      await loanStore.updateLoan(tx, loan.id, { status: 'written_off', closed_at: clock.now() });
      const losses = await store.systemAccount(tx, CREDIT_LOSSES);
      if (owed > 0n && losses)
        await ctx.post(tx, [
          {
            type: 'transfer',
            reference: `credit:write-off:${loan.id}`,
            currency: 'CNY',
            legs: [{ debitAccountId: losses, creditAccountId: loan.account_id, amountFen: owed }],
            metadata: { kind: 'credit_write_off', ref: loan.id },
          },
        ]);
      return ok({ loanId: loan.id, writtenOffFen: String(owed) });
    },
    async afterApproved(request) {
      const loan = await loanStore.findLoan(db, request.subject_id);
      if (!loan) return;
      const person = await deps.identity.verifiedIdentity(loan.user_id);
      if (!person) return;
      await daily.reportClosed(loan);
      try {
        await ctx.bureau.reportNegative({
          idNumber: person.idNumber,
          accountRef: `tongbao:loan:${loan.id}`,
          eventRef: `tongbao:loan:${loan.id}:write-off`,
          month: shanghaiDay(clock.now()).slice(0, 7),
          kind: 'write_off',
          amountFen: loan.principal,
        });
      } catch (error) {
        if (!(error instanceof BureauUnavailable)) throw error;
        deps.logger?.warn({ loanId: loan.id, err: error }, 'credit: the write-off was not reported to the bureau');
      }
    },
  });

  return {
    ctx,
    clock,
    offsetDays: () => offsetDays,
    /** Development and tests only (the route is not registered in production). */
    async advanceDays(days: number) {
      offsetDays += days;
      return runDaily();
    },
    sandbox,
    applications,
    loans,
    cards,
    cardControls,
    retries,
    signing,
    daily,
    runDaily,
    ownReport,
    dispute,
    resolveDispute,
    recordContact,
    async prepareWriteOffAccounts() {
      await ctx.systemAccount(CREDIT_LOSSES);
    },
    askWriteOff,
    async settings(userId: string) {
      return (await store.findSettings(db, userId)) ?? { card_fallback: false };
    },
    async setSettings(userId: string, cardFallback: boolean) {
      await store.upsertSettings(db, userId, cardFallback, clock.now());
      return { card_fallback: cardFallback };
    },
    /**
     * What the holder owes today (我的资产): each open loan's payoff (principal, interest to today and
     * any penalty, as its page shows) and each card's balance.
     */
    async debtsOf(userId: string) {
      const day = shanghaiDay(clock.now());
      const owedLoans: { id: string; owedFen: bigint }[] = [];
      for (const loan of await loans.listFor(userId)) {
        if (loan.status === 'paid_off' || loan.status === 'written_off') continue;
        owedLoans.push({
          id: loan.id,
          owedFen: position(await loanStore.listInstallments(db, loan.id), day).payoffFen,
        });
      }
      const owedCards: { id: string; owedFen: bigint }[] = [];
      for (const card of await cards.listFor(userId)) {
        const owed = (await cards.view(card)).owed;
        owedCards.push({ id: card.id, owedFen: owed > 0n ? owed : 0n });
      }
      return { loans: owedLoans, cards: owedCards };
    },
    loanView: async (loan: LoanRow) => ({
      loan,
      rows: await loanStore.listInstallments(db, loan.id),
      repayments: await loanStore.listRepayments(db, loan.id, 50),
    }),
    reviewsOf: (applicationId: string) => store.listReviews(db, applicationId),
    staffApplications: (status: store.ApplicationStatus | null, before: string | null, limit: number) =>
      store.listApplications(db, status, before, limit),
    staffApplication: (id: string) => store.findApplication(db, id),
    staffLoans: (status: loanStore.LoanStatus | null, before: string | null, limit: number) =>
      loanStore.listLoans(db, status, before, limit),
    staffLoan: (id: string) => loanStore.findLoan(db, id),
    contactsOf: (loanIds: readonly string[]) => loanStore.listContacts(db, loanIds),
    staffDisputes: (open: boolean) => loanStore.listDisputes(db, open ? { status: 'open' } : {}, 100),
    scorecards: () => store.listScorecards(db),
    disputesOf: (userId: string) => loanStore.listDisputes(db, { userId }, 50),
    noticesOf: (userId: string) => store.listNotices(db, userId, 20),
    /** Risk lifted a restriction as a false positive: what fell due under it was our own fault. */
    restrictionFault: (lift: { userId: string; restrictedAt: Date; liftedAt: Date }) => daily.restrictionFault(lift),
    async repaymentOf(userId: string, id: string) {
      const row = await loanStore.findRepayment(db, id);
      return row && row.user_id === userId ? row : null;
    },
  };
}

export type CreditService = ReturnType<typeof createCreditService>;
