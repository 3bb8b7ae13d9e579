import type { TicketRow } from './types.js';

/**
 * The complaint clock (domain-rules-2 §11, PBOC 金融消费者权益保护实施办法): a complaint is
 * acknowledged at once and decided within 15 days of receipt, 30 when staff mark it complex with a
 * reason; the holder is told the decision and how to escalate. Pure functions of the ticket and now.
 */

const DAY_MS = 24 * 3600_000;
export const COMPLAINT_DAYS = 15;
export const COMPLEX_COMPLAINT_DAYS = 30;
/** Shown to staff as "due soon". */
export const DUE_SOON_DAYS = 3;

export const ESCALATION = {
  zh:
    '如您对处理结果不满意，可拨打中国人民银行金融消费权益保护咨询投诉电话 12363，' +
    '或向当地银行业保险业监督管理机构（12378）反映，也可申请调解或依法提起诉讼。',
  en:
    'If you are not satisfied with this decision you can call the People’s Bank of China consumer protection ' +
    'line 12363 or the banking and insurance regulator on 12378, ask for mediation, or go to court.',
} as const;

export function complaintDueAt(receivedAt: Date, complex: boolean): Date {
  return new Date(receivedAt.getTime() + (complex ? COMPLEX_COMPLAINT_DAYS : COMPLAINT_DAYS) * DAY_MS);
}

export interface SlaView {
  dueAt: Date;
  complex: boolean;
  complexReason: string | null;
  decidedAt: Date | null;
  /** Decided after the due time, or still undecided once it passed. */
  breached: boolean;
  /** Whole days left until due (negative when overdue); 0 once decided. */
  daysLeft: number;
}

export function slaOf(
  ticket: Pick<TicketRow, 'complaint' | 'due_at' | 'complex_reason' | 'decided_at'>,
  now: Date,
): SlaView | null {
  if (!ticket.complaint || !ticket.due_at) return null;
  const due = ticket.due_at;
  const decided = ticket.decided_at;
  const breached = decided ? decided > due : now > due;
  const daysLeft = decided ? 0 : Math.ceil((due.getTime() - now.getTime()) / DAY_MS);
  return {
    dueAt: due,
    complex: ticket.complex_reason !== null,
    complexReason: ticket.complex_reason,
    decidedAt: decided,
    breached,
    daysLeft,
  };
}
