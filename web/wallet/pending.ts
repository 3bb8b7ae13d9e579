import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';

/** Things waiting for the holder: payments the risk engine held, merchant charges to confirm. */

export interface Held {
  id: string;
  channel: string;
  amount: number | string;
  currency: string;
  payeeDisplay: string;
  status: string;
  expiresAt: string;
  createdAt: string;
  reasons: { code: string; zh: string; en: string }[];
}

export interface PendingPayment {
  id: string;
  merchantName: string | null;
  amount: number | string;
  status: string;
  confirmationId: string | null;
  expiresAt: string;
}

export function useHeld() {
  return useQuery({
    queryKey: ['held'],
    queryFn: () => api.get<{ items: Held[] }>('/api/v1/risk/confirmations'),
    refetchInterval: 30_000,
  });
}

export function usePendingPayments() {
  return useQuery({
    queryKey: ['payments', 'pending'],
    queryFn: () => api.get<{ items: PendingPayment[] }>('/api/v1/payments/pending'),
    refetchInterval: 15_000,
  });
}

export interface IncomingRequest {
  id: string;
  status: string;
  amount: number | string;
  counterparty: { name: string; phone: string };
}

export function useIncomingRequests() {
  return useQuery({
    queryKey: ['requests', 'incoming'],
    queryFn: () => api.get<{ items: IncomingRequest[] }>('/api/v1/transfer-requests?box=incoming&limit=20'),
    refetchInterval: 60_000,
  });
}
