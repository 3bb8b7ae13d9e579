import { api } from '../shared/api';

/** Agreement payments (签约代扣) as the wallet sees them (server/merchant-api/routes-mandates.ts). */

export type MandateStatus = 'pending' | 'active' | 'revoked' | 'cancelled' | 'expired';

export interface MandateForSigning {
  id: string;
  mode: 'live' | 'test';
  merchantName: string;
  merchantNumber: string;
  description: string;
  capPerCharge: number;
  capPerMonth: number;
  currency: string;
  status: MandateStatus;
  returnUrl: string | null;
  requestExpiresAt: string;
}

export interface MandateCharge {
  id: string;
  amount: number;
  currency: string;
  description: string;
  paymentId: string | null;
  createdAt: string;
}

export interface MyMandate {
  id: string;
  merchantName: string;
  merchantNumber: string;
  description: string;
  capPerCharge: number;
  capPerMonth: number;
  usedThisMonth: number;
  status: MandateStatus;
  signedAt: string | null;
  endedAt: string | null;
  charges: MandateCharge[];
}

export const mandateForSigning = (id: string) =>
  api.get<MandateForSigning>(`/api/v1/checkout/mandates/${encodeURIComponent(id)}`);

export const myMandates = () => api.get<{ items: MyMandate[] }>('/api/v1/me/mandates');

export const revokeMandate = (id: string) => api.post(`/api/v1/me/mandates/${encodeURIComponent(id)}/revoke`, {});
