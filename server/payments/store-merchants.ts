import type { Queryable } from '../platform/db/types.js';
import type { GuessCounter } from '../platform/throttle.js';
import type { MerchantRole } from './merchant-roles.js';
import type { MerchantRow, MerchantStatus } from './types.js';

/** SQL on merchants, their staff and their sessions. */

export async function insertMerchant(
  q: Queryable,
  row: Omit<MerchantRow, 'decided_at' | 'status_reason'> & { decided_at: Date | null },
): Promise<void> {
  await q.query(
    `INSERT INTO merchants (id, merchant_number, name, mcc, city, status, settlement_account_id, payout_bank_name,
      payout_account_enc, payout_account_last4, contact_phone_enc, created_by, created_at, decided_at, latin_name,
      latin_city)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      row.id,
      row.merchant_number,
      row.name,
      row.mcc,
      row.city,
      row.status,
      row.settlement_account_id,
      row.payout_bank_name,
      row.payout_account_enc,
      row.payout_account_last4,
      row.contact_phone_enc,
      row.created_by,
      row.created_at,
      row.decided_at,
      row.latin_name,
      row.latin_city,
    ],
  );
}

export async function findMerchant(q: Queryable, id: string, forUpdate = false): Promise<MerchantRow | null> {
  const { rows } = await q.query<MerchantRow>(
    `SELECT * FROM merchants WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findMerchants(q: Queryable, ids: readonly string[]): Promise<MerchantRow[]> {
  const { rows } = await q.query<MerchantRow>('SELECT * FROM merchants WHERE id = ANY($1::text[])', [ids]);
  return rows;
}

export async function findMerchantByNumber(q: Queryable, merchantNumber: string): Promise<MerchantRow | null> {
  const { rows } = await q.query<MerchantRow>('SELECT * FROM merchants WHERE merchant_number = $1', [merchantNumber]);
  return rows[0] ?? null;
}

export async function listMerchants(
  q: Queryable,
  filter: { status?: MerchantStatus; after?: string; limit: number },
): Promise<MerchantRow[]> {
  const { rows } = await q.query<MerchantRow>(
    `SELECT * FROM merchants WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id > $2) ORDER BY id
      LIMIT $3`,
    [filter.status ?? null, filter.after ?? null, filter.limit],
  );
  return rows;
}

export async function activeMerchantsWithSettlement(
  q: Queryable,
  after: string | null,
  limit: number,
): Promise<MerchantRow[]> {
  const { rows } = await q.query<MerchantRow>(
    `SELECT * FROM merchants WHERE status IN ('active', 'suspended') AND settlement_account_id IS NOT NULL AND
      ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows;
}

export async function updateMerchantStatus(
  q: Queryable,
  id: string,
  changes: { status: MerchantStatus; settlementAccountId?: string; reason?: string | null; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE merchants SET status = $2, settlement_account_id = COALESCE($3, settlement_account_id), status_reason =
      $4, decided_at = $5 WHERE id = $1`,
    [id, changes.status, changes.settlementAccountId ?? null, changes.reason ?? null, changes.at],
  );
}

export interface StaffRow {
  id: string;
  merchant_id: string;
  phone_hash: string;
  /** Plain name of a row written before names were sealed; null once sealed. */
  name: string | null;
  name_enc: string | null;
  role: MerchantRole;
  password_hash: string;
  active: boolean;
  login_failures: number;
  login_locked_until: Date | null;
  created_at: Date;
}

export async function insertStaff(
  q: Queryable,
  row: Pick<StaffRow, 'id' | 'merchant_id' | 'phone_hash' | 'role' | 'password_hash' | 'created_at'> & {
    name_enc: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO merchant_staff (id, merchant_id, phone_hash, name_enc, role, password_hash, created_at) VALUES ($1,
      $2, $3, $4, $5, $6, $7)`,
    [row.id, row.merchant_id, row.phone_hash, row.name_enc, row.role, row.password_hash, row.created_at],
  );
}

/** Staff rows still holding a plain name (written before names were sealed), a batch at a time. */
export async function staffWithPlainNames(q: Queryable, limit: number): Promise<{ id: string; name: string }[]> {
  const { rows } = await q.query<{ id: string; name: string }>(
    'SELECT id, name FROM merchant_staff WHERE name IS NOT NULL ORDER BY id LIMIT $1',
    [limit],
  );
  return rows;
}

export async function sealStaffName(q: Queryable, id: string, plainName: string, nameEnc: string): Promise<void> {
  await q.query('UPDATE merchant_staff SET name_enc = $3, name = NULL WHERE id = $1 AND name = $2', [
    id,
    plainName,
    nameEnc,
  ]);
}

export async function findStaffByPhoneHash(q: Queryable, phoneHash: string): Promise<StaffRow | null> {
  const { rows } = await q.query<StaffRow>('SELECT * FROM merchant_staff WHERE phone_hash = $1', [phoneHash]);
  return rows[0] ?? null;
}

export async function recordStaffLogin(
  q: Queryable,
  id: string,
  failures: number,
  lockedUntil: Date | null,
): Promise<void> {
  await q.query('UPDATE merchant_staff SET login_failures = $2, login_locked_until = $3 WHERE id = $1', [
    id,
    failures,
    lockedUntil,
  ]);
}

/** A merchant staff login's wrong-password counter, for the throttle's `reserveGuess`. */
export function staffGuessCounter(staffId: string): GuessCounter {
  return {
    async lock(tx) {
      const { rows } = await tx.query<{ login_failures: number; login_locked_until: Date | null }>(
        'SELECT login_failures, login_locked_until FROM merchant_staff WHERE id = $1 FOR UPDATE',
        [staffId],
      );
      return rows[0] ? { failures: rows[0].login_failures, lockedUntil: rows[0].login_locked_until } : null;
    },
    save: (q, state) => recordStaffLogin(q, staffId, state.failures, state.lockedUntil),
  };
}

export async function listStaff(q: Queryable, merchantId: string): Promise<StaffRow[]> {
  const { rows } = await q.query<StaffRow>(
    'SELECT * FROM merchant_staff WHERE merchant_id = $1 ORDER BY id LIMIT 200',
    [merchantId],
  );
  return rows;
}

export interface MerchantSessionRow {
  id: string;
  staff_id: string;
  merchant_id: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  role: MerchantRole;
  staff_active: boolean;
  merchant_status: MerchantStatus;
}

export async function insertSession(
  q: Queryable,
  row: {
    id: string;
    tokenHash: string;
    staffId: string;
    merchantId: string;
    csrfToken: string;
    ip: string;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO merchant_sessions (id, token_hash, staff_id, merchant_id, csrf_token, ip, created_at, last_seen_at,
      expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
    [row.id, row.tokenHash, row.staffId, row.merchantId, row.csrfToken, row.ip, row.now, row.expiresAt],
  );
}

export async function findSessionByTokenHash(q: Queryable, tokenHash: string): Promise<MerchantSessionRow | null> {
  const { rows } = await q.query<MerchantSessionRow>(
    `SELECT s.id, s.staff_id, s.merchant_id, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked_at, st.role,
      st.active AS staff_active, m.status AS merchant_status
     FROM merchant_sessions s JOIN merchant_staff st ON st.id = s.staff_id JOIN merchants m ON m.id = s.merchant_id
      WHERE s.token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function touchSession(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE merchant_sessions SET last_seen_at = $2 WHERE id = $1', [id, at]);
}

export async function revokeSession(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE merchant_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at]);
}

/**
 * Counts a password re-entry attempt before the password is checked (so parallel guesses cannot pass
 * the limit) and locks further attempts when this one reaches `maxFailures`; an expired lock starts
 * the count again. Answers the attempt's number, or null while attempts are locked.
 */
export async function reserveReauthAttempt(
  q: Queryable,
  staffId: string,
  input: { now: Date; maxFailures: number; lockMs: number },
): Promise<{ attempt: number } | null> {
  const { rows } = await q.query<{ reauth_failures: number }>(
    `UPDATE merchant_staff SET
       reauth_failures = CASE WHEN reauth_locked_until <= $2 THEN 1 ELSE reauth_failures + 1 END,
       reauth_locked_until = CASE
         WHEN (CASE WHEN reauth_locked_until <= $2 THEN 1 ELSE reauth_failures + 1 END) >= $3 THEN $4::timestamptz
         ELSE NULL END
     WHERE id = $1 AND (reauth_locked_until IS NULL OR reauth_locked_until <= $2)
     RETURNING reauth_failures`,
    [staffId, input.now, input.maxFailures, new Date(input.now.getTime() + input.lockMs)],
  );
  return rows[0] ? { attempt: rows[0].reauth_failures } : null;
}

/** The right password was given: the count and any lock its own attempt set are cleared. */
export async function clearReauthFailures(q: Queryable, staffId: string): Promise<void> {
  await q.query('UPDATE merchant_staff SET reauth_failures = 0, reauth_locked_until = NULL WHERE id = $1', [staffId]);
}

export async function findReauthLock(
  q: Queryable,
  staffId: string,
): Promise<{ password_hash: string; reauth_locked_until: Date | null } | null> {
  const { rows } = await q.query<{ password_hash: string; reauth_locked_until: Date | null }>(
    'SELECT password_hash, reauth_locked_until FROM merchant_staff WHERE id = $1',
    [staffId],
  );
  return rows[0] ?? null;
}

export async function deactivateStaff(q: Queryable, merchantId: string, staffId: string): Promise<void> {
  await q.query('UPDATE merchant_staff SET active = false WHERE id = $1 AND merchant_id = $2', [staffId, merchantId]);
}
