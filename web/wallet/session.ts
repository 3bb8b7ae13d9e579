import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../shared/api';

/** The signed-in holder, as GET /api/v1/me describes them (already masked by the server). */
export interface Me {
  id: string;
  phone: string;
  name: string;
  idNumber: string;
  tier: string;
  walletAccountId: string;
  frozen: boolean;
  pinSet: boolean;
  totpEnabled: boolean;
  createdAt: string;
}

export const meQuery = { queryKey: ['me'], queryFn: () => api.get<Me>('/api/v1/me') } as const;

export function useMe() {
  return useQuery(meQuery);
}

export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    client.clear();
    navigate('/login', { replace: true });
  };
}
