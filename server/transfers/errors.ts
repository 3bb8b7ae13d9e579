import type { ConfirmationError } from '../confirmations/service.js';
import type { LedgerError } from '../ledger/errors.js';
import type { RiskRefusal } from '../risk/port.js';

/** The transfers domain's expected failures, shared by the service, the poster and the routes. */
export type TransferError =
  | { code: 'PAYEE_NOT_FOUND' }
  | { code: 'SELF_TRANSFER' }
  | { code: 'PAYEE_LOOKUP_LIMITED'; retryAfterSeconds: number }
  | { code: 'TRANSFER_NOT_FOUND' }
  | { code: 'TRANSFER_NOT_PENDING'; status: string }
  | (RiskRefusal & { transferId: string; confirmationId: string })
  | { code: 'TRANSFER_REQUEST_NOT_FOUND' }
  | { code: 'TRANSFER_REQUEST_NOT_PENDING'; status: string }
  | LedgerError
  | ConfirmationError;
