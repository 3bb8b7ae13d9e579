/**
 * The bill network adapter (the collection network that reaches water, electricity, gas, telecom
 * and property billers): bill inquiry for a biller account number (户号), payment of a bill or a
 * prepaid amount, a status query for a payment whose answer never came, and each biller's daily
 * settlement file. A sandbox implements it (network-sandbox.ts, its state in the database); the
 * real network implements the same interface over HTTP (network-http.ts).
 */

export interface NetworkBill {
  /** The biller's id of the bill; paying names it. */
  billRef: string;
  /** The month billed, YYYY-MM. */
  period: string;
  amountFen: bigint;
  /** The late fee so far, as the biller computes it today. */
  lateFeeFen: bigint;
  issuedAt: Date;
  /** YYYY-MM-DD, an Asia/Shanghai day. */
  dueDate: string;
}

export type InquiryAnswer =
  | {
      status: 'found';
      holderName: string;
      address: string;
      /** Outstanding bills, oldest first (postpaid); empty when nothing is due. */
      bills: NetworkBill[];
      /** Prepaid meters: what is left on the meter. */
      prepaidBalanceFen: bigint | null;
    }
  | { status: 'unknown_account' }
  | { status: 'unavailable' };

export type PayFailure =
  'PAID_ELSEWHERE' | 'BILLER_DECLINED' | 'BILLER_UNAVAILABLE' | 'AMOUNT_MISMATCH' | 'UNKNOWN_ACCOUNT' | 'NOT_RECEIVED';

/** What the network answered; `processing` means it will say later (confirmation or status query). */
export type PayOutcome =
  | { status: 'succeeded'; networkRef: string }
  | { status: 'failed'; reason: PayFailure; networkRef?: string }
  | { status: 'processing'; networkRef?: string };

export type StatusAnswer = PayOutcome | { status: 'not_found' };

export interface PayRequest {
  /** Our payment id: the network is idempotent on it. */
  requestId: string;
  billerId: string;
  accountNumber: string;
  /** The bill paid; null for a prepaid top-up. */
  billRef: string | null;
  amountFen: bigint;
}

export interface SettlementLine {
  requestId: string;
  billRef: string | null;
  amountFen: bigint;
  networkRef: string;
  completedAt: Date;
}

/** A biller's own confirmation of a payment, pushed after the answer (late, sometimes twice). */
export interface BillConfirmation {
  requestId: string;
  status: 'succeeded' | 'failed';
  reason?: PayFailure;
  networkRef: string;
  amountFen: bigint;
}

/** The network did not answer in time: the request may or may not have been carried out. */
export class BillNetworkTimeout extends Error {
  constructor(readonly requestId: string) {
    super(`bill network timed out on ${requestId}`);
    this.name = 'BillNetworkTimeout';
  }
}

export interface BillNetwork {
  /** May throw BillNetworkTimeout. */
  inquire(request: { billerId: string; accountNumber: string }): Promise<InquiryAnswer>;
  /** Idempotent on requestId. May throw BillNetworkTimeout: the outcome is then unknown. */
  pay(request: PayRequest): Promise<PayOutcome>;
  query(requestId: string): Promise<StatusAnswer>;
  /** Succeeded payments a biller completed on an Asia/Shanghai day. */
  settlementFile(billerId: string, day: string): Promise<SettlementLine[]>;
}
