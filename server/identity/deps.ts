import { hash, verify } from '@node-rs/argon2';
import type { AuditLog } from '../audit/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { AccountLimits } from '../ledger/types.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import type { Throttle } from '../platform/throttle.js';
import type { DeviceCredentials } from './device-credentials.js';
import type { Sessions } from './sessions.js';
import type { SmsCodes } from './sms-codes.js';

/** What every part of identity works with, built once in app.ts. */
export interface IdentityContext {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  notifications: NotificationService;
  audit: AuditLog;
  smsCodes: SmsCodes;
  sessions: Sessions;
  /** Other domains' device-bound credentials, revoked with the holder's sessions. */
  deviceCredentials: DeviceCredentials;
  throttle: Throttle;
}

/** Where the request came from, for throttles, devices and the audit log. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  requestId: string;
  /** A stable id the client keeps per device (web: localStorage), hashed before storing. */
  deviceId?: string;
}

/**
 * The lowest verification tier (like a Class III account): balance ≤ ¥2,000, outgoing ≤ ¥2,000
 * a day and ≤ ¥50,000 a year. Real-name verification raises them through the ledger's setLimits.
 */
export const BASIC_TIER_LIMITS: AccountLimits = { balanceCapFen: 200_000n, dailyFen: 200_000n, yearlyFen: 5_000_000n };

// argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends.
export const hashSecret = (secret: string) => hash(secret);
export const verifySecret = async (hashed: string, secret: string) => {
  try {
    return await verify(hashed, secret);
  } catch {
    return false;
  }
};

// A real argon2id hash of a random secret: a guess against an unknown phone is verified against
// it, so it costs the same work as a guess against a known one.
let dummyHash: Promise<string> | null = null;
export const dummySecretHash = () => (dummyHash ??= hashSecret(`dummy-${Math.random()}`));
