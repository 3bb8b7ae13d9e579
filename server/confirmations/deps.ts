import type { AuditLog } from '../audit/service.js';
import type { Pin } from '../identity/pin.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Queryable } from '../platform/db/types.js';

/** What operation confirmations are built from; identity lends its payment-PIN check. */
export interface ConfirmationsDeps {
  db: Db;
  clock: Clock;
  /** The payment PIN check, run with the confirmation locked in its transaction. */
  pin: Pick<Pin, 'attempt' | 'currentHash'>;
}

/** The part of a risk assessment a step-up reads and writes (risk lends it through its store functions). */
export interface StepUpAssessment {
  id: string;
  user_id: string;
  outcome: string;
  amount: bigint;
  payee_display: string;
  step_up_verified_at: Date | null;
  step_up_code_hash: string | null;
  step_up_code_expires_at: Date | null;
  step_up_code_attempts: number;
}

type StepUpChanges = Partial<
  Pick<
    StepUpAssessment,
    'step_up_verified_at' | 'step_up_code_hash' | 'step_up_code_expires_at' | 'step_up_code_attempts'
  >
>;

/** What step-ups are built from; the risk engine owns the assessments they are bound to. */
export interface StepUpDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'record'>;
  /** Texts the holder's registered phone. */
  textHolder: (userId: string, text: string, purpose: string) => Promise<boolean>;
  /** HMAC key for step-up SMS code hashes, so a stored hash does not give the 6-digit code away. */
  stepUpCodeKey: Buffer;
  assessments: {
    find: (q: Queryable, id: string, forUpdate?: boolean) => Promise<StepUpAssessment | null>;
    update: (q: Queryable, id: string, changes: StepUpChanges) => Promise<void>;
  };
}
