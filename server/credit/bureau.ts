/**
 * The credit bureau (征信) as credit sees it: a report per person, inquiries recorded, each
 * account's monthly status and negative records reported, corrections after a dispute. The
 * sandbox (bureau-sandbox.ts) keeps its state in this database and is the default; the HTTP
 * adapter (bureau-http.ts) speaks to a real bureau's gateway. A person is their ID number.
 */

export interface BureauDebt {
  lender: string;
  kind: 'loan' | 'card';
  balanceFen: bigint;
  monthlyPaymentFen: bigint;
  openedOn: string;
  overdueMonths24: number;
  defaulted: boolean;
}

export interface BureauAccount {
  accountRef: string;
  lender: string;
  kind: 'loan' | 'card';
  openedOn: string;
  balanceFen: bigint;
  status: 'current' | 'overdue' | 'closed' | 'written_off';
  months: { month: string; status: string }[];
}

export interface BureauRecord {
  id: string;
  accountRef: string;
  month: string;
  kind: 'overdue' | 'write_off';
  amountFen: bigint;
  removed: boolean;
}

export interface BureauReport {
  asOf: Date;
  /** Null: a thin file, too little history to score. */
  score: number | null;
  debts: BureauDebt[];
  accounts: BureauAccount[];
  records: BureauRecord[];
  inquiries: { day: string; inquirer: string; reason: string }[];
}

export type BureauFailure = { code: 'CREDIT_BUREAU_UNAVAILABLE' };

export interface AccountStatusReport {
  accountRef: string;
  idNumber: string;
  kind: 'loan' | 'card';
  openedOn: string;
  balanceFen: bigint;
  status: BureauAccount['status'];
  month: string;
  /** N on time, 1..3 months overdue, C closed, W written off. */
  monthStatus: 'N' | '1' | '2' | '3' | 'C' | 'W';
}

export interface CreditBureau {
  /** A report for a credit decision; records an inquiry. */
  inquire(
    idNumber: string,
    reason: string,
  ): Promise<{ ok: true; value: BureauReport } | { ok: false; error: BureauFailure }>;
  /** The person's own view of their report (no inquiry recorded). */
  ownReport(idNumber: string): Promise<BureauReport | null>;
  /** Each account's status for a month (idempotent per account and month). */
  reportStatus(report: AccountStatusReport): Promise<void>;
  /** A negative record, once per event reference (an installment, a write-off). */
  reportNegative(input: {
    idNumber: string;
    accountRef: string;
    eventRef: string;
    month: string;
    kind: 'overdue' | 'write_off';
    amountFen: bigint;
  }): Promise<void>;
  /** A record found wrong after a dispute: removed from later reports. */
  correct(recordId: string): Promise<boolean>;
}

export const LENDER = '通宝数字银行';

/**
 * The real bureau did not answer a report, a correction or a holder's own report (timeout, no
 * answer, 5xx): nothing was recorded on our side either, so the caller tries again later.
 */
export class BureauUnavailable extends Error {
  constructor(message: string) {
    super(`credit bureau unavailable: ${message}`);
    this.name = 'BureauUnavailable';
  }
}
