import { randomInt } from 'node:crypto';
import type { LedgerCommand } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import type { Queryable, Tx } from '../platform/db/types.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { CARD_INTEREST_FREE_DAYS_MAX } from './applications.js';
import { MINIMUM_PCT, cardReference, createCardDaily } from './card-daily.js';
import { CARD_NETWORK, type CreditContext } from './context.js';
import { cardContract } from './contract.js';
import type { CreditError } from './deps.js';
import { repaymentOperation } from './loans.js';
import * as store from './store-cards.js';
import type { CardRow } from './store-cards.js';
import * as loanStore from './store-loans.js';
import type { RepaymentRow } from './store-loans.js';
import type { ApplicationRow } from './store.js';

export { MINIMUM_PCT, minimumOf } from './card-daily.js';

/**
 * Credit cards: a virtual card (BIN 625888, Luhn check digit, the number encrypted at rest and
 * shown masked), purchases arriving from the card-network sandbox, a statement each month with a
 * minimum payment of 10 %, the interest-free period honoured when a statement is paid in full by
 * its due date, and interest on the carried balance after it. The card's receivable account holds
 * what the holder owes (negative balance).
 */

export const CARD_BIN = '625888';
export const CARD_BRAND = '通宝银联信用卡';

/** The Luhn check digit of a number's other digits. */
export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export const luhnValid = (pan: string) => luhnDigit(pan.slice(0, -1)) === pan.slice(-1);

export function newPan(): string {
  let body = CARD_BIN;
  while (body.length < 15) body += String(randomInt(10));
  return body + luhnDigit(body);
}

export const maskPan = (last4: string) => `${CARD_BIN.slice(0, 4)} ${CARD_BIN.slice(4)}** **** ${last4}`;

export function createCards(ctx: CreditContext) {
  const { db, clock, identity, cipher } = ctx;

  async function issue(tx: Tx, application: ApplicationRow): Promise<{ cardId: string; commands: LedgerCommand[] }> {
    const offer = application.offer;
    assert(offer?.card, 'a card offer has its days');
    const now = clock.now();
    const account = await ctx.ledger.createAccountInTx(tx, {
      kind: 'credit_receivable',
      currency: 'CNY',
      ownerRef: `credit:card:${application.user_id}`,
    });
    const pan = newPan();
    const expires = new Date(now.getTime() + 5 * 365 * 86_400_000);
    const cardId = newId('crc', now.getTime());
    await store.insertCard(tx, {
      id: cardId,
      user_id: application.user_id,
      application_id: application.id,
      account_id: account.id,
      pan_enc: cipher.encrypt(pan),
      pan_hash: cipher.lookupHash(`credit-card:${pan}`),
      last4: pan.slice(-4),
      expiry: `${String(expires.getUTCMonth() + 1).padStart(2, '0')}/${String(expires.getUTCFullYear()).slice(2)}`,
      credit_limit: BigInt(offer.limitFen),
      annual_rate_bp: offer.annualRateBp,
      statement_day: offer.card.statementDay,
      due_day: offer.card.dueDay,
      status: 'active',
      interest_through: null,
      created_at: now,
    });
    return { cardId, commands: [] };
  }

  const contractOf = (card: CardRow) =>
    cardContract({
      limitFen: card.credit_limit,
      annualRateBp: card.annual_rate_bp,
      statementDay: card.statement_day,
      dueDay: card.due_day,
      interestFreeDaysMax: CARD_INTEREST_FREE_DAYS_MAX,
      minimumPct: Number(MINIMUM_PCT),
    });

  /** What is owed, from the card's own transactions (inside a transaction, pass it). */
  const owedOf = (card: CardRow, q: Queryable = db) => store.owedTotal(q, card.id);

  async function ownCard(userId: string, cardId: string) {
    const card = await store.findCard(db, cardId);
    return card && card.user_id === userId ? card : null;
  }

  /** A purchase from the card network (sandbox): refused above the available limit. */
  async function purchase(input: {
    cardId: string;
    amountFen: bigint;
    merchantName: string;
    mcc: string | null;
    networkRef: string;
  }): Promise<Result<store.CardTransactionRow, CreditError>> {
    const network = await ctx.systemAccount(CARD_NETWORK);
    const now = clock.now();
    return inTransaction(db, async (tx, rollback) => {
      const card = await store.findCard(tx, input.cardId, true);
      if (card?.status === 'frozen') return rollback({ code: 'CREDIT_CARD_FROZEN' });
      if (!card || card.status !== 'active') return rollback({ code: 'CREDIT_CARD_NOT_FOUND' });
      const owed = await owedOf(card, tx);
      if (owed + input.amountFen > card.credit_limit)
        return rollback({ code: 'CREDIT_CARD_LIMIT_EXCEEDED', available: Number(card.credit_limit - owed) });
      const row: store.CardTransactionRow = {
        id: newId('crt', now.getTime()),
        card_id: card.id,
        kind: 'purchase',
        amount: input.amountFen,
        merchant_name: input.merchantName,
        mcc: input.mcc,
        day: shanghaiDay(now),
        statement_id: null,
        reference: cardReference.purchase(card.id, input.networkRef),
        entry_id: null,
        posted_at: now,
      };
      if (!(await store.insertTransaction(tx, row))) return rollback({ code: 'IDEMPOTENCY_KEY_REUSED' });
      await ctx.post(tx, [
        {
          type: 'transfer',
          reference: row.reference,
          currency: 'CNY',
          legs: [{ debitAccountId: card.account_id, creditAccountId: network, amountFen: input.amountFen }],
          metadata: { kind: 'credit_card_purchase', ref: card.id, counterparty: input.merchantName },
        },
      ]);
      return row;
    });
  }

  /**
   * Applies a repayment to the latest statement, whose balance includes whatever earlier statements
   * left unpaid (so earlier ones are settled through it), in the caller's transaction.
   */
  async function applyToStatements(tx: Tx, cardId: string, amountFen: bigint) {
    const [latest] = await store.listStatements(tx, cardId, 1, true);
    if (!latest) return;
    const owing = latest.balance - latest.paid;
    if (owing <= 0n) return;
    const paid = latest.paid + (amountFen < owing ? amountFen : owing);
    await store.updateStatement(tx, latest.id, {
      paid,
      status: paid >= latest.balance ? 'paid' : paid >= latest.minimum_payment ? 'minimum_paid' : latest.status,
    });
  }

  async function amountFor(
    card: CardRow,
    mode: 'full' | 'minimum' | 'custom',
    amountFen: bigint | null,
  ): Promise<Result<bigint, CreditError>> {
    const owed = await owedOf(card);
    if (mode === 'full') return owed > 0n ? ok(owed) : err({ code: 'CREDIT_NOTHING_DUE' });
    if (mode === 'minimum') {
      const [latest] = await store.listStatements(db, card.id, 1);
      const left = latest ? latest.minimum_payment - latest.paid : 0n;
      return left > 0n ? ok(left < owed ? left : owed) : err({ code: 'CREDIT_NOTHING_DUE' });
    }
    if (amountFen === null) return err({ code: 'CREDIT_AMOUNT_REQUIRED' });
    if (amountFen > owed) return err({ code: 'CREDIT_REPAYMENT_ABOVE_OWED', owed: Number(owed > 0n ? owed : 0n) });
    return ok(amountFen);
  }

  async function prepareRepayment(
    userId: string,
    cardId: string,
    input: { mode: 'full' | 'minimum' | 'custom'; amountFen: bigint | null; clientKey: string | null },
  ): Promise<Result<{ repayment: RepaymentRow; confirmationId: string }, CreditError>> {
    if (input.clientKey) {
      const existing = await loanStore.findRepaymentByKey(db, userId, input.clientKey);
      if (existing) return ok({ repayment: existing, confirmationId: existing.confirmation_id ?? '' });
    }
    const card = await ownCard(userId, cardId);
    if (!card) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    const amount = await amountFor(card, input.mode, input.amountFen);
    if (!amount.ok) return amount;
    const now = clock.now();
    const id = newId('crp', now.getTime());
    const draft = { id, amount: amount.value, currency: 'CNY', target: 'card' as const, target_id: card.id };
    const confirmation = await identity.confirmations.create(userId, repaymentOperation(draft));
    const row = await loanStore.insertRepayment(db, {
      ...draft,
      user_id: userId,
      mode: input.mode,
      source: 'manual',
      status: 'awaiting_confirmation',
      alloc_penalty: 0n,
      alloc_interest: 0n,
      alloc_principal: 0n,
      confirmation_id: confirmation.id,
      client_key: input.clientKey,
      entry_id: null,
      failure_code: null,
      created_at: now,
      completed_at: null,
    });
    const repayment = row ?? (await loanStore.findRepaymentByKey(db, userId, input.clientKey as string));
    if (!repayment) return err({ code: 'CREDIT_REPAYMENT_NOT_FOUND' });
    return ok({ repayment, confirmationId: repayment.confirmation_id ?? confirmation.id });
  }

  /** Moves a card repayment's money and records it, in the caller's transaction (card locked). */
  async function settle(tx: Tx, card: CardRow, repayment: RepaymentRow, walletAccountId: string) {
    const owed = await owedOf(card, tx);
    if (repayment.amount > owed) throw new Error('checked by the caller');
    const now = clock.now();
    await store.insertTransaction(tx, {
      id: newId('crt', now.getTime()),
      card_id: card.id,
      kind: 'repayment',
      amount: repayment.amount,
      merchant_name: null,
      mcc: null,
      day: shanghaiDay(now),
      statement_id: null,
      reference: `credit:card:${card.id}:repayment:${repayment.id}`,
      entry_id: null,
      posted_at: now,
    });
    await applyToStatements(tx, card.id, repayment.amount);
    const [entryId] = await ctx.post(tx, [
      {
        type: 'transfer',
        reference: `credit:repay:${repayment.id}`,
        currency: 'CNY',
        legs: [{ debitAccountId: walletAccountId, creditAccountId: card.account_id, amountFen: repayment.amount }],
        metadata: { kind: 'credit_card_repayment', ref: card.id, counterparty: CARD_BRAND },
        limitExempt: true,
      },
    ]);
    return loanStore.completeRepayment(tx, repayment.id, {
      alloc_penalty: 0n,
      alloc_interest: 0n,
      alloc_principal: repayment.amount,
      entry_id: entryId,
      completed_at: now,
    });
  }

  const daily = createCardDaily(ctx, { owedOf, settle });

  async function completeRepayment(
    userId: string,
    repaymentId: string,
    confirmationId: string,
  ): Promise<Result<RepaymentRow, CreditError>> {
    const found = await loanStore.findRepayment(db, repaymentId);
    if (!found || found.user_id !== userId || found.target !== 'card')
      return err({ code: 'CREDIT_REPAYMENT_NOT_FOUND' });
    if (found.status === 'completed' && found.confirmation_id === confirmationId) return ok(found);
    if (found.status !== 'awaiting_confirmation')
      return err({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: found.status });
    const profile = await identity.profile(userId);
    if (!profile) return err({ code: 'CREDIT_CARD_NOT_FOUND' });
    return inTransaction<RepaymentRow, CreditError>(db, async (tx, rollback) => {
      const repayment = await loanStore.findRepayment(tx, repaymentId, true);
      if (repayment?.status !== 'awaiting_confirmation')
        return rollback({ code: 'CREDIT_REPAYMENT_NOT_PENDING', status: repayment?.status ?? 'unknown' });
      if (repayment.confirmation_id !== confirmationId) return rollback({ code: 'CONFIRMATION_INVALID' });
      const consumed = await identity.confirmations.consume(tx, userId, confirmationId, repaymentOperation(repayment));
      if (!consumed.ok) return rollback(consumed.error as CreditError);
      const card = await store.findCard(tx, repayment.target_id, true);
      if (!card) return rollback({ code: 'CREDIT_CARD_NOT_FOUND' });
      const owed = await owedOf(card, tx);
      if (repayment.amount > owed) return rollback({ code: 'CREDIT_REPAYMENT_ABOVE_OWED', owed: Number(owed) });
      return settle(tx, card, repayment, profile.walletAccountId);
    });
  }

  /** A card as the holder sees it: what is owed, what is unbilled, the statement still to pay. */
  async function view(card: CardRow) {
    const owed = await owedOf(card);
    const unbilled = await store.unbilledTotal(db, card.id);
    const [latest] = await store.listStatements(db, card.id, 1);
    const current = latest && latest.paid < latest.balance ? latest : null;
    return { card, owed, unbilled, current, contract: contractOf(card) };
  }

  async function statementOf(userId: string, statementId: string) {
    const statement = await store.findStatement(db, statementId);
    if (!statement) return null;
    const card = await ownCard(userId, statement.card_id);
    if (!card) return null;
    const transactions = await store.listTransactions(db, card.id, { statementId }, 500);
    return { statement, card, transactions };
  }

  return {
    view,
    statementOf,
    listFor: (userId: string) => store.listUserCards(db, userId),
    transactions: (cardId: string, before: string | null, limit: number) =>
      store.listTransactions(db, cardId, { before }, limit),
    statements: (cardId: string) => store.listStatements(db, cardId, 24),
    panOf: (card: CardRow) => cipher.decrypt(card.pan_enc),
    issue,
    contractOf,
    owedOf,
    ownCard,
    purchase,
    prepareRepayment,
    completeRepayment,
    run: daily.run,
    holdsCard: async (userId: string) => (await store.listUserCards(db, userId)).some((c) => c.status !== 'closed'),
  };
}

export type Cards = ReturnType<typeof createCards>;
