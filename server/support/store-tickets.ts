import type { Queryable } from '../platform/db/types.js';
import type { AttachmentRow, MessageRow, TicketCategory, TicketRow, TicketStatus } from './types.js';

/** Tickets, their messages and attachments: every statement of the conversation. */

const TICKET_COLUMNS = [
  'id',
  'user_id',
  'category',
  'subject',
  'status',
  'complaint',
  'linked_records',
  'assignee_id',
  'escalated',
  'escalation_reason',
  'acknowledged_at',
  'due_at',
  'complex_reason',
  'decision_text',
  'decided_at',
  'rating_score',
  'rating_comment',
  'dispute_id',
  'first_reply_at',
  'last_message_at',
  'holder_unread',
  'created_at',
  'updated_at',
  'closed_at',
] as const;
type TicketColumn = (typeof TICKET_COLUMNS)[number];

export async function insertTicket(q: Queryable, row: TicketRow): Promise<void> {
  const values = TICKET_COLUMNS.map((column) =>
    column === 'linked_records' ? JSON.stringify(row.linked_records) : row[column],
  );
  await q.query(
    `INSERT INTO support_tickets (${TICKET_COLUMNS.join(', ')})
     VALUES (${TICKET_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

export async function findTicket(q: Queryable, id: string, forUpdate = false): Promise<TicketRow | null> {
  const { rows } = await q.query<TicketRow>(
    `SELECT * FROM support_tickets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Sets the named columns; the column names come from the fixed list, never from input. */
export async function updateTicket(
  q: Queryable,
  id: string,
  patch: Partial<Pick<TicketRow, Exclude<TicketColumn, 'id' | 'user_id' | 'created_at'>>>,
): Promise<void> {
  const columns = (Object.keys(patch) as TicketColumn[]).filter((column) => TICKET_COLUMNS.includes(column));
  if (columns.length === 0) return;
  const values = columns.map((column) => {
    const value = (patch as Record<string, unknown>)[column];
    return column === 'linked_records' ? JSON.stringify(value) : value;
  });
  await q.query(
    `UPDATE support_tickets SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...values],
  );
}

export async function countOpenTicketsOfUser(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM support_tickets WHERE user_id = $1 AND status <> 'closed'`,
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export async function listTicketsOfUser(
  q: Queryable,
  userId: string,
  filter: { closed: boolean | null; before: string | null; limit: number },
): Promise<TicketRow[]> {
  const { rows } = await q.query<TicketRow>(
    `SELECT * FROM support_tickets
      WHERE user_id = $1
        AND ($2::boolean IS NULL OR (status = 'closed') = $2::boolean)
        AND ($3::text IS NULL OR id < $3::text)
      ORDER BY id DESC LIMIT $4`,
    [userId, filter.closed, filter.before, filter.limit],
  );
  return rows;
}

export interface QueueFilter {
  status: TicketStatus | null;
  category: TicketCategory | null;
  assignee: { kind: 'any' } | { kind: 'unassigned' } | { kind: 'staff'; id: string };
  complaint: boolean | null;
  breachedAt: Date | null;
  search: string | null;
  before: string | null;
  limit: number;
}

/** The staff queue: complaints by due time first, then the oldest; `before` pages by id within that order. */
export async function listQueue(q: Queryable, filter: QueueFilter): Promise<TicketRow[]> {
  const assignee = filter.assignee;
  const { rows } = await q.query<TicketRow>(
    `SELECT * FROM support_tickets
      WHERE ($1::text IS NULL OR status = $1::text)
        AND ($2::text IS NULL OR category = $2::text)
        AND ($3::text = 'any' OR ($3::text = 'unassigned' AND assignee_id IS NULL)
             OR ($3::text = 'staff' AND assignee_id = $4::text))
        AND ($5::boolean IS NULL OR complaint = $5::boolean)
        AND ($6::timestamptz IS NULL OR (due_at IS NOT NULL
             AND ((decided_at IS NULL AND due_at < $6::timestamptz) OR decided_at > due_at)))
        AND ($7::text IS NULL OR id = $7::text OR subject ILIKE '%' || $7::text || '%')
        AND ($8::text IS NULL OR id > $8::text)
      ORDER BY (status = 'closed'), due_at ASC NULLS LAST, id ASC LIMIT $9`,
    [
      filter.status,
      filter.category,
      assignee.kind,
      assignee.kind === 'staff' ? assignee.id : null,
      filter.complaint,
      filter.breachedAt,
      filter.search,
      filter.before,
      filter.limit,
    ],
  );
  return rows;
}

const MESSAGE_SELECT = `SELECT m.seq::text AS seq, m.id, m.ticket_id, m.author_kind, m.author_id, m.author_name,
  m.internal, m.body, m.attachment_id, m.created_at, a.content_type, a.size_bytes, a.file_name
  FROM support_messages m LEFT JOIN support_attachments a ON a.id = m.attachment_id`;

export async function insertMessage(q: Queryable, row: Omit<MessageRow, 'seq'>): Promise<void> {
  await q.query(
    `INSERT INTO support_messages
       (id, ticket_id, author_kind, author_id, author_name, internal, body, attachment_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      row.id,
      row.ticket_id,
      row.author_kind,
      row.author_id,
      row.author_name,
      row.internal,
      row.body,
      row.attachment_id,
      row.created_at,
    ],
  );
}

export async function findMessage(q: Queryable, id: string): Promise<MessageRow | null> {
  const { rows } = await q.query<MessageRow>(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]);
  return rows[0] ?? null;
}

/** A ticket's messages in order, after the message with sequence `afterSeq` (at most `limit`). */
export async function listMessages(
  q: Queryable,
  ticketId: string,
  options: { internal: boolean; afterSeq: string | null; limit: number },
): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `${MESSAGE_SELECT}
      WHERE m.ticket_id = $1 AND ($2::boolean OR NOT m.internal) AND ($3::bigint IS NULL OR m.seq > $3::bigint)
      ORDER BY m.seq ASC LIMIT $4`,
    [ticketId, options.internal, options.afterSeq, options.limit],
  );
  return rows;
}

export async function insertAttachment(q: Queryable, row: AttachmentRow): Promise<void> {
  await q.query(
    `INSERT INTO support_attachments
       (id, user_id, ticket_id, case_id, content_type, size_bytes, file_name, sealed, uploaded_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.id,
      row.user_id,
      row.ticket_id,
      row.case_id,
      row.content_type,
      row.size_bytes,
      row.file_name,
      row.sealed,
      row.uploaded_by,
      row.created_at,
    ],
  );
}

export async function findAttachment(q: Queryable, id: string): Promise<AttachmentRow | null> {
  const { rows } = await q.query<AttachmentRow>(`SELECT * FROM support_attachments WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export interface DashboardCounts {
  byStatus: { status: string; n: number }[];
  byCategory: { category: string; n: number }[];
  daily: { day: string; opened: number; closed: number }[];
  sla: { complaints_open: number; breached: number; due_soon: number; in_time: number; late: number };
  firstReplyMinutes: number | null;
  rating: { rated: number; average: number | null };
}

/** Volumes since `since`, per category and per day (Beijing days), and the complaint clock's figures. */
export async function dashboard(q: Queryable, since: Date, now: Date, dueSoon: Date): Promise<DashboardCounts> {
  const byStatus = await q.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM support_tickets WHERE status <> 'closed' GROUP BY status`,
  );
  const byCategory = await q.query<{ category: string; n: number }>(
    `SELECT category, count(*)::int AS n FROM support_tickets WHERE created_at >= $1
      GROUP BY category ORDER BY n DESC, category`,
    [since],
  );
  const opened = await q.query<{ day: string; n: number }>(
    `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM support_tickets WHERE created_at >= $1 GROUP BY 1`,
    [since],
  );
  const closed = await q.query<{ day: string; n: number }>(
    `SELECT to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM support_tickets WHERE closed_at >= $1 GROUP BY 1`,
    [since],
  );
  const days = new Map<string, { day: string; opened: number; closed: number }>();
  for (const row of opened.rows) days.set(row.day, { day: row.day, opened: row.n, closed: 0 });
  for (const row of closed.rows) {
    const day = days.get(row.day) ?? { day: row.day, opened: 0, closed: 0 };
    day.closed = row.n;
    days.set(row.day, day);
  }
  const sla = await q.query<DashboardCounts['sla']>(
    `SELECT
       count(*) FILTER (WHERE decided_at IS NULL AND status <> 'closed')::int AS complaints_open,
       count(*) FILTER (WHERE (decided_at IS NULL AND due_at < $2) OR decided_at > due_at)::int AS breached,
       count(*) FILTER (WHERE decided_at IS NULL AND due_at >= $2 AND due_at < $3)::int AS due_soon,
       count(*) FILTER (WHERE decided_at IS NOT NULL AND decided_at <= due_at AND created_at >= $1)::int AS in_time,
       count(*) FILTER (WHERE decided_at IS NOT NULL AND decided_at > due_at AND created_at >= $1)::int AS late
     FROM support_tickets WHERE complaint`,
    [since, now, dueSoon],
  );
  const reply = await q.query<{ minutes: number | null }>(
    `SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply_at - created_at)) / 60)::float8
        AS minutes
       FROM support_tickets WHERE first_reply_at IS NOT NULL AND created_at >= $1`,
    [since],
  );
  const rating = await q.query<{ rated: number; average: number | null }>(
    `SELECT count(rating_score)::int AS rated, avg(rating_score)::float8 AS average
       FROM support_tickets WHERE rating_score IS NOT NULL AND created_at >= $1`,
    [since],
  );
  return {
    byStatus: byStatus.rows,
    byCategory: byCategory.rows,
    daily: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    sla: sla.rows[0],
    firstReplyMinutes: reply.rows[0]?.minutes ?? null,
    rating: rating.rows[0],
  };
}
