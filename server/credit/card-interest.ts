import { addDays } from './calendar.js';
import type { CardTransactionRow, StatementRow } from './store-cards.js';

/**
 * Card interest, as a pure function of the card's transactions and statements (docs/credit.md):
 *
 * - A statement keeps its interest-free period when everything billed up to it was repaid by the
 *   end of its due day. Otherwise it "loses grace" the day after, and every purchase billed on it
 *   bears interest from its own posting day (domain-rules-2 §9: interest-free from purchase to due
 *   date only when paid in full), on the part of it still unpaid each day, until the day before
 *   the day it is repaid.
 * - Repayments (and refunds) pay the oldest debt first: items by posting day, a purchase before
 *   interest posted the same day. Interest itself bears no interest.
 * - A statement whose automatic repayment was never tried (the job did not run since its due day:
 *   our fault, its due date moves first) does not lose grace.
 * - The daily rate is the annual rate / 360. The interest owed through a day is
 *   floor(Σ unpaid fen × days × rate_bp / 3,600,000) over the whole card, so the daily postings
 *   (this target less what was already posted) sum exactly to it, with one rounding.
 */

const DEBITS = new Set<CardTransactionRow['kind']>(['purchase', 'interest', 'penalty']);
const rank = (kind: CardTransactionRow['kind']) => (kind === 'purchase' ? 0 : 1);
type Item = Pick<CardTransactionRow, 'id' | 'kind' | 'amount' | 'day' | 'statement_id'>;
type Statement = Pick<StatementRow, 'id' | 'statement_day' | 'due_day' | 'autopay_tried_on'>;

/** Credits (repayments and refunds) repaid through a day: cumulative sums, found by binary search. */
function creditsThrough(items: readonly Item[]) {
  const credits = items
    .filter((item) => item.kind === 'repayment' || item.kind === 'refund')
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const days = credits.map((credit) => credit.day);
  const totals: bigint[] = [];
  for (const credit of credits) totals.push((totals.at(-1) ?? 0n) + credit.amount);
  return (day: string) => {
    let low = 0;
    let high = days.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (days[middle] <= day) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0n : totals[low - 1];
  };
}

/**
 * Interest reversed (our own fault, card-fault.ts) cancels the interest posted last: the newest interest
 * items are reduced by it, so the reversed interest is no debt that repayments pay first.
 */
export function netOfReversals(items: readonly Item[]): Item[] {
  let reversed = items.reduce((sum, item) => (item.kind === 'interest_reversal' ? sum + item.amount : sum), 0n);
  const kept = items.filter((item) => item.kind !== 'interest_reversal').map((item) => ({ ...item }));
  for (let i = kept.length - 1; i >= 0 && reversed > 0n; i--) {
    if (kept[i].kind !== 'interest') continue;
    const cut = kept[i].amount < reversed ? kept[i].amount : reversed;
    kept[i].amount -= cut;
    reversed -= cut;
  }
  return kept.filter((item) => item.amount > 0n);
}

/** The statements that lost their interest-free period, judged with days through `closedDay`. */
export function graceLost(items: readonly Item[], statements: readonly Statement[], closedDay: string): Set<string> {
  const repaid = creditsThrough(items);
  const order = [...statements].sort((a, b) => (a.statement_day < b.statement_day ? -1 : 1));
  const lost = new Set<string>();
  let billed = 0n;
  const billedOn = new Map<string, bigint>();
  for (const item of items) {
    if (!DEBITS.has(item.kind) || item.statement_id === null) continue;
    billedOn.set(item.statement_id, (billedOn.get(item.statement_id) ?? 0n) + item.amount);
  }
  for (const statement of order) {
    billed += billedOn.get(statement.id) ?? 0n;
    if (statement.due_day > closedDay || statement.autopay_tried_on === null) continue;
    if (repaid(statement.due_day) < billed) lost.add(statement.id);
  }
  return lost;
}

/** Interest owed on the card for every day through `closedDay` (a day already over), in fen. */
export function cardInterestThrough(
  allItems: readonly Item[],
  statements: readonly Statement[],
  annualRateBp: number,
  closedDay: string,
): bigint {
  const items = netOfReversals(allItems);
  const lost = graceLost(items, statements, closedDay);
  if (lost.size === 0) return 0n;
  const debits = items
    .filter((item) => DEBITS.has(item.kind))
    .sort((a, b) =>
      a.day !== b.day ? (a.day < b.day ? -1 : 1) : rank(a.kind) - rank(b.kind) || (a.id < b.id ? -1 : 1),
    );
  const repaid = creditsThrough(items);
  let before = 0n;
  let fenDays = 0n;
  for (const item of debits) {
    const ahead = before;
    before += item.amount;
    if (item.kind !== 'purchase' || item.statement_id === null || !lost.has(item.statement_id)) continue;
    // Unpaid part of this item at the end of each day: what repayments left after older debts.
    for (let day = item.day, steps = 0; day <= closedDay; day = addDays(day, 1), steps++) {
      if (steps > 3660) throw new Error('card interest: more than ten years of one item');
      const reached = repaid(day) - ahead;
      const paid = reached <= 0n ? 0n : reached >= item.amount ? item.amount : reached;
      if (paid === item.amount) break;
      fenDays += item.amount - paid;
    }
  }
  return (fenDays * BigInt(annualRateBp)) / 3_600_000n;
}
