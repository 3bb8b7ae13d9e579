import type { EntryView } from '../ledger/types.js';
import { type Result, err, ok } from '../platform/result.js';
import type { WalletContext } from './deps.js';
import { type OrderView, orderView } from './orders.js';
import * as store from './store.js';
import { cardView } from './cards.js';
import { entryTransactionNumber, orderTransactionNumber } from './transaction-number.js';

/**
 * The holder's history: every posted movement of their wallet, read from the ledger with the
 * metadata convention of docs/wallet.md ({kind, counterparty, ref, note}), so P2P transfers,
 * merchant payments and refunds appear beside top-ups and withdrawals; plus the card orders that
 * have not posted (processing or failed). Newest first, cursor-paginated.
 */

export const MAX_HISTORY_PAGE = 100;
/** Ledger entries one page may read while filtering; a page may come back short with a cursor. */
export const HISTORY_SCAN_BUDGET = 2_000;

export interface HistoryItem {
  id: string;
  type: string;
  direction: 'in' | 'out';
  /** Signed from the wallet's side: positive in, negative out. */
  amountFen: bigint;
  currency: string;
  counterparty: string | null;
  status: string;
  time: Date;
  reference: string;
  /** The numeric transaction number the holder sees and copies (transaction-number.ts). */
  transactionNo: string;
  note: string | null;
}

/** How a movement was paid or where it went: the wallet balance or one of the holder's cards. */
export type PaymentMethod =
  { kind: 'balance' } | { kind: 'card'; bankName: string; bankNameEn: string; cardType: string; last4: string };

export interface HistoryFilter {
  types: string[] | null;
  from: Date | null;
  to: Date | null;
  minFen: bigint | null;
  maxFen: bigint | null;
  search: string | null;
}

interface Cursor {
  /** Next ledger entries are those with seq below this; null: from the newest. */
  seq: string | null;
  /** The ledger side has nothing older. */
  ledgerDone: boolean;
  /** Next open orders are those before (at, id). */
  orderAt: string | null;
  orderId: string | null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof value !== 'object' || value === null) return null;
    if (value.seq !== null && !/^\d{1,19}$/.test(String(value.seq))) return null;
    if (value.orderAt !== null && Number.isNaN(new Date(value.orderAt).getTime())) return null;
    if (typeof value.ledgerDone !== 'boolean' || (value.orderId !== null && typeof value.orderId !== 'string'))
      return null;
    return value;
  } catch {
    return null;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** One ledger entry seen from one wallet. */
export function itemFromEntry(entry: EntryView, walletId: string): HistoryItem | null {
  const amountFen = entry.postings
    .filter((posting) => posting.accountId === walletId)
    .reduce((sum, posting) => sum + posting.amountFen, 0n);
  if (amountFen === 0n) return null;
  const kind = text(entry.metadata.kind) ?? (entry.kind === 'reversal' ? 'reversal' : 'other');
  return {
    id: entry.id,
    type: kind,
    direction: amountFen > 0n ? 'in' : 'out',
    amountFen,
    currency: entry.currency,
    // One entry is seen from both wallets: each side shows the other (docs/wallet.md, metadata convention).
    counterparty:
      text(amountFen < 0n ? entry.metadata.counterpartyOut : entry.metadata.counterpartyIn) ??
      text(entry.metadata.counterparty),
    status: 'succeeded',
    time: entry.createdAt,
    reference: text(entry.metadata.ref) ?? entry.reference,
    transactionNo: entryTransactionNumber(entry.seq, entry.createdAt),
    note: text(entry.metadata.note),
  };
}

export function itemFromOrder(order: store.OrderRow): HistoryItem {
  const amount = BigInt(order.amount);
  return {
    id: order.id,
    type: order.kind,
    direction: order.kind === 'topup' ? 'in' : 'out',
    amountFen: order.kind === 'topup' ? amount : -amount,
    currency: order.currency,
    counterparty: order.counterparty,
    status: order.status,
    time: order.created_at,
    reference: order.id,
    transactionNo: orderTransactionNumber(order.id, order.created_at),
    note: order.failure_reason,
  };
}

export function matches(item: HistoryItem, filter: HistoryFilter): boolean {
  if (filter.types && !filter.types.includes(item.type)) return false;
  if (filter.from && item.time < filter.from) return false;
  if (filter.to && item.time >= filter.to) return false;
  const abs = item.amountFen < 0n ? -item.amountFen : item.amountFen;
  if (filter.minFen !== null && abs < filter.minFen) return false;
  if (filter.maxFen !== null && abs > filter.maxFen) return false;
  if (filter.search) {
    const haystack = [item.type, item.counterparty ?? '', item.reference, item.note ?? '', item.id, item.transactionNo]
      .join(' ')
      .toLowerCase();
    if (!haystack.includes(filter.search.toLowerCase())) return false;
  }
  return true;
}

const newerFirst = (a: HistoryItem, b: HistoryItem) =>
  b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export type MovementDetail = HistoryItem & {
  order: OrderView | null;
  entryId: string | null;
  method: PaymentMethod;
};

export type HistoryError = { code: 'INVALID_CURSOR' } | { code: 'MOVEMENT_NOT_FOUND' } | { code: 'UNAUTHENTICATED' };

export function createHistory(ctx: WalletContext) {
  const { db, ledger } = ctx;

  async function methodOf(userId: string, order: store.OrderRow | null): Promise<PaymentMethod> {
    const card = order ? await store.findCard(db, userId, order.card_id) : null;
    if (!card) return { kind: 'balance' };
    const view = cardView(card);
    return {
      kind: 'card',
      bankName: view.bankName,
      bankNameEn: view.bankNameEn,
      cardType: view.cardType,
      last4: view.last4,
    };
  }

  async function walletOf(userId: string): Promise<string | null> {
    return (await ctx.identity.verifiedIdentity(userId))?.walletAccountId ?? null;
  }

  return {
    async balance(userId: string) {
      const walletId = await walletOf(userId);
      const account = walletId ? await ledger.getAccount(walletId) : null;
      if (!account) return null;
      return {
        accountId: account.id,
        currency: account.currency,
        balanceFen: account.balanceFen,
        availableFen: account.availableFen,
        pendingDebitsFen: account.pendingDebitsFen,
        frozen: account.frozen,
      };
    },

    async page(
      userId: string,
      filter: HistoryFilter,
      page: { cursor: string | null; limit: number },
    ): Promise<Result<{ items: HistoryItem[]; nextCursor: string | null }, HistoryError>> {
      const walletId = await walletOf(userId);
      if (!walletId) return err({ code: 'UNAUTHENTICATED' });
      const limit = Math.min(Math.max(page.limit, 1), MAX_HISTORY_PAGE);
      const cursor = page.cursor
        ? decodeCursor(page.cursor)
        : { seq: null, ledgerDone: false, orderAt: null, orderId: null };
      if (!cursor) return err({ code: 'INVALID_CURSOR' });

      // Ledger side: read pages of the wallet's entries until `limit` match, the budget runs out or the range ends.
      const ledgerItems: { item: HistoryItem; seq: bigint }[] = [];
      let before = cursor.seq === null ? undefined : BigInt(cursor.seq);
      let ledgerDone = cursor.ledgerDone;
      let frontier: { seq: bigint; time: Date } | null = null;
      for (let scanned = 0; !ledgerDone && ledgerItems.length < limit && scanned < HISTORY_SCAN_BUDGET;) {
        const entries = await ledger.listEntries(walletId, { beforeSeq: before, limit: 100 });
        scanned += entries.length;
        if (entries.length < 100) ledgerDone = true;
        for (const entry of entries) {
          frontier = { seq: entry.seq, time: entry.createdAt };
          if (filter.from && entry.createdAt < filter.from) {
            ledgerDone = true;
            break;
          }
          const item = itemFromEntry(entry, walletId);
          if (item && matches(item, filter)) ledgerItems.push({ item, seq: entry.seq });
        }
        if (entries.length > 0) before = entries[entries.length - 1].seq;
      }

      const orders = await store.listOpenOrders(db, userId, {
        before: cursor.orderAt && cursor.orderId ? { at: new Date(cursor.orderAt), id: cursor.orderId } : null,
        from: filter.from,
        to: filter.to,
        kinds: filter.types,
        minFen: filter.minFen,
        maxFen: filter.maxFen,
        search: filter.search,
        limit: limit + 1,
      });
      const orderItems = orders.map(itemFromOrder).filter((item) => matches(item, filter));

      // Items older than the last ledger entry read could be passed by unread entries: hold them back.
      const cutoff = !ledgerDone && frontier ? frontier.time : null;
      const merged = [
        ...ledgerItems.map((l) => ({ ...l, from: 'ledger' as const })),
        ...orderItems.map((item) => ({ item, seq: null, from: 'order' as const })),
      ]
        .sort((a, b) => newerFirst(a.item, b.item))
        .filter((candidate) => candidate.from === 'ledger' || cutoff === null || candidate.item.time >= cutoff);
      const chosen = merged.slice(0, limit);

      const chosenLedger = chosen.filter((candidate) => candidate.from === 'ledger');
      const allLedgerChosen = chosenLedger.length === ledgerItems.length;
      let nextSeq: string | null = cursor.seq;
      if (allLedgerChosen) nextSeq = frontier ? frontier.seq.toString() : cursor.seq;
      else if (chosenLedger.length > 0) nextSeq = (chosenLedger[chosenLedger.length - 1].seq as bigint).toString();
      const lastOrder = chosen.filter((candidate) => candidate.from === 'order').at(-1)?.item;
      const next: Cursor = {
        seq: nextSeq,
        ledgerDone: ledgerDone && allLedgerChosen,
        orderAt: lastOrder ? lastOrder.time.toISOString() : cursor.orderAt,
        orderId: lastOrder ? lastOrder.id : cursor.orderId,
      };
      const ordersLeft = orderItems.length > chosen.filter((candidate) => candidate.from === 'order').length;
      const more = !next.ledgerDone || ordersLeft;
      return ok({ items: chosen.map((candidate) => candidate.item), nextCursor: more ? encodeCursor(next) : null });
    },

    /** One movement with its business details; only the holder's own. */
    async detail(userId: string, id: string): Promise<Result<MovementDetail, HistoryError>> {
      const walletId = await walletOf(userId);
      if (!walletId) return err({ code: 'UNAUTHENTICATED' });
      if (id.startsWith('ent_')) {
        const entry = await ledger.getEntry(id);
        const item = entry ? itemFromEntry(entry, walletId) : null;
        if (!entry || !item) return err({ code: 'MOVEMENT_NOT_FOUND' });
        const ref = text(entry.metadata.ref);
        const order = ref ? await store.findUserOrder(db, userId, ref) : null;
        const method = await methodOf(userId, order);
        return ok({ ...item, order: order ? orderView(order) : null, entryId: entry.id, method });
      }
      const order = await store.findUserOrder(db, userId, id);
      if (!order) return err({ code: 'MOVEMENT_NOT_FOUND' });
      const item = itemFromOrder(order);
      const method = await methodOf(userId, order);
      return ok({ ...item, status: order.status, order: orderView(order), entryId: order.entry_id, method });
    },

    /** What the electronic receipt (电子回单) prints: the movement, the holder's name, when issued. */
    async receipt(
      userId: string,
      id: string,
    ): Promise<Result<{ movement: MovementDetail; holderName: string; issuedAt: Date }, HistoryError>> {
      const holder = await ctx.identity.verifiedIdentity(userId);
      if (!holder) return err({ code: 'UNAUTHENTICATED' });
      const movement = await this.detail(userId, id);
      if (!movement.ok) return movement;
      return ok({ movement: movement.value, holderName: holder.name, issuedAt: ctx.clock.now() });
    },
  };
}

export type History = ReturnType<typeof createHistory>;
