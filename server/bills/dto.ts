import { Type } from 'typebox';
import { fenToJson } from '../platform/money.js';
import type { SavedAccountView, DueItem } from './accounts.js';
import type { MandateView } from './autopay.js';
import type { RunRow } from './store-autopay.js';
import type { BillerView } from './billers.js';
import type { BillView, InquiryView } from './inquiry.js';
import type { PaymentView } from './paying.js';

/** The biller account number (户号) in a request. */
export const AccountNumber = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'The biller account number (户号)',
});
import type { ReceiptView } from './receipts.js';

/** The JSON shapes of the bills API (docs/bills.md) and the functions that write them. */

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const Time = Type.String({ format: 'date-time' });

export const BillerTypeSchema = Type.Union(
  ['water', 'electricity', 'gas', 'telecom', 'property'].map((type) => Type.Literal(type)),
);

export const BillerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  type: Type.String(),
  city: Type.String(),
  cityName: Type.String(),
  cityNameEn: Type.String(),
  mode: Type.String({ description: 'postpaid (pay a bill in full) | prepaid (any amount from the minimum)' }),
  prepaidMinimum: NullableInt,
  prepaidMaximum: NullableInt,
  accountFormat: Type.Object({
    length: Type.Integer(),
    digitsOnly: Type.Boolean(),
    prefix: Type.String(),
    checkDigit: Nullable(Type.String()),
    example: Type.String(),
    hintZh: Type.String(),
    hintEn: Type.String(),
  }),
  lateFeePerMille: Type.Number({ description: 'Late fee per day on the overdue amount, per mille' }),
  autopay: Type.Boolean(),
  status: Type.String({ description: 'active | disabled | maintenance' }),
  maintenance: Type.Union([
    Type.Object({ startsAt: Time, endsAt: Time, messageZh: Type.String(), messageEn: Type.String() }),
    Type.Null(),
  ]),
});

export const BillSchema = Type.Object({
  billRef: Type.String(),
  period: Type.String(),
  amount: Type.Integer(),
  lateFee: Type.Integer(),
  total: Type.Integer(),
  currency: Type.String(),
  issuedAt: Time,
  dueDate: Type.String(),
  overdue: Type.Boolean(),
  status: Type.String({ description: 'unpaid | processing | paid' }),
});

export const PaymentSchema = Type.Object({
  id: Type.String(),
  billerId: Type.String(),
  billerName: Type.String(),
  billerNameEn: Type.String(),
  billerType: Type.String(),
  accountNumber: Type.String(),
  savedAccountId: Nullable(Type.String()),
  label: Nullable(Type.String()),
  billRef: Nullable(Type.String()),
  period: Nullable(Type.String()),
  amount: Type.Integer(),
  billAmount: Type.Integer(),
  lateFee: Type.Integer(),
  currency: Type.String(),
  status: Type.String({ description: 'awaiting_confirmation | processing | succeeded | failed | expired' }),
  failureReason: Nullable(Type.String()),
  source: Type.String(),
  passwordFree: Type.Boolean(),
  lateFeeBorneByTongbao: Type.Integer(),
  networkRef: Nullable(Type.String()),
  createdAt: Time,
  completedAt: Nullable(Time),
});

export const ConfirmationSchema = Type.Object({ id: Type.String(), challenge: Type.String(), expiresAt: Time });

export const InquirySchema = Type.Object({
  biller: BillerSchema,
  accountNumber: Type.String(),
  holderName: Type.String(),
  address: Type.String(),
  bills: Type.Array(BillSchema),
  prepaid: Type.Union([
    Type.Object({ minimum: Type.Integer(), maximum: NullableInt, balance: NullableInt }),
    Type.Null(),
  ]),
  savedAccountId: Nullable(Type.String()),
});

export const SavedAccountSchema = Type.Object({
  id: Type.String(),
  billerId: Type.String(),
  biller: BillerSchema,
  accountNumber: Type.String(),
  label: Type.String(),
  reminderDaysBefore: Type.Integer(),
  due: Type.Union([
    Type.Object({
      count: Type.Integer(),
      total: Type.Integer(),
      earliestDueDate: Type.String(),
      overdue: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  bills: Type.Array(BillSchema),
  autopay: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }), Type.Null()]),
  createdAt: Time,
});

export const DueSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      savedAccountId: Type.String(),
      label: Type.String(),
      billerId: Type.String(),
      billerName: Type.String(),
      billerNameEn: Type.String(),
      billerType: Type.String(),
      accountNumber: Type.String(),
      bill: BillSchema,
    }),
  ),
  count: Type.Integer(),
  total: Type.Integer(),
  overdueCount: Type.Integer(),
});

export const ReceiptSchema = Type.Object({
  receiptNumber: Type.String(),
  paymentId: Type.String(),
  status: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  payerName: Type.String(),
  payerAccount: Type.String(),
  billerName: Type.String(),
  billerNameEn: Type.String(),
  billerType: Type.String(),
  cityName: Type.String(),
  cityNameEn: Type.String(),
  accountNumber: Type.String(),
  accountHolderName: Nullable(Type.String()),
  period: Nullable(Type.String()),
  billAmount: Type.Integer(),
  lateFee: Type.Integer(),
  amount: Type.Integer(),
  currency: Type.String(),
  lateFeeBorneByTongbao: Type.Integer(),
  channel: Type.String(),
  channelEn: Type.String(),
  networkRef: Nullable(Type.String()),
  entryId: Nullable(Type.String()),
  paidAt: Time,
  issuer: Type.String(),
  sealText: Type.String(),
});

const iso = (at: Date | null) => (at ? at.toISOString() : null);
const fen = (value: bigint | null) => (value === null ? null : fenToJson(value));

export const billerJson = (biller: BillerView) => ({
  ...biller,
  prepaidMinimum: fen(biller.prepaidMinimum),
  prepaidMaximum: fen(biller.prepaidMaximum),
  maintenance: biller.maintenance
    ? { ...biller.maintenance, startsAt: iso(biller.maintenance.startsAt), endsAt: iso(biller.maintenance.endsAt) }
    : null,
});

export const billJson = (bill: BillView) => ({
  billRef: bill.billRef,
  period: bill.period,
  amount: fenToJson(bill.amountFen),
  lateFee: fenToJson(bill.lateFeeFen),
  total: fenToJson(bill.totalFen),
  currency: bill.currency,
  issuedAt: bill.issuedAt.toISOString(),
  dueDate: bill.dueDate,
  overdue: bill.overdue,
  status: bill.status,
});

export const paymentJson = (payment: PaymentView) => ({
  id: payment.id,
  billerId: payment.billerId,
  billerName: payment.billerName,
  billerNameEn: payment.billerNameEn,
  billerType: payment.billerType,
  accountNumber: payment.accountNumber,
  savedAccountId: payment.savedAccountId,
  label: payment.label,
  billRef: payment.billRef,
  period: payment.period,
  amount: fenToJson(payment.amountFen),
  billAmount: fenToJson(payment.billAmountFen),
  lateFee: fenToJson(payment.lateFeeFen),
  currency: payment.currency,
  status: payment.status,
  failureReason: payment.failureReason,
  source: payment.source,
  passwordFree: payment.passwordFree,
  lateFeeBorneByTongbao: fenToJson(payment.lateFeeBorneFen),
  networkRef: payment.networkRef,
  createdAt: payment.createdAt.toISOString(),
  completedAt: iso(payment.completedAt),
});

export const inquiryJson = (inquiry: InquiryView) => ({
  biller: billerJson(inquiry.biller),
  accountNumber: inquiry.accountNumber,
  holderName: inquiry.holderName,
  address: inquiry.address,
  bills: inquiry.bills.map(billJson),
  prepaid: inquiry.prepaid
    ? {
        minimum: fenToJson(inquiry.prepaid.minimumFen),
        maximum: fen(inquiry.prepaid.maximumFen),
        balance: fen(inquiry.prepaid.balanceFen),
      }
    : null,
  savedAccountId: inquiry.savedAccountId,
});

export const savedAccountJson = (account: SavedAccountView) => ({
  id: account.id,
  billerId: account.billerId,
  biller: billerJson(account.biller),
  accountNumber: account.accountNumber,
  label: account.label,
  reminderDaysBefore: account.reminderDaysBefore,
  due: account.due
    ? {
        count: account.due.count,
        total: fenToJson(account.due.totalFen),
        earliestDueDate: account.due.earliestDueDate,
        overdue: account.due.overdue,
      }
    : null,
  bills: account.bills.map(billJson),
  autopay: account.autopay,
  createdAt: account.createdAt.toISOString(),
});

export const dueItemJson = (item: DueItem) => ({ ...item, bill: billJson(item.bill) });

export const receiptJson = (receipt: ReceiptView) => {
  const { billAmountFen, lateFeeFen, amountFen, lateFeeBorneFen, paidAt, ...rest } = receipt;
  return {
    ...rest,
    billAmount: fenToJson(billAmountFen),
    lateFee: fenToJson(lateFeeFen),
    amount: fenToJson(amountFen),
    lateFeeBorneByTongbao: fenToJson(lateFeeBorneFen),
    paidAt: paidAt.toISOString(),
  };
};

export const MandateSchema = Type.Object({
  id: Type.String(),
  savedAccountId: Type.String(),
  label: Type.String(),
  billerId: Type.String(),
  billerName: Type.String(),
  billerNameEn: Type.String(),
  accountNumber: Type.String(),
  capPerBill: Type.Integer(),
  capPerMonth: Type.Integer(),
  currency: Type.String(),
  timing: Type.String({ description: 'on_arrival | before_due' }),
  daysBeforeDue: NullableInt,
  status: Type.String({ description: 'active | paused | cancelled' }),
  usedThisMonth: Type.Integer(),
  createdAt: Time,
  updatedAt: Time,
});

export const RunSchema = Type.Object({
  id: Type.String(),
  mandateId: Type.String(),
  userId: Type.String(),
  billerId: Type.String(),
  accountNumber: Type.String(),
  billRef: Type.String(),
  period: Type.String(),
  amount: Type.Integer(),
  outcome: Type.String({
    description: 'paid | over_cap | over_month_cap | insufficient_funds | tongbao_fault | biller_unavailable | failed',
  }),
  paymentId: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  nextAttemptAt: Nullable(Time),
  at: Time,
});

export const mandateJson = (mandate: MandateView) => {
  const { capPerBillFen, capPerMonthFen, usedThisMonthFen, createdAt, updatedAt, ...rest } = mandate;
  return {
    ...rest,
    capPerBill: fenToJson(capPerBillFen),
    capPerMonth: fenToJson(capPerMonthFen),
    usedThisMonth: fenToJson(usedThisMonthFen),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
};

export const runJson = (run: RunRow) => ({
  id: run.id,
  mandateId: run.mandate_id,
  userId: run.user_id,
  billerId: run.biller_id,
  accountNumber: run.account_number,
  billRef: run.bill_ref,
  period: run.period,
  amount: fenToJson(run.amount),
  outcome: run.outcome,
  paymentId: run.payment_id,
  detail: run.detail,
  nextAttemptAt: iso(run.next_attempt_at),
  at: run.created_at.toISOString(),
});
