import type { Application, Dispute, Loan } from '../wallet/credit-api';

/** The console's view of the credit staff API (server/credit routes-staff, `/api/v1/ops/credit/...`). */

export type { Application, Dispute, Loan };

export interface Holder {
  userId: string;
  name: string;
  phone: string;
}

export interface StaffApplication extends Application {
  holder: Holder;
  score: number | null;
  scorecardVersion: string;
  /** The scorecard's inputs as stored with the decision (the server keeps yuan figures for the score). */
  inputs: {
    tier: number | string;
    accountAgeDays: number;
    monthlyIncome?: number;
    monthlyIncomeYuan?: number;
    walletBalance?: number;
    walletBalanceYuan?: number;
    walletActivity?: number;
    debtToIncomePct?: number;
    onTimeRepayments: number;
    lateRepayments: number;
    riskFlags: string[] | number;
    bureau: {
      score: number | null;
      debts: number;
      monthlyDebtPayments: number;
      overdueMonths24: number;
      inquiries3m: number;
      pastDefault: boolean;
    };
  };
  components: { factor: string; value: string; points: number }[];
  reviews: {
    by: string;
    decision: 'approve' | 'decline';
    limit: number | null;
    note: string;
    at: string;
    approvalId: string | null;
  }[];
}

export interface Contact {
  id: string;
  channel: 'phone' | 'sms' | 'in_app' | string;
  note: string;
  by: string;
  at: string;
}

export type StaffLoan = Loan & { holder: Holder; contacts?: Contact[] };

export interface OverdueItem {
  target: 'loan' | 'card';
  id: string;
  holder: Holder;
  overdueDays: number;
  overdueAmount: number;
  dueDate: string;
  reported: boolean;
  contacts: Contact[];
}

export type StaffDispute = Dispute & {
  holder: Holder;
  record: { id: string; accountId: string; month: string; kind: string; amount: number } | null;
};

export interface Scorecard {
  version: string;
  effectiveFrom: string;
  active: boolean;
  rules: unknown;
}

export const OPS_CREDIT = '/api/v1/ops/credit';

export const bp = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${(value / 100).toFixed(2)}%`;
