import { shanghaiDay } from '../platform/clock.js';
import { fenToJson, formatFen } from '../platform/money.js';
import { isPaid } from './book.js';
import type { BureauRetries } from './bureau-retries.js';
import { BureauUnavailable } from './bureau.js';
import { createCardFault } from './card-fault.js';
import { addDays, monthOf } from './calendar.js';
import { INTEREST_INCOME, type CreditContext } from './context.js';
import type { Loans } from './loans.js';
import * as cardStore from './store-cards.js';
import * as store from './store-loans.js';
import type { InstallmentRow, LoanRow } from './store-loans.js';

const lastDayOf = (month: string) => addDays(monthOf(addDays(`${month}-28`, 7)) + '-01', -1);

/** What the daily job lends the fault handling: its notices, subjects and the bureau's status line. */
export interface FaultHelpers {
  notice(
    userId: string,
    subject: string,
    kind: string,
    text: { titleZh: string; titleEn: string; zh: string; en: string },
    data: Record<string, unknown>,
  ): Promise<boolean>;
  subjectOf(loan: LoanRow, row: InstallmentRow): string;
  statusReport(
    loan: LoanRow,
    rows: InstallmentRow[],
    day: string,
    month: string,
    idNumber: string,
  ): Parameters<CreditContext['bureau']['reportStatus']>[0];
}

/** What a false-positive lift asks of the bureau, kept as retried work when the bureau does not take it. */
interface FaultCorrection {
  userId: string;
  toCorrect: { accountRef: string; month: string }[];
  restate: string[];
  /** Cards whose months are reported again (absent on work kept before cards were covered). */
  restateCards?: string[];
  from: string;
  to: string;
}

export function createRestrictionFault(
  ctx: CreditContext,
  loans: Loans,
  helpers: FaultHelpers,
  retries: BureauRetries,
) {
  const { db, identity } = ctx;
  const { notice, subjectOf, statusReport } = helpers;
  const cards = createCardFault(ctx);

  /**
   * A restriction lifted by staff as a false positive was Tongbao's own fault: every unpaid installment
   * that fell due while it was on moves to the day after the lift, its penalty is reversed through the
   * ledger, a negative record already sent is corrected, and the holder is told. Safe to call again.
   */
  async function restrictionFault(lift: { userId: string; restrictedAt: Date; liftedAt: Date }): Promise<number> {
    const from = shanghaiDay(lift.restrictedAt);
    const liftDay = shanghaiDay(lift.liftedAt);
    const newDue = addDays(liftDay, 1);
    const income = await ctx.systemAccount(INTEREST_INCOME);
    const toCorrect: { accountRef: string; month: string }[] = [];
    const restate: string[] = [];
    let moved = 0;
    for (const { id } of await store.listUserLoans(db, lift.userId, 50)) {
      const fixed = await db.transaction(async (tx) => {
        const none = { hit: [] as InstallmentRow[], refunded: 0n, loan: null as LoanRow | null };
        const loan = await store.findLoan(tx, id, true);
        if (!loan || (loan.status !== 'active' && loan.status !== 'overdue' && loan.status !== 'paid_off')) return none;
        const rows = await store.listInstallments(tx, loan.id, true);
        const underRestriction = (row: InstallmentRow) => row.due_day >= from && row.due_day <= liftDay;
        // Penalty the holder already paid on an installment due under the restriction (paid late
        // while it was on, or in part) goes back to the wallet: none of it was theirs to pay.
        let refunded = 0n;
        for (const row of rows.filter((r) => underRestriction(r) && r.paid_penalty > 0n)) {
          if (isPaid(row) && row.reported)
            toCorrect.push({ accountRef: `tongbao:loan:${loan.id}`, month: monthOf(row.due_day) });
          refunded += row.paid_penalty;
          row.penalty -= row.paid_penalty;
          row.paid_penalty = 0n;
          await store.upsertInstallment(tx, row);
        }
        const hit = loan.status === 'paid_off' ? [] : rows.filter((row) => !isPaid(row) && underRestriction(row));
        let reversed = 0n;
        for (const row of hit) {
          const unpaidPenalty = row.penalty - row.paid_penalty;
          if (row.reported) toCorrect.push({ accountRef: `tongbao:loan:${loan.id}`, month: monthOf(row.due_day) });
          reversed += unpaidPenalty;
          row.penalty = row.paid_penalty;
          row.due_day = newDue;
          await store.upsertInstallment(tx, row);
        }
        if (refunded > 0n)
          await ctx.post(tx, [
            {
              type: 'transfer',
              reference: `credit:fault-refund:${loan.id}:${liftDay}`,
              currency: 'CNY',
              legs: [{ debitAccountId: income, creditAccountId: loan.wallet_account_id, amountFen: refunded }],
              metadata: { kind: 'credit_penalty_refunded', ref: loan.id, penalty: fenToJson(refunded) },
              limitExempt: true,
            },
          ]);
        if (hit.length === 0 && refunded === 0n) return none;
        await store.updateLoan(tx, loan.id, {
          penalty_accrued: loan.penalty_accrued - reversed - refunded,
          status: loan.status === 'paid_off' ? loan.status : loans.statusAfter(rows, liftDay),
        });
        if (reversed > 0n)
          await ctx.post(tx, [
            {
              type: 'transfer',
              reference: `credit:fault:${loan.id}:${liftDay}`,
              currency: 'CNY',
              legs: [{ debitAccountId: income, creditAccountId: loan.account_id, amountFen: reversed }],
              metadata: { kind: 'credit_penalty_reversed', ref: loan.id, penalty: Number(reversed) },
            },
          ]);
        return { hit, refunded, loan };
      });
      const { loan } = fixed;
      if (!loan) continue;
      restate.push(id);
      if (fixed.refunded > 0n)
        await notice(
          loan.user_id,
          `loan:${loan.id}:fault-refund:${liftDay}`,
          'fault_refunded',
          {
            titleZh: '罚息已退回',
            titleEn: 'Penalty interest refunded',
            zh: `您账户的付款限制经核查属于误判，您已支付的罚息 ${formatFen(fixed.refunded)} 已退回钱包。`,
            en:
              `The restriction on your payments was our mistake. The penalty interest you paid, ` +
              `${formatFen(fixed.refunded)}, is back in your wallet.`,
          },
          { loanId: loan.id, refunded: fenToJson(fixed.refunded) },
        );
      for (const row of fixed.hit) {
        moved++;
        await notice(
          loan.user_id,
          `${subjectOf(loan, row)}:${newDue}`,
          'fault_moved',
          {
            titleZh: '还款日已顺延',
            titleEn: 'Your due date has moved',
            zh:
              `您账户的付款限制经核查属于误判，已解除。第 ${row.number} 期还款日顺延至 ${newDue}，` +
              `不计罚息，不影响征信。`,
            en:
              `The restriction on your payments was our mistake and is lifted. Installment ${row.number} is now ` +
              `due on ${newDue}, with no penalty and nothing reported.`,
          },
          { loanId: loan.id, number: row.number, dueDay: newDue },
        );
      }
    }
    const restateCards: string[] = [];
    for (const outcome of await cards.cardFault(lift.userId, from, liftDay, newDue)) {
      toCorrect.push(...outcome.toCorrect);
      restateCards.push(outcome.cardId);
      moved += outcome.moved.length;
      await notice(lift.userId, `card:${outcome.cardId}:fault:${liftDay}`, 'fault_moved', cards.noticeText(outcome), {
        cardId: outcome.cardId,
        dueDay: outcome.dueDay,
        reversed: fenToJson(outcome.reversedFen),
      });
    }
    const work: FaultCorrection = { userId: lift.userId, toCorrect, restate, restateCards, from, to: liftDay };
    try {
      await correctFault(work);
    } catch (error) {
      if (!(error instanceof BureauUnavailable)) throw error;
      // The due dates have moved and the penalty is reversed; only the bureau's copy waits, retried.
      await retries.enqueue({
        userId: lift.userId,
        kind: 'fault_correction',
        reference: `fault:${lift.userId}:${from}:${liftDay}`,
        payload: { ...work },
        error,
      });
    }
    return moved;
  }

  /** The bureau's side of a fault: wrong records corrected, the months restated (safe to run again). */
  async function correctFault(work: FaultCorrection) {
    await correctRecords(work.userId, work.toCorrect);
    await restateMonths(work.userId, work.restate, work.from, work.to);
    await restateCardMonths(work.userId, work.restateCards ?? [], work.from, work.to);
  }

  /** Each month the restriction spanned is reported again for the card as current (nothing negative). */
  async function restateCardMonths(userId: string, cardIds: string[], from: string, to: string) {
    const person = cardIds.length ? await identity.verifiedIdentity(userId) : null;
    if (!person) return;
    for (const cardId of cardIds) {
      const card = await cardStore.findCard(db, cardId);
      if (!card) continue;
      const owed = await cardStore.owedTotal(db, cardId);
      for (let month = monthOf(from); month <= monthOf(to); month = monthOf(addDays(`${month}-28`, 7)))
        await ctx.bureau.reportStatus({
          accountRef: `tongbao:card:${card.id}`,
          idNumber: person.idNumber,
          kind: 'card',
          openedOn: shanghaiDay(card.created_at),
          balanceFen: owed > 0n ? owed : 0n,
          status: 'current',
          month,
          monthStatus: 'N',
        });
    }
  }
  retries.handle('fault_correction', (row) => correctFault(row.payload as unknown as FaultCorrection));

  /** Each month the restriction spanned is reported again as it stands now (the bureau keeps the last). */
  async function restateMonths(userId: string, loanIds: string[], from: string, to: string) {
    const person = loanIds.length ? await identity.verifiedIdentity(userId) : null;
    if (!person) return;
    for (const loanId of loanIds) {
      const loan = await store.findLoan(db, loanId);
      if (!loan) continue;
      const rows = await store.listInstallments(db, loanId);
      for (let month = monthOf(from); month <= monthOf(to); month = monthOf(addDays(`${month}-28`, 7)))
        await ctx.bureau.reportStatus(
          statusReport(loan, rows, month < monthOf(to) ? lastDayOf(month) : to, month, person.idNumber),
        );
    }
  }

  /** Negative records already sent for installments that were our own fault are corrected at the bureau. */
  async function correctRecords(userId: string, wrong: { accountRef: string; month: string }[]) {
    if (wrong.length === 0) return;
    const person = await identity.verifiedIdentity(userId);
    const report = person ? await ctx.bureau.ownReport(person.idNumber) : null;
    for (const record of report?.records ?? [])
      if (
        !record.removed &&
        record.kind === 'overdue' &&
        wrong.some((w) => w.accountRef === record.accountRef && w.month === record.month)
      )
        await ctx.bureau.correct(record.id);
  }

  return restrictionFault;
}
