import type { Operation } from '../confirmations/service.js';
import type { Metadata } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import { randomDigits } from '../platform/crypto.js';
import type { Tx } from '../platform/db/types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { formatFen, fenToJson } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { type RequestOrigin, riskRefusal } from '../risk/port.js';
import type { BillError, Billers } from './billers.js';
import type { BillsDeps } from './deps.js';
import type { Inquiry } from './inquiry.js';
import { type BillConfirmation, type BillNetwork, BillNetworkTimeout, type PayOutcome } from './network.js';
import * as store from './store.js';
import type { BillerRow, PaymentRow } from './store.js';

/**
 * Paying a bill, two-phase like a withdrawal: the payment is prepared and confirmed (PIN or
 * passkey, or the password-free allowance, or an autopay mandate), then one transaction spends the
 * confirmation, takes the bill's claim (at most one payment in flight or paid per bill) and holds
 * the money; the network is called outside any transaction; the answer, a biller's confirmation or
 * the status query settles it — post the hold to the biller's settlement account on success, void
 * it and release the claim on failure — whichever comes first, once.
 */

/** Holds outlive any network delay by far, so a slow biller never finds its hold expired. */
export const BILL_HOLD_TTL_MS = 30 * 24 * 3600_000;
/** How long after submitting the network may still say it never saw a payment. */
export const NOT_FOUND_GRACE_MS = 2 * 60_000;
const FIRST_CHECK_MS = 30_000;
const MAX_CHECK_INTERVAL_MS = 3600_000;

export interface PaymentView {
  id: string;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  accountNumber: string;
  savedAccountId: string | null;
  label: string | null;
  billRef: string | null;
  period: string | null;
  amountFen: bigint;
  billAmountFen: bigint;
  lateFeeFen: bigint;
  currency: string;
  status: store.PaymentStatus;
  failureReason: string | null;
  source: 'holder' | 'autopay';
  passwordFree: boolean;
  lateFeeBorneFen: bigint;
  networkRef: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface ConfirmationOffer {
  id: string;
  challenge: string;
  expiresAt: Date;
}

export const billPayee = (payment: Pick<PaymentRow, 'biller_id' | 'account_number'>) =>
  `biller:${payment.biller_id}:${payment.account_number}`;

/**
 * The operation a bill payment's confirmation is bound to: built here only, when the confirmation
 * is made and when it is spent, so the two cannot drift apart.
 */
export function billOperation(
  payment: Pick<PaymentRow, 'id' | 'amount' | 'currency' | 'biller_id' | 'account_number'>,
): Operation {
  return { reference: payment.id, amountFen: payment.amount, currency: payment.currency, payee: billPayee(payment) };
}

export const billRiskReference = (paymentId: string) => `bill:${paymentId}`;

export type SettleOutcome =
  { status: 'succeeded'; networkRef?: string } | { status: 'failed'; reason: string; networkRef?: string };

export interface PayInput {
  billerId: string;
  accountNumber: string;
  billRef?: string;
  amountFen: bigint;
  savedAccountId?: string;
}

/** Told after a payment settles (autopay keeps its books from it). */
export type SettledListener = (payment: PaymentRow) => Promise<void>;

export function createPaying(deps: BillsDeps, billers: Billers, inquiry: Inquiry, network: BillNetwork) {
  const { db, clock, ledger, identity } = deps;
  const listeners: SettledListener[] = [];

  deps.risk?.onResolved?.('bill', async (event) => {
    if (event.outcome !== 'voided' || !event.reference.startsWith('bill:')) return;
    const payment = await store.findPayment(db, event.reference.slice('bill:'.length));
    if (payment && payment.user_id === event.userId)
      await store.failAwaiting(db, payment.id, 'RISK_BLOCKED', clock.now());
  });

  async function view(row: PaymentRow): Promise<PaymentView> {
    const biller = await billers.find(row.biller_id);
    const saved = row.saved_account_id ? await store.findSavedAccountById(db, row.saved_account_id) : null;
    return {
      id: row.id,
      billerId: row.biller_id,
      billerName: biller?.name ?? row.biller_id,
      billerNameEn: biller?.name_en ?? row.biller_id,
      billerType: biller?.type ?? 'unknown',
      accountNumber: row.account_number,
      savedAccountId: row.saved_account_id,
      label: saved?.label ?? null,
      billRef: row.bill_ref,
      period: row.period,
      amountFen: row.amount,
      billAmountFen: row.bill_amount,
      lateFeeFen: row.late_fee,
      currency: row.currency,
      status: row.status,
      failureReason: row.failure_reason,
      source: row.source,
      passwordFree: row.password_free,
      lateFeeBorneFen: row.late_fee_borne,
      networkRef: row.network_ref,
      createdAt: row.created_at,
      completedAt: row.completed_at,
    };
  }

  function metadata(row: PaymentRow, biller: BillerRow): Metadata {
    return {
      kind: 'bill_payment',
      counterparty: biller.name,
      ref: row.id,
      note: row.period ? `${row.account_number} ${row.period}` : row.account_number,
      billerId: biller.id,
    };
  }

  async function recordMismatch(
    q: Tx | typeof db,
    input: {
      billerId: string;
      kind: string;
      paymentId: string | null;
      networkRef: string | null;
      fileFen: bigint | null;
      walletFen: bigint | null;
      day: string | null;
    },
  ) {
    await store.insertMismatch(q, { id: newId('bmm', clock.now().getTime()), ...input, at: clock.now() });
  }

  async function notifySettled(row: PaymentRow): Promise<void> {
    const biller = await billers.find(row.biller_id);
    const name = biller?.name ?? row.biller_id;
    const nameEn = biller?.name_en ?? row.biller_id;
    const amount = formatFen(row.amount);
    const succeeded = row.status === 'succeeded';
    const elsewhere = row.failure_reason === 'PAID_ELSEWHERE';
    await deps.notifications.notify(row.user_id, {
      kind: succeeded ? 'bills.paid' : 'bills.payment_failed',
      titleZh: succeeded ? '缴费成功' : '缴费未成功',
      titleEn: succeeded ? 'Bill paid' : 'Bill payment failed',
      bodyZh: succeeded
        ? `您已向${name}（户号${row.account_number}）缴费${amount}，可在缴费记录中查看电子缴费凭证。`
        : elsewhere
          ? `${name}（户号${row.account_number}）的账单已在其他渠道缴清，本次未扣款。`
          : `向${name}（户号${row.account_number}）缴费${amount}未成功，资金已退回钱包。`,
      bodyEn: succeeded
        ? `You paid ${amount} to ${nameEn} (account ${row.account_number}). The receipt is in your bill payments.`
        : elsewhere
          ? `The bill of ${nameEn} (account ${row.account_number}) was already paid elsewhere; nothing was taken.`
          : `Your payment of ${amount} to ${nameEn} (account ${row.account_number}) failed; ` +
            `the money is back in your ` +
            `wallet.`,
      data: { billPaymentId: row.id, amount: fenToJson(row.amount), status: row.status },
    });
  }

  /** Applies the network's final answer once; a later contradicting answer is a mismatch for staff. */
  async function settle(paymentId: string, outcome: SettleOutcome): Promise<PaymentRow> {
    const now = clock.now();
    const settled = await db.transaction(async (tx) => {
      const row = await store.findPayment(tx, paymentId, true);
      assert(row, `bill payment ${paymentId} exists`);
      if (row.status !== 'processing') {
        if ((row.status === 'succeeded') !== (outcome.status === 'succeeded') && row.status !== 'awaiting_confirmation')
          await recordMismatch(tx, {
            billerId: row.biller_id,
            kind: 'late_result',
            paymentId: row.id,
            networkRef: outcome.networkRef ?? row.network_ref,
            fileFen: outcome.status === 'succeeded' ? row.amount : null,
            walletFen: row.status === 'succeeded' ? row.amount : null,
            day: null,
          });
        return { row, changed: false };
      }
      const biller = (await store.findBiller(tx, row.biller_id)) as BillerRow;
      assert(row.hold_id, `bill payment ${row.id} has a hold`);
      if (outcome.status === 'succeeded') {
        const [posted] = await ledger.execute(tx, [
          { type: 'post_hold', reference: `bill-post:${row.id}`, holdId: row.hold_id, metadata: metadata(row, biller) },
        ]);
        if (!posted.ok) throw new Error(`bill payment ${row.id} could not be posted: ${posted.error.code}`);
        assert(posted.value.type === 'post_hold', 'a post result');
        await store.updatePayment(tx, row.id, {
          status: 'succeeded',
          entry_id: posted.value.entry.id,
          network_ref: outcome.networkRef ?? row.network_ref,
          receipt_number: `TBJF${shanghaiDay(now).replace(/-/g, '')}${randomDigits(10)}`,
          completed_at: now,
          next_check_at: null,
        });
        if (row.bill_ref) await store.setStatementStatus(tx, row.biller_id, row.bill_ref, 'paid');
      } else {
        const [voided] = await ledger.execute(tx, [
          { type: 'void_hold', reference: `bill-void:${row.id}`, holdId: row.hold_id },
        ]);
        if (!voided.ok && voided.error.code !== 'HOLD_ALREADY_RESOLVED')
          throw new Error(`bill payment ${row.id} hold could not be voided: ${voided.error.code}`);
        await store.releaseClaim(tx, row.id);
        await store.updatePayment(tx, row.id, {
          status: 'failed',
          failure_reason: outcome.reason,
          network_ref: outcome.networkRef ?? row.network_ref,
          completed_at: now,
          next_check_at: null,
        });
        if (row.bill_ref && outcome.reason === 'PAID_ELSEWHERE')
          await store.setStatementStatus(tx, row.biller_id, row.bill_ref, 'paid_elsewhere');
      }
      return { row: (await store.findPayment(tx, row.id)) as PaymentRow, changed: true };
    });
    if (settled.changed) {
      await notifySettled(settled.row);
      for (const listener of listeners) await listener(settled.row);
    }
    return settled.row;
  }

  /** Sends a held payment to the biller and settles it if the answer is final. */
  async function callNetwork(row: PaymentRow): Promise<PaymentRow> {
    let outcome: PayOutcome;
    try {
      outcome = await network.pay({
        requestId: row.id,
        billerId: row.biller_id,
        accountNumber: row.account_number,
        billRef: row.bill_ref,
        amountFen: row.amount,
      });
    } catch (error) {
      // Unknown outcome: the payment stays processing; a confirmation or the status query settles it.
      if (!(error instanceof BillNetworkTimeout))
        deps.logger?.warn({ err: error, billPaymentId: row.id }, 'bill network call failed');
      return (await store.findPayment(db, row.id)) as PaymentRow;
    }
    if (outcome.status === 'processing') {
      if (outcome.networkRef) await store.updatePayment(db, row.id, { network_ref: outcome.networkRef });
      return (await store.findPayment(db, row.id)) as PaymentRow;
    }
    return settle(row.id, outcome);
  }

  /** Whether the password-free allowance would cover this amount now (tried, then rolled back). */
  async function passwordFreeCovers(userId: string, amountFen: bigint): Promise<boolean> {
    const passwordFree = deps.passwordFree;
    if (!passwordFree) return false;
    const tried = await inTransaction(db, async (_tx, rollback: RollbackWith<boolean>) =>
      rollback(await passwordFree.take(_tx, userId, amountFen)),
    );
    return !tried.ok && tried.error;
  }

  /** Checks the bill against a fresh inquiry and writes the payment, awaiting confirmation. */
  async function prepare(
    userId: string,
    input: PayInput,
    options: { source: 'holder' | 'autopay'; mandateId?: string; allowPasswordFree: boolean },
  ): Promise<Result<{ row: PaymentRow; confirmation: ConfirmationOffer | null }, BillError>> {
    const usable = await billers.usable(input.billerId);
    if (!usable.ok) return usable;
    const biller = usable.value;
    if (biller.mode === 'postpaid' && !input.billRef) return err({ code: 'BILL_REF_REQUIRED' });
    if (biller.mode === 'prepaid' && input.billRef) return err({ code: 'BILL_REF_NOT_ALLOWED' });
    if (biller.mode === 'prepaid') {
      const minimum = biller.prepaid_minimum ?? 1n;
      if (input.amountFen < minimum) return err({ code: 'BILL_AMOUNT_BELOW_MINIMUM', minimum });
      if (biller.prepaid_maximum !== null && input.amountFen > biller.prepaid_maximum)
        return err({ code: 'BILL_AMOUNT_ABOVE_MAXIMUM', maximum: biller.prepaid_maximum });
    }
    let savedAccountId = input.savedAccountId ?? null;
    if (savedAccountId) {
      const saved = await store.findSavedAccount(db, userId, savedAccountId);
      if (!saved || saved.biller_id !== input.billerId || saved.account_number !== input.accountNumber)
        return err({ code: 'BILL_ACCOUNT_NOT_FOUND' });
    } else
      savedAccountId = (await store.findSavedAccountFor(db, userId, input.billerId, input.accountNumber))?.id ?? null;
    if (input.billRef) {
      const holder = await store.claimHolder(db, input.billerId, input.billRef);
      if (holder?.status === 'succeeded') return err({ code: 'BILL_ALREADY_PAID' });
      if (holder) return err({ code: 'BILL_PAYMENT_IN_PROGRESS' });
    }
    const found = await inquiry.lookup(biller, input.accountNumber);
    if (found.status === 'refused') return err(found.error);
    let billAmountFen = input.amountFen;
    let lateFeeFen = 0n;
    let period: string | null = null;
    if (input.billRef) {
      const bill = found.bills.find((b) => b.billRef === input.billRef);
      if (!bill) {
        const known = await store.findStatement(db, input.billerId, input.billRef);
        return err({
          code: known && known.account_number === input.accountNumber ? 'BILL_ALREADY_PAID' : 'BILL_NOT_FOUND',
        });
      }
      const total = bill.amountFen + bill.lateFeeFen;
      if (input.amountFen !== total) return err({ code: 'BILL_AMOUNT_MISMATCH', expected: total });
      billAmountFen = bill.amountFen;
      lateFeeFen = bill.lateFeeFen;
      period = bill.period;
    }
    const profile = await identity.profile(userId);
    if (!profile) return err({ code: 'UNAUTHENTICATED' });
    if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: profile.walletAccountId });
    const wallet = await ledger.getAccount(profile.walletAccountId);
    if (!wallet) return err({ code: 'ACCOUNT_NOT_FOUND', accountId: profile.walletAccountId });
    if (wallet.availableFen < input.amountFen)
      return err({
        code: 'INSUFFICIENT_FUNDS',
        accountId: wallet.id,
        availableFen: wallet.availableFen,
        requiredFen: input.amountFen,
      });
    const now = clock.now();
    const id = newId('bpy', now.getTime());
    const passwordFree =
      options.source === 'holder' && options.allowPasswordFree && (await passwordFreeCovers(userId, input.amountFen));
    const operation = billOperation({
      id,
      amount: input.amountFen,
      currency: 'CNY',
      biller_id: input.billerId,
      account_number: input.accountNumber,
    });
    const confirmation =
      options.source === 'holder' && !passwordFree ? await identity.confirmations.create(userId, operation) : null;
    const row = await store.insertPayment(db, {
      id,
      user_id: userId,
      wallet_account_id: profile.walletAccountId,
      biller_id: input.billerId,
      account_number: input.accountNumber,
      saved_account_id: savedAccountId,
      bill_ref: input.billRef ?? null,
      period,
      bill_amount: billAmountFen,
      late_fee: lateFeeFen,
      amount: input.amountFen,
      currency: 'CNY',
      status: 'awaiting_confirmation',
      failure_reason: null,
      source: options.source,
      mandate_id: options.mandateId ?? null,
      password_free: passwordFree,
      confirmation_id: confirmation?.id ?? null,
      hold_id: null,
      entry_id: null,
      network_ref: null,
      holder_name: found.holderName,
      late_fee_borne: 0n,
      late_fee_entry_id: null,
      receipt_number: null,
      next_check_at: new Date((confirmation?.expiresAt.getTime() ?? now.getTime() + 5 * 60_000) + 60_000),
      checks: 0,
      created_at: now,
      submitted_at: null,
      completed_at: null,
    });
    return ok({
      row,
      confirmation: confirmation
        ? { id: confirmation.id, challenge: confirmation.challenge, expiresAt: confirmation.expiresAt }
        : null,
    });
  }

  /** The risk engine's decision for a prepared payment; null to go ahead. */
  async function assess(row: PaymentRow, origin: RequestOrigin): Promise<BillError | null> {
    if (!deps.risk) return null;
    const biller = await billers.find(row.biller_id);
    const verdict = await deps.risk.assessOutgoing({
      userId: row.user_id,
      walletAccountId: row.wallet_account_id,
      amountFen: row.amount,
      currency: 'CNY',
      payeeKey: billPayee(row),
      payeeDisplay: biller?.name ?? row.biller_id,
      channel: 'bill',
      reference: billRiskReference(row.id),
      ip: origin.ip,
      deviceId: origin.deviceId,
    });
    const refused = riskRefusal(verdict);
    if (!refused) return null;
    if (refused.outcome === 'block') await store.failAwaiting(db, row.id, refused.code, clock.now());
    return { ...refused, paymentId: row.id };
  }

  /** Spends the confirmation, claims the bill and holds the money in one transaction, then pays the biller. */
  async function submit(
    userId: string,
    paymentId: string,
    origin: RequestOrigin,
  ): Promise<Result<PaymentRow, BillError>> {
    const found = await store.findUserPayment(db, userId, paymentId);
    if (!found) return err({ code: 'BILL_PAYMENT_NOT_FOUND' });
    if (found.status !== 'awaiting_confirmation')
      return err({ code: 'BILL_PAYMENT_NOT_AWAITING_CONFIRMATION', status: found.status });
    const refused = await assess(found, origin);
    if (refused) return err(refused);
    const now = clock.now();
    const held = await inTransaction(db, async (tx, rollback: RollbackWith<BillError>) => {
      const row = await store.findPayment(tx, paymentId, true);
      if (!row || row.user_id !== userId) return rollback({ code: 'BILL_PAYMENT_NOT_FOUND' });
      if (row.status !== 'awaiting_confirmation')
        return rollback({ code: 'BILL_PAYMENT_NOT_AWAITING_CONFIRMATION', status: row.status });
      if (row.password_free) {
        if (!(await deps.passwordFree?.take(tx, userId, row.amount))) return rollback({ code: 'CONFIRMATION_INVALID' });
      } else if (row.source === 'holder') {
        if (!row.confirmation_id) return rollback({ code: 'CONFIRMATION_INVALID' });
        const consumed = await identity.confirmations.consume(tx, userId, row.confirmation_id, billOperation(row));
        if (!consumed.ok) return rollback(consumed.error);
      }
      if (row.bill_ref && !(await store.claimBill(tx, row.biller_id, row.bill_ref, row.id))) {
        const holder = await store.claimHolder(tx, row.biller_id, row.bill_ref);
        return rollback({ code: holder?.status === 'succeeded' ? 'BILL_ALREADY_PAID' : 'BILL_PAYMENT_IN_PROGRESS' });
      }
      const biller = (await store.findBiller(tx, row.biller_id)) as BillerRow;
      const [hold] = await ledger.execute(tx, [
        {
          type: 'hold',
          reference: `bill-hold:${row.id}`,
          currency: 'CNY',
          debitAccountId: row.wallet_account_id,
          creditAccountId: biller.settlement_account_id,
          amountFen: row.amount,
          expiresAt: new Date(now.getTime() + BILL_HOLD_TTL_MS),
          metadata: metadata(row, biller),
        },
      ]);
      if (!hold.ok) return rollback(hold.error as BillError);
      assert(hold.value.type === 'hold', 'a hold result');
      await store.updatePayment(tx, row.id, {
        status: 'processing',
        hold_id: hold.value.hold.id,
        submitted_at: now,
        next_check_at: new Date(now.getTime() + FIRST_CHECK_MS),
      });
      return (await store.findPayment(tx, row.id)) as PaymentRow;
    });
    if (!held.ok) {
      // Another payment of the bill won the race: this one ends, with the clear answer.
      if (held.error.code === 'BILL_ALREADY_PAID' || held.error.code === 'BILL_PAYMENT_IN_PROGRESS')
        await store.failAwaiting(db, paymentId, held.error.code, clock.now());
      return held;
    }
    return ok(await callNetwork(held.value));
  }

  return {
    view,
    settle,
    prepare,
    submit,
    onSettled(listener: SettledListener) {
      listeners.push(listener);
    },

    /** Prepares a holder's payment: a confirmation to approve, or paid at once under the password-free allowance. */
    async create(
      userId: string,
      input: PayInput,
      origin: RequestOrigin = {},
    ): Promise<Result<{ payment: PaymentView; confirmation: ConfirmationOffer | null }, BillError>> {
      const prepared = await prepare(userId, input, { source: 'holder', allowPasswordFree: true });
      if (!prepared.ok) return prepared;
      if (prepared.value.row.password_free) {
        const paid = await submit(userId, prepared.value.row.id, origin);
        if (!paid.ok) return paid;
        return ok({ payment: await view(paid.value), confirmation: null });
      }
      return ok({ payment: await view(prepared.value.row), confirmation: prepared.value.confirmation });
    },

    /** Prepare, confirm with the PIN and submit in one call (each step exactly as in the three-step flow). */
    async payWithPin(
      userId: string,
      input: PayInput,
      pin: string,
      origin: RequestOrigin = {},
    ): Promise<Result<PaymentView, BillError>> {
      const prepared = await prepare(userId, input, { source: 'holder', allowPasswordFree: false });
      if (!prepared.ok) return prepared;
      const confirmation = prepared.value.confirmation;
      assert(confirmation, 'a holder payment has a confirmation');
      const confirmed = await identity.confirmations.confirmWithPin(userId, confirmation.id, pin);
      if (!confirmed.ok) {
        await store.failAwaiting(db, prepared.value.row.id, confirmed.error.code, clock.now());
        return confirmed as Result<never, BillError>;
      }
      const paid = await submit(userId, prepared.value.row.id, origin);
      if (!paid.ok) return paid;
      return ok(await view(paid.value));
    },

    async submitView(userId: string, paymentId: string, origin: RequestOrigin = {}) {
      const paid = await submit(userId, paymentId, origin);
      return paid.ok ? ok(await view(paid.value)) : paid;
    },

    async get(userId: string, id: string): Promise<PaymentView | null> {
      const row = await store.findUserPayment(db, userId, id);
      return row ? view(row) : null;
    },

    async list(
      filter: { userId: string; before?: string | null; status?: string | null },
      limit: number,
    ): Promise<{ items: PaymentView[]; nextBefore: string | null }> {
      const rows = await store.userPayments(db, filter, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: await Promise.all(page.map(view)),
        nextBefore: rows.length > limit ? page[page.length - 1].id : null,
      };
    },

    /** The biller's own confirmation (sandbox receiver or a real network's push): the same settle. */
    async handleConfirmation(confirmation: BillConfirmation): Promise<void> {
      const row = await store.findPayment(db, confirmation.requestId);
      if (!row) return;
      if (confirmation.amountFen !== row.amount) {
        await recordMismatch(db, {
          billerId: row.biller_id,
          kind: 'amount_mismatch',
          paymentId: row.id,
          networkRef: confirmation.networkRef,
          fileFen: confirmation.amountFen,
          walletFen: row.amount,
          day: null,
        });
        return;
      }
      if (row.status === 'awaiting_confirmation') return;
      await settle(
        row.id,
        confirmation.status === 'succeeded'
          ? { status: 'succeeded', networkRef: confirmation.networkRef }
          : { status: 'failed', reason: confirmation.reason ?? 'BILLER_DECLINED', networkRef: confirmation.networkRef },
      );
    },

    /**
     * Finishes what was left halfway (run by a job): asks the network about processing payments whose
     * answer never came, and expires payments nobody confirmed. Returns how many it settled.
     */
    async checkPending(limit = 100): Promise<number> {
      const now = clock.now();
      const due = await store.claimPaymentsToCheck(db, now, new Date(now.getTime() + FIRST_CHECK_MS), limit);
      let count = 0;
      for (const row of due) {
        if (row.status === 'awaiting_confirmation') {
          count += await store.expireAwaiting(db, row.id, now);
          continue;
        }
        const answer = await network.query(row.id).catch(() => ({ status: 'processing' as const }));
        if (answer.status === 'succeeded' || answer.status === 'failed') {
          await settle(row.id, answer);
          count++;
        } else if (
          answer.status === 'not_found' &&
          (row.submitted_at?.getTime() ?? 0) + NOT_FOUND_GRACE_MS <= now.getTime()
        ) {
          await settle(row.id, { status: 'failed', reason: 'NOT_RECEIVED' });
          count++;
        } else {
          const backoffMs = Math.min(FIRST_CHECK_MS * 2 ** Math.min(row.checks, 10), MAX_CHECK_INTERVAL_MS);
          await store.updatePayment(db, row.id, { next_check_at: new Date(now.getTime() + backoffMs) });
        }
      }
      return count;
    },
  };
}

export type Paying = ReturnType<typeof createPaying>;
