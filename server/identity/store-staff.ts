import type { Queryable } from '../platform/db/types.js';

/** SQL on staff: bank staff with roles, their password, TOTP secret and sign-in failures. */

export interface StaffRow {
  id: string;
  phone_hash: string;
  name_enc: string;
  password_hash: string;
  totp_secret_enc: string;
  totp_last_step: bigint | null;
  roles: string[];
  active: boolean;
  login_failures: number;
  login_locked_until: Date | null;
}

/**
 * How many active staff holding one of `roles` used the console since `since`: a session of theirs
 * neither revoked nor expired at `now` was last seen then or later.
 */
export async function countStaffSeenSince(q: Queryable, roles: readonly string[], since: Date, now: Date) {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(DISTINCT s.id)::text AS n
       FROM staff s
       JOIN sessions x ON x.principal_kind = 'staff' AND x.principal_id = s.id
      WHERE s.active AND s.roles && $1::text[]
        AND x.revoked_at IS NULL AND x.expires_at > $3 AND x.last_seen_at >= $2`,
    [[...roles], since, now],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function findStaffRoles(
  q: Queryable,
  staffId: string,
): Promise<{ roles: string[]; active: boolean } | null> {
  const { rows } = await q.query<{ roles: string[]; active: boolean }>(
    'SELECT roles, active FROM staff WHERE id = $1',
    [staffId],
  );
  return rows[0] ?? null;
}

/** The staff member's failure count and lock, their row locked for the rest of the transaction. */
export async function lockStaffFailures(
  q: Queryable,
  staffId: string,
): Promise<{ failures: number; lockedUntil: Date | null } | null> {
  const { rows } = await q.query<{ login_failures: number; login_locked_until: Date | null }>(
    'SELECT login_failures, login_locked_until FROM staff WHERE id = $1 FOR UPDATE',
    [staffId],
  );
  return rows[0] ? { failures: rows[0].login_failures, lockedUntil: rows[0].login_locked_until } : null;
}

export async function saveStaffFailures(
  q: Queryable,
  staffId: string,
  state: { failures: number; lockedUntil: Date | null },
): Promise<void> {
  await q.query('UPDATE staff SET login_failures = $2, login_locked_until = $3 WHERE id = $1', [
    staffId,
    state.failures,
    state.lockedUntil,
  ]);
}

/** Throws a unique violation when the phone is taken. */
export async function insertStaff(
  q: Queryable,
  staff: {
    id: string;
    phoneHash: string;
    phoneEnc: string;
    nameEnc: string;
    passwordHash: string;
    totpSecretEnc: string;
    roles: readonly string[];
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO staff (id, phone_hash, phone_enc, name_enc, password_hash, totp_secret_enc, roles, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      staff.id,
      staff.phoneHash,
      staff.phoneEnc,
      staff.nameEnc,
      staff.passwordHash,
      staff.totpSecretEnc,
      staff.roles,
      staff.createdAt,
    ],
  );
}

export async function findStaffByPhoneHash(q: Queryable, phoneHash: string): Promise<StaffRow | null> {
  const { rows } = await q.query<StaffRow>('SELECT * FROM staff WHERE phone_hash = $1', [phoneHash]);
  return rows[0] ?? null;
}

/** Every staff login, active or not (people who acted stay named in the audit log), by id. */
export async function listStaffNames(q: Queryable): Promise<{ id: string; name_enc: string; active: boolean }[]> {
  const { rows } = await q.query<{ id: string; name_enc: string; active: boolean }>(
    'SELECT id, name_enc, active FROM staff ORDER BY id',
  );
  return rows;
}

export async function findActiveStaff(q: Queryable, staffId: string): Promise<StaffRow | null> {
  const { rows } = await q.query<StaffRow>('SELECT * FROM staff WHERE id = $1 AND active', [staffId]);
  return rows[0] ?? null;
}

/** A successful sign-in: failures cleared, the TOTP step used recorded against replay. */
export async function recordStaffSignIn(q: Queryable, staffId: string, totpStep: number): Promise<void> {
  await q.query('UPDATE staff SET login_failures = 0, login_locked_until = NULL, totp_last_step = $2 WHERE id = $1', [
    staffId,
    totpStep,
  ]);
}
