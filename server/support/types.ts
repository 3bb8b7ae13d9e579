/** Customer service's data, shared by its services, stores and routes (docs/support.md). */

export const TICKET_CATEGORIES = [
  'payment_failed',
  'account_restricted',
  'suspected_fraud',
  'complaint_merchant',
  'complaint_service',
  'suggestion',
  'other',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const COMPLAINT_CATEGORIES: readonly TicketCategory[] = ['complaint_merchant', 'complaint_service'];

export const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const RECORD_KINDS = ['payment', 'transfer', 'withdrawal', 'topup', 'bill', 'movement', 'hold'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export interface LinkedRecord {
  kind: RecordKind;
  id: string;
}

export interface TicketRow {
  id: string;
  user_id: string;
  category: TicketCategory;
  subject: string;
  status: TicketStatus;
  complaint: boolean;
  linked_records: LinkedRecord[];
  assignee_id: string | null;
  escalated: boolean;
  escalation_reason: string | null;
  acknowledged_at: Date | null;
  due_at: Date | null;
  complex_reason: string | null;
  decision_text: string | null;
  decided_at: Date | null;
  rating_score: number | null;
  rating_comment: string | null;
  dispute_id: string | null;
  first_reply_at: Date | null;
  last_message_at: Date;
  holder_unread: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export type AuthorKind = 'holder' | 'staff' | 'system';

export interface MessageRow {
  seq: string;
  id: string;
  ticket_id: string;
  author_kind: AuthorKind;
  author_id: string | null;
  author_name: string | null;
  internal: boolean;
  body: string;
  attachment_id: string | null;
  created_at: Date;
  // Joined from support_attachments when the message carries one.
  content_type?: string | null;
  size_bytes?: number | null;
  file_name?: string | null;
}

export interface AttachmentRow {
  id: string;
  user_id: string;
  ticket_id: string | null;
  case_id: string | null;
  content_type: string;
  size_bytes: number;
  file_name: string;
  sealed: Uint8Array;
  uploaded_by: string;
  created_at: Date;
}

/** Who is acting: the holder, a staff member (with roles), or the system. */
export interface SupportActor {
  kind: 'user' | 'staff';
  id: string;
  name?: string;
  roles?: readonly string[];
  ip?: string;
  requestId?: string;
}
