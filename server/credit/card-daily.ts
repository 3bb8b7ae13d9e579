import { shanghaiDay } from '../platform/clock.js';
import type { Queryable, Tx } from '../platform/db/types.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { assert } from '../platform/result.js';
import { CARD_DUE_AFTER_DAYS, cardDueDay } from './applications.js';
import { GRACE_DAYS } from './book.js';
import { BureauUnavailable } from './bureau.js';
import { cardInterestThrough } from './card-interest.js';
import { addDays, inQuietHours, monthOf } from './calendar.js';
import { type CreditContext, INTEREST_INCOME } from './context.js';
import type { CreditError } from './deps.js';
import * as store from './store-cards.js';
import type { CardRow, StatementRow } from './store-cards.js';
import * as loanStore from './store-loans.js';
import type { RepaymentRow } from './store-loans.js';
import * as noticeStore from './store.js';

/**
 * The daily work of credit cards: interest per posting date (card-interest.ts) for the days already
 * over, the monthly statement (made late when the job missed its day), automatic repayment on the
 * due date, our-own-fault due-date moves, reminders, the notice before a report and the report.
 */

export const MINIMUM_PCT = 10n;
const MINIMUM_FLOOR_FEN = 10_000n;
/** Transactions and statements read for a card's interest (a card's whole history stays far below). */
const CARD_HISTORY_MAX = 20_000;

export const minimumOf = (balanceFen: bigint) => {
  if (balanceFen <= 0n) return 0n;
  const tenth = (balanceFen * MINIMUM_PCT + 99n) / 100n;
  const floor = balanceFen < MINIMUM_FLOOR_FEN ? balanceFen : MINIMUM_FLOOR_FEN;
  return tenth > floor ? tenth : floor;
};

export const cardReference = {
  purchase: (cardId: string, networkRef: string) => `credit:card:${cardId}:purchase:${networkRef}`,
  interest: (cardId: string, day: string) => `credit:card:${cardId}:interest:${day}`,
};

export function createCardDaily(
  ctx: CreditContext,
  cards: {
    owedOf(card: CardRow, q?: Queryable): Promise<bigint>;
    settle(tx: Tx, card: CardRow, repayment: RepaymentRow, walletAccountId: string): Promise<RepaymentRow>;
  },
) {
  const { db, clock, identity } = ctx;
  const { owedOf, settle } = cards;
  const today = () => shanghaiDay(clock.now());

  /**
   * Interest for the days already over (through yesterday, so a repayment later today still counts
   * for today): what card-interest.ts says is owed through then, less what was posted, in one
   * posting referenced by today. Skipped when nothing is owed and no statement's due day was judged
   * since the last run: then every item is repaid and no statement can newly lose its grace.
   */
  async function chargeInterest(card: CardRow, day: string, statements: readonly StatementRow[]): Promise<number> {
    const closed = addDays(day, -1);
    const through = card.interest_through ?? '';
    if (through >= closed || statements.length === 0) return 0;
    if ((await owedOf(card)) <= 0n && statements.every((row) => row.due_day <= through)) {
      await store.setInterestThrough(db, card.id, closed);
      return 0;
    }
    const income = await ctx.systemAccount(INTEREST_INCOME);
    return db.transaction(async (tx) => {
      const locked = await store.findCard(tx, card.id, true);
      if (!locked || (locked.interest_through ?? '') >= closed) return 0;
      await store.setInterestThrough(tx, card.id, closed);
      const items = await store.allTransactions(tx, card.id, CARD_HISTORY_MAX);
      assert(items.length < CARD_HISTORY_MAX, 'a card history within the bound');
      const owedThrough = cardInterestThrough(
        items,
        await store.listStatements(tx, card.id, CARD_HISTORY_MAX),
        locked.annual_rate_bp,
        closed,
      );
      const posted = items.reduce(
        (sum, row) =>
          row.kind === 'interest' ? sum + row.amount : row.kind === 'interest_reversal' ? sum - row.amount : sum,
        0n,
      );
      const interest = owedThrough - posted;
      if (interest <= 0n) return 0;
      const reference = cardReference.interest(card.id, day);
      await store.insertTransaction(tx, {
        id: newId('crt', clock.now().getTime()),
        card_id: card.id,
        kind: 'interest',
        amount: interest,
        merchant_name: null,
        mcc: null,
        day,
        statement_id: null,
        reference,
        entry_id: null,
        posted_at: clock.now(),
      });
      await ctx.post(tx, [
        {
          type: 'transfer',
          reference,
          currency: 'CNY',
          legs: [{ debitAccountId: card.account_id, creditAccountId: income, amountFen: interest }],
          metadata: { kind: 'credit_card_interest', ref: card.id, through: closed },
        },
      ]);
      return 1;
    });
  }

  /** The daily work of one card: interest on a carried balance, the statement, autopay, reminders, reports. */
  async function runCard(card: CardRow, day: string): Promise<{ statements: number; interest: number }> {
    const statements = await store.listStatements(db, card.id, 3);
    const interestPosted = await chargeInterest(card, day, statements);
    const made = await makeStatement(card, day, statements[0]);
    await dueWork(card, day);
    return { statements: made, interest: interestPosted };
  }

  /**
   * This month's statement, on its day or, when the job did not run that day, on its next run:
   * dated the statement day, with what was owed by the end of that day, the card locked meanwhile.
   */
  async function makeStatement(card: CardRow, day: string, last: StatementRow | undefined): Promise<number> {
    const statementDay = `${day.slice(0, 8)}${String(card.statement_day).padStart(2, '0')}`;
    // One statement a month: after a change of statement day the first one on the new day comes the
    // month after the last one on the old day (a longer or shorter transition cycle).
    if (day < statementDay || (last && monthOf(last.statement_day) >= monthOf(statementDay))) return 0;
    if (shanghaiDay(card.created_at) > statementDay) return 0;
    const id = newId('crs', clock.now().getTime());
    const due = addDays(statementDay, CARD_DUE_AFTER_DAYS);
    const owed = await db.transaction(async (tx) => {
      if (!(await store.findCard(tx, card.id, true))) return null;
      const balance = await store.owedThrough(tx, card.id, statementDay);
      const interestBilled = await store.unbilledInterest(tx, card.id, statementDay);
      const fresh = await store.insertStatement(tx, {
        id,
        card_id: card.id,
        period_from: last ? addDays(last.statement_day, 1) : shanghaiDay(card.created_at),
        period_to: statementDay,
        statement_day: statementDay,
        due_day: due,
        original_due_day: due,
        balance: balance > 0n ? balance : 0n,
        minimum_payment: minimumOf(balance),
        paid: 0n,
        interest: interestBilled,
        status: balance > 0n ? 'open' : 'paid',
        autopay_tried_on: null,
        reported: false,
        created_at: clock.now(),
      });
      if (!fresh) return null;
      await store.billTransactions(tx, card.id, id, statementDay);
      if (card.next_statement_day) await store.applyNextStatementDay(tx, card.id, cardDueDay(card.next_statement_day));
      return balance;
    });
    if (owed === null) return 0;
    if (owed > 0n)
      await notice(card, `card:${card.id}:${statementDay}`, 'statement', {
        titleZh: '信用卡账单已出',
        titleEn: 'Your card statement is ready',
        zh: `本期账单 ${formatFen(owed)}，最低还款 ${formatFen(minimumOf(owed))}，到期还款日 ${due}。`,
        en: `Statement ${formatFen(owed)}, minimum ${formatFen(minimumOf(owed))}, due on ${due}.`,
      });
    return 1;
  }

  async function notice(
    card: CardRow,
    subject: string,
    kind: string,
    text: { titleZh: string; titleEn: string; zh: string; en: string },
  ) {
    const given = await noticeStore.insertNotice(db, {
      id: newId('crn', clock.now().getTime()),
      user_id: card.user_id,
      subject,
      kind,
      text: { zh: text.zh, en: text.en },
      created_at: clock.now(),
    });
    if (given)
      await identity.notifyHolder(card.user_id, {
        kind: `credit_${kind}`,
        titleZh: text.titleZh,
        titleEn: text.titleEn,
        bodyZh: text.zh,
        bodyEn: text.en,
        data: { cardId: card.id },
      });
    return given;
  }

  /** Autopay on the due date, our-own-fault moves, reminders and the report of an unpaid minimum. */
  async function dueWork(card: CardRow, day: string) {
    const [statement] = await store.listStatements(db, card.id, 1);
    if (!statement || statement.paid >= statement.balance) return;
    const subject = `card:${card.id}:${statement.original_due_day}`;
    if (statement.due_day <= day && statement.autopay_tried_on === null) {
      const window = await ctx.maintenance.activeFor('credit');
      const moveTo = window
        ? addDays(shanghaiDay(window.endsAt), 1) > day
          ? addDays(shanghaiDay(window.endsAt), 1)
          : addDays(day, 1)
        : statement.due_day < day
          ? day
          : null;
      if (moveTo) {
        await store.updateStatement(db, statement.id, { due_day: moveTo });
        statement.due_day = moveTo;
        await notice(card, `${subject}:${moveTo}`, 'fault_moved', {
          titleZh: '还款日已顺延',
          titleEn: 'Your due date has moved',
          zh: `因通宝系统原因未能自动还款，信用卡账单还款日顺延至 ${moveTo}，不计利息，不影响征信。`,
          en: `Tongbao could not collect your card statement because of our own systems; it is now due on ${moveTo}.`,
        });
      }
    }
    if (statement.due_day === day && statement.autopay_tried_on !== day) {
      await store.updateStatement(db, statement.id, { autopay_tried_on: day });
      const profile = await identity.profile(card.user_id);
      const wallet = profile ? await ctx.ledger.getAccount(profile.walletAccountId) : null;
      const left = statement.balance - statement.paid;
      const owed = await owedOf(card);
      const cap = left < owed ? left : owed;
      const amount = wallet && !wallet.frozen ? (wallet.availableFen < cap ? wallet.availableFen : cap) : 0n;
      if (amount > 0n && profile) await autoRepay(card, amount, day, profile.walletAccountId);
    }
    const fresh = (await store.findStatement(db, statement.id)) as StatementRow;
    if (fresh.paid >= fresh.balance || inQuietHours(clock.now())) return;
    const left = formatFen(fresh.balance - fresh.paid);
    if (day >= addDays(fresh.due_day, -3) && day < fresh.due_day)
      await notice(card, subject, 'reminder_before', {
        titleZh: '信用卡还款提醒',
        titleEn: 'Card repayment reminder',
        zh: `信用卡账单还有 ${left} 未还，到期还款日 ${fresh.due_day}。`,
        en: `Your card statement has ${left} left to pay, due on ${fresh.due_day}.`,
      });
    if (day > fresh.due_day && fresh.paid < fresh.minimum_payment) {
      const graceEnd = addDays(fresh.due_day, GRACE_DAYS);
      const reportDay = addDays(fresh.due_day, GRACE_DAYS + 1);
      const told = await notice(card, subject, 'pre_report', {
        titleZh: '逾期提醒：报送征信前通知',
        titleEn: 'Overdue: notice before credit reporting',
        zh: `信用卡最低还款未还。请在 ${graceEnd} 前还款，不影响征信；否则将于 ${reportDay} 报送征信机构。`,
        en: `Your card's minimum payment is unpaid. Repay by ${graceEnd}; otherwise it is reported on ${reportDay}.`,
      });
      if (told) return; // Reported no earlier than a later run: the notice always comes first.
      if (day >= reportDay && !fresh.reported) {
        const person = await identity.verifiedIdentity(card.user_id);
        if (!person) return;
        const accountRef = `tongbao:card:${card.id}`;
        try {
          await ctx.bureau.reportStatus({
            accountRef,
            idNumber: person.idNumber,
            kind: 'card',
            openedOn: shanghaiDay(card.created_at),
            balanceFen: await owedOf(card),
            status: 'overdue',
            month: monthOf(day),
            monthStatus: '1',
          });
          await ctx.bureau.reportNegative({
            idNumber: person.idNumber,
            accountRef,
            eventRef: `${accountRef}:${fresh.statement_day}`,
            month: monthOf(fresh.due_day),
            kind: 'overdue',
            amountFen: fresh.minimum_payment - fresh.paid,
          });
        } catch (error) {
          // The bureau did not take it: nothing is marked, so the next run reports again.
          if (!(error instanceof BureauUnavailable)) throw error;
          ctx.logger?.warn({ cardId: card.id, err: error }, 'credit: the bureau did not take the report; next run');
          return;
        }
        await store.updateStatement(db, fresh.id, { reported: true, status: 'overdue' });
      }
    }
  }

  async function autoRepay(card: CardRow, amountFen: bigint, day: string, walletAccountId: string) {
    const now = clock.now();
    return inTransaction<RepaymentRow, CreditError>(db, async (tx, rollback) => {
      const locked = await store.findCard(tx, card.id, true);
      if (!locked) return rollback({ code: 'CREDIT_CARD_NOT_FOUND' });
      const inserted = await loanStore.insertRepayment(tx, {
        id: newId('crp', now.getTime()),
        user_id: card.user_id,
        target: 'card',
        target_id: card.id,
        mode: 'custom',
        source: 'auto_wallet',
        status: 'awaiting_confirmation',
        amount: amountFen,
        currency: 'CNY',
        alloc_penalty: 0n,
        alloc_interest: 0n,
        alloc_principal: 0n,
        confirmation_id: null,
        client_key: `auto:${card.id}:${day}`,
        entry_id: null,
        failure_code: null,
        created_at: now,
        completed_at: null,
      });
      if (!inserted) return rollback({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: 'completed' });
      return settle(tx, locked, inserted, walletAccountId);
    });
  }

  async function run(): Promise<{ statements: number; interest: number }> {
    const day = today();
    const counts = { statements: 0, interest: 0 };
    let after = '';
    for (;;) {
      const batch = await store.activeCardsAfter(db, after, 100);
      for (const card of batch) {
        const done = await runCard(card, day);
        counts.statements += done.statements;
        counts.interest += done.interest;
      }
      if (batch.length < 100) break;
      after = batch[batch.length - 1].id;
    }
    return counts;
  }

  return { run };
}
