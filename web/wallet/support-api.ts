import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, query, upload } from '../shared/api';

/**
 * The wallet's customer-service calls: the self-service security APIs that had no page (identity's
 * `auth/recover` and `me/pin/reset`, risk's `me/restrictions`) and server/support (help centre,
 * tickets, disputes, theft cases, explanations of failures, notification preferences).
 */

export function recoverPassword(body: {
  phone: string;
  smsCode: string;
  name: string;
  idNumber: string;
  newPassword: string;
}): Promise<void> {
  return api.post('/api/v1/auth/recover', body);
}

export function resetPin(body: { smsCode: string; idNumber: string; newPin: string }): Promise<void> {
  return api.post('/api/v1/me/pin/reset', body);
}

export interface Restriction {
  id: string;
  reasonCode: string;
  reasonZh: string;
  reasonEn: string;
  liftBy: 'reverify' | 'support' | string;
  howToLiftZh: string;
  howToLiftEn: string;
  source: string;
  createdAt: string;
  liftedAt: string | null;
}

export function useRestrictions() {
  return useQuery({
    queryKey: ['me', 'restrictions'],
    queryFn: () => api.get<{ active: Restriction | null; history: Restriction[] }>('/api/v1/me/restrictions'),
  });
}

export interface Announcement {
  id: string;
  feature: string;
  active: boolean;
  title: string;
  message: string;
  startsAt: string;
  endsAt: string;
}

export function useAnnouncements(language: string) {
  return useQuery({
    queryKey: ['announcements', language],
    queryFn: () => api.get<{ items: Announcement[] }>('/api/v1/announcements'),
  });
}

/** Picks the zh-CN or English side of a `…Zh` / `…En` pair. */
export function pick(english: boolean, zh: string | null | undefined, en: string | null | undefined): string {
  return (english ? en || zh : zh || en) ?? '';
}

export interface ContactAnnouncement {
  id: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  startsAt: string;
  endsAt: string;
}

export interface ContactInfo {
  hotline: string;
  hotlineHoursZh: string;
  hotlineHoursEn: string;
  /** withinHours: the published hours; availableNow: an agent is actually on the console now. */
  onlineSupport: { hoursZh: string; hoursEn: string; withinHours: boolean; availableNow: boolean };
  complaint: {
    titleZh: string;
    titleEn: string;
    textZh: string;
    textEn: string;
    deadlineDays: number;
    escalationZh: string;
    escalationEn: string;
    newTicketPath: string;
  };
  email: string;
  announcements: ContactAnnouncement[];
}

export function useContactInfo() {
  return useQuery({
    queryKey: ['support', 'contact'],
    queryFn: () => api.get<ContactInfo>('/api/v1/support/contact'),
    staleTime: 60_000,
  });
}

// Help centre.

export const ARTICLE_CATEGORIES = [
  'password',
  'freeze',
  'payment_failed',
  'theft',
  'abnormal_account',
  'prevention',
  'credit_record',
  'compatibility',
  'complaint',
] as const;

export interface ArticleSummary {
  slug: string;
  category: string;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  version: number;
  updatedAt: string;
}

export interface ArticleAction {
  labelZh: string;
  labelEn: string;
  path: string;
}

export interface Article extends ArticleSummary {
  bodyZh: string;
  bodyEn: string;
  keywords: string[];
  actions: ArticleAction[];
}

export function useArticles(search: { q?: string; category?: string }) {
  return useQuery({
    queryKey: ['help', 'articles', search.q ?? '', search.category ?? ''],
    queryFn: () =>
      api.get<{ items: ArticleSummary[] }>(
        `/api/v1/help/articles${query({ q: search.q?.trim().slice(0, 50), category: search.category })}`,
      ),
    placeholderData: (previous) => previous,
  });
}

export function useArticle(slug: string) {
  return useQuery({
    queryKey: ['help', 'article', slug],
    queryFn: () => api.get<Article>(`/api/v1/help/articles/${encodeURIComponent(slug)}`),
  });
}

// Tickets.

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

export const RECORD_KINDS = ['payment', 'transfer', 'withdrawal', 'topup', 'bill', 'movement'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface LinkedRecord {
  kind: RecordKind | string;
  id: string;
}

export interface Sla {
  dueAt: string;
  complex: boolean;
  complexReason: string | null;
  decidedAt: string | null;
  breached: boolean;
  daysLeft: number;
}

export interface Ticket {
  id: string;
  category: TicketCategory | string;
  subject: string;
  status: 'open' | 'in_progress' | 'resolved' | 'closed' | string;
  complaint: boolean;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  sla: Sla | null;
  decision: { text: string; escalationZh: string; escalationEn: string; decidedAt: string } | null;
  linkedRecords: LinkedRecord[];
  rating: { score: number; comment: string | null } | null;
  unreadForHolder: number;
  disputeId: string | null;
}

export interface Attachment {
  id: string;
  contentType: string;
  sizeBytes: number;
  fileName: string;
  createdAt: string;
  url: string;
}

export interface Message {
  id: string;
  ticketId: string;
  author: 'holder' | 'staff' | 'system' | string;
  authorName: string | null;
  text: string;
  attachment: Attachment | null;
  createdAt: string;
  internal?: boolean;
}

export interface TicketPage {
  items: Ticket[];
  nextBefore: string | null;
}

export function useTickets(status: 'open' | 'closed') {
  return useInfiniteQuery({
    queryKey: ['support', 'tickets', status],
    queryFn: ({ pageParam }) =>
      api.get<TicketPage>(`/api/v1/support/tickets${query({ status, before: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

export function ticketPath(id: string): string {
  return `/api/v1/support/tickets/${encodeURIComponent(id)}`;
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: ['support', 'ticket', id],
    queryFn: () => api.get<{ ticket: Ticket; messages: Message[] }>(ticketPath(id)),
  });
}

export function openTicket(body: {
  category: string;
  subject: string;
  text: string;
  linkedRecords?: LinkedRecord[];
}): Promise<Ticket> {
  return api.post<Ticket>('/api/v1/support/tickets', body);
}

export function sendMessage(ticketId: string, text: string): Promise<Message> {
  return api.post<Message>(`${ticketPath(ticketId)}/messages`, { text });
}

export function sendAttachment(ticketId: string, file: File, text?: string): Promise<Message> {
  const form = new FormData();
  if (text) form.append('text', text);
  form.append('file', file);
  return upload<Message>(`${ticketPath(ticketId)}/attachments`, form);
}

export function rateTicket(ticketId: string, score: number, comment?: string): Promise<Ticket> {
  return api.post<Ticket>(`${ticketPath(ticketId)}/rating`, { score, comment: comment || undefined });
}

export function withdrawTicket(ticketId: string): Promise<Ticket> {
  return api.post<Ticket>(`${ticketPath(ticketId)}/withdraw`);
}

export function markTicketRead(ticketId: string): Promise<void> {
  return api.post(`${ticketPath(ticketId)}/read`);
}

// "Why did this fail?"

export interface Explanation {
  kind: string;
  id: string | null;
  status: string;
  failed: boolean;
  cause: {
    code: string;
    titleZh: string;
    titleEn: string;
    detailZh: string;
    detailEn: string;
    data: {
      availableAmount?: number;
      /** Null when no amount was asked for or it was not short. */
      shortAmount?: number | null;
      limitName?: string;
      /** Null when the wallet has no daily limit. */
      limitAmount?: number | null;
      usedAmount?: number;
      restriction?: Restriction;
      maintenance?: { feature: string; startsAt: string; endsAt: string; messageZh: string; messageEn: string };
      holdId?: string;
      expiresAt?: string;
      networkReason?: string;
    };
  } | null;
  nextSteps: { action: string; labelZh: string; labelEn: string; path: string }[];
}

export function useExplanation(kind: string | null, id: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['support', 'explanation', kind, id],
    queryFn: () =>
      api.get<Explanation>(`/api/v1/me/explanations/${encodeURIComponent(kind ?? '')}/${encodeURIComponent(id ?? '')}`),
    enabled: enabled && Boolean(kind && id),
    retry: false,
  });
}

export function explainRefusal(body: { code: string; channel: string; amount?: number }): Promise<Explanation> {
  return api.post<Explanation>('/api/v1/me/explanations', body);
}

// Disputes and cases.

export const DISPUTE_REASONS = ['not_received', 'charged_twice', 'wrong_amount'] as const;

export interface Dispute {
  id: string;
  paymentId: string;
  ticketId: string;
  reason: string;
  text: string;
  claimedAmount: number;
  paymentAmount: number;
  currency: string;
  merchantId: string;
  merchantName: string | null;
  status: string;
  merchantDueAt: string;
  merchantAnswer: { text: string; evidence: string | null; answeredAt: string } | null;
  decision: { outcome: 'refund' | 'reject'; amount: number | null; note: string; decidedAt: string } | null;
  refund: { id: string; amount: number; entryId: string; createdAt: string; by: 'merchant' | 'bank' } | null;
  createdAt: string;
  updatedAt: string;
}

export function useDispute(id: string) {
  return useQuery({
    queryKey: ['support', 'dispute', id],
    queryFn: () => api.get<Dispute>(`/api/v1/support/disputes/${encodeURIComponent(id)}`),
  });
}

export function openDispute(body: {
  paymentId: string;
  reason: string;
  claimedAmount: number;
  text: string;
}): Promise<Dispute> {
  return api.post<Dispute>('/api/v1/support/disputes', body);
}

export interface Evidence {
  id: string;
  kind: 'police_report' | 'note' | 'file' | string;
  text: string | null;
  attachment: Attachment | null;
  createdAt: string;
}

export interface Case {
  id: string;
  kind: string;
  status: 'open' | 'closed' | string;
  openedAt: string;
  closedAt: string | null;
  outcomeZh: string | null;
  outcomeEn: string | null;
  evidence: Evidence[];
  recovered: { clawbackId: string; amount: number; status: string; returnedAt: string | null }[];
}

export function useCases() {
  return useQuery({
    queryKey: ['support', 'cases'],
    queryFn: () => api.get<{ items: Case[] }>('/api/v1/support/cases'),
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: ['support', 'case', id],
    queryFn: () => api.get<Case>(`/api/v1/support/cases/${encodeURIComponent(id)}`),
  });
}

export function addEvidence(caseId: string, kind: 'police_report' | 'note', text: string): Promise<Evidence> {
  return api.post<Evidence>(`/api/v1/support/cases/${encodeURIComponent(caseId)}/evidence`, { kind, text });
}

export function addEvidenceFile(caseId: string, file: File): Promise<Evidence> {
  const form = new FormData();
  form.append('file', file);
  return upload<Evidence>(`/api/v1/support/cases/${encodeURIComponent(caseId)}/evidence/files`, form);
}

// Notification preferences.

export interface Preference {
  category: string;
  inApp: boolean;
  sms: boolean;
  email: boolean;
  locked: boolean;
}

export function usePreferences() {
  return useQuery({
    queryKey: ['me', 'notification-preferences'],
    queryFn: () => api.get<Preferences>('/api/v1/me/notification-preferences'),
  });
}

export interface Preferences {
  items: Preference[];
  /** A verified recovery e-mail exists, so notices can also go by e-mail. */
  emailAvailable: boolean;
}

/** Changes only the channels named for each category. */
export function savePreferences(items: { category: string; inApp?: boolean; sms?: boolean; email?: boolean }[]) {
  return api.put<Preferences>('/api/v1/me/notification-preferences', { items });
}

/** The record a history item is, as the explanation API and tickets name it. */
export function recordOf(item: { id: string; type: string; reference: string }): LinkedRecord | null {
  switch (item.type) {
    case 'topup':
      return { kind: 'topup', id: item.id };
    case 'withdraw':
      return { kind: 'withdrawal', id: item.id };
    case 'p2p':
      return { kind: 'transfer', id: item.reference };
    case 'merchant_payment':
    case 'payment_code':
      return { kind: 'payment', id: item.reference };
    case 'bill_payment':
      return { kind: 'bill', id: item.reference };
    default:
      return null;
  }
}

/**
 * Follows a ticket's conversation live (server-sent events): new messages are appended to the
 * cached conversation and status changes replace the ticket. The browser's EventSource reconnects
 * by itself, sending the last event id, so nothing is missed across a dropped connection.
 */
export function followTicket(
  url: string,
  afterId: string | undefined,
  handlers: { message: (message: Message) => void; ticket: (ticket: Ticket) => void; open?: (live: boolean) => void },
): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(`${url}${afterId ? `?after=${encodeURIComponent(afterId)}` : ''}`, {
    withCredentials: true,
  });
  source.addEventListener('message', (event) => {
    try {
      handlers.message(JSON.parse((event as MessageEvent<string>).data) as Message);
    } catch {
      // A malformed event is skipped; the next GET of the conversation shows the truth.
    }
  });
  source.addEventListener('ticket', (event) => {
    try {
      handlers.ticket(JSON.parse((event as MessageEvent<string>).data) as Ticket);
    } catch {
      // As above.
    }
  });
  source.onopen = () => handlers.open?.(true);
  source.onerror = () => handlers.open?.(false);
  return () => source.close();
}

// The e-mail address as a second recovery channel.

export interface RecoveryEmail {
  email: string | null;
  verified: boolean;
  verifiedAt: string | null;
  /** A new address waiting for its code while the verified one still counts. */
  pendingEmail?: string | null;
}

export function useRecoveryEmail() {
  return useQuery({ queryKey: ['me', 'email'], queryFn: () => api.get<RecoveryEmail>('/api/v1/me/email') });
}

export function startEmail(email: string): Promise<{ expiresInSeconds: number }> {
  return api.put('/api/v1/me/email', { email });
}

export function verifyEmail(code: string): Promise<RecoveryEmail> {
  return api.post('/api/v1/me/email/verify', { code });
}

export function removeEmail(): Promise<void> {
  return api.delete('/api/v1/me/email');
}

export function sendRecoveryEmailCode(phone: string, email: string): Promise<{ expiresInSeconds: number }> {
  return api.post('/api/v1/auth/email-codes', { phone, email });
}

export function recoverPasswordByEmail(body: {
  phone: string;
  email: string;
  emailCode: string;
  name: string;
  idNumber: string;
  newPassword: string;
}): Promise<void> {
  return api.post('/api/v1/auth/recover/email', body);
}
