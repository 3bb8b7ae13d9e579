import { useQuery } from '@tanstack/react-query';
import { ApiError, type Problem, idempotencyKey } from '../shared/api';
import i18n from '../shared/i18n';

/**
 * The merchant pages' client. Merchant sessions have their own cookies (`tb_merchant_session`,
 * CSRF in `tb_merchant_csrf`), so a wallet or staff session in the same browser never mixes in.
 */
export function merchantCsrf(): string | undefined {
  const match = /(?:^|;\s*)(?:__Host-)?tb_merchant_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : undefined;
}

export async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN',
  };
  const csrf = merchantCsrf();
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR' });
  }
  if (response.status === 204) return undefined as T;
  const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json')
    ? await response.json().catch(() => null)
    : null;
  if (!response.ok) {
    const problem =
      parsed && typeof parsed === 'object' && 'code' in parsed
        ? (parsed as Problem)
        : { status: response.status, code: response.status >= 500 ? 'INTERNAL_ERROR' : 'MALFORMED_REQUEST' };
    throw new ApiError({ ...problem, status: response.status });
  }
  return parsed as T;
}

export const merchantApi = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown, options?: { idempotencyKey?: string }) =>
    call<T>('POST', path, body, options),
  delete: <T>(path: string) => call<T>('DELETE', path),
  newKey: idempotencyKey,
};

export interface MerchantMe {
  merchant: {
    id: string;
    name: string;
    /** The registered English or pinyin name (tag 59 of its QR codes). */
    latinName: string;
    merchantNumber: string;
    city: string;
    status: string;
    payoutBankName: string;
    payoutAccount: string;
  };
  staffId: string;
  role: string;
  /** What the staff member's role may do (server/payments/merchant-roles.ts). */
  permissions: string[];
  /** How much of one payment a role without `refund.large` may refund, in fen. */
  cashierRefundLimit: number;
  /** The settlement balance, for roles that see payouts only. */
  balance?: number;
  available?: number;
}

/** Whether the signed-in staff member's role has the permission; the page hides what it may not do. */
export const can = (me: MerchantMe, permission: string): boolean => me.permissions.includes(permission);

export function useMerchantMe() {
  return useQuery({
    queryKey: ['merchant', 'me'],
    queryFn: async (): Promise<MerchantMe | null> => {
      try {
        return await merchantApi.get<MerchantMe>('/api/v1/merchant/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 30_000,
  });
}

export interface Payment {
  id: string;
  amount: number;
  currency: string;
  source: string;
  status: string;
  orderReference: string | null;
  note: string | null;
  passwordFree: boolean;
  refundedAmount: number;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
  /** The payer's masked name ("*伟"), in the merchant's lists and details. */
  payerName?: string | null;
}

export interface Qr {
  id: string;
  kind: 'static' | 'dynamic';
  payload: string;
  amount: number | null;
  orderReference: string | null;
  status: string;
  expiresAt: string | null;
  createdAt: string;
}
