import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';

/**
 * Shapes of the credit API (server/credit, tag `credit`): products, quotes, applications with
 * their decisions and offers, loans and their schedules, credit cards and statements,
 * repayments, and the holder's credit health (what is due, what was reported, disputes).
 * Amounts are integer fen; rates are basis points (720 = 7.20 %); `aprBp` is the IRR-based
 * annualised rate (年化利率), which every page shows at least as prominently as any other price.
 */

export type FenJson = number | string;

export interface Text {
  zh: string;
  en: string;
}

export type Method = 'equal_installment' | 'equal_principal' | 'interest_first';
export const METHODS: Method[] = ['equal_installment', 'equal_principal', 'interest_first'];
export const TERMS = [3, 6, 12, 24] as const;
export const PURPOSES = ['consumption', 'education', 'travel', 'home', 'medical', 'other'] as const;

export interface Installment {
  number: number;
  dueDate: string;
  movedFrom: string | null;
  principal: FenJson;
  interest: FenJson;
  penalty: FenJson;
  total: FenJson;
  paid: FenJson;
  status: 'upcoming' | 'due' | 'paid' | 'late_in_grace' | 'overdue' | string;
}

export interface Schedule {
  amount: FenJson;
  currency: string;
  termMonths: number;
  method: Method | string;
  annualRateBp: number;
  aprBp: number;
  totalInterest: FenJson;
  totalRepayment: FenJson;
  installments: Installment[];
}

export interface Confirmation {
  id: string;
  challenge: string;
  payee: string;
  status: string;
  expiresAt: string;
}

export interface Reason {
  code: string;
  text: Text;
}

export interface Contract {
  version: string;
  title: Text;
  text: Text;
  signedAt?: string;
}

export interface Products {
  loan: {
    minAmount: FenJson;
    maxAmount: FenJson;
    currency: string;
    terms: number[];
    methods: Method[];
    purposes: string[];
    annualRateBpFrom: number;
    annualRateBpTo: number;
    penaltyMarkupPct: number;
    graceDays: number;
  };
  card: {
    brand: string;
    bin: string;
    annualRateBp: number;
    interestFreeDaysMax: number;
    minimumPaymentPct: number;
    statementDays: number[];
  };
}

export type ApplicationStatus = 'approved' | 'declined' | 'referred' | 'awaiting_signature' | 'signed' | 'expired';

export interface Application {
  id: string;
  product: 'loan' | 'card';
  status: ApplicationStatus | string;
  requested: {
    amount: FenJson | null;
    termMonths: number | null;
    method: Method | null;
    purpose: string | null;
    monthlyIncome: FenJson;
  };
  decision: {
    outcome: 'approve' | 'decline' | 'refer' | null;
    by: 'scorecard' | 'staff' | string;
    reasons: Reason[];
    decidedAt: string | null;
  };
  offer: null | {
    expiresAt: string;
    limit: FenJson;
    annualRateBp: number;
    schedule: Schedule | null;
    card: null | { statementDay: number; dueDay: number; interestFreeDaysMax: number };
    contract: Contract;
  };
  signing: Confirmation | null;
  loanId: string | null;
  cardId: string | null;
  createdAt: string;
}

export interface Repayment {
  id: string;
  target: 'loan' | 'card';
  targetId: string;
  status: 'awaiting_confirmation' | 'completed' | 'failed' | string;
  source: 'manual' | 'auto_wallet' | 'auto_card' | string;
  mode: 'due' | 'payoff' | 'custom' | 'full' | 'minimum' | string;
  amount: FenJson;
  currency: string;
  allocation: { penalty: FenJson; interest: FenJson; principal: FenJson };
  confirmation: Confirmation | null;
  createdAt: string;
  completedAt: string | null;
}

export interface Loan {
  id: string;
  applicationId: string;
  status: 'active' | 'overdue' | 'paid_off' | 'written_off' | string;
  amount: FenJson;
  currency: string;
  termMonths: number;
  method: Method | string;
  purpose: string;
  annualRateBp: number;
  aprBp: number;
  penaltyRateBp: number;
  disbursedAt: string;
  outstanding: { principal: FenJson; interest: FenJson; penalty: FenJson; total: FenJson };
  payoffToday: FenJson;
  nextDue: null | { dueDate: string; amount: FenJson; number: number };
  schedule: Schedule;
  repayments: Repayment[];
  contract: Contract;
}

export interface CardTransaction {
  id: string;
  kind: 'purchase' | 'repayment' | 'interest' | 'penalty' | 'refund' | 'interest_reversal' | string;
  amount: FenJson;
  merchantName: string | null;
  postedAt: string;
  statementId: string | null;
}

export interface Statement {
  id: string;
  cardId: string;
  periodFrom: string;
  periodTo: string;
  statementDate: string;
  dueDate: string;
  balance: FenJson;
  minimumPayment: FenJson;
  paid: FenJson;
  interest: FenJson;
  status: 'open' | 'paid' | 'minimum_paid' | 'overdue' | string;
  transactions?: CardTransaction[];
}

export interface CreditCard {
  id: string;
  status: 'active' | 'frozen' | 'closed' | string;
  brand: string;
  maskedNumber: string;
  last4: string;
  expiry: string;
  limit: FenJson;
  available: FenJson;
  balance: FenJson;
  currency: string;
  annualRateBp: number;
  statementDay: number;
  dueDay: number;
  unbilled: FenJson;
  currentStatement: Statement | null;
}

export interface BureauReport {
  asOf: string;
  score: number | null;
  accounts: {
    id: string;
    lender: string;
    kind: 'loan' | 'card' | string;
    openedOn: string;
    balance: FenJson;
    status: 'current' | 'overdue' | 'closed' | 'written_off' | string;
    months: { month: string; status: 'N' | '1' | '2' | '3' | 'C' | string }[];
  }[];
  records: {
    id: string;
    accountId: string;
    month: string;
    kind: 'overdue' | 'write_off' | string;
    amount: FenJson;
    disputed: boolean;
    removed: boolean;
  }[];
  inquiries: { on: string; by: string; reason: string }[];
}

export interface Dispute {
  id: string;
  recordId: string;
  status: 'open' | 'upheld' | 'rejected' | string;
  reason: string;
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface DueItem {
  target: 'loan' | 'card';
  id: string;
  dueDate: string;
  amount: FenJson;
  state: 'upcoming' | 'due' | 'late_in_grace' | 'overdue' | string;
  graceEndsOn: string | null;
  reportOn: string | null;
}

export interface Health {
  due: DueItem[];
  notices: {
    id: string;
    kind: 'reminder' | 'pre_report' | 'fault_moved' | 'reported' | string;
    text: Text;
    createdAt: string;
  }[];
  report: BureauReport;
  disputes: Dispute[];
  howToDispute: Text;
}

/** The card's own controls (freeze, statement day); the full number comes only from `reveal` with the PIN. */
export interface CardControls {
  id: string;
  status: 'active' | 'frozen' | string;
  frozenAt: string | null;
  statementDay: number;
  dueDay: number;
  nextStatementOn: string;
  pendingStatementDay: number | null;
  pendingDueDay: number | null;
  pendingFrom: string | null;
  changeAllowedFrom: string | null;
  changeEveryMonths: number;
}

export interface RevealedCard {
  number: string;
  maskedNumber: string;
  cvv: string;
  expiry: string;
  maskAfterSeconds: number;
}

export interface Autopay {
  wallet: boolean;
  cardFallback: boolean;
  cardLabel: string | null;
}

const BASE = '/api/v1/credit';
export const creditPath = (...parts: string[]) => [BASE, ...parts.map(encodeURIComponent)].join('/');

export const useCreditProducts = () =>
  useQuery({
    queryKey: ['credit', 'products'],
    queryFn: () => api.get<Products>(creditPath('products')),
    staleTime: 300_000,
  });

export const useApplications = () =>
  useQuery({
    queryKey: ['credit', 'applications'],
    queryFn: () => api.get<{ items: Application[] }>(creditPath('applications')),
  });

export const useApplication = (id: string) =>
  useQuery({
    queryKey: ['credit', 'application', id],
    queryFn: () => api.get<Application>(creditPath('applications', id)),
    // A referred application waits for staff: look again now and then.
    refetchInterval: (q) => (q.state.data?.status === 'referred' ? 5000 : false),
  });

export const useLoans = () =>
  useQuery({ queryKey: ['credit', 'loans'], queryFn: () => api.get<{ items: Loan[] }>(creditPath('loans')) });

export const useLoan = (id: string) =>
  useQuery({ queryKey: ['credit', 'loan', id], queryFn: () => api.get<Loan>(creditPath('loans', id)) });

export const useCreditCards = () =>
  useQuery({ queryKey: ['credit', 'cards'], queryFn: () => api.get<{ items: CreditCard[] }>(creditPath('cards')) });

export const useCreditCard = (id: string) =>
  useQuery({ queryKey: ['credit', 'card', id], queryFn: () => api.get<CreditCard>(creditPath('cards', id)) });

export const useCardControls = (id: string) =>
  useQuery({
    queryKey: ['credit', 'card', id, 'controls'],
    queryFn: () => api.get<CardControls>(creditPath('cards', id, 'controls')),
  });

export const useCardTransactions = (id: string) =>
  useQuery({
    queryKey: ['credit', 'card', id, 'transactions'],
    queryFn: () =>
      api.get<{ items: CardTransaction[]; nextBefore: string | null }>(
        `${creditPath('cards', id, 'transactions')}?limit=20`,
      ),
  });

export const useStatements = (cardId: string) =>
  useQuery({
    queryKey: ['credit', 'card', cardId, 'statements'],
    queryFn: () => api.get<{ items: Statement[] }>(creditPath('cards', cardId, 'statements')),
  });

export const useStatement = (id: string) =>
  useQuery({ queryKey: ['credit', 'statement', id], queryFn: () => api.get<Statement>(creditPath('statements', id)) });

export const useHealth = () =>
  useQuery({ queryKey: ['credit', 'health'], queryFn: () => api.get<Health>(creditPath('health')) });

export const useAutopay = () =>
  useQuery({ queryKey: ['credit', 'autopay'], queryFn: () => api.get<Autopay>(creditPath('autopay')) });

/** A rate in basis points as a percentage with two decimals: 1303 → "13.03%". */
export function formatBp(bp: number | null | undefined): string {
  if (bp === null || bp === undefined || !Number.isFinite(bp)) return '—';
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(Math.round(bp));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** The server's two-language text in the page's language. */
export function useText(): (text: Text | null | undefined) => string {
  const { i18n } = useTranslation();
  return (text) => (text ? (i18n.language === 'en' ? text.en : text.zh) : '');
}

/** YYYY-MM-DD as "2026-12-03" in zh-CN and "3 Dec 2026" in English. */
export function useDay(): (day: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (day) => {
    if (!day) return '—';
    if (i18n.language !== 'en') return day;
    const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return day;
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(date);
  };
}
