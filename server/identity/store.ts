import type { Queryable } from '../platform/db/types.js';
import type { GuessCounter } from '../platform/throttle.js';

/** SQL on users, devices and login failures. Sessions, codes and confirmations have their own stores. */

export interface UserRow {
  id: string;
  phone_hash: string;
  phone_enc: string;
  id_number_hash: string;
  id_number_enc: string;
  name_enc: string;
  birth_date_enc: string;
  password_hash: string;
  password_changed_at: Date;
  password_reminded_at: Date | null;
  pin_hash: string | null;
  pin_failures: number;
  pin_locked_until: Date | null;
  /** The last reset of a forgotten PIN (a risk signal). */
  pin_reset_at: Date | null;
  totp_secret_enc: string | null;
  totp_enabled: boolean;
  totp_last_step: bigint | null;
  wallet_account_id: string;
  tier: string;
  frozen: boolean;
  frozen_reason: string | null;
  frozen_at: Date | null;
  recovered_at: Date | null;
  login_failures: number;
  login_locked_until: Date | null;
  created_at: Date;
}

export async function insertUser(
  q: Queryable,
  user: Pick<
    UserRow,
    | 'id'
    | 'phone_hash'
    | 'phone_enc'
    | 'id_number_hash'
    | 'id_number_enc'
    | 'name_enc'
    | 'birth_date_enc'
    | 'password_hash'
    | 'wallet_account_id'
    | 'created_at'
  >,
): Promise<void> {
  await q.query(
    `INSERT INTO users (id, phone_hash, phone_enc, id_number_hash, id_number_enc, name_enc, birth_date_enc,
      password_hash, password_changed_at, wallet_account_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)`,
    [
      user.id,
      user.phone_hash,
      user.phone_enc,
      user.id_number_hash,
      user.id_number_enc,
      user.name_enc,
      user.birth_date_enc,
      user.password_hash,
      user.created_at,
      user.wallet_account_id,
    ],
  );
}

export async function findUserById(q: Queryable, id: string, forUpdate = false): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>(`SELECT * FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

/**
 * A payer and a payee in one statement (a payment's two parties): the payee by id, phone hash or
 * wallet account id. Either is null when there is no such user.
 */
export async function findPaymentParties(
  q: Queryable,
  payerId: string,
  payee: { id: string } | { phoneHash: string } | { walletAccountId: string },
): Promise<{ payer: UserRow | null; payee: UserRow | null }> {
  const [column, value]: ['id' | 'phone_hash' | 'wallet_account_id', string] =
    'id' in payee
      ? ['id', payee.id]
      : 'phoneHash' in payee
        ? ['phone_hash', payee.phoneHash]
        : ['wallet_account_id', payee.walletAccountId];
  const { rows } = await q.query<UserRow>(`SELECT * FROM users WHERE id = $1 OR ${column} = $2`, [payerId, value]);
  return {
    payer: rows.find((row) => row.id === payerId) ?? null,
    payee: rows.find((row) => row[column] === value) ?? null,
  };
}

export async function findUserByPhoneHash(q: Queryable, phoneHash: string, forUpdate = false): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>(
    `SELECT * FROM users WHERE phone_hash = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [phoneHash],
  );
  return rows[0] ?? null;
}

export async function userExists(
  q: Queryable,
  phoneHash: string,
  idNumberHash: string,
): Promise<{ phone: boolean; idNumber: boolean }> {
  const { rows } = await q.query<{ phone: boolean; id_number: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM users WHERE phone_hash = $1) AS phone, EXISTS (SELECT 1 FROM users WHERE
      id_number_hash = $2) AS id_number`,
    [phoneHash, idNumberHash],
  );
  return { phone: rows[0].phone, idNumber: rows[0].id_number };
}

type UserChanges = Partial<
  Pick<
    UserRow,
    | 'password_hash'
    | 'password_changed_at'
    | 'password_reminded_at'
    | 'pin_hash'
    | 'pin_reset_at'
    | 'pin_failures'
    | 'pin_locked_until'
    | 'totp_secret_enc'
    | 'totp_enabled'
    | 'totp_last_step'
    | 'frozen'
    | 'frozen_reason'
    | 'frozen_at'
    | 'recovered_at'
    | 'login_failures'
    | 'login_locked_until'
    | 'tier'
  >
>;

const USER_COLUMNS = new Set([
  'password_hash',
  'password_changed_at',
  'password_reminded_at',
  'pin_hash',
  'pin_reset_at',
  'pin_failures',
  'pin_locked_until',
  'totp_secret_enc',
  'totp_enabled',
  'totp_last_step',
  'frozen',
  'frozen_reason',
  'frozen_at',
  'recovered_at',
  'login_failures',
  'login_locked_until',
  'tier',
]);

export async function updateUser(q: Queryable, id: string, changes: UserChanges): Promise<void> {
  const entries = Object.entries(changes).filter(([column]) => USER_COLUMNS.has(column));
  if (entries.length === 0) return;
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`).join(', ');
  await q.query(`UPDATE users SET ${sets} WHERE id = $1`, [id, ...entries.map(([, value]) => value)]);
}

/** The holder's wrong-password counter (shared by sign-in, password change and first PIN), for `reserveGuess`. */
export function passwordGuessCounter(userId: string): GuessCounter {
  return {
    async lock(tx) {
      const { rows } = await tx.query<{ login_failures: number; login_locked_until: Date | null }>(
        'SELECT login_failures, login_locked_until FROM users WHERE id = $1 FOR UPDATE',
        [userId],
      );
      return rows[0] ? { failures: rows[0].login_failures, lockedUntil: rows[0].login_locked_until } : null;
    },
    save: (q, state) =>
      updateUser(q, userId, { login_failures: state.failures, login_locked_until: state.lockedUntil }),
  };
}

export async function recordLoginFailure(q: Queryable, subjectHash: string, ip: string, at: Date): Promise<void> {
  await q.query('INSERT INTO login_failures (subject_hash, ip, at) VALUES ($1, $2, $3)', [subjectHash, ip, at]);
}

export async function countLoginFailures(
  q: Queryable,
  since: Date,
  by: { subjectHash?: string; ip?: string },
): Promise<number> {
  const { rows } = await q.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM login_failures WHERE at > $1 AND ($2::text IS NULL OR subject_hash = $2) AND ($3::text
      IS NULL OR ip = $3)`,
    [since, by.subjectHash ?? null, by.ip ?? null],
  );
  return Number(rows[0].n);
}

export interface DeviceRow {
  id: string;
  user_id: string;
  device_hash: string;
  label: string;
  first_seen_at: Date;
  last_seen_at: Date;
}

export async function findDevice(q: Queryable, userId: string, deviceHash: string): Promise<DeviceRow | null> {
  const { rows } = await q.query<DeviceRow>('SELECT * FROM devices WHERE user_id = $1 AND device_hash = $2', [
    userId,
    deviceHash,
  ]);
  return rows[0] ?? null;
}

export async function upsertDevice(q: Queryable, device: DeviceRow): Promise<DeviceRow> {
  const { rows } = await q.query<DeviceRow>(
    `INSERT INTO devices (id, user_id, device_hash, label, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id, device_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, label = EXCLUDED.label
      RETURNING *`,
    [device.id, device.user_id, device.device_hash, device.label, device.first_seen_at, device.last_seen_at],
  );
  return rows[0];
}

export async function listDevices(q: Queryable, userId: string): Promise<DeviceRow[]> {
  const { rows } = await q.query<DeviceRow>(
    'SELECT * FROM devices WHERE user_id = $1 ORDER BY last_seen_at DESC LIMIT 50',
    [userId],
  );
  return rows;
}

export async function usersDueForPasswordReminder(
  q: Queryable,
  changedBefore: Date,
  remindedBefore: Date,
  limit: number,
): Promise<UserRow[]> {
  const { rows } = await q.query<UserRow>(
    `SELECT * FROM users WHERE password_changed_at < $1 AND (password_reminded_at IS NULL OR password_reminded_at <
      $2) ORDER BY id LIMIT $3`,
    [changedBefore, remindedBefore, limit],
  );
  return rows;
}

/** Up to two holders who own this phone or this ID number (by keyed hash), in id order. */
export async function findHoldersByPhoneOrIdNumber(
  q: Queryable,
  phoneHash: string,
  idNumberHash: string,
): Promise<{ id: string; phone_enc: string }[]> {
  const { rows } = await q.query<{ id: string; phone_enc: string }>(
    'SELECT id, phone_enc FROM users WHERE phone_hash = $1 OR id_number_hash = $2 ORDER BY id LIMIT 2',
    [phoneHash, idNumberHash],
  );
  return rows;
}

export async function findUserIdByIdNumberHash(q: Queryable, idNumberHash: string): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM users WHERE id_number_hash = $1', [idNumberHash]);
  return rows[0]?.id ?? null;
}

/**
 * The holder's freeze, latest recovery and password change after registration, and when this
 * device (by hash) was first seen; null when there is no such holder.
 */
export async function findRiskSignals(
  q: Queryable,
  userId: string,
  deviceHash: string | null,
): Promise<{
  frozen: boolean;
  recovered_at: Date | null;
  password_changed_at: Date | null;
  pin_reset_at: Date | null;
  device_first_seen_at: Date | null;
} | null> {
  const { rows } = await q.query<{
    frozen: boolean;
    recovered_at: Date | null;
    password_changed_at: Date | null;
    pin_reset_at: Date | null;
    device_first_seen_at: Date | null;
  }>(
    `SELECT u.frozen, u.recovered_at, u.pin_reset_at,
            CASE WHEN u.password_changed_at > u.created_at THEN u.password_changed_at END AS password_changed_at,
            (SELECT d.first_seen_at FROM devices d WHERE d.user_id = u.id AND d.device_hash = $2)
              AS device_first_seen_at
     FROM users u WHERE u.id = $1`,
    [userId, deviceHash],
  );
  return rows[0] ?? null;
}
