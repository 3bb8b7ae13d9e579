import { shanghaiDay } from '../platform/clock.js';
import { type PaymentView, paymentView } from './payments.js';
import { may } from './merchant-roles.js';
import * as store from './store-payments.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantActor, PaymentRow } from './types.js';

/** What merchants see: their payments with filters, today's takings, a CSV export, and the live feed. */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
export const CSV_MAX_ROWS = 10_000;
export const CSV_MAX_DAYS = 31;

/** Start of an Asia/Shanghai day (YYYY-MM-DD) as a UTC instant. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/**
 * The earliest payment a staff member may see: the start of today (Asia/Shanghai) for a role
 * without `payments.history` (cashiers), none for the others.
 */
export function historyFloor(role: string, now: Date): Date | null {
  return may(role, 'payments.history') ? null : shanghaiDayStart(shanghaiDay(now));
}

/** Whether the staff member may see (and so act on) a payment created at `createdAt`. */
export function paymentVisibleTo(actor: MerchantActor, createdAt: Date, now: Date): boolean {
  const floor = historyFloor(actor.role, now);
  return floor === null || createdAt >= floor;
}

const csvCell = (value: string) =>
  /[",\n\r]/.test(value) || /^[=+\-@]/.test(value)
    ? `"${(/^[=+\-@]/.test(value) ? `'${value}` : value).replaceAll('"', '""')}"`
    : value;
const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;

export function createReports(deps: PaymentsDeps) {
  const { db, clock } = deps;
  return {
    /** The actor's merchant's payments; a cashier's list starts at the beginning of today whatever `from` asks. */
    async list(
      actor: MerchantActor,
      filter: Omit<store.PaymentFilter, 'limit' | 'merchantId'> & { limit?: number },
    ): Promise<{ items: PaymentView[]; nextBefore: string | null }> {
      const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
      const floor = historyFloor(actor.role, clock.now());
      const from = floor && (!filter.from || filter.from < floor) ? floor : filter.from;
      const rows = await store.listMerchantPayments(db, { ...filter, merchantId: actor.merchantId, from, limit });
      const names = new Map<string, string | null>();
      for (const row of rows)
        if (!names.has(row.user_id)) names.set(row.user_id, (await deps.identity.profile(row.user_id))?.name ?? null);
      return {
        items: rows.map((row) => ({ ...paymentView(row), payerName: names.get(row.user_id) ?? null })),
        nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
      };
    },

    async get(actor: MerchantActor, paymentId: string): Promise<PaymentView | null> {
      const row = await store.findPayment(db, paymentId, { merchantId: actor.merchantId });
      if (!row || !paymentVisibleTo(actor, row.created_at, clock.now())) return null;
      // The payer as the merchant may see them: masked, as on a paper receipt.
      return { ...paymentView(row), payerName: (await deps.identity.profile(row.user_id))?.name ?? null };
    },

    /** Today's takings in the Asia/Shanghai day: completed payments, refunds made today, net. */
    async today(merchantId: string) {
      const day = shanghaiDay(clock.now());
      const from = shanghaiDayStart(day);
      const totals = await store.takings(db, merchantId, from, new Date(from.getTime() + DAY_MS));
      return {
        day,
        payments: Number(totals.count),
        grossFen: totals.gross,
        refunds: Number(totals.refunds),
        refundedFen: totals.refunded,
        netFen: totals.gross - totals.refunded,
      };
    },

    /** Payments created in [fromDay, toDay] (Asia/Shanghai days, at most 31), as CSV with a header row. */
    async csv(merchantId: string, fromDay: string, toDay: string): Promise<string | null> {
      const from = shanghaiDayStart(fromDay);
      const to = new Date(shanghaiDayStart(toDay).getTime() + DAY_MS);
      if (!(to > from) || to.getTime() - from.getTime() > CSV_MAX_DAYS * DAY_MS) return null;
      const lines = ['payment_id,created_at,completed_at,status,source,amount_yuan,refunded_yuan,order_reference'];
      let before: string | undefined;
      while (lines.length <= CSV_MAX_ROWS) {
        const rows: PaymentRow[] = await store.listMerchantPayments(db, { merchantId, from, to, before, limit: 500 });
        for (const row of rows) {
          lines.push(
            [
              row.id,
              row.created_at.toISOString(),
              row.completed_at?.toISOString() ?? '',
              row.status,
              row.source,
              yuan(row.amount),
              yuan(row.refunded_amount),
              csvCell(row.order_reference ?? ''),
            ].join(','),
          );
        }
        if (rows.length < 500) break;
        before = rows[rows.length - 1].id;
      }
      return `${lines.slice(0, CSV_MAX_ROWS + 1).join('\r\n')}\r\n`;
    },

    /** Completed payments after a cursor, oldest first, for the live stream. */
    completedSince: (merchantId: string, since: { at: Date; id: string }) =>
      store.completedSince(db, merchantId, since, 100),
    refundsSince: (merchantId: string, since: { at: Date; id: string }) =>
      store.refundsSince(db, merchantId, since, 100),
  };
}

export type Reports = ReturnType<typeof createReports>;
