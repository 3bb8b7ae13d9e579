import { expect } from 'vitest';
import type { CardTransactionRow } from '../server/credit/store-cards.js';

/**
 * Card interest computed independently of server/credit/card-interest.ts, for its tests: walk the
 * days, keep a queue of debts paid oldest first, sum each day's unpaid purchases of statements that
 * lost their interest-free period (not everything billed up to them repaid by their due day), round once.
 */

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export type Kind = CardTransactionRow['kind'];
export interface CardEvent {
  id: string;
  kind: Kind;
  amount: bigint;
  day: string;
  statement_id: string | null;
}
export interface CardStatement {
  id: string;
  statement_day: string;
  due_day: string;
  autopay_tried_on: string | null;
}

export function naiveInterest(
  events: readonly CardEvent[],
  statements: readonly CardStatement[],
  rateBp: number,
  to: string,
) {
  const debit = (kind: Kind) => kind === 'purchase' || kind === 'interest' || kind === 'penalty';
  const statementOf = new Map(statements.map((s) => [s.id, s]));
  // Lost: not everything billed up to the statement was repaid by the end of its due day.
  const lost = new Set<string>();
  for (const s of statements) {
    if (s.due_day > to || s.autopay_tried_on === null) continue;
    let billed = 0n;
    let repaid = 0n;
    for (const e of events) {
      const on = e.statement_id ? statementOf.get(e.statement_id) : undefined;
      if (debit(e.kind) && on && on.statement_day <= s.statement_day) billed += e.amount;
      if (!debit(e.kind) && e.day <= s.due_day) repaid += e.amount;
    }
    if (repaid < billed) lost.add(s.id);
  }
  const first = events.reduce((min, e) => (e.day < min ? e.day : min), to);
  const queue: { event: CardEvent; left: bigint }[] = [];
  let fenDays = 0n;
  for (let day = first; day <= to; day = addDays(day, 1)) {
    const today = events.filter((e) => e.day === day);
    const order = (e: CardEvent) => (e.kind === 'purchase' ? 0 : 1);
    for (const e of today.filter((x) => debit(x.kind)).sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1)))
      queue.push({ event: e, left: e.amount });
    for (const credit of today.filter((x) => !debit(x.kind))) {
      let left = credit.amount;
      for (const debt of queue) {
        const part = debt.left < left ? debt.left : left;
        debt.left -= part;
        left -= part;
      }
      expect(left).toBe(0n);
    }
    for (const debt of queue)
      if (debt.event.kind === 'purchase' && debt.event.statement_id && lost.has(debt.event.statement_id))
        fenDays += debt.left;
  }
  return (fenDays * BigInt(rateBp)) / 3_600_000n;
}
