/** The funding API's shapes (server/funding/routes.ts). */

export interface ReceivingAccount {
  accountNumber: string;
  holderName: string;
  bankNameZh: string;
  bankNameEn: string;
  branchZh: string;
  branchEn: string;
}

export interface IncomingTransfer {
  id: string;
  payerBank: string;
  payerAccount: string;
  amount: number;
  currency: string;
  status: 'credited' | 'returning' | 'returned';
  returnReason: string | null;
  receivedAt: string;
}

export interface OnlineBank {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface OnlineBankingOrder {
  id: string;
  bankCode: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  redirectUrl: string | null;
  failureReason: string | null;
}

/** `6236 8812 3456 7890 123`: groups of four, as the number is read out and typed at another bank. */
export const groupDigits = (number: string) => number.replace(/(\d{4})(?=\d)/g, '$1 ');
