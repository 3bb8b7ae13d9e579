import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../shared/api';

/**
 * Shapes of the savings API (server/savings/routes.ts): the catalogue, yields, the risk
 * questionnaire, orders, holdings, income and term deposits. Amounts are integer fen; rates,
 * yields and per-10,000 income are exact decimal strings ("1.8520" means 1.8520 %).
 */

export interface Localized {
  zh: string;
  en: string;
}

export interface YieldDay {
  day: string;
  yield7dPct: string;
  per10k: string;
}

export interface Product {
  id: string;
  kind: 'fund' | 'term_deposit' | string;
  code: string;
  name: Localized;
  riskLevel: string;
  status: 'on_sale' | 'closed' | string;
  minimumAmount: number | string;
  currency: string;
  fastRedeem: boolean;
  termMonths: number | null;
  annualRatePct: string | null;
  demandRatePct: string | null;
  latestYield: YieldDay | null;
  fees: Localized;
  riskWarning: Localized;
  manual: Localized;
  reviewThreshold: number | string | null;
  minTier: string;
  version: number;
  effectiveAt: string;
}

export interface Assessment {
  id: string;
  version: string;
  score: number;
  level: string;
  levelName: Localized;
  takenAt: string;
  expiresAt: string;
  expired: boolean;
}

export interface Questionnaire {
  version: string;
  questions: { id: string; text: Localized; options: { id: string; text: Localized }[] }[];
}

export interface Confirmation {
  id: string;
  challenge: string;
  payee: string;
  status: string;
  expiresAt: string;
}

export type OrderType = 'subscribe' | 'redeem_fast' | 'redeem_ordinary' | 'deposit_open' | 'deposit_early_withdrawal';

export interface SavingsOrder {
  id: string;
  type: OrderType | string;
  status: string;
  productId: string;
  productName: Localized;
  amount: number | string;
  currency: string;
  interest: number | string | null;
  depositId: string | null;
  earnsFrom: string | null;
  arrivesOn: string | null;
  riskAcknowledged: boolean;
  failureCode: string | null;
  reviewNote: string | null;
  confirmation: Confirmation | null;
  createdAt: string;
  completedAt: string | null;
}

export interface FundHolding {
  productId: string;
  code: string;
  name: Localized;
  shares: number | string;
  earningShares: number | string;
  pendingShares: number | string;
  yesterdayIncome: number | string;
  lastIncome: { day: string; amount: number | string } | null;
  totalIncome: number | string;
  fastRedeemRemainingToday: number | string;
  latestYield: YieldDay | null;
}

export interface Deposit {
  id: string;
  productId: string;
  productName: Localized;
  termMonths: number;
  principal: number | string;
  currency: string;
  annualRatePct: string;
  demandRatePct: string;
  openedOn: string;
  maturesOn: string;
  days: number;
  expectedInterest: number | string;
  maturityChoice: 'rollover' | 'to_wallet' | string;
  status: 'open' | 'matured' | 'withdrawn_early' | 'rolled_over' | string;
  interestPaid: number | string | null;
  closedOn: string | null;
  rolledInto: string | null;
  rolledFrom: string | null;
  orderId: string | null;
}

export interface Holdings {
  today: string;
  totalAssets: number | string;
  funds: FundHolding[];
  deposits: Deposit[];
}

export interface IncomeItem {
  day: string;
  productId: string;
  amount: number | string;
  eligibleShares: number | string;
  per10k: string;
  creditedAt: string;
  entryId: string;
}

export type YieldRange = '7d' | '1m' | '3m';

/** Orders that are still moving: polled until they settle. */
export const OPEN_ORDER_STATUSES = ['awaiting_confirmation', 'pending_review', 'processing'];

/** The name in the current language. */
export function useLocalized() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (text: Localized | null | undefined) => (text ? (english ? text.en : text.zh) : '');
}

/** "1.8520" → "1.852%": a percentage string shown with at most three decimals, never through a float. */
export function formatPct(value: string | null | undefined, decimals = 3): string {
  if (value === null || value === undefined || !/^-?\d+(\.\d+)?$/.test(value)) return '—';
  const [whole, fraction = ''] = value.split('.');
  const cut = fraction.padEnd(decimals, '0').slice(0, decimals).replace(/0+$/, '');
  return `${whole}${cut.length ? `.${cut.padEnd(2, '0')}` : '.00'}%`;
}

/** Per-10,000-unit income, in yuan with four decimals ("0.4921" → "¥0.4921"). */
export function formatPer10k(value: string | null | undefined): string {
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return '—';
  const [whole, fraction = ''] = value.split('.');
  return `¥${whole}.${fraction.padEnd(4, '0').slice(0, 4)}`;
}

/** R3 → 3, C2 → 2. */
export const levelNumber = (level: string | null | undefined) => Number(/\d/.exec(level ?? '')?.[0] ?? 0);

export function useProducts() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ['savings', 'products', i18n.language],
    queryFn: () => api.get<{ items: Product[] }>('/api/v1/savings/products'),
  });
}

export function useProduct(id: string | undefined) {
  return useQuery({
    queryKey: ['savings', 'product', id],
    enabled: Boolean(id),
    queryFn: () => api.get<Product>(`/api/v1/savings/products/${encodeURIComponent(id ?? '')}`),
  });
}

export function useYields(id: string | undefined, range: YieldRange, enabled = true) {
  return useQuery({
    queryKey: ['savings', 'yields', id, range],
    enabled: Boolean(id) && enabled,
    queryFn: () =>
      api.get<{ productId: string; range: string; points: YieldDay[] }>(
        `/api/v1/savings/products/${encodeURIComponent(id ?? '')}/yields${query({ range })}`,
      ),
    staleTime: 60_000,
  });
}

export function useAssessment() {
  return useQuery({
    queryKey: ['savings', 'assessment'],
    queryFn: () => api.get<{ assessment: Assessment | null }>('/api/v1/savings/assessment'),
  });
}

export function useHoldings() {
  return useQuery({
    queryKey: ['savings', 'holdings'],
    queryFn: () => api.get<Holdings>('/api/v1/savings/holdings'),
  });
}

export function useIncome(productId: string | undefined) {
  return useQuery({
    queryKey: ['savings', 'income', productId],
    enabled: Boolean(productId),
    queryFn: () =>
      api.get<{ items: IncomeItem[]; nextBefore: string | null }>(
        `/api/v1/savings/income${query({ productId, limit: 30 })}`,
      ),
  });
}

export function useOrders() {
  return useQuery({
    queryKey: ['savings', 'orders'],
    queryFn: () => api.get<{ items: SavingsOrder[]; nextBefore: string | null }>('/api/v1/savings/orders?limit=20'),
    refetchInterval: (q) => (q.state.data?.items.some((o) => o.status === 'pending_review') ? 3000 : false),
  });
}

export function useDeposit(id: string | undefined) {
  return useQuery({
    queryKey: ['savings', 'deposit', id],
    enabled: Boolean(id),
    queryFn: () => api.get<Deposit>(`/api/v1/savings/deposits/${encodeURIComponent(id ?? '')}`),
  });
}

export function useClosedDeposits() {
  return useQuery({
    queryKey: ['savings', 'deposits', 'closed'],
    queryFn: () => api.get<{ items: Deposit[] }>('/api/v1/savings/deposits?status=closed'),
  });
}
