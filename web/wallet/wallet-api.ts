import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../shared/api';

/** Shapes of the wallet API (server/wallet/routes.ts): cards, card orders, history. */

export interface Card {
  id: string;
  bankCode: string;
  bankName: string;
  bankNameEn: string;
  cardType: string;
  masked: string;
  last4: string;
  nickname: string | null;
  isDefault: boolean;
  status: string;
  createdAt: string;
}

export interface Order {
  id: string;
  kind: 'topup' | 'withdraw' | string;
  status: 'awaiting_confirmation' | 'processing' | 'succeeded' | 'failed' | 'expired' | string;
  amount: number | string;
  currency: string;
  cardId: string;
  counterparty: string;
  arrival: string | null;
  failureReason: string | null;
  networkRef: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface HistoryItem {
  id: string;
  type: string;
  direction: 'in' | 'out' | string;
  amount: number | string;
  currency: string;
  counterparty: string | null;
  status: string;
  time: string;
  reference: string;
  /** The numeric transaction number (交易号) shown and copied instead of internal ids. */
  transactionNo: string;
  note: string | null;
}

export type PaymentMethod =
  { kind: 'balance' } | { kind: 'card'; bankName: string; bankNameEn: string; cardType: string; last4: string };

export interface HistoryDetail extends HistoryItem {
  entryId: string | null;
  order: Order | null;
  method: PaymentMethod;
}

export function useCards() {
  return useQuery({ queryKey: ['cards'], queryFn: () => api.get<{ items: Card[] }>('/api/v1/wallet/cards') });
}

export function cardLabel(card: Card, english: boolean): string {
  return (
    `${english ? card.bankNameEn : card.bankName} ` +
    `${card.cardType === 'credit' ? (english ? 'Credit' : '信用卡') : english ? 'Debit' : '储蓄卡'} (${card.last4})`
  );
}

/**
 * Confirms a prepared movement with the payment PIN (identity's dynamically linked confirmation).
 * Already confirmed (a retry after a step-up) counts as done.
 */
export async function confirmWithPin(confirmationId: string, pin: string): Promise<void> {
  const id = encodeURIComponent(confirmationId);
  try {
    await api.post(`/api/v1/confirmations/${id}/pin`, { pin });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'CONFIRMATION_INVALID')) throw error;
    const current = await api.get<{ status: string }>(`/api/v1/confirmations/${id}`);
    if (current.status !== 'confirmed') throw error;
  }
}
