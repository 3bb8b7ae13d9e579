import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../shared/api';

export interface Balance {
  balance: number | string;
  available: number | string;
  currency: string;
}

/** The wallet's balance and available balance (balance minus pending debits), in fen. */
export function useBalance() {
  return useQuery({
    queryKey: ['balance'],
    queryFn: async (): Promise<Balance | null> => {
      try {
        return await api.get<Balance>('/api/v1/wallet');
      } catch (error) {
        // Until the wallet API lands the balance is simply unknown.
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}
