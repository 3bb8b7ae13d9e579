import { shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';
import { cardDueDay } from './applications.js';
import { addMonths, monthOf } from './calendar.js';
import type { CreditContext } from './context.js';
import type { CreditError } from './deps.js';
import * as store from './store-cards.js';
import type { CardRow } from './store-cards.js';

/**
 * The holder's own card controls: freeze and unfreeze (a frozen card's purchases are declined,
 * repayments and the daily work go on), the full number and CVV after the payment PIN (decrypted
 * only then, audited), and a new statement day (1–28) from the next cycle, once in 12 months.
 */

/** How long a new statement day must wait after the last change (our judgement; banks allow once a year). */
export const STATEMENT_DAY_CHANGE_MONTHS = 12;
/** How long the wallet shows a revealed number before masking it again. */
export const REVEAL_SECONDS = 30;

const dayIn = (month: string, dayOfMonth: number) => `${month}-${String(dayOfMonth).padStart(2, '0')}`;
const nextMonth = (month: string) => monthOf(addMonths(`${month}-01`, 1));

/**
 * The card's CVV, derived from the number and expiry with a keyed hash (as a card scheme derives
 * it with its CVK), so it is never stored.
 */
export function cvvOf(lookupHash: (value: string) => string, pan: string, expiry: string): string {
  const digest = lookupHash(`credit-card-cvv:${pan}:${expiry}`);
  return String(Number.parseInt(digest.slice(0, 8), 16) % 1000).padStart(3, '0');
}

export function createCardControls(ctx: CreditContext) {
  const { db, clock, cipher, audit } = ctx;

  async function ownCard(userId: string, cardId: string) {
    const card = await store.findCard(db, cardId);
    return card && card.user_id === userId && card.status !== 'closed' ? card : null;
  }

  async function setFrozen(
    userId: string,
    cardId: string,
    frozen: boolean,
    request: { ip?: string; requestId?: string },
  ): Promise<Result<CardRow, CreditError>> {
    const card = await ownCard(userId, cardId);
    if (!card) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    if ((card.status === 'frozen') === frozen) return ok(card);
    const updated = await store.setFrozen(db, card.id, frozen ? clock.now() : null);
    if (!updated) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    await audit.record(db, {
      actorKind: 'user',
      actorId: userId,
      action: frozen ? 'credit.card_frozen' : 'credit.card_unfrozen',
      subjectType: 'credit_card',
      subjectId: card.id,
      details: { last4: card.last4 },
      ...request,
    });
    return ok(updated);
  }

  /** The full number and CVV, only after the payment PIN; every reveal is a security event. */
  async function reveal(
    userId: string,
    cardId: string,
    pin: string,
    request: { ip?: string; requestId?: string },
  ): Promise<Result<{ number: string; cvv: string; expiry: string }, CreditError>> {
    const card = await ownCard(userId, cardId);
    if (!card) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    const checked = await ctx.identity.pin.verify(userId, pin);
    if (!checked.ok) {
      await audit.record(db, {
        actorKind: 'user',
        actorId: userId,
        action: 'credit.card_reveal_refused',
        subjectType: 'credit_card',
        subjectId: card.id,
        details: { last4: card.last4, reason: checked.error.code },
        ...request,
      });
      return err(checked.error as CreditError);
    }
    const pan = cipher.decrypt(card.pan_enc);
    await audit.record(db, {
      actorKind: 'user',
      actorId: userId,
      action: 'credit.card_revealed',
      subjectType: 'credit_card',
      subjectId: card.id,
      details: { last4: card.last4 },
      ...request,
    });
    return ok({ number: pan, cvv: cvvOf(cipher.lookupHash, pan, card.expiry), expiry: card.expiry });
  }

  /** Where a statement day stands: the next statement, when a chosen day takes effect, when it may change. */
  async function statementDayPlan(card: CardRow) {
    const today = shanghaiDay(clock.now());
    const [last] = await store.listStatements(db, card.id, 1);
    const thisMonth = monthOf(today);
    const madeThisMonth = last && monthOf(last.statement_day) >= thisMonth;
    const issuedAfter = shanghaiDay(card.created_at) > dayIn(thisMonth, card.statement_day);
    const oldMonth = madeThisMonth || issuedAfter ? nextMonth(thisMonth) : thisMonth;
    const nextStatementOn = dayIn(oldMonth, card.statement_day);
    const pending = card.next_statement_day ?? null;
    const changeAllowedFrom = card.statement_day_changed_on
      ? addMonths(card.statement_day_changed_on, STATEMENT_DAY_CHANGE_MONTHS)
      : null;
    return {
      statementDay: card.statement_day,
      dueDay: card.due_day,
      nextStatementOn,
      pendingStatementDay: pending,
      pendingDueDay: pending === null ? null : cardDueDay(pending),
      pendingFrom: pending === null ? null : dayIn(nextMonth(oldMonth), pending),
      changeAllowedFrom: changeAllowedFrom && changeAllowedFrom > today ? changeAllowedFrom : null,
    };
  }

  async function changeStatementDay(
    userId: string,
    cardId: string,
    day: number,
    request: { ip?: string; requestId?: string },
  ): Promise<Result<Awaited<ReturnType<typeof statementDayPlan>>, CreditError>> {
    if (!Number.isInteger(day) || day < 1 || day > 28) return err({ code: 'CREDIT_STATEMENT_DAY_INVALID' });
    const card = await ownCard(userId, cardId);
    if (!card) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    const today = shanghaiDay(clock.now());
    const plan = await statementDayPlan(card);
    if (plan.changeAllowedFrom)
      return err({ code: 'CREDIT_STATEMENT_DAY_CHANGED_RECENTLY', allowedFrom: plan.changeAllowedFrom });
    if (day === card.statement_day) return err({ code: 'CREDIT_STATEMENT_DAY_UNCHANGED' });
    await store.setNextStatementDay(db, card.id, day, today);
    await audit.record(db, {
      actorKind: 'user',
      actorId: userId,
      action: 'credit.card_statement_day_changed',
      subjectType: 'credit_card',
      subjectId: card.id,
      details: { from: card.statement_day, to: day },
      ...request,
    });
    const fresh = (await store.findCard(db, card.id)) as CardRow;
    return ok(await statementDayPlan(fresh));
  }

  return { setFrozen, reveal, statementDayPlan, changeStatementDay, ownCard };
}

export type CardControls = ReturnType<typeof createCardControls>;
