import { ESCALATION, slaOf } from './sla.js';
import type { ArticleRow } from './store-help.js';
import type { MessageRow, TicketRow } from './types.js';

/** The JSON shapes of the support API (the contract is in docs/support.md). */

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function ticketJson(ticket: TicketRow, now: Date) {
  const sla = slaOf(ticket, now);
  return {
    id: ticket.id,
    category: ticket.category,
    subject: ticket.subject,
    status: ticket.status,
    complaint: ticket.complaint,
    createdAt: ticket.created_at.toISOString(),
    updatedAt: ticket.updated_at.toISOString(),
    acknowledgedAt: iso(ticket.acknowledged_at),
    sla: sla && { ...sla, dueAt: sla.dueAt.toISOString(), decidedAt: iso(sla.decidedAt) },
    decision:
      ticket.decision_text !== null && ticket.decided_at
        ? {
            text: ticket.decision_text,
            escalationZh: ESCALATION.zh,
            escalationEn: ESCALATION.en,
            decidedAt: ticket.decided_at.toISOString(),
          }
        : null,
    linkedRecords: ticket.linked_records,
    rating: ticket.rating_score !== null ? { score: ticket.rating_score, comment: ticket.rating_comment } : null,
    unreadForHolder: ticket.holder_unread,
    disputeId: ticket.dispute_id,
  };
}

export function staffTicketJson(
  ticket: TicketRow,
  now: Date,
  holder: { name: string; phone: string } | null,
  assigneeName: string | null,
) {
  return {
    ...ticketJson(ticket, now),
    userId: ticket.user_id,
    holderName: holder?.name ?? null,
    holderPhone: holder?.phone ?? null,
    assigneeId: ticket.assignee_id,
    assigneeName,
    escalated: ticket.escalated,
    escalationReason: ticket.escalation_reason,
    customerPath: `/customers/${ticket.user_id}`,
    lastMessageAt: ticket.last_message_at.toISOString(),
    firstReplyAt: iso(ticket.first_reply_at),
  };
}

export function messageJson(message: MessageRow, audience: 'holder' | 'staff') {
  const base = audience === 'holder' ? '/api/v1/support/tickets' : '/api/v1/staff/support/tickets';
  return {
    id: message.id,
    ticketId: message.ticket_id,
    author: message.author_kind,
    authorName: message.author_name,
    text: message.body,
    internal: message.internal,
    attachment: message.attachment_id
      ? {
          id: message.attachment_id,
          contentType: message.content_type ?? '',
          sizeBytes: message.size_bytes ?? 0,
          fileName: message.file_name ?? '',
          createdAt: message.created_at.toISOString(),
          url: `${base}/${message.ticket_id}/attachments/${message.attachment_id}`,
        }
      : null,
    createdAt: message.created_at.toISOString(),
  };
}

export function articleSummaryJson(row: ArticleRow) {
  const c = row.content;
  return {
    slug: row.slug,
    category: row.category,
    titleZh: c.titleZh,
    titleEn: c.titleEn,
    summaryZh: c.summaryZh,
    summaryEn: c.summaryEn,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function articleJson(row: ArticleRow) {
  const c = row.content;
  return { ...articleSummaryJson(row), bodyZh: c.bodyZh, bodyEn: c.bodyEn, keywords: c.keywords, actions: c.actions };
}
