import type { LimitName } from './types.js';

/** The ledger's expected failures. Each maps to one HTTP problem in the ledger's table (problems.ts). */
export type LedgerError =
  | { code: 'ACCOUNT_NOT_FOUND'; accountId: string }
  | { code: 'CURRENCY_MISMATCH'; accountId: string; expected: string; actual: string }
  | { code: 'INSUFFICIENT_FUNDS'; accountId: string; availableFen: bigint; requiredFen: bigint }
  | { code: 'ACCOUNT_FROZEN'; accountId: string }
  | {
      code: 'LIMIT_EXCEEDED';
      accountId: string;
      limit: LimitName;
      limitFen: bigint;
      usedFen: bigint;
      remainingFen: bigint;
    }
  | { code: 'SAME_ACCOUNT'; accountId: string }
  | { code: 'INVALID_AMOUNT'; amountFen: bigint }
  | { code: 'HOLD_NOT_FOUND'; holdId: string }
  | { code: 'HOLD_ALREADY_RESOLVED'; holdId: string; status: string }
  | { code: 'HOLD_EXPIRED'; holdId: string }
  | { code: 'HOLD_NOT_EXPIRED'; holdId: string }
  | { code: 'AMOUNT_EXCEEDS_HOLD'; holdId: string; holdAmountFen: bigint }
  | { code: 'ENTRY_NOT_FOUND'; entryId: string }
  | { code: 'ENTRY_ALREADY_REVERSED'; entryId: string }
  | { code: 'REFERENCE_CONFLICT'; reference: string };

export type LedgerErrorCode = LedgerError['code'];
