import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { autopayNotifier, createAutopayRuns } from './autopay-runs.js';
import type { BillError, Billers } from './billers.js';
import { monthStart } from './days.js';
import type { BillsDeps } from './deps.js';
import type { Inquiry } from './inquiry.js';
import type { Paying } from './paying.js';
import * as store from './store.js';
import * as autopayStore from './store-autopay.js';
import type { MandateRow, RunRow } from './store-autopay.js';

/**
 * Autopay (代扣): a mandate the holder signs with the PIN names a saved account, a cap per bill and
 * per month, and when to pay (on arrival, or N days before due). The holder signs, lists, pauses,
 * resumes and cancels mandates here; the runs that pay the bills are in autopay-runs.ts.
 */

export interface MandateView {
  id: string;
  savedAccountId: string;
  label: string;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  accountNumber: string;
  capPerBillFen: bigint;
  capPerMonthFen: bigint;
  currency: 'CNY';
  timing: 'on_arrival' | 'before_due';
  daysBeforeDue: number | null;
  status: MandateRow['status'];
  usedThisMonthFen: bigint;
  createdAt: Date;
  updatedAt: Date;
}

export function createAutopay(deps: BillsDeps, billers: Billers, inquiry: Inquiry, paying: Paying) {
  const { db, clock, audit, identity } = deps;
  const notify = autopayNotifier(deps);
  const runner = createAutopayRuns(deps, billers, inquiry, paying);

  async function view(row: MandateRow): Promise<MandateView> {
    const account = await store.findSavedAccountById(db, row.saved_account_id);
    const biller = account ? await billers.find(account.biller_id) : null;
    return {
      id: row.id,
      savedAccountId: row.saved_account_id,
      label: account?.label ?? '',
      billerId: account?.biller_id ?? '',
      billerName: biller?.name ?? '',
      billerNameEn: biller?.name_en ?? '',
      accountNumber: account?.account_number ?? '',
      capPerBillFen: row.cap_per_bill,
      capPerMonthFen: row.cap_per_month,
      currency: 'CNY',
      timing: row.timing,
      daysBeforeDue: row.days_before_due,
      status: row.status,
      usedThisMonthFen: await autopayStore.mandatePaidSince(db, row.id, monthStart(clock.now())),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  return {
    view,
    expenseAccountId: runner.expenseAccountId,

    async create(
      userId: string,
      input: {
        savedAccountId: string;
        capPerBillFen: bigint;
        capPerMonthFen: bigint;
        timing: 'on_arrival' | 'before_due';
        daysBeforeDue?: number;
        pin: string;
      },
    ): Promise<Result<MandateView, BillError>> {
      const account = await store.findSavedAccount(db, userId, input.savedAccountId);
      if (!account) return err({ code: 'BILL_ACCOUNT_NOT_FOUND' });
      const biller = await billers.find(account.biller_id);
      if (!biller || biller.mode !== 'postpaid') return err({ code: 'AUTOPAY_NOT_SUPPORTED' });
      if (input.capPerBillFen > input.capPerMonthFen) return err({ code: 'AUTOPAY_CAPS_INVALID' });
      if (input.timing === 'before_due' && !input.daysBeforeDue)
        return err({ code: 'VALIDATION_FAILED', field: 'daysBeforeDue', message: 'before_due needs daysBeforeDue' });
      const pin = await identity.pin.verify(userId, input.pin);
      if (!pin.ok) return err(pin.error as BillError);
      const now = clock.now();
      const row: MandateRow = {
        id: newId('bap', now.getTime()),
        user_id: userId,
        saved_account_id: account.id,
        cap_per_bill: input.capPerBillFen,
        cap_per_month: input.capPerMonthFen,
        timing: input.timing,
        days_before_due: input.timing === 'before_due' ? (input.daysBeforeDue ?? null) : null,
        status: 'active',
        confirmed_with: 'pin',
        created_at: now,
        updated_at: now,
      };
      if (!(await autopayStore.insertMandate(db, row))) return err({ code: 'AUTOPAY_ALREADY_EXISTS' });
      await audit.record(db, {
        actorKind: 'user',
        actorId: userId,
        action: 'bills.autopay_signed',
        subjectType: 'bill_autopay_mandate',
        subjectId: row.id,
        details: {
          savedAccountId: account.id,
          capPerBillFen: String(row.cap_per_bill),
          capPerMonthFen: String(row.cap_per_month),
        },
      });
      await notify(
        userId,
        'signed',
        [
          '自动缴费已开通',
          `${account.label}·${biller.name}（户号${account.account_number}）已开通自动缴费，` +
            `单笔上限${formatFen(row.cap_per_bill)}，每月上限${formatFen(row.cap_per_month)}。`,
        ],
        [
          'Autopay set up',
          `Autopay is on for ${account.label} · ${biller.name_en} (account ${account.account_number}): up to ` +
            `${formatFen(row.cap_per_bill)} a bill and ${formatFen(row.cap_per_month)} a month.`,
        ],
        { mandateId: row.id },
      );
      return ok(await view(row));
    },

    async list(userId: string): Promise<MandateView[]> {
      return Promise.all((await autopayStore.userMandates(db, userId)).map(view));
    },

    async change(
      userId: string,
      id: string,
      action: 'pause' | 'resume' | 'cancel',
    ): Promise<Result<MandateView, BillError>> {
      const existing = await autopayStore.findMandate(db, userId, id);
      if (!existing) return err({ code: 'AUTOPAY_NOT_FOUND' });
      const [from, to] =
        action === 'pause'
          ? [['active'], 'paused']
          : action === 'resume'
            ? [['paused'], 'active']
            : [['active', 'paused'], 'cancelled'];
      const row = await autopayStore.setMandateStatus(db, userId, id, from, to, clock.now());
      if (!row) return err({ code: 'AUTOPAY_STATE_INVALID', status: existing.status });
      await audit.record(db, {
        actorKind: 'user',
        actorId: userId,
        action: `bills.autopay_${to}`,
        subjectType: 'bill_autopay_mandate',
        subjectId: id,
      });
      const words =
        to === 'paused' ? ['已暂停', 'paused'] : to === 'active' ? ['已恢复', 'resumed'] : ['已取消', 'cancelled'];
      await notify(
        userId,
        to,
        [`自动缴费${words[0]}`, `户号${(await view(row)).accountNumber}的自动缴费${words[0]}。`],
        [`Autopay ${words[1]}`, `Autopay for account ${(await view(row)).accountNumber} is ${words[1]}.`],
      );
      return ok(await view(row));
    },

    async runs(
      filter: { userId?: string | null; mandateId?: string | null; outcome?: string | null; before?: string | null },
      limit: number,
    ): Promise<RunRow[]> {
      return autopayStore.runs(db, filter, limit);
    },

    run: runner.run,
  };
}

export type Autopay = ReturnType<typeof createAutopay>;
