import type { DocumentProblem } from '../kyc/documents.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type Upload, checkAndSeal, openAttachment } from './attachments.js';
import type { SupportDeps } from './deps.js';
import { ESCALATION, complaintDueAt } from './sla.js';
import * as store from './store-tickets.js';
import {
  COMPLAINT_CATEGORIES,
  type LinkedRecord,
  type MessageRow,
  type SupportActor,
  type TicketCategory,
  type TicketRow,
} from './types.js';

/**
 * Tickets: a holder's complaint, feedback or question, a conversation with support in both
 * directions (holder, staff, internal notes staff only see), attachments, the complaint clock,
 * a decision and a satisfaction rating. A holder sees only their own tickets; anyone else's is
 * answered as not found.
 */

export type TicketError =
  | { code: 'TICKET_NOT_FOUND' }
  | { code: 'TICKET_CLOSED' }
  | { code: 'TICKET_NOT_RESOLVED' }
  | { code: 'TICKET_ALREADY_RATED' }
  | { code: 'TICKET_CLAIMED_BY_OTHER'; assigneeId: string }
  | { code: 'TICKET_NOT_COMPLAINT' }
  | { code: 'TICKET_ALREADY_COMPLEX' }
  | { code: 'SUPPORT_TOO_MANY_OPEN_TICKETS'; maxOpen: number }
  | { code: 'SUPPORT_RECORD_NOT_FOUND'; kind: string; id: string }
  | { code: 'ATTACHMENT_NOT_FOUND' }
  | DocumentProblem;

export const MAX_OPEN_TICKETS = 10;
const MAX_PAGE = 50;
const MAX_MESSAGES = 500;

export interface NewTicket {
  category: TicketCategory;
  subject: string;
  text: string;
  linkedRecords?: LinkedRecord[];
  disputeId?: string;
}

const systemNote = (zh: string, en: string) => `${zh}\n${en}`;

export function createTickets(deps: SupportDeps) {
  const { db, clock } = deps;

  const notifyHolder = async (ticket: TicketRow, kind: string, zh: string, en: string) =>
    deps.notifications.notify(ticket.user_id, {
      kind,
      titleZh: '客服工单',
      titleEn: 'Support ticket',
      bodyZh: zh,
      bodyEn: en,
      data: { ticketId: ticket.id },
    });

  async function addMessage(
    q: Queryable,
    ticket: TicketRow,
    message: { author: SupportActor | 'system'; text: string; internal?: boolean; attachmentId?: string | null },
  ): Promise<MessageRow> {
    const now = clock.now();
    const author = message.author;
    const row = {
      id: newId('tm', now.getTime()),
      ticket_id: ticket.id,
      author_kind:
        author === 'system' ? ('system' as const) : author.kind === 'user' ? ('holder' as const) : ('staff' as const),
      author_id: author === 'system' ? null : author.id,
      author_name: author === 'system' ? null : (author.name ?? null),
      internal: message.internal ?? false,
      body: message.text,
      attachment_id: message.attachmentId ?? null,
      created_at: now,
    };
    await store.insertMessage(q, row);
    const fromStaff = row.author_kind === 'staff' && !row.internal;
    await store.updateTicket(q, ticket.id, {
      last_message_at: now,
      updated_at: now,
      ...(fromStaff ? { holder_unread: ticket.holder_unread + 1 } : {}),
      ...(fromStaff && !ticket.first_reply_at ? { first_reply_at: now } : {}),
    });
    return (await store.findMessage(q, row.id)) as MessageRow;
  }

  /** The ticket if `actor` may see it: its holder, or any staff member (the routes check the role). */
  async function visible(q: Queryable, actor: SupportActor, ticketId: string, forUpdate = false) {
    const ticket = await store.findTicket(q, ticketId, forUpdate);
    if (!ticket) return null;
    if (actor.kind === 'user' && ticket.user_id !== actor.id) return null;
    return ticket;
  }

  async function staffName(actor: SupportActor): Promise<SupportActor> {
    if (actor.kind !== 'staff' || actor.name) return actor;
    const profile = await deps.staff.profile(actor.id);
    return { ...actor, name: profile?.name ?? '客服' };
  }

  return {
    async open(userId: string, input: NewTicket, q: Queryable = db): Promise<Result<TicketRow, TicketError>> {
      // Inside a caller's transaction (a dispute) the caller has checked the records it links.
      for (const record of q === db ? (input.linkedRecords ?? []) : []) {
        if (!(await deps.records.find(userId, record)))
          return err({ code: 'SUPPORT_RECORD_NOT_FOUND', kind: record.kind, id: record.id });
      }
      if ((await store.countOpenTicketsOfUser(q, userId)) >= MAX_OPEN_TICKETS)
        return err({ code: 'SUPPORT_TOO_MANY_OPEN_TICKETS', maxOpen: MAX_OPEN_TICKETS });
      const now = clock.now();
      const complaint = COMPLAINT_CATEGORIES.includes(input.category);
      const ticket: TicketRow = {
        id: newId('tkt', now.getTime()),
        user_id: userId,
        category: input.category,
        subject: input.subject,
        status: 'open',
        complaint,
        linked_records: input.linkedRecords ?? [],
        assignee_id: null,
        escalated: false,
        escalation_reason: null,
        acknowledged_at: complaint ? now : null,
        due_at: complaint ? complaintDueAt(now, false) : null,
        complex_reason: null,
        decision_text: null,
        decided_at: null,
        rating_score: null,
        rating_comment: null,
        dispute_id: input.disputeId ?? null,
        first_reply_at: null,
        last_message_at: now,
        holder_unread: 0,
        created_at: now,
        updated_at: now,
        closed_at: null,
      };
      const write = async (tx: Queryable) => {
        await store.insertTicket(tx, ticket);
        await addMessage(tx, ticket, { author: { kind: 'user', id: userId }, text: input.text });
        if (complaint) {
          // The acknowledgement the rules ask for "at once", in the conversation itself.
          const due = ticket.due_at?.toISOString().slice(0, 10);
          await addMessage(tx, ticket, {
            author: 'system',
            text: systemNote(
              `您的投诉已受理，我们将在 15 日内（${due} 前）给出处理结果。`,
              `Your complaint is received. We will decide within 15 days (by ${due}).`,
            ),
          });
        }
      };
      if (q === db) await db.transaction(write);
      else await write(q);
      const saved = (await store.findTicket(q, ticket.id)) as TicketRow;
      if (complaint && q === db)
        await notifyHolder(saved, 'support.acknowledged', '您的投诉已受理。', 'Your complaint has been received.');
      return ok(saved);
    },

    async listMine(userId: string, filter: { closed: boolean | null; before?: string; limit?: number }) {
      const limit = Math.min(Math.max(filter.limit ?? 20, 1), MAX_PAGE);
      const rows = await store.listTicketsOfUser(db, userId, {
        closed: filter.closed,
        before: filter.before ?? null,
        limit,
      });
      return { items: rows, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
    },

    /** The ticket and its messages as `actor` may see them (internal notes for staff only). */
    async get(actor: SupportActor, ticketId: string) {
      const ticket = await visible(db, actor, ticketId);
      if (!ticket) return null;
      const messages = await store.listMessages(db, ticketId, {
        internal: actor.kind === 'staff',
        afterSeq: null,
        limit: MAX_MESSAGES,
      });
      return { ticket, messages };
    },

    /** For event streams: the ticket and its messages after `afterMessageId` (all when null). */
    async changesSince(actor: SupportActor, ticketId: string, afterSeq: string | null) {
      const ticket = await visible(db, actor, ticketId);
      if (!ticket) return null;
      const messages = await store.listMessages(db, ticketId, {
        internal: actor.kind === 'staff',
        afterSeq,
        limit: 100,
      });
      return { ticket, messages };
    },

    async seqOf(ticketId: string, messageId: string): Promise<string | null> {
      const message = await store.findMessage(db, messageId);
      return message && message.ticket_id === ticketId ? message.seq : null;
    },

    async postMessage(
      actor: SupportActor,
      ticketId: string,
      input: { text: string; internal?: boolean },
    ): Promise<Result<MessageRow, TicketError>> {
      const author = await staffName(actor);
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<TicketError>) => {
        const ticket = await visible(tx, actor, ticketId, true);
        if (!ticket) return rollback({ code: 'TICKET_NOT_FOUND' });
        if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        const internal = actor.kind === 'staff' && (input.internal ?? false);
        const message = await addMessage(tx, ticket, { author, text: input.text, internal });
        return { ticket, message };
      });
      if (!done.ok) return done;
      deps.live.wake(ticketId);
      const { ticket, message } = done.value;
      if (message.author_kind === 'staff' && !message.internal)
        await notifyHolder(ticket, 'support.reply', '客服回复了您的工单。', 'Support replied to your ticket.');
      return ok(message);
    },

    /** Checks the file like a KYC document, seals it, and posts it as a message. */
    async attach(
      actor: SupportActor,
      ticketId: string,
      upload: Upload,
      text: string | null,
    ): Promise<Result<MessageRow, TicketError>> {
      const ticket = await visible(db, actor, ticketId);
      if (!ticket) return err({ code: 'TICKET_NOT_FOUND' });
      if (ticket.status === 'closed') return err({ code: 'TICKET_CLOSED' });
      const now = clock.now();
      const attachmentId = newId('tat', now.getTime());
      const checked = await checkAndSeal(deps.cipher, attachmentId, upload);
      if (!checked.ok) return err(checked.error);
      const author = await staffName(actor);
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<TicketError>) => {
        const locked = await visible(tx, actor, ticketId, true);
        if (!locked) return rollback({ code: 'TICKET_NOT_FOUND' });
        if (locked.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        await store.insertAttachment(tx, {
          id: attachmentId,
          user_id: locked.user_id,
          ticket_id: locked.id,
          case_id: null,
          content_type: checked.value.contentType,
          size_bytes: checked.value.sizeBytes,
          file_name: checked.value.fileName,
          sealed: checked.value.sealed,
          uploaded_by: `${actor.kind}:${actor.id}`,
          created_at: now,
        });
        return addMessage(tx, locked, { author, text: text ?? '', attachmentId });
      });
      if (done.ok) deps.live.wake(ticketId);
      return done;
    },

    async readAttachment(actor: SupportActor, ticketId: string, attachmentId: string) {
      const ticket = await visible(db, actor, ticketId);
      if (!ticket) return err({ code: 'TICKET_NOT_FOUND' as const });
      const row = await store.findAttachment(db, attachmentId);
      if (!row || row.ticket_id !== ticket.id) return err({ code: 'ATTACHMENT_NOT_FOUND' as const });
      return ok({
        contentType: row.content_type,
        fileName: row.file_name,
        bytes: openAttachment(deps.cipher, row.id, row.sealed),
      });
    },

    async markRead(userId: string, ticketId: string): Promise<boolean> {
      const ticket = await visible(db, { kind: 'user', id: userId }, ticketId);
      if (!ticket) return false;
      await store.updateTicket(db, ticketId, { holder_unread: 0 });
      return true;
    },

    async rate(userId: string, ticketId: string, score: number, comment: string | null) {
      return change({ kind: 'user', id: userId }, ticketId, (ticket, rollback) => {
        if (ticket.rating_score !== null) return rollback({ code: 'TICKET_ALREADY_RATED' });
        if (ticket.status !== 'resolved' && ticket.status !== 'closed')
          return rollback({ code: 'TICKET_NOT_RESOLVED' });
        const now = clock.now();
        return {
          rating_score: score,
          rating_comment: comment,
          status: 'closed',
          closed_at: ticket.closed_at ?? now,
        } satisfies Partial<TicketRow>;
      });
    },

    async withdraw(userId: string, ticketId: string) {
      return change({ kind: 'user', id: userId }, ticketId, (ticket, rollback) => {
        if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        return { status: 'closed', closed_at: clock.now() } satisfies Partial<TicketRow>;
      });
    },

    async claim(staff: SupportActor, ticketId: string) {
      return change(staff, ticketId, (ticket, rollback) => {
        if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        if (ticket.assignee_id && ticket.assignee_id !== staff.id)
          return rollback({ code: 'TICKET_CLAIMED_BY_OTHER', assigneeId: ticket.assignee_id });
        return {
          assignee_id: staff.id,
          status: ticket.status === 'open' ? 'in_progress' : ticket.status,
        } satisfies Partial<TicketRow>;
      });
    },

    /** A complaint marked complex gets 30 days from receipt instead of 15; the reason is kept and told. */
    async markComplex(staff: SupportActor, ticketId: string, reason: string) {
      return change(
        staff,
        ticketId,
        (ticket, rollback) => {
          if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
          if (!ticket.complaint) return rollback({ code: 'TICKET_NOT_COMPLAINT' });
          if (ticket.complex_reason !== null) return rollback({ code: 'TICKET_ALREADY_COMPLEX' });
          return {
            complex_reason: reason,
            due_at: complaintDueAt(ticket.created_at, true),
          } satisfies Partial<TicketRow>;
        },
        (ticket) => {
          const due = ticket.due_at?.toISOString().slice(0, 10);
          return systemNote(
            `您的投诉情况较复杂，处理期限延长至 30 日（${due} 前）。原因：${reason}`,
            `Your complaint is complex: we will decide within 30 days (by ${due}). Reason: ${reason}`,
          );
        },
      );
    },

    async escalate(staff: SupportActor, ticketId: string, reason: string) {
      return change(staff, ticketId, (ticket, rollback) => {
        if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        return { escalated: true, escalation_reason: reason } satisfies Partial<TicketRow>;
      });
    },

    /** The answer or, for a complaint, the decision: told to the holder with how to escalate. */
    async resolve(staff: SupportActor, ticketId: string, text: string) {
      const resolved = await change(
        staff,
        ticketId,
        (ticket, rollback) => {
          if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
          return {
            status: 'resolved',
            decision_text: text,
            decided_at: clock.now(),
            assignee_id: ticket.assignee_id ?? staff.id,
          } satisfies Partial<TicketRow>;
        },
        (ticket) =>
          ticket.complaint
            ? systemNote(`处理结果：${text}\n${ESCALATION.zh}`, `Decision: ${text}\n${ESCALATION.en}`)
            : null,
      );
      if (resolved.ok)
        await notifyHolder(
          resolved.value,
          resolved.value.complaint ? 'support.decision' : 'support.reply',
          resolved.value.complaint ? '您的投诉已有处理结果。' : '您的工单已处理。',
          resolved.value.complaint ? 'Your complaint has been decided.' : 'Your ticket has been answered.',
        );
      return resolved;
    },

    async close(staff: SupportActor, ticketId: string) {
      return change(staff, ticketId, (ticket, rollback) => {
        if (ticket.status === 'closed') return rollback({ code: 'TICKET_CLOSED' });
        if (ticket.complaint && !ticket.decided_at) return rollback({ code: 'TICKET_NOT_RESOLVED' });
        return { status: 'closed', closed_at: clock.now() } satisfies Partial<TicketRow>;
      });
    },

    queue: (filter: store.QueueFilter) =>
      store.listQueue(db, { ...filter, limit: Math.min(Math.max(filter.limit, 1), MAX_PAGE) }),

    dashboard(days: number) {
      const now = clock.now();
      const since = new Date(now.getTime() - days * 24 * 3600_000);
      return store.dashboard(db, since, now, new Date(now.getTime() + 3 * 24 * 3600_000));
    },

    /** For other parts of the domain (disputes): a system message on a ticket, woken live. */
    async systemMessage(
      q: Queryable,
      ticketId: string,
      zh: string,
      en: string,
      options: { internal?: boolean; attachmentId?: string } = {},
    ): Promise<void> {
      const ticket = await store.findTicket(q, ticketId);
      if (!ticket) return;
      await addMessage(q, ticket, { author: 'system', text: systemNote(zh, en), ...options });
    },
  };

  /** Locks the ticket, applies the change `decide` returns (or its rollback), notes it, wakes streams. */
  async function change(
    actor: SupportActor,
    ticketId: string,
    decide: (ticket: TicketRow, rollback: RollbackWith<TicketError>) => Partial<TicketRow>,
    note?: (ticket: TicketRow) => string | null,
  ): Promise<Result<TicketRow, TicketError>> {
    const done = await inTransaction(db, async (tx, rollback: RollbackWith<TicketError>) => {
      const ticket = await visible(tx, actor, ticketId, true);
      if (!ticket) return rollback({ code: 'TICKET_NOT_FOUND' });
      const patch = decide(ticket, rollback);
      await store.updateTicket(tx, ticketId, { ...patch, updated_at: clock.now() });
      const updated = (await store.findTicket(tx, ticketId)) as TicketRow;
      const text = note?.(updated);
      if (text) await addMessage(tx, updated, { author: 'system', text });
      await deps.audit.record(tx, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'support.ticket_changed',
        subjectType: 'ticket',
        subjectId: ticketId,
        details: { status: updated.status, fields: Object.keys(patch) },
        ip: actor.ip,
        requestId: actor.requestId,
      });
      return (await store.findTicket(tx, ticketId)) as TicketRow;
    });
    if (done.ok) deps.live.wake(ticketId);
    return done;
  }
}

export type Tickets = ReturnType<typeof createTickets>;
