import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import * as store from './store-orders.js';
import type { MerchantApiDeps } from './deps.js';
import type { ApiCaller, MerchantApiError, OrderRow, Page, RefundRow } from './types.js';
import { type OrderView, type RefundView, orderView, refundView, statusOf } from './order-views.js';
import { orderEvent, recordEvents, refundEvent } from './webhook-events.js';
import { findNotifyEndpoint } from './store-webhooks.js';
import { checkWebhookTarget } from './webhook-targets.js';

export {
  type OrderView,
  type OrderViewStatus,
  type RefundView,
  orderView,
  refundView,
  statusOf,
} from './order-views.js';

/**
 * Orders a shop creates server to server, and their refunds. A live order is a dynamic QR code of the
 * payments domain with the order's amount, number and expiry: the wallet pays it by the ordinary
 * payment path (risk, limits, maintenance, PIN or passkey), and the code's row lock makes it paid at
 * most once and never after it was closed. The order learns it was paid from the code. A test-mode
 * order never reaches the payments domain: it is paid by the test-only call, and refunded on paper.
 */

export const ORDER_DEFAULT_TTL_S = 1800;
export const ORDER_MIN_TTL_S = 60;
export const ORDER_MAX_TTL_S = 24 * 3600;

/**
 * A return URL: https (http too in test mode, or with the development override that lets a shop on a
 * developer's machine take live payments), no credentials, at most 2048 characters.
 */
export function checkUrl(
  field: string,
  value: string | undefined,
  mode: OrderRow['mode'],
  allowHttp = false,
): MerchantApiError | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { code: 'MERCHANT_API_URL_INVALID', field, reason: 'not_a_url' };
  }
  if (url.protocol !== 'https:' && !((mode === 'test' || allowHttp) && url.protocol === 'http:'))
    return { code: 'MERCHANT_API_URL_INVALID', field, reason: 'scheme' };
  if (url.username || url.password) return { code: 'MERCHANT_API_URL_INVALID', field, reason: 'credentials' };
  return null;
}

function page<R extends { id: string }, V>(rows: R[], limit: number, view: (row: R) => V): Page<V> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(view), nextCursor: more ? items[items.length - 1].id : null };
}

export interface OrderInput {
  amountFen: bigint;
  currency: 'CNY';
  description: string;
  shopOrderNumber: string;
  expiresInSeconds?: number;
  returnUrl?: string;
  notifyUrl?: string;
  metadata?: Record<string, string>;
}

/**
 * The ledger's reasons a live refund's money could not move once it was asked for properly: the refund is
 * kept as failed and `refund.failed` sent. Other refusals (not refundable, too much) write nothing.
 */
const REFUND_FAILURES = new Set(['INSUFFICIENT_FUNDS', 'ACCOUNT_FROZEN', 'ACCOUNT_NOT_FOUND', 'LIMIT_EXCEEDED']);

/** Told after a transaction that wrote webhook events has committed (delivery may start at once). */
export type EventsRecorded = () => void;

export function createOrders(deps: MerchantApiDeps, eventsRecorded: EventsRecorded = () => {}) {
  const { db, clock, payments } = deps;

  /** Marks an order paid and records `order.paid` in one transaction; null when it was no longer open. */
  async function markPaid(id: string, paymentId: string | null, now: Date): Promise<OrderRow | null> {
    const paid = await db.transaction(async (tx) => {
      const row = await store.markOrderPaid(tx, id, paymentId, now);
      if (row) await recordEvents(tx, [orderEvent('order.paid', row, now)]);
      return row;
    });
    if (paid) eventsRecorded();
    return paid;
  }

  /** The order as it stands: a live open order whose code was paid becomes paid here. */
  async function refresh(row: OrderRow): Promise<OrderRow> {
    if (row.status !== 'open' || row.mode !== 'live' || !row.qr_code_id) return row;
    const state = await payments.codeState(row.qr_code_id);
    if (state?.status !== 'paid') return row;
    const now = clock.now();
    return (await markPaid(row.id, state.paidPaymentId, now)) ?? (await store.findOrder(db, row.id)) ?? row;
  }

  async function ownOrder(caller: ApiCaller, id: string): Promise<OrderRow | null> {
    const row = await store.findOrder(db, id);
    return row && row.merchant_id === caller.merchantId && row.mode === caller.mode ? refresh(row) : null;
  }

  /** A live refund whose money could not move: kept as failed, `refund.failed` recorded with it. */
  async function failed(
    caller: ApiCaller,
    order: OrderRow,
    input: { amountFen: bigint; reason?: string },
    reason: string,
  ): Promise<Result<never, MerchantApiError>> {
    const now = clock.now();
    const refund: RefundRow = {
      id: newId('mrf', now.getTime()),
      order_id: order.id,
      merchant_id: caller.merchantId,
      mode: order.mode,
      amount: input.amountFen,
      reason: input.reason ?? null,
      status: 'failed',
      failure_code: reason,
      payment_refund_id: null,
      created_by_key: caller.keyId,
      created_at: now,
    };
    await db.transaction(async (tx) => {
      await store.insertRefund(tx, refund);
      await recordEvents(tx, [refundEvent('refund.failed', refund, now, order.notify_url)]);
    });
    eventsRecorded();
    return err({ code: 'MERCHANT_API_REFUND_FAILED', refundId: refund.id, reason });
  }

  return {
    refresh,

    /**
     * The payments domain's settlement paid these dynamic codes: their open orders become paid and
     * `order.paid` is recorded, in the payment's own transaction (the caller tells `eventsRecorded`
     * after the commit).
     */
    async codesPaid(tx: Queryable, codes: readonly { qrId: string; paymentId: string }[], at: Date): Promise<number> {
      const rows = await store.markOrdersPaidByCodes(tx, codes, at);
      await recordEvents(
        tx,
        rows.map((row) => orderEvent('order.paid', row, at)),
      );
      return rows.length;
    },

    eventsRecorded,

    async create(caller: ApiCaller, input: OrderInput): Promise<Result<OrderView, MerchantApiError>> {
      const ttl = input.expiresInSeconds ?? ORDER_DEFAULT_TTL_S;
      if (ttl < ORDER_MIN_TTL_S || ttl > ORDER_MAX_TTL_S)
        return err({ code: 'MERCHANT_API_EXPIRY_INVALID', minSeconds: ORDER_MIN_TTL_S, maxSeconds: ORDER_MAX_TTL_S });
      const badUrl = checkUrl('returnUrl', input.returnUrl, caller.mode, deps.webhooks?.allowPrivate);
      if (badUrl) return err(badUrl);
      if (input.notifyUrl !== undefined) {
        // The server will call it: the same SSRF rules as a webhook endpoint's URL, and a secret to sign with.
        const allowPrivate = deps.webhooks?.allowPrivate ?? false;
        const checked = await checkWebhookTarget(input.notifyUrl, {
          mode: caller.mode,
          allowPrivate,
          resolve: deps.webhooks?.resolve,
        });
        if (!checked.ok) return err({ ...checked.error, field: 'notifyUrl' });
        if ((await findNotifyEndpoint(db, caller.merchantId, caller.mode))?.status !== 'active')
          return err({ code: 'MERCHANT_API_NOTIFY_SECRET_MISSING' });
      }
      const taken = await store.findOrderByNumber(db, caller.merchantId, caller.mode, input.shopOrderNumber);
      if (taken) return err({ code: 'MERCHANT_API_ORDER_NUMBER_TAKEN', orderId: taken.id });
      const merchant = await payments.merchant(caller.merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      const now = clock.now();
      let qrCodeId: string | null = null;
      if (caller.mode === 'live') {
        const code = await payments.issueCode(caller.merchantId, {
          amountFen: input.amountFen,
          orderReference: input.shopOrderNumber,
          expiresInSeconds: ttl,
        });
        if (!code.ok) return code;
        qrCodeId = code.value.id;
      }
      const row: OrderRow = {
        id: newId('ord', now.getTime()),
        merchant_id: caller.merchantId,
        mode: caller.mode,
        shop_order_number: input.shopOrderNumber,
        amount: input.amountFen,
        currency: input.currency,
        description: input.description,
        return_url: input.returnUrl ?? null,
        notify_url: input.notifyUrl ?? null,
        metadata: input.metadata ?? {},
        status: 'open',
        qr_code_id: qrCodeId,
        payment_id: null,
        refunded_amount: 0n,
        expires_at: new Date(now.getTime() + ttl * 1000),
        paid_at: null,
        closed_at: null,
        created_by_key: caller.keyId,
        created_at: now,
      };
      if (!(await store.insertOrder(db, row))) {
        // Another request took the number meanwhile: its code is not needed.
        if (qrCodeId) await payments.revokeCode(qrCodeId);
        const other = await store.findOrderByNumber(db, caller.merchantId, caller.mode, input.shopOrderNumber);
        return err({ code: 'MERCHANT_API_ORDER_NUMBER_TAKEN', orderId: other?.id ?? '' });
      }
      return ok(orderView(row, now));
    },

    async get(caller: ApiCaller, id: string): Promise<OrderView | null> {
      const row = await ownOrder(caller, id);
      return row ? orderView(row, clock.now()) : null;
    },

    async list(
      caller: ApiCaller,
      q: { limit: number; startingAfter?: string; status?: OrderRow['status'] },
    ): Promise<Page<OrderView>> {
      const rows = await store.listOrders(db, {
        merchantId: caller.merchantId,
        mode: caller.mode,
        before: q.startingAfter ?? null,
        limit: q.limit + 1,
        status: q.status,
      });
      const fresh = await Promise.all(rows.map(refresh));
      const now = clock.now();
      return page(fresh, q.limit, (row) => orderView(row, now));
    },

    /**
     * Closes an open (or expired) order so it can never be paid. A live order's code is revoked
     * first: if the payment took the code's lock first, the order is paid and cannot be closed.
     */
    async close(caller: ApiCaller, id: string): Promise<Result<OrderView, MerchantApiError>> {
      const row = await ownOrder(caller, id);
      if (!row) return err({ code: 'MERCHANT_API_ORDER_NOT_FOUND' });
      if (row.status !== 'open') return err({ code: 'MERCHANT_API_ORDER_NOT_OPEN', status: row.status });
      if (row.qr_code_id && !(await payments.revokeCode(row.qr_code_id))) {
        const paid = await refresh(row);
        return err({ code: 'MERCHANT_API_ORDER_NOT_OPEN', status: paid.status });
      }
      const now = clock.now();
      const closed = await db.transaction(async (tx) => {
        const changed = await store.markOrderClosed(tx, id, now);
        if (changed) await recordEvents(tx, [orderEvent('order.closed', changed, now)]);
        return changed;
      });
      if (!closed) {
        const current = (await store.findOrder(db, id)) as OrderRow;
        return err({ code: 'MERCHANT_API_ORDER_NOT_OPEN', status: current.status });
      }
      eventsRecorded();
      return ok(orderView(closed, now));
    },

    /** Test mode only: pays an open test order as a holder would, moving no money. */
    async payTestOrder(caller: ApiCaller, id: string): Promise<Result<OrderView, MerchantApiError>> {
      if (caller.mode !== 'test') return err({ code: 'MERCHANT_API_TEST_MODE_ONLY' });
      const row = await ownOrder(caller, id);
      if (!row) return err({ code: 'MERCHANT_API_ORDER_NOT_FOUND' });
      const now = clock.now();
      const paid = statusOf(row, now) === 'open' ? await markPaid(id, null, now) : null;
      if (!paid) return err({ code: 'MERCHANT_API_ORDER_NOT_OPEN', status: statusOf(row, now) });
      return ok(orderView(paid, now));
    },

    /**
     * A refund of a paid order, in part or in full, several times, never above what was paid. A live
     * refund moves the money through the payments domain (which locks the payment and checks it
     * again); the order's running total is then written under the order's lock.
     */
    async refund(
      caller: ApiCaller,
      orderId: string,
      input: { amountFen: bigint; reason?: string },
    ): Promise<Result<RefundView, MerchantApiError>> {
      const row = await ownOrder(caller, orderId);
      if (!row) return err({ code: 'MERCHANT_API_ORDER_NOT_FOUND' });
      if (row.status !== 'paid')
        return err({ code: 'MERCHANT_API_ORDER_NOT_PAID', status: statusOf(row, clock.now()) });
      const refundable = row.amount - row.refunded_amount;
      if (input.amountFen > refundable)
        return err({ code: 'MERCHANT_API_REFUND_EXCEEDS_PAID', refundableFen: refundable });
      let paymentRefundId: string | null = null;
      if (row.mode === 'live') {
        const moved = await payments.refund(caller.merchantId, row.payment_id as string, {
          ...input,
          keyId: caller.keyId,
        });
        if (!moved.ok) {
          if (moved.error.code === 'REFUND_EXCEEDS_PAYMENT')
            return err({ code: 'MERCHANT_API_REFUND_EXCEEDS_PAID', refundableFen: moved.error.refundableFen });
          if (REFUND_FAILURES.has(moved.error.code)) return failed(caller, row, input, moved.error.code);
          return moved;
        }
        paymentRefundId = moved.value.id;
      }
      const recorded = await inTransaction(db, async (tx, rollback: RollbackWith<MerchantApiError>) => {
        const locked = (await store.findOrder(tx, orderId, true)) as OrderRow;
        const left = locked.amount - locked.refunded_amount;
        // Test mode decides here; a live refund was already bounded by the payment's own lock.
        if (row.mode === 'test' && input.amountFen > left)
          return rollback({ code: 'MERCHANT_API_REFUND_EXCEEDS_PAID', refundableFen: left });
        const now = clock.now();
        const refund: RefundRow = {
          id: newId('mrf', now.getTime()),
          order_id: orderId,
          merchant_id: caller.merchantId,
          mode: row.mode,
          amount: input.amountFen,
          reason: input.reason ?? null,
          status: 'succeeded',
          failure_code: null,
          payment_refund_id: paymentRefundId,
          created_by_key: caller.keyId,
          created_at: now,
        };
        await store.addOrderRefunded(tx, orderId, input.amountFen);
        await store.insertRefund(tx, refund);
        await recordEvents(tx, [refundEvent('refund.succeeded', refund, now, row.notify_url)]);
        return refundView(refund);
      });
      if (recorded.ok) eventsRecorded();
      return recorded;
    },

    async getRefund(caller: ApiCaller, id: string): Promise<RefundView | null> {
      const row = await store.findRefund(db, id);
      return row && row.merchant_id === caller.merchantId && row.mode === caller.mode ? refundView(row) : null;
    },

    async listRefunds(
      caller: ApiCaller,
      q: { limit: number; startingAfter?: string; orderId?: string },
    ): Promise<Page<RefundView>> {
      const rows = await store.listRefunds(db, {
        merchantId: caller.merchantId,
        mode: caller.mode,
        orderId: q.orderId ?? null,
        before: q.startingAfter ?? null,
        limit: q.limit + 1,
      });
      return page(rows, q.limit, refundView);
    },

    /**
     * What the hosted pay page shows (public, by the order's unguessable id): the shop's verified
     * name, the amount, the description, the state and, while a live order is open, the code the
     * wallet pays.
     */
    async checkout(id: string) {
      const found = await store.findOrder(db, id);
      if (!found) return null;
      const row = await refresh(found);
      const merchant = await payments.merchant(row.merchant_id);
      const now = clock.now();
      const status = statusOf(row, now);
      const code = status === 'open' && row.qr_code_id ? await payments.codeState(row.qr_code_id) : null;
      return {
        id: row.id,
        mode: row.mode,
        merchantName: merchant?.name ?? '',
        merchantNumber: merchant?.merchantNumber ?? '',
        amountFen: row.amount,
        currency: row.currency,
        description: row.description,
        shopOrderNumber: row.shop_order_number,
        status,
        payload: code?.status === 'active' ? code.payload : null,
        returnUrl: row.return_url ? returnUrlOf(row.return_url, row.id) : null,
        expiresAt: row.expires_at,
      };
    },
  };
}

/** The shop's return URL with the order id added (the shop must still trust only a server-side get). */
export function returnUrlOf(returnUrl: string, orderId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('order', orderId);
  return url.toString();
}

export type Orders = ReturnType<typeof createOrders>;
