import type { Queryable } from '../platform/db/types.js';
import type { Arrival, DeclineReason } from './card-network.js';
import type { CardType } from './bin-table.js';

/** The wallet domain's SQL: cards, card orders (top-ups and withdrawals), reconciliation. */

export interface CardRow {
  id: string;
  user_id: string;
  card_number_enc: string;
  card_hash: string;
  last4: string;
  bank_code: string;
  card_type: CardType;
  reserved_phone_enc: string;
  nickname: string | null;
  status: 'pending' | 'active' | 'removed' | 'abandoned';
  is_default: boolean;
  binding_id: string | null;
  binding_expires_at: Date | null;
  agreement_id: string | null;
  created_at: Date;
  activated_at: Date | null;
  removed_at: Date | null;
}

export async function insertPendingCard(
  q: Queryable,
  card: Pick<
    CardRow,
    | 'id'
    | 'user_id'
    | 'card_number_enc'
    | 'card_hash'
    | 'last4'
    | 'bank_code'
    | 'card_type'
    | 'reserved_phone_enc'
    | 'nickname'
    | 'binding_id'
    | 'binding_expires_at'
    | 'created_at'
  >,
): Promise<void> {
  await q.query(
    `INSERT INTO wallet_cards (id, user_id, card_number_enc, card_hash, last4, bank_code, card_type,
      reserved_phone_enc, nickname, status, binding_id, binding_expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12)`,
    [
      card.id,
      card.user_id,
      card.card_number_enc,
      card.card_hash,
      card.last4,
      card.bank_code,
      card.card_type,
      card.reserved_phone_enc,
      card.nickname,
      card.binding_id,
      card.binding_expires_at,
      card.created_at,
    ],
  );
}

/** A card of this user (never another's), optionally locked. */
export async function findCard(
  q: Queryable,
  userId: string,
  cardId: string,
  forUpdate = false,
): Promise<CardRow | null> {
  const { rows } = await q.query<CardRow>(
    `SELECT * FROM wallet_cards WHERE id = $1 AND user_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [cardId, userId],
  );
  return rows[0] ?? null;
}

export async function listActiveCards(q: Queryable, userId: string): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>(
    `SELECT * FROM wallet_cards WHERE user_id = $1 AND status = 'active' ORDER BY is_default DESC, activated_at, id
      LIMIT 50`,
    [userId],
  );
  return rows;
}

/** Cards the holder started binding since `since`, whatever became of them. */
export async function countCardsSince(q: Queryable, userId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM wallet_cards WHERE user_id = $1 AND created_at > $2',
    [userId, since],
  );
  return Number(rows[0].n);
}

export async function countActiveCards(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM wallet_cards WHERE user_id = $1 AND status = 'active'`,
    [userId],
  );
  return Number(rows[0].n);
}

export async function activeCardWithHash(q: Queryable, cardHash: string): Promise<CardRow | null> {
  const { rows } = await q.query<CardRow>(`SELECT * FROM wallet_cards WHERE card_hash = $1 AND status = 'active'`, [
    cardHash,
  ]);
  return rows[0] ?? null;
}

export async function activateCard(
  q: Queryable,
  cardId: string,
  agreementId: string,
  makeDefault: boolean,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE wallet_cards SET status = 'active', agreement_id = $2, is_default = $3, activated_at = $4, binding_id =
      NULL, binding_expires_at = NULL WHERE id = $1`,
    [cardId, agreementId, makeDefault, at],
  );
}

export async function updateCard(
  q: Queryable,
  cardId: string,
  changes: { nickname?: string | null; isDefault?: boolean; status?: CardRow['status']; removedAt?: Date },
): Promise<void> {
  await q.query(
    `UPDATE wallet_cards SET nickname = CASE WHEN $2::boolean THEN $3 ELSE nickname END, is_default = COALESCE($4,
      is_default),
       status = COALESCE($5, status), removed_at = COALESCE($6, removed_at) WHERE id = $1`,
    [
      cardId,
      changes.nickname !== undefined,
      changes.nickname ?? null,
      changes.isDefault ?? null,
      changes.status ?? null,
      changes.removedAt ?? null,
    ],
  );
}

export async function clearDefault(q: Queryable, userId: string): Promise<void> {
  await q.query(`UPDATE wallet_cards SET is_default = false WHERE user_id = $1 AND is_default`, [userId]);
}

/** Locks the user's active cards: binding, default changes and unbinding take turns per user. */
export async function lockUserCards(q: Queryable, userId: string): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>(
    `SELECT * FROM wallet_cards WHERE user_id = $1 AND status = 'active' ORDER BY id FOR UPDATE`,
    [userId],
  );
  return rows;
}

export type OrderKind = 'topup' | 'withdraw';
export type OrderStatus = 'awaiting_confirmation' | 'processing' | 'succeeded' | 'failed' | 'expired';

export interface OrderRow {
  id: string;
  kind: OrderKind;
  user_id: string;
  wallet_account_id: string;
  card_id: string;
  counterparty: string;
  amount: bigint;
  currency: string;
  arrival: Arrival | null;
  status: OrderStatus;
  failure_reason: DeclineReason | string | null;
  confirmation_id: string | null;
  hold_id: string | null;
  entry_id: string | null;
  network_ref: string | null;
  next_check_at: Date | null;
  checks: number;
  created_at: Date;
  submitted_at: Date | null;
  completed_at: Date | null;
}

export async function insertOrder(
  q: Queryable,
  order: Pick<
    OrderRow,
    | 'id'
    | 'kind'
    | 'user_id'
    | 'wallet_account_id'
    | 'card_id'
    | 'counterparty'
    | 'amount'
    | 'currency'
    | 'arrival'
    | 'status'
    | 'confirmation_id'
    | 'next_check_at'
    | 'created_at'
    | 'submitted_at'
  >,
): Promise<OrderRow> {
  const { rows } = await q.query<OrderRow>(
    `INSERT INTO wallet_card_orders (id, kind, user_id, wallet_account_id, card_id, counterparty, amount, currency,
      arrival, status, confirmation_id, next_check_at, created_at, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
    [
      order.id,
      order.kind,
      order.user_id,
      order.wallet_account_id,
      order.card_id,
      order.counterparty,
      order.amount,
      order.currency,
      order.arrival,
      order.status,
      order.confirmation_id,
      order.next_check_at,
      order.created_at,
      order.submitted_at,
    ],
  );
  return rows[0];
}

export async function findOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM wallet_card_orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findUserOrder(q: Queryable, userId: string, id: string): Promise<OrderRow | null> {
  const { rows } = await q.query<OrderRow>('SELECT * FROM wallet_card_orders WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return rows[0] ?? null;
}

export async function findOrdersByIds(q: Queryable, userId: string, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<OrderRow>(
    'SELECT * FROM wallet_card_orders WHERE user_id = $1 AND id = ANY($2::text[])',
    [userId, [...ids]],
  );
  return rows;
}

export async function updateOrder(
  q: Queryable,
  id: string,
  changes: Partial<
    Pick<
      OrderRow,
      | 'status'
      | 'failure_reason'
      | 'hold_id'
      | 'entry_id'
      | 'network_ref'
      | 'next_check_at'
      | 'submitted_at'
      | 'completed_at'
    >
  >,
): Promise<void> {
  const columns = Object.keys(changes).filter((column) => (changes as Record<string, unknown>)[column] !== undefined);
  if (columns.length === 0) return;
  const sets = columns.map((column, i) => `${column} = $${i + 2}`).join(', ');
  await q.query(`UPDATE wallet_card_orders SET ${sets} WHERE id = $1`, [
    id,
    ...columns.map((column) => (changes as Record<string, unknown>)[column]),
  ]);
}

/** Ends an order still awaiting confirmation (no money was held for it); answers how many it ended (0 or 1). */
export async function endAwaitingOrder(
  q: Queryable,
  id: string,
  end: { status: 'expired' } | { status: 'failed'; reason: string },
  at: Date,
): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE wallet_card_orders SET status = $2, failure_reason = COALESCE($3, failure_reason), completed_at = $4,
       next_check_at = NULL
     WHERE id = $1 AND status = 'awaiting_confirmation'`,
    [id, end.status, end.status === 'failed' ? end.reason : null, at],
  );
  return rowCount;
}

/** Top-ups of one wallet take turns for the rest of the transaction, so those in flight count against its cap. */
export async function lockWalletTopUps(q: Queryable, walletAccountId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`wallet-topup:${walletAccountId}`]);
}

/** The total of a wallet's top-ups still processing (charged or being charged, not yet credited). */
export async function topUpsInFlight(q: Queryable, walletAccountId: string): Promise<bigint> {
  const { rows } = await q.query<{ total: bigint | null }>(
    `SELECT sum(amount) AS total FROM wallet_card_orders
     WHERE wallet_account_id = $1 AND kind = 'topup' AND status = 'processing'`,
    [walletAccountId],
  );
  return BigInt(rows[0].total ?? 0);
}

/** Processing orders due for a status check, claimed by pushing their next check forward (several workers never take
 * the same). */
export async function claimOrdersToCheck(
  q: Queryable,
  now: Date,
  nextCheckAt: Date,
  limit: number,
): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    `UPDATE wallet_card_orders SET next_check_at = $2, checks = checks + 1
     WHERE id IN (SELECT id FROM wallet_card_orders WHERE status IN ('processing', 'awaiting_confirmation') AND
      next_check_at <= $1
                  ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, nextCheckAt, limit],
  );
  return rows;
}

/** Unfinished orders (processing or failed) shown in the history beside the ledger's posted movements. */
export async function listOpenOrders(
  q: Queryable,
  userId: string,
  filter: {
    before: { at: Date; id: string } | null;
    from: Date | null;
    to: Date | null;
    kinds: readonly string[] | null;
    minFen: bigint | null;
    maxFen: bigint | null;
    search: string | null;
    limit: number;
  },
): Promise<OrderRow[]> {
  const { rows } = await q.query<OrderRow>(
    `SELECT * FROM wallet_card_orders
     WHERE user_id = $1 AND status IN ('processing', 'failed')
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::text))
       AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
       AND ($6::text[] IS NULL OR kind = ANY($6::text[]))
       AND ($7::bigint IS NULL OR amount >= $7) AND ($8::bigint IS NULL OR amount <= $8)
       AND ($9::text IS NULL OR strpos(lower(counterparty || ' ' || id || ' ' || kind), lower($9)) > 0)
     ORDER BY created_at DESC, id DESC LIMIT $10`,
    [
      userId,
      filter.before?.at ?? null,
      filter.before?.id ?? null,
      filter.from,
      filter.to,
      filter.kinds ? [...filter.kinds] : null,
      filter.minFen,
      filter.maxFen,
      filter.search,
      filter.limit,
    ],
  );
  return rows;
}

export async function systemAccount(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ account_id: string }>(
    'SELECT account_id FROM wallet_system_accounts WHERE name = $1',
    [name],
  );
  return rows[0]?.account_id ?? null;
}

export async function insertSystemAccount(q: Queryable, name: string, accountId: string): Promise<void> {
  await q.query('INSERT INTO wallet_system_accounts (name, account_id) VALUES ($1, $2)', [name, accountId]);
}
