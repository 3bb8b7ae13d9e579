import { useQuery } from '@tanstack/react-query';
import { api, query } from '../shared/api';

/** The console's view of the customer-service staff API (server/support/routes-staff.ts). */

export interface StaffTicket {
  id: string;
  category: string;
  subject: string;
  status: string;
  complaint: boolean;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  sla: {
    dueAt: string;
    complex: boolean;
    complexReason: string | null;
    decidedAt: string | null;
    breached: boolean;
    daysLeft: number;
  } | null;
  decision: { text: string; decidedAt: string } | null;
  linkedRecords: { kind: string; id: string }[];
  rating: { score: number; comment: string | null } | null;
  userId: string;
  holderName: string;
  holderPhone: string;
  assigneeId: string | null;
  assigneeName: string | null;
  escalated: boolean;
  escalationReason: string | null;
  customerPath: string;
  lastMessageAt: string;
  firstReplyAt: string | null;
}

export interface StaffMessage {
  id: string;
  ticketId: string;
  author: string;
  authorName: string | null;
  text: string;
  attachment: { id: string; contentType: string; fileName: string; sizeBytes: number; url?: string } | null;
  createdAt: string;
  internal: boolean;
}

export interface QueueFilters {
  status?: string;
  category?: string;
  assignee?: string;
  complaint?: boolean;
  breached?: boolean;
  q?: string;
}

export const staffTicketPath = (id: string) => `/api/v1/staff/support/tickets/${encodeURIComponent(id)}`;

export function useQueue(filters: QueueFilters) {
  return useQuery({
    queryKey: ['ops', 'support', 'queue', filters],
    queryFn: () =>
      api.get<{ items: StaffTicket[]; nextBefore: string | null }>(
        `/api/v1/staff/support/tickets${query({
          status: filters.status,
          category: filters.category,
          assignee: filters.assignee,
          complaint: filters.complaint || undefined,
          breached: filters.breached || undefined,
          q: filters.q?.trim() || undefined,
          limit: 50,
        })}`,
      ),
    refetchInterval: 30_000,
  });
}

export function useStaffTicket(id: string) {
  return useQuery({
    queryKey: ['ops', 'support', 'ticket', id],
    queryFn: () => api.get<{ ticket: StaffTicket; messages: StaffMessage[] }>(staffTicketPath(id)),
  });
}

export interface Template {
  id: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

export function useTemplates() {
  return useQuery({
    queryKey: ['ops', 'support', 'templates'],
    queryFn: () => api.get<{ items: Template[] }>('/api/v1/staff/support/templates'),
    staleTime: 300_000,
  });
}

export interface Dashboard {
  open: number;
  inProgress: number;
  resolved: number;
  byCategory: { category: string; count: number }[];
  daily: { day: string; opened: number; closed: number }[];
  sla: {
    complaintsOpen: number;
    breached: number;
    dueWithin3Days: number;
    decidedInTime: number;
    decidedLate: number;
    medianFirstReplyMinutes: number | null;
  };
  satisfaction: { rated: number; average: number | null };
}

export function useDashboard(days: number) {
  return useQuery({
    queryKey: ['ops', 'support', 'dashboard', days],
    queryFn: () => api.get<Dashboard>(`/api/v1/staff/support/dashboard${query({ days })}`),
  });
}

/** How long until (or since) a deadline, in words short enough for a table cell. */
export function duration(ms: number, english: boolean): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return english ? `${minutes} min` : `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return english ? `${hours} h ${minutes % 60} min` : `${hours} 小时 ${minutes % 60} 分`;
  const days = Math.floor(hours / 24);
  return english ? `${days} d ${hours % 24} h` : `${days} 天 ${hours % 24} 小时`;
}
