import { createHash } from 'node:crypto';
import { type Clock, shanghaiDay } from '../platform/clock.js';
import { randomDigits } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { lateFeeFen, sandboxMarker } from './catalogue.js';
import { addDays, previousPeriod, shanghaiDayBounds } from './days.js';
import {
  type BillConfirmation,
  type BillNetwork,
  BillNetworkTimeout,
  type InquiryAnswer,
  type PayFailure,
  type PayOutcome,
  type PayRequest,
  type SettlementLine,
  type StatusAnswer,
} from './network.js';
import * as store from './store-sandbox.js';

/**
 * A bill network that behaves like a real one, its state in the database (its own tables) so it
 * survives restarts and serves several processes. Any account number in the biller's format
 * exists: the first inquiry opens it with last month's bill, due in 15 days. Behaviour is chosen
 * by the two digits before the check digit (or the last two digits where the biller has none):
 *
 * 90 unknown account · 91 biller offline · 92 pay times out, then found succeeded · 93 pay times
 * out, then found failed · 94 late confirmation (processing, confirmed 60 s later) · 95 duplicate
 * confirmation (succeeds, then confirmed twice) · 96 paid elsewhere between inquiry and pay ·
 * 97 an overdue bill from the month before as well · 98 nothing due · 99 biller declines.
 */

export const SANDBOX_MARKERS = {
  unknown: '90',
  offline: '91',
  timeoutSucceeded: '92',
  timeoutFailed: '93',
  lateConfirmation: '94',
  duplicateConfirmation: '95',
  paidElsewhere: '96',
  overdue: '97',
  nothingDue: '98',
  declined: '99',
} as const;

export const SANDBOX_DUE_DAYS = 15;
const LATE_CONFIRMATION_MS = 60_000;
const CONFIRMATION_DELAY_MS = 5_000;

/** What the sandbox needs to know of a biller (the catalogue the network shares with Tongbao). */
export interface SandboxBiller {
  type: string;
  mode: 'postpaid' | 'prepaid';
  checkDigit: 'luhn' | null;
  lateFeePerMille: number;
}

export interface BillNetworkSandbox extends BillNetwork {
  /** Where the billers' confirmations go: the bills domain's handler. */
  setReceiver(receiver: (confirmation: BillConfirmation) => Promise<void>): void;
  /** Delivers the confirmations that are due; run by a job. Returns how many. */
  deliverDueConfirmations(limit?: number): Promise<number>;
  /** Issues last month's bill to every known postpaid account that has none yet; run monthly by a job. */
  issueMonthlyBills(limit?: number): Promise<number>;
}

const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄'];
const GIVEN = ['明', '华', '芳', '伟', '静', '磊', '娜', '强'];

function hashNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** The amount of a sandbox bill: stable for an account and period, in a range that fits its type. */
export function sandboxBillAmount(type: string, billerId: string, accountNumber: string, period: string): bigint {
  const n = hashNumber(`${billerId}:${accountNumber}:${period}`);
  if (type === 'property') return BigInt(20_000 + (n % 40_000));
  if (type === 'telecom') return BigInt(3_000 + (n % 15_000));
  return BigInt(3_000 + (n % 27_000));
}

export function createBillNetworkSandbox(deps: {
  db: Db;
  clock: Clock;
  biller: (billerId: string) => Promise<SandboxBiller | null>;
  latencyMs?: number;
}): BillNetworkSandbox {
  const { db, clock } = deps;
  const latencyMs = deps.latencyMs ?? 20;
  const pause = () => (latencyMs > 0 ? new Promise((done) => setTimeout(done, latencyMs)) : Promise.resolve());
  let receiver: ((confirmation: BillConfirmation) => Promise<void>) | null = null;
  const networkRef = () => `BN${randomDigits(16)}`;

  async function issue(
    billerId: string,
    biller: SandboxBiller,
    accountNumber: string,
    period: string,
    issuedAt: Date,
    dueDate: string,
  ) {
    await store.insertBill(db, {
      bill_ref: `B-${billerId}-${accountNumber}-${period}`,
      biller_id: billerId,
      account_number: accountNumber,
      period,
      amount: sandboxBillAmount(biller.type, billerId, accountNumber, period),
      issued_at: issuedAt,
      due_date: dueDate,
    });
  }

  /** Opens an account on first sight, with last month's bill (and, marker 97, an overdue one before it). */
  async function open(billerId: string, biller: SandboxBiller, accountNumber: string, marker: string) {
    const now = clock.now();
    const n = hashNumber(`${billerId}:${accountNumber}`);
    const created = await store.insertAccount(db, {
      biller_id: billerId,
      account_number: accountNumber,
      holder_name: `*${GIVEN[n % GIVEN.length]}`,
      address: `${SURNAMES[(n >>> 4) % SURNAMES.length]}家园${(n % 30) + 1}号楼****`,
      prepaid_balance: biller.mode === 'prepaid' ? BigInt(n % 5_000) : 0n,
      created_at: now,
    });
    if (!created || biller.mode !== 'postpaid' || marker === SANDBOX_MARKERS.nothingDue) return;
    const today = shanghaiDay(now);
    const period = previousPeriod(today.slice(0, 7));
    if (marker === SANDBOX_MARKERS.overdue) {
      const issuedAt = new Date(now.getTime() - 35 * 86_400_000);
      await issue(billerId, biller, accountNumber, previousPeriod(period), issuedAt, addDays(today, -20));
    }
    await issue(billerId, biller, accountNumber, period, now, addDays(today, SANDBOX_DUE_DAYS));
  }

  function outcomeOf(row: store.SandboxTxnRow): PayOutcome {
    if (row.status === 'succeeded') return { status: 'succeeded', networkRef: row.network_ref };
    if (row.status === 'failed')
      return { status: 'failed', reason: (row.reason ?? 'BILLER_DECLINED') as PayFailure, networkRef: row.network_ref };
    return { status: 'processing', networkRef: row.network_ref };
  }

  /** Completes requests whose time has come; a bill someone else paid meanwhile fails the late one. */
  async function advance(requestId: string | null): Promise<void> {
    const now = clock.now();
    for (const row of await store.advance(db, requestId, now)) {
      if (row.status !== 'succeeded') continue;
      if (row.bill_ref) {
        if (!(await store.markBillPaid(db, row.bill_ref, row.request_id, row.completes_at)))
          await store.failTxn(db, row.request_id, 'PAID_ELSEWHERE');
      } else await store.addPrepaid(db, row.biller_id, row.account_number, row.amount);
    }
  }

  async function record(
    request: PayRequest,
    status: 'processing' | 'succeeded' | 'failed',
    final: 'succeeded' | 'failed',
    reason: PayFailure | null,
    completesAt: Date,
  ): Promise<store.SandboxTxnRow> {
    const now = clock.now();
    await store.insertTxn(db, {
      request_id: request.requestId,
      biller_id: request.billerId,
      account_number: request.accountNumber,
      bill_ref: request.billRef,
      amount: request.amountFen,
      status,
      final_status: final,
      reason,
      network_ref: networkRef(),
      completes_at: completesAt,
      completed_at: status === 'processing' ? null : now,
      created_at: now,
    });
    return (await store.findTxn(db, request.requestId)) as store.SandboxTxnRow;
  }

  /** Succeeds now: the bill is marked paid in the same transaction, or the request fails as paid elsewhere. */
  async function succeedNow(request: PayRequest): Promise<store.SandboxTxnRow> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      let status: 'succeeded' | 'failed' = 'succeeded';
      if (request.billRef && !(await store.markBillPaid(tx, request.billRef, request.requestId, now)))
        status = 'failed';
      if (!request.billRef) await store.addPrepaid(tx, request.billerId, request.accountNumber, request.amountFen);
      await store.insertTxn(tx, {
        request_id: request.requestId,
        biller_id: request.billerId,
        account_number: request.accountNumber,
        bill_ref: request.billRef,
        amount: request.amountFen,
        status,
        final_status: status,
        reason: status === 'failed' ? 'PAID_ELSEWHERE' : null,
        network_ref: networkRef(),
        completes_at: now,
        completed_at: now,
        created_at: now,
      });
      return (await store.findTxn(tx, request.requestId)) as store.SandboxTxnRow;
    });
  }

  async function confirmLater(requestId: string, afterMs: number[]) {
    const now = clock.now();
    for (const ms of afterMs)
      await store.scheduleConfirmation(db, newId('bcf', now.getTime()), requestId, new Date(now.getTime() + ms));
  }

  return {
    setReceiver(next) {
      receiver = next;
    },

    async inquire({ billerId, accountNumber }): Promise<InquiryAnswer> {
      await pause();
      const biller = await deps.biller(billerId);
      if (!biller) return { status: 'unknown_account' };
      const marker = sandboxMarker(biller, accountNumber);
      if (marker === SANDBOX_MARKERS.unknown) return { status: 'unknown_account' };
      if (marker === SANDBOX_MARKERS.offline) return { status: 'unavailable' };
      await open(billerId, biller, accountNumber, marker);
      await advance(null);
      const account = await store.findAccount(db, billerId, accountNumber);
      if (!account) return { status: 'unknown_account' };
      const today = shanghaiDay(clock.now());
      const bills = await store.unpaidBills(db, billerId, accountNumber);
      return {
        status: 'found',
        holderName: account.holder_name,
        address: account.address,
        bills: bills.map((bill) => ({
          billRef: bill.bill_ref,
          period: bill.period,
          amountFen: bill.amount,
          lateFeeFen: lateFeeFen(bill.amount, biller.lateFeePerMille, bill.due_date, today),
          issuedAt: bill.issued_at,
          dueDate: bill.due_date,
        })),
        prepaidBalanceFen: biller.mode === 'prepaid' ? account.prepaid_balance : null,
      };
    },

    async pay(request): Promise<PayOutcome> {
      await pause();
      await advance(request.requestId);
      const existing = await store.findTxn(db, request.requestId);
      if (existing) return outcomeOf(existing);
      const now = clock.now();
      const biller = await deps.biller(request.billerId);
      const marker = biller ? sandboxMarker(biller, request.accountNumber) : '';
      const fail = async (reason: PayFailure) => outcomeOf(await record(request, 'failed', 'failed', reason, now));
      if (!biller || marker === SANDBOX_MARKERS.unknown) return fail('UNKNOWN_ACCOUNT');
      if (marker === SANDBOX_MARKERS.offline) return fail('BILLER_UNAVAILABLE');
      if (!(await store.findAccount(db, request.billerId, request.accountNumber))) return fail('UNKNOWN_ACCOUNT');
      if (request.billRef) {
        const bill = await store.findBill(db, request.billRef);
        if (!bill || bill.biller_id !== request.billerId || bill.account_number !== request.accountNumber)
          return fail('BILLER_DECLINED');
        if (bill.status === 'paid') return fail('PAID_ELSEWHERE');
        const due = bill.amount + lateFeeFen(bill.amount, biller.lateFeePerMille, bill.due_date, shanghaiDay(now));
        if (due !== request.amountFen) return fail('AMOUNT_MISMATCH');
      } else if (biller.mode !== 'prepaid') return fail('BILLER_DECLINED');
      switch (marker) {
        case SANDBOX_MARKERS.paidElsewhere:
          if (request.billRef) await store.markBillPaid(db, request.billRef, 'elsewhere', now);
          return fail('PAID_ELSEWHERE');
        case SANDBOX_MARKERS.declined:
          return fail('BILLER_DECLINED');
        case SANDBOX_MARKERS.timeoutSucceeded:
          await succeedNow(request);
          throw new BillNetworkTimeout(request.requestId);
        case SANDBOX_MARKERS.timeoutFailed:
          await record(request, 'failed', 'failed', 'BILLER_DECLINED', now);
          throw new BillNetworkTimeout(request.requestId);
        case SANDBOX_MARKERS.lateConfirmation: {
          const row = await record(
            request,
            'processing',
            'succeeded',
            null,
            new Date(now.getTime() + LATE_CONFIRMATION_MS),
          );
          await confirmLater(request.requestId, [LATE_CONFIRMATION_MS]);
          return outcomeOf(row);
        }
        case SANDBOX_MARKERS.duplicateConfirmation: {
          const row = await succeedNow(request);
          await confirmLater(request.requestId, [CONFIRMATION_DELAY_MS, CONFIRMATION_DELAY_MS + 1_000]);
          return outcomeOf(row);
        }
      }
      return outcomeOf(await succeedNow(request));
    },

    async query(requestId): Promise<StatusAnswer> {
      await pause();
      await advance(requestId);
      const row = await store.findTxn(db, requestId);
      return row ? outcomeOf(row) : { status: 'not_found' };
    },

    async settlementFile(billerId, day): Promise<SettlementLine[]> {
      await advance(null);
      const { start, end } = shanghaiDayBounds(day);
      return (await store.succeededOn(db, billerId, start, end)).map((row) => ({
        requestId: row.request_id,
        billRef: row.bill_ref,
        amountFen: row.amount,
        networkRef: row.network_ref,
        completedAt: row.completed_at as Date,
      }));
    },

    async deliverDueConfirmations(limit = 100): Promise<number> {
      if (!receiver) return 0;
      await advance(null);
      const due = await store.claimDueConfirmations(db, clock.now(), limit);
      let delivered = 0;
      for (const item of due) {
        const row = await store.findTxn(db, item.request_id);
        if (!row || row.status === 'processing') continue;
        await receiver({
          requestId: row.request_id,
          status: row.status,
          ...(row.status === 'failed' ? { reason: (row.reason ?? 'BILLER_DECLINED') as PayFailure } : {}),
          networkRef: row.network_ref,
          amountFen: row.amount,
        });
        delivered++;
      }
      return delivered;
    },

    async issueMonthlyBills(limit = 500): Promise<number> {
      const now = clock.now();
      const today = shanghaiDay(now);
      const period = previousPeriod(today.slice(0, 7));
      let issued = 0;
      let after = { billerId: '', accountNumber: '' };
      for (;;) {
        const accounts = await store.accountsWithoutBill(db, period, after, limit);
        if (accounts.length === 0) break;
        for (const account of accounts) {
          after = { billerId: account.biller_id, accountNumber: account.account_number };
          const biller = await deps.biller(account.biller_id);
          if (!biller || biller.mode !== 'postpaid') continue;
          const marker = sandboxMarker(biller, account.account_number);
          if (marker === SANDBOX_MARKERS.nothingDue) continue;
          await issue(account.biller_id, biller, account.account_number, period, now, addDays(today, SANDBOX_DUE_DAYS));
          issued++;
        }
      }
      return issued;
    },
  };
}
