import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../shared/api';

/**
 * Shapes of the insights API (server/insights routes, docs/insights.md) as the wallet pages use
 * them: the month and year views, movements and their categories, rules, budgets and assets. The
 * home page imports this module for its budget bar, so it holds no chart code.
 */

export const CATEGORIES = [
  'dining',
  'groceries',
  'shopping',
  'transport',
  'utilities',
  'housing',
  'health',
  'education',
  'entertainment',
  'travel',
  'personal_care',
  'services',
  'insurance',
  'government',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One colour per category, the same on the donut, the legend, the bars and the report image. */
export const CATEGORY_COLORS: Record<string, string> = {
  dining: '#e8543f',
  groceries: '#f29b38',
  shopping: '#c8102e',
  transport: '#3d7fe0',
  utilities: '#1aa39a',
  housing: '#7a5af5',
  health: '#36b37e',
  education: '#f6c34a',
  entertainment: '#e8589c',
  travel: '#2bb0d9',
  personal_care: '#c77dd9',
  services: '#8c9a3b',
  insurance: '#5b6b8c',
  government: '#a0522d',
  other: '#9aa1ab',
};

export function categoryColor(category: string | null | undefined): string {
  return CATEGORY_COLORS[category ?? 'other'] ?? CATEGORY_COLORS.other;
}

export interface CategoryAmount {
  category: string;
  amount: number;
  count: number;
  /** Share of the month's (or year's) spending in basis points (3692 = 36.92 %). */
  shareBp: number;
}

export interface MerchantAmount {
  name: string;
  category: string | null;
  amount: number;
  count: number;
}

export interface MonthView {
  month: string;
  currency: string;
  complete: boolean;
  spent: number;
  spendingCount: number;
  income: number;
  byCategory: CategoryAmount[];
  byDay: { day: string; amount: number }[];
  topMerchants: MerchantAmount[];
  previousMonth: { month: string; spent: number };
  sixMonthAverage: { spent: number; months: number };
  flows: {
    income: number;
    spending: number;
    transfersIn: number;
    transfersOut: number;
    topups: number;
    withdrawals: number;
    savingsIn: number;
    savingsOut: number;
    refunds: number;
  };
}

export interface Movement {
  id: string;
  time: string;
  day: string;
  kind: string;
  category: string | null;
  categorySource: 'mcc' | 'bill' | 'rule' | 'manual' | 'refund' | 'none' | string;
  ruleId: string | null;
  amount: number;
  currency: string;
  counterparty: string | null;
  note: string | null;
  mcc: string | null;
  refundOf: string | null;
  categorisable: boolean;
}

export interface Rule {
  id: string;
  match: string;
  category: string;
  matched: number;
  createdAt: string;
}

export interface YearView {
  year: number;
  currency: string;
  complete: boolean;
  spent: number;
  income: number;
  spendingCount: number;
  byMonth: { month: string; spent: number; income: number }[];
  byCategory: CategoryAmount[];
  topMerchants: MerchantAmount[];
  busiestDay: { day: string; amount: number; count: number } | null;
  biggestPayment: {
    id: string;
    day: string;
    amount: number;
    counterparty: string | null;
    category: string | null;
  } | null;
  facts: {
    activeDays: number;
    merchantCount: number;
    favouriteMerchant: { name: string; count: number } | null;
    topCategory: string | null;
    averagePerMonth: number;
    previousYearSpent: number;
  };
}

export interface AssetLine {
  key: 'wallet' | 'savings' | 'loans' | 'cards' | string;
  amount: number;
  path: string | null;
}

export interface Assets {
  currency: string;
  asOf: string;
  total: number;
  owed: number;
  netWorth: number;
  lines: AssetLine[];
  cards: { id: string; bankName: string; bankNameEn: string; last4: string; path: string }[];
  history: { month: string; wallet: number; savings: number; owed: number; netWorth: number }[];
}

export interface Budget {
  id: string;
  /** null: the overall monthly budget. */
  category: string | null;
  amount: number;
  spent: number;
  remaining: number;
  percent: number;
  status: 'ok' | 'warning' | 'exceeded' | string;
  forecast: number;
  changedThisMonth: boolean;
  previousAmount: number | null;
  alerted: { at80: string | null; at100: string | null };
}

export interface BudgetAlert {
  budgetId: string;
  category: string | null;
  level: 80 | 100 | number;
  at: string;
  spent: number;
  amount: number;
}

export interface Budgets {
  month: string;
  items: Budget[];
  alerts: BudgetAlert[];
}

/** This month in Asia/Shanghai, YYYY-MM. */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 7);
}

/** "2026-11" moved by `by` months ("2026-12", "2026-10"). */
export function shiftMonth(month: string, by: number): string {
  const [year, mon] = month.split('-').map(Number);
  const index = year * 12 + (mon - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function isMonth(text: string | null | undefined): text is string {
  return Boolean(text && /^\d{4}-(0[1-9]|1[0-2])$/.test(text));
}

export function useMonthView(month: string) {
  return useQuery({
    queryKey: ['insights', 'month', month],
    queryFn: () => api.get<MonthView>(`/api/v1/insights/months/${month}`),
  });
}

export function useMovements(month: string, filter: { category?: string; kind?: string }) {
  return useInfiniteQuery({
    queryKey: ['insights', 'movements', month, filter],
    queryFn: ({ pageParam }) =>
      api.get<{ items: Movement[]; nextCursor: string | null }>(
        `/api/v1/insights/months/${month}/movements${query({ ...filter, cursor: pageParam, limit: 20 })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useYearView(year: number) {
  return useQuery({
    queryKey: ['insights', 'year', year],
    queryFn: () => api.get<YearView>(`/api/v1/insights/years/${year}`),
  });
}

export function useAssets() {
  return useQuery({
    queryKey: ['insights', 'assets'],
    queryFn: () => api.get<Assets>('/api/v1/insights/assets'),
  });
}

export function useRules() {
  return useQuery({
    queryKey: ['insights', 'rules'],
    queryFn: () => api.get<{ items: Rule[] }>('/api/v1/insights/rules'),
  });
}

/** The month's budgets and alerts. The home page asks too: quietly (no retries, no error) and afresh each visit. */
export function useBudgets(month?: string, options: { quiet?: boolean } = {}) {
  return useQuery({
    queryKey: ['insights', 'budgets', month ?? 'current'],
    queryFn: () => api.get<Budgets>(`/api/v1/insights/budgets${query({ month })}`),
    staleTime: options.quiet ? 0 : 10_000,
    retry: options.quiet ? false : undefined,
  });
}

/** After a change to categories, rules or budgets every insights figure may move: refetch them all. */
export function useRefreshInsights(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['insights'] });
}

export function categoriseMovement(id: string, category: string | null): Promise<Movement> {
  return api.put<Movement>(`/api/v1/insights/movements/${encodeURIComponent(id)}/category`, { category });
}

export function createRule(input: { category: string; match?: string; fromMovementId?: string }): Promise<Rule> {
  return api.post<Rule>('/api/v1/insights/rules', input);
}

export function deleteRule(id: string): Promise<void> {
  return api.delete<void>(`/api/v1/insights/rules/${encodeURIComponent(id)}`);
}

export function setBudget(category: string | null, amountFen: number): Promise<Budget> {
  return api.put<Budget>('/api/v1/insights/budgets', { category, amount: amountFen });
}

export function deleteBudget(id: string): Promise<void> {
  return api.delete<void>(`/api/v1/insights/budgets/${encodeURIComponent(id)}`);
}

/** A share in basis points for display: whole percent from 10 % up, tenths below (3692 → "37%", 845 → "8.5%"). */
export function formatShare(bp: number): string {
  if (bp >= 1000) return `${Math.round(bp / 100)}%`;
  const tenths = Math.round(bp / 10);
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** The change from `before` to `now` in whole percent, or null when there was nothing before. */
export function changePercent(now: number, before: number): number | null {
  if (before <= 0) return null;
  return Math.round(((now - before) * 100) / before);
}
