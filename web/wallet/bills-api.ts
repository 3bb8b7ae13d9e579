import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';

/** Shapes of the bills API (server/bills routes, docs/bills.md) as the wallet pages use them. */

export type BillType = 'water' | 'electricity' | 'gas' | 'telecom' | 'property';
export const BILL_TYPES: BillType[] = ['electricity', 'water', 'gas', 'telecom', 'property'];

export interface AccountFormat {
  length: number;
  digitsOnly: boolean;
  checkDigit: string | null;
  example: string;
  hintZh: string;
  hintEn: string;
}

export interface BillerMaintenance {
  startsAt: string;
  endsAt: string;
  messageZh: string;
  messageEn: string;
}

export interface Biller {
  id: string;
  name: string;
  nameEn: string;
  type: BillType | string;
  city: string;
  cityName: string;
  cityNameEn: string;
  mode: 'postpaid' | 'prepaid' | string;
  prepaidMinimum: number | null;
  prepaidMaximum: number | null;
  accountFormat: AccountFormat;
  lateFeePerMille: number;
  autopay: boolean;
  status: 'active' | 'disabled' | 'maintenance' | string;
  maintenance: BillerMaintenance | null;
}

export interface Bill {
  billRef: string;
  period: string;
  amount: number;
  lateFee: number;
  total: number;
  currency: string;
  issuedAt: string;
  dueDate: string;
  overdue: boolean;
  status: 'unpaid' | 'processing' | 'paid' | string;
}

export interface Inquiry {
  biller: Biller;
  accountNumber: string;
  holderName: string | null;
  address: string | null;
  bills: Bill[];
  prepaid: { minimum: number; maximum: number; balance: number | null } | null;
  savedAccountId: string | null;
}

export interface SavedAccount {
  id: string;
  billerId: string;
  biller: Biller;
  accountNumber: string;
  label: string;
  reminderDaysBefore: number;
  due: { count: number; total: number; earliestDueDate: string | null; overdue: boolean } | null;
  bills: Bill[];
  autopay: { id: string; status: string } | null;
  createdAt: string;
}

export interface BillPayment {
  id: string;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  accountNumber: string;
  savedAccountId: string | null;
  label: string | null;
  billRef: string | null;
  period: string | null;
  amount: number;
  billAmount: number;
  lateFee: number;
  currency: string;
  status: 'awaiting_confirmation' | 'processing' | 'succeeded' | 'failed' | 'expired' | string;
  failureReason: string | null;
  source: 'holder' | 'autopay' | string;
  passwordFree: boolean;
  lateFeeBorneByTongbao: number;
  networkRef: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface PreparedBillPayment {
  payment: BillPayment;
  confirmation: { id: string; challenge?: string; expiresAt?: string };
}

export interface Mandate {
  id: string;
  savedAccountId: string;
  label: string | null;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  accountNumber: string;
  capPerBill: number;
  capPerMonth: number;
  currency: string;
  timing: 'on_arrival' | 'before_due' | string;
  daysBeforeDue: number | null;
  status: 'active' | 'paused' | 'cancelled' | string;
  usedThisMonth: number;
  createdAt: string;
  updatedAt: string;
}

export interface MandateRun {
  id: string;
  mandateId: string;
  billRef: string | null;
  period: string | null;
  amount: number;
  outcome: string;
  paymentId: string | null;
  detail: string | null;
  nextAttemptAt: string | null;
  at: string;
}

export interface Receipt {
  receiptNumber: string;
  paymentId: string;
  status: string;
  payerName: string;
  payerAccount: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  cityName: string;
  cityNameEn: string;
  accountNumber: string;
  accountHolderName: string | null;
  period: string | null;
  billAmount: number;
  lateFee: number;
  amount: number;
  currency: string;
  lateFeeBorneByTongbao: number;
  channel: string;
  channelEn: string;
  networkRef: string | null;
  entryId: string | null;
  paidAt: string | null;
}

export interface DueItem {
  savedAccountId: string;
  label: string;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  accountNumber: string;
  bill: Bill;
}

export interface Due {
  items: DueItem[];
  count: number;
  total: number;
  overdueCount: number;
}

export function useBillers(type: string | undefined) {
  return useQuery({
    queryKey: ['bills', 'billers', type],
    queryFn: () => api.get<{ items: Biller[] }>(`/api/v1/bills/billers?type=${encodeURIComponent(type ?? '')}`),
    enabled: Boolean(type),
    staleTime: 60_000,
  });
}

export function useSavedAccounts() {
  return useQuery({
    queryKey: ['bills', 'accounts'],
    queryFn: () => api.get<{ items: SavedAccount[] }>('/api/v1/bills/accounts'),
  });
}

export function useBillsDue(enabled = true) {
  return useQuery({
    queryKey: ['bills', 'due'],
    queryFn: () => api.get<Due>('/api/v1/bills/due'),
    enabled,
    staleTime: 30_000,
    retry: false,
  });
}

export function useMandates() {
  return useQuery({
    queryKey: ['bills', 'autopay'],
    queryFn: () => api.get<{ items: Mandate[] }>('/api/v1/bills/autopay'),
  });
}

/** Why a typed account number does not fit the biller's format, or null when it does (the server checks the check
 * digit). */
export function formatProblem(format: AccountFormat, value: string): 'length' | 'digits' | null {
  if (format.digitsOnly && !/^\d*$/.test(value)) return 'digits';
  if (value.length !== format.length) return 'length';
  return null;
}

/** Days from one Asia/Shanghai date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 3100000007 → 3100****0007: the account number as lists show it. */
export function maskAccount(number: string): string {
  if (number.length <= 6) return number;
  return `${number.slice(0, 3)}****${number.slice(-4)}`;
}
