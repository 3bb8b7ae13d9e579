import { newId } from '../platform/ids.js';
import { fenToJson, formatFen } from '../platform/money.js';
import { minimumOf } from './card-daily.js';
import { cardInterestThrough } from './card-interest.js';
import { monthOf } from './calendar.js';
import { type CreditContext, INTEREST_INCOME } from './context.js';
import * as store from './store-cards.js';
import type { StatementRow } from './store-cards.js';

/**
 * A restriction lifted as a false positive, for credit cards: every statement not repaid that fell due
 * while the restriction was on moves to the day after the lift (so it keeps its interest-free period
 * and is not late), the interest charged because it looked late is reversed through the ledger (an
 * `interest_reversal` the interest rule nets against the newest interest), a report already sent is
 * taken back (by the caller, with the loans'), and the holder is told. Safe to call again.
 */

export interface CardFaultOutcome {
  cardId: string;
  moved: StatementRow[];
  reversedFen: bigint;
  /** Where the moved statements are due now. */
  dueDay: string;
  /** Negative records to correct at the bureau (account and month), as the loans' are. */
  toCorrect: { accountRef: string; month: string }[];
}

export function createCardFault(ctx: CreditContext) {
  const { db, clock } = ctx;

  async function cardFault(userId: string, from: string, liftDay: string, newDue: string): Promise<CardFaultOutcome[]> {
    const income = await ctx.systemAccount(INTEREST_INCOME);
    const outcomes: CardFaultOutcome[] = [];
    for (const { id } of await store.listUserCards(db, userId)) {
      const outcome = await db.transaction(async (tx) => {
        const card = await store.findCard(tx, id, true);
        if (!card || card.status === 'closed') return null;
        const statements = await store.listStatements(tx, card.id, 24, true);
        const hit = statements.filter((s) => s.due_day >= from && s.due_day <= liftDay && s.paid < s.balance);
        if (hit.length === 0) return null;
        const toCorrect = hit
          .filter((s) => s.reported)
          .map((s) => ({ accountRef: `tongbao:card:${card.id}`, month: monthOf(s.due_day) }));
        // A statement made since carries what the moved ones left unpaid: they are due with it, when
        // that is later (its automatic repayment collects them), else the day after the lift.
        const [latest] = statements;
        const carried = latest && !hit.includes(latest) ? latest : null;
        const dueDay = carried && carried.due_day > newDue ? carried.due_day : newDue;
        for (const s of hit) {
          const status = s.paid >= s.minimum_payment ? 'minimum_paid' : 'open';
          await store.updateStatement(tx, s.id, { due_day: dueDay, status, reported: false });
          s.due_day = dueDay;
        }
        // The interest owed as if those statements were due after the lift, against what was posted.
        let reversedFen = 0n;
        if (card.interest_through) {
          const items = await store.allTransactions(tx, card.id, 20_000);
          const owed = cardInterestThrough(items, statements, card.annual_rate_bp, card.interest_through);
          const posted = items.reduce(
            (sum, row) =>
              row.kind === 'interest' ? sum + row.amount : row.kind === 'interest_reversal' ? sum - row.amount : sum,
            0n,
          );
          reversedFen = posted > owed ? posted - owed : 0n;
        }
        if (reversedFen > 0n) {
          const reference = `credit:card:${card.id}:fault:${liftDay}`;
          const fresh = await store.insertTransaction(tx, {
            id: newId('crt', clock.now().getTime()),
            card_id: card.id,
            kind: 'interest_reversal',
            amount: reversedFen,
            merchant_name: null,
            mcc: null,
            day: liftDay,
            statement_id: null,
            reference,
            entry_id: null,
            posted_at: clock.now(),
          });
          if (fresh)
            await ctx.post(tx, [
              {
                type: 'transfer',
                reference,
                currency: 'CNY',
                legs: [{ debitAccountId: income, creditAccountId: card.account_id, amountFen: reversedFen }],
                metadata: { kind: 'credit_card_interest_reversed', ref: card.id, interest: fenToJson(reversedFen) },
              },
            ]);
          else reversedFen = 0n;
        }
        // The later statement billed the reversed interest: its balance, interest and minimum drop by it.
        if (carried && reversedFen > 0n) {
          const cut = carried.interest < reversedFen ? carried.interest : reversedFen;
          const balance = carried.balance - cut;
          await store.updateStatement(tx, carried.id, {
            balance,
            interest: carried.interest - cut,
            minimum_payment: minimumOf(balance),
            status: carried.paid >= balance ? 'paid' : carried.status,
          });
        }
        return { cardId: card.id, moved: hit, reversedFen, toCorrect, dueDay };
      });
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  /** The holder's notice for a moved card statement. */
  const noticeText = (outcome: CardFaultOutcome) => {
    const newDue = outcome.dueDay;
    const back = outcome.reversedFen > 0n ? formatFen(outcome.reversedFen) : null;
    return {
      titleZh: '信用卡还款日已顺延',
      titleEn: 'Your card’s due date has moved',
      zh:
        `您账户的付款限制经核查属于误判，已解除。信用卡账单还款日顺延至 ${newDue}，免息期保留，不收违约金，` +
        `不影响征信${back ? `；已收取的利息 ${back} 已冲回` : ''}。`,
      en:
        `The restriction on your payments was our mistake and is lifted. Your card statement is now due on ` +
        `${newDue}, keeping its interest-free period, with no late fee and nothing reported` +
        `${back ? `; the interest charged, ${back}, is reversed` : ''}.`,
    };
  };

  return { cardFault, noticeText };
}
