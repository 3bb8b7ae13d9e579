import { shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';
import { type BillError, type BillerView, type Billers, billerView } from './billers.js';
import { accountFormatProblem } from './catalogue.js';
import type { BillsDeps } from './deps.js';
import { BillNetworkTimeout, type BillNetwork, type NetworkBill } from './network.js';
import * as store from './store.js';
import type { BillerRow, StatementRow } from './store.js';
import * as paymentStore from './store-payments.js';

/** Bill inquiry: the account number checked against the biller's format, then asked of the network. */

export interface BillView {
  billRef: string;
  period: string;
  amountFen: bigint;
  lateFeeFen: bigint;
  totalFen: bigint;
  currency: 'CNY';
  issuedAt: Date;
  dueDate: string;
  overdue: boolean;
  status: 'unpaid' | 'processing' | 'paid';
}

export interface InquiryView {
  biller: BillerView;
  accountNumber: string;
  holderName: string;
  address: string;
  bills: BillView[];
  prepaid: { minimumFen: bigint; maximumFen: bigint | null; balanceFen: bigint | null } | null;
  savedAccountId: string | null;
}

export function billView(
  bill: Pick<StatementRow, 'bill_ref' | 'period' | 'amount' | 'late_fee' | 'issued_at' | 'due_date'>,
  today: string,
  status: BillView['status'] = 'unpaid',
): BillView {
  return {
    billRef: bill.bill_ref,
    period: bill.period,
    amountFen: bill.amount,
    lateFeeFen: bill.late_fee,
    totalFen: bill.amount + bill.late_fee,
    currency: 'CNY',
    issuedAt: bill.issued_at,
    dueDate: bill.due_date,
    overdue: today > bill.due_date,
    status,
  };
}

const fromNetwork = (bill: NetworkBill) => ({
  bill_ref: bill.billRef,
  period: bill.period,
  amount: bill.amountFen,
  late_fee: bill.lateFeeFen,
  issued_at: bill.issuedAt,
  due_date: bill.dueDate,
});

export type Lookup =
  | { status: 'found'; holderName: string; address: string; bills: NetworkBill[]; prepaidBalanceFen: bigint | null }
  | { status: 'refused'; error: BillError };

export function createInquiry(deps: BillsDeps, billers: Billers, network: BillNetwork) {
  const { db, clock } = deps;

  /** Asks the network and records what it said; expected refusals come back as problems. */
  async function lookup(biller: BillerRow, accountNumber: string): Promise<Lookup> {
    const problem = accountFormatProblem(
      { accountLength: biller.account_length, accountPrefix: biller.account_prefix, checkDigit: biller.check_digit },
      accountNumber,
    );
    if (problem)
      return {
        status: 'refused',
        error: { code: 'BILL_ACCOUNT_INVALID', reason: problem, format: billerView(biller, clock.now()).accountFormat },
      };
    let answer: Awaited<ReturnType<BillNetwork['inquire']>>;
    try {
      answer = await network.inquire({ billerId: biller.id, accountNumber });
    } catch (error) {
      if (!(error instanceof BillNetworkTimeout)) deps.logger?.warn({ err: error }, 'bill network inquiry failed');
      return { status: 'refused', error: { code: 'BILL_NETWORK_TIMEOUT' } };
    }
    if (answer.status === 'unknown_account') return { status: 'refused', error: { code: 'BILL_ACCOUNT_UNKNOWN' } };
    if (answer.status === 'unavailable') return { status: 'refused', error: { code: 'BILLER_UNAVAILABLE' } };
    await store.recordStatements(db, biller.id, accountNumber, answer.bills, clock.now());
    return answer;
  }

  /** The bills as the holder sees them: those we are paying show as processing. */
  async function viewBills(billerId: string, bills: NetworkBill[]): Promise<BillView[]> {
    const today = shanghaiDay(clock.now());
    const views: BillView[] = [];
    for (const bill of bills) {
      const holder = await paymentStore.claimHolder(db, billerId, bill.billRef);
      const status = holder?.status === 'succeeded' ? 'paid' : holder ? 'processing' : 'unpaid';
      views.push(billView(fromNetwork(bill), today, status));
    }
    return views;
  }

  return {
    lookup,
    viewBills,

    async inquire(userId: string, billerId: string, accountNumber: string): Promise<Result<InquiryView, BillError>> {
      const biller = await billers.usable(billerId);
      if (!biller.ok) return biller;
      const found = await lookup(biller.value, accountNumber);
      if (found.status === 'refused') return err(found.error);
      const saved = await store.findSavedAccountFor(db, userId, billerId, accountNumber);
      const row = biller.value;
      return ok({
        biller: billerView(row, clock.now()),
        accountNumber,
        holderName: found.holderName,
        address: found.address,
        bills: row.mode === 'postpaid' ? await viewBills(billerId, found.bills) : [],
        prepaid:
          row.mode === 'prepaid'
            ? {
                minimumFen: row.prepaid_minimum ?? 1n,
                maximumFen: row.prepaid_maximum,
                balanceFen: found.prepaidBalanceFen,
              }
            : null,
        savedAccountId: saved?.id ?? null,
      });
    },
  };
}

export type Inquiry = ReturnType<typeof createInquiry>;
