import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';

export interface Balance {
  accountId: string;
  currency: string;
  balance: number | string;
  available: number | string;
  pending: number | string;
  frozen: boolean;
}

/** The wallet's balance and available balance (balance minus pending debits), in fen. */
export function useBalance() {
  return useQuery({ queryKey: ['balance'], queryFn: () => api.get<Balance>('/api/v1/wallet/balance') });
}
