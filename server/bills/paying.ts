import type { Operation } from '../confirmations/service.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { type RequestOrigin, riskRefusal } from '../risk/port.js';
import type { BillError, Billers } from './billers.js';
import type { BillsDeps } from './deps.js';
import type { Inquiry } from './inquiry.js';
import type { BillNetwork } from './network.js';
import { FIRST_CHECK_MS, createSettling, paymentMetadata } from './paying-settle.js';
import * as store from './store.js';
import type { BillerRow } from './store.js';
import * as paymentStore from './store-payments.js';
import type { PaymentRow, PaymentStatus } from './store-payments.js';

/**
 * Paying a bill, two-phase like a withdrawal: the payment is prepared and confirmed (PIN or
 * passkey, or the password-free allowance, or an autopay mandate), then one transaction spends the
 * confirmation, takes the bill's claim (at most one payment in flight or paid per bill) and holds
 * the money; the network is called outside any transaction; the answer, a biller's confirmation or
 * the status query settles it — post the hold to the biller's settlement account on success, void
 * it and release the claim on failure — whichever comes first, once (settling: paying-settle.ts).
 */

/** Holds outlive any network delay by far, so a slow biller never finds its hold expired. */
export const BILL_HOLD_TTL_MS = 30 * 24 * 3600_000;

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
  status: PaymentStatus;
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

export interface PayInput {
  billerId: string;
  accountNumber: string;
  billRef?: string;
  amountFen: bigint;
  savedAccountId?: string;
}

export function createPaying(deps: BillsDeps, billers: Billers, inquiry: Inquiry, network: BillNetwork) {
  const { db, clock, ledger, identity } = deps;
  const settling = createSettling(deps, billers, network);
  const { settle, callNetwork } = settling;

  deps.risk?.onResolved?.('bill', async (event) => {
    if (event.outcome !== 'voided' || !event.reference.startsWith('bill:')) return;
    const payment = await paymentStore.findPayment(db, event.reference.slice('bill:'.length));
    if (payment && payment.user_id === event.userId)
      await paymentStore.failAwaiting(db, payment.id, 'RISK_BLOCKED', clock.now());
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
      const holder = await paymentStore.claimHolder(db, input.billerId, input.billRef);
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
    const row = await paymentStore.insertPayment(db, {
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
    if (refused.outcome === 'block') await paymentStore.failAwaiting(db, row.id, refused.code, clock.now());
    return { ...refused, paymentId: row.id };
  }

  /** Spends the confirmation, claims the bill and holds the money in one transaction, then pays the biller. */
  async function submit(
    userId: string,
    paymentId: string,
    origin: RequestOrigin,
  ): Promise<Result<PaymentRow, BillError>> {
    const found = await paymentStore.findUserPayment(db, userId, paymentId);
    if (!found) return err({ code: 'BILL_PAYMENT_NOT_FOUND' });
    if (found.status !== 'awaiting_confirmation')
      return err({ code: 'BILL_PAYMENT_NOT_AWAITING_CONFIRMATION', status: found.status });
    const refused = await assess(found, origin);
    if (refused) return err(refused);
    const now = clock.now();
    const held = await inTransaction(db, async (tx, rollback: RollbackWith<BillError>) => {
      const row = await paymentStore.findPayment(tx, paymentId, true);
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
      if (row.bill_ref && !(await paymentStore.claimBill(tx, row.biller_id, row.bill_ref, row.id))) {
        const holder = await paymentStore.claimHolder(tx, row.biller_id, row.bill_ref);
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
          metadata: paymentMetadata(row, biller),
        },
      ]);
      if (!hold.ok) return rollback(hold.error as BillError);
      assert(hold.value.type === 'hold', 'a hold result');
      await paymentStore.updatePayment(tx, row.id, {
        status: 'processing',
        hold_id: hold.value.hold.id,
        submitted_at: now,
        next_check_at: new Date(now.getTime() + FIRST_CHECK_MS),
      });
      return (await paymentStore.findPayment(tx, row.id)) as PaymentRow;
    });
    if (!held.ok) {
      // Another payment of the bill won the race: this one ends, with the clear answer.
      if (held.error.code === 'BILL_ALREADY_PAID' || held.error.code === 'BILL_PAYMENT_IN_PROGRESS')
        await paymentStore.failAwaiting(db, paymentId, held.error.code, clock.now());
      return held;
    }
    return ok(await callNetwork(held.value));
  }

  return {
    view,
    settle,
    prepare,
    submit,
    onSettled: settling.onSettled,

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
        await paymentStore.failAwaiting(db, prepared.value.row.id, confirmed.error.code, clock.now());
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
      const row = await paymentStore.findUserPayment(db, userId, id);
      return row ? view(row) : null;
    },

    async list(
      filter: { userId: string; before?: string | null; status?: string | null },
      limit: number,
    ): Promise<{ items: PaymentView[]; nextBefore: string | null }> {
      const rows = await paymentStore.userPayments(db, filter, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: await Promise.all(page.map(view)),
        nextBefore: rows.length > limit ? page[page.length - 1].id : null,
      };
    },

    handleConfirmation: settling.handleConfirmation,
    checkPending: settling.checkPending,
  };
}

export type Paying = ReturnType<typeof createPaying>;
