import type { Party } from '../approvals/service.js';
import { inTransaction } from '../platform/db/transaction-result.js';
import { type Result, err } from '../platform/result.js';
import type { SavingsContext, SavingsError } from './deps.js';
import type { Orders } from './orders.js';
import type { Posting } from './posting.js';
import * as orders from './store-orders.js';
import type { OrderRow } from './store-orders.js';

/**
 * The staff queue: orders above a product's review threshold wait as `pending_review` with their
 * money held in the wallet. Approving posts the hold (the order takes effect then); rejecting
 * releases it. Each decision is audited.
 */
export function createApplications(ctx: SavingsContext, deps: { orders: Orders; posting: Posting }) {
  const { db, clock } = ctx;

  async function list(filter: { status?: string; before?: string; after?: string; limit?: number }) {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 100);
    const status = filter.status ?? 'pending_review';
    // The pending queue reads oldest first; decided ones newest first.
    const pending = status === 'pending_review';
    const rows = await orders.listOrders(db, {
      status,
      before: pending ? undefined : filter.before,
      after: pending ? (filter.after ?? filter.before) : undefined,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  }

  async function decide(
    id: string,
    staff: Party,
    decision: { approve: boolean; note: string },
  ): Promise<Result<OrderRow, SavingsError>> {
    const found = await orders.findOrder(db, id);
    if (!found || found.hold_id === null) return err({ code: 'SAVINGS_APPLICATION_NOT_FOUND' });
    if (found.status !== 'pending_review') return err({ code: 'SAVINGS_APPLICATION_DECIDED', status: found.status });
    const context = await deps.orders.contextOf(found);
    if (!context) return err({ code: 'SAVINGS_APPLICATION_NOT_FOUND' });
    return inTransaction<OrderRow, SavingsError>(db, async (tx, rollback) => {
      const order = await orders.findOrder(tx, id, true);
      if (order?.status !== 'pending_review')
        return rollback({ code: 'SAVINGS_APPLICATION_DECIDED', status: order?.status ?? 'unknown' });
      const now = clock.now();
      const decided = { review_note: decision.note, decided_by: staff.id, decided_at: now };
      await ctx.audit.record(tx, {
        actorKind: staff.kind,
        actorId: staff.id,
        action: decision.approve ? 'savings.application_approved' : 'savings.application_rejected',
        subjectType: 'savings_order',
        subjectId: id,
        details: { note: decision.note, amount: Number(order.amount), productId: order.product_id },
        ip: staff.ip,
        requestId: staff.requestId,
      });
      if (!decision.approve) {
        await deps.posting.releaseHold(tx, order);
        return orders.updateOrder(tx, id, { ...decided, status: 'rejected', completed_at: now });
      }
      await orders.updateOrder(tx, id, decided);
      return deps.posting.postReviewed(tx, { ...context, order: { ...order, ...decided } });
    });
  }

  return { list, decide };
}

export type Applications = ReturnType<typeof createApplications>;
