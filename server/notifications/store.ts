import type { Queryable } from '../platform/db/types.js';

/** SQL on in-app notifications and on the sandbox SMS outbox. */

export interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

/** A notice to store unless its holder turned the in-app channel of its category off. */
export interface NoticeToStore extends Omit<NotificationRow, 'read_at'> {
  category: string;
  /** Security notices: the holder's choices are not read, and the notice is always stored. */
  locked: boolean;
  /** Stored when the holder has made no choice for the category. */
  inAppByDefault: boolean;
}

/**
 * Several notices in one round trip: each holder's choice for the notice's category is read and the
 * notice stored when that choice (or the default) keeps the in-app channel on. Answers each
 * notice's saved choice (null: none saved, or a locked category), in the order given.
 */
export async function storeNotices(q: Queryable, notices: readonly NoticeToStore[]): Promise<(PreferenceRow | null)[]> {
  if (notices.length === 0) return [];
  const { rows } = await q.query<{ ord: string; in_app: boolean | null; sms: boolean | null; email: boolean | null }>(
    `WITH v AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::timestamptz[], $10::text[], $11::bool[], $12::bool[])
         WITH ORDINALITY AS v(id, user_id, kind, title_zh, title_en, body_zh, body_en, data, created_at, category,
                              locked, in_app_default, ord)),
     c AS (
       SELECT v.*, p.in_app, p.sms, p.email FROM v
       LEFT JOIN notification_preferences p ON NOT v.locked AND p.user_id = v.user_id AND p.category = v.category),
     ins AS (
       INSERT INTO notifications (id, user_id, kind, title_zh, title_en, body_zh, body_en, data, created_at)
       SELECT id, user_id, kind, title_zh, title_en, body_zh, body_en, data::jsonb, created_at FROM c
       WHERE locked OR coalesce(in_app, in_app_default)
       RETURNING 1)
     SELECT ord::text, in_app, sms, email FROM c ORDER BY ord`,
    [
      notices.map((n) => n.id),
      notices.map((n) => n.user_id),
      notices.map((n) => n.kind),
      notices.map((n) => n.title_zh),
      notices.map((n) => n.title_en),
      notices.map((n) => n.body_zh),
      notices.map((n) => n.body_en),
      notices.map((n) => JSON.stringify(n.data)),
      notices.map((n) => n.created_at),
      notices.map((n) => n.category),
      notices.map((n) => n.locked),
      notices.map((n) => n.inAppByDefault),
    ],
  );
  return notices.map((notice, i) => {
    const row = rows[i];
    return row && row.in_app !== null
      ? { category: notice.category, in_app: row.in_app, sms: row.sms ?? false, email: row.email ?? false }
      : null;
  });
}

/** A user's notifications, newest first, older than `before` when given. */
export async function listNotifications(
  q: Queryable,
  userId: string,
  before: string | null,
  limit: number,
): Promise<Omit<NotificationRow, 'user_id'>[]> {
  const { rows } = await q.query<Omit<NotificationRow, 'user_id'>>(
    `SELECT id, kind, title_zh, title_en, body_zh, body_en, data, created_at, read_at FROM notifications
     WHERE user_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [userId, before, limit],
  );
  return rows;
}

export async function countUnread(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return Number(rows[0].n);
}

/** Marks the user's unread notifications read (only those of `ids` unless null); answers how many. */
export async function markRead(q: Queryable, userId: string, ids: readonly string[] | null, at: Date): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE notifications SET read_at = $3
     WHERE user_id = $1 AND read_at IS NULL AND ($2::text[] IS NULL OR id = ANY($2::text[]))`,
    [userId, ids === null ? null : [...ids], at],
  );
  return rowCount;
}

export interface OutboxRow {
  id: string;
  phone_hash: string;
  phone_enc: string;
  text_enc: string;
  purpose: string;
  created_at: Date;
}

export async function insertOutboxMessage(q: Queryable, row: OutboxRow): Promise<void> {
  await q.query(
    'INSERT INTO sms_outbox (id, phone_hash, phone_enc, text_enc, purpose, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, row.phone_hash, row.phone_enc, row.text_enc, row.purpose, row.created_at],
  );
}

/** Newest first; of one phone (by its hash) and of one purpose when given. */
export async function findOutboxMessages(
  q: Queryable,
  filter: { phoneHash: string | null; purpose: string | null; limit: number },
): Promise<Omit<OutboxRow, 'phone_hash'>[]> {
  const { rows } = await q.query<Omit<OutboxRow, 'phone_hash'>>(
    `SELECT id, phone_enc, text_enc, purpose, created_at FROM sms_outbox
     WHERE ($1::text IS NULL OR phone_hash = $1) AND ($2::text IS NULL OR purpose = $2)
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [filter.phoneHash, filter.purpose, filter.limit],
  );
  return rows;
}

export interface PreferenceRow {
  category: string;
  in_app: boolean;
  sms: boolean;
  email: boolean;
}

/** The holder's stored choices (categories never changed have no row). */
export async function listPreferences(q: Queryable, userId: string): Promise<PreferenceRow[]> {
  const { rows } = await q.query<PreferenceRow>(
    'SELECT category, in_app, sms, email FROM notification_preferences WHERE user_id = $1',
    [userId],
  );
  return rows;
}

export async function upsertPreference(q: Queryable, userId: string, row: PreferenceRow, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO notification_preferences (user_id, category, in_app, sms, email, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id, category) DO UPDATE
       SET in_app = EXCLUDED.in_app, sms = EXCLUDED.sms, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at`,
    [userId, row.category, row.in_app, row.sms, row.email, at],
  );
}

export interface EmailOutboxRow {
  id: string;
  to_hash: string;
  to_enc: string;
  subject: string;
  body_enc: string;
  purpose: string;
  created_at: Date;
}

export async function insertEmailOutboxMessage(q: Queryable, row: EmailOutboxRow): Promise<void> {
  await q.query(
    `INSERT INTO email_outbox (id, to_hash, to_enc, subject, body_enc, purpose, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.to_hash, row.to_enc, row.subject, row.body_enc, row.purpose, row.created_at],
  );
}

/** Newest first; of one address (by its hash) when given. */
export async function findEmailOutboxMessages(
  q: Queryable,
  filter: { toHash: string | null; limit: number },
): Promise<Omit<EmailOutboxRow, 'to_hash'>[]> {
  const { rows } = await q.query<Omit<EmailOutboxRow, 'to_hash'>>(
    `SELECT id, to_enc, subject, body_enc, purpose, created_at FROM email_outbox
     WHERE ($1::text IS NULL OR to_hash = $1) ORDER BY created_at DESC, id DESC LIMIT $2`,
    [filter.toHash, filter.limit],
  );
  return rows;
}
