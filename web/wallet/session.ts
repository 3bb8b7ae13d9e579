import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../shared/api';
import { forgetSeed } from './pay-code';

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

const ME_KEY = 'tb_me';

/**
 * The profile, remembered on this device so that offline pages (the payment code) still know who
 * is signed in; the server stays the authority whenever it can be reached.
 */
async function fetchMe(): Promise<Me> {
  try {
    const me = await api.get<Me>('/api/v1/me');
    localStorage.setItem(ME_KEY, JSON.stringify(me));
    return me;
  } catch (error) {
    const cached = localStorage.getItem(ME_KEY);
    if (error instanceof ApiError && error.code === 'NETWORK_ERROR' && cached) return JSON.parse(cached) as Me;
    if (error instanceof ApiError && error.status === 401) localStorage.removeItem(ME_KEY);
    throw error;
  }
}

export const meQuery = { queryKey: ['me'], queryFn: fetchMe } as const;

export function useMe() {
  return useQuery(meQuery);
}

export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    // Nothing of the holder stays on the device (ASVS 8.2.3): the profile and the payment-code seed.
    try {
      const cached = localStorage.getItem(ME_KEY);
      if (cached) forgetSeed((JSON.parse(cached) as Me).id);
    } catch {
      // An unreadable profile names no holder whose seed could be kept.
    }
    localStorage.removeItem(ME_KEY);
    client.clear();
    navigate('/login', { replace: true });
  };
}
