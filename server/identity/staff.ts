import { generateSecret, generateURI } from 'otplib';
import type { Queryable } from '../platform/db/types.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type GuessCounter, reserveGuess } from '../platform/throttle.js';
import { type IdentityContext, type RequestContext, dummySecretHash, hashSecret, verifySecret } from './deps.js';
import { checkPassword } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import { checkTotp } from './totp.js';

/** Bank staff: separate from customers, with roles; signing in needs password and TOTP. */

export const STAFF_ROLES = ['support', 'kyc_reviewer', 'risk_analyst', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

interface StaffRow {
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

export type StaffError =
  | { code: 'INVALID_PHONE' }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'PHONE_TAKEN' }
  | { code: 'INVALID_CREDENTIALS' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number };

export async function staffRoles(q: Queryable, staffId: string): Promise<string[] | null> {
  const { rows } = await q.query<{ roles: string[]; active: boolean }>(
    'SELECT roles, active FROM staff WHERE id = $1',
    [staffId],
  );
  return rows[0]?.active ? rows[0].roles : null;
}

export const STAFF_FAILURES_PER_IP_PER_15_MIN = 50;

export function createStaff(ctx: IdentityContext) {
  const staffGuessCounter = (staffId: string): GuessCounter => ({
    async lock(tx) {
      const { rows } = await tx.query<{ login_failures: number; login_locked_until: Date | null }>(
        'SELECT login_failures, login_locked_until FROM staff WHERE id = $1 FOR UPDATE',
        [staffId],
      );
      return rows[0] ? { failures: rows[0].login_failures, lockedUntil: rows[0].login_locked_until } : null;
    },
    async save(q, state) {
      await q.query('UPDATE staff SET login_failures = $2, login_locked_until = $3 WHERE id = $1', [
        staffId,
        state.failures,
        state.lockedUntil,
      ]);
    },
  });

  return {
    async create(input: {
      phone: string;
      name: string;
      password: string;
      roles: StaffRole[];
    }): Promise<Result<{ id: string; totpSecret: string; totpUri: string }, StaffError>> {
      const phone = normalizeMobile(input.phone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const weak = checkPassword(input.password, { phone });
      if (weak) return err(weak);
      const now = ctx.clock.now();
      const id = newId('stf', now.getTime());
      const totpSecret = generateSecret();
      try {
        await ctx.db.query(
          `INSERT INTO staff (id, phone_hash, phone_enc, name_enc, password_hash, totp_secret_enc, roles, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            ctx.cipher.lookupHash(`staff:${phone}`),
            ctx.cipher.encrypt(phone),
            ctx.cipher.encrypt(input.name),
            await hashSecret(input.password),
            ctx.cipher.encrypt(totpSecret),
            input.roles,
            now,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'PHONE_TAKEN' });
        throw error;
      }
      await ctx.audit.record(ctx.db, {
        actorKind: 'operator',
        actorId: 'cli',
        action: 'staff.created',
        subjectType: 'staff',
        subjectId: id,
        details: { roles: input.roles },
      });
      return ok({
        id,
        totpSecret,
        totpUri: generateURI({ issuer: '通宝 Tongbao Ops', label: id, secret: totpSecret }),
      });
    },

    async login(
      input: { phone: string; password: string; totpCode: string },
      request: RequestContext,
    ): Promise<
      Result<
        {
          staffId: string;
          roles: string[];
          session: { id: string; token: string; csrfToken: string; expiresAt: Date };
        },
        StaffError
      >
    > {
      const now = ctx.clock.now();
      const failuresFromAddress = {
        scope: 'staff-login-failures:ip',
        key: request.ip,
        limit: STAFF_FAILURES_PER_IP_PER_15_MIN,
        windowMs: 15 * 60_000,
      };
      const allowed = await ctx.throttle.check([failuresFromAddress]);
      if (!allowed.ok) return allowed;
      const phone = normalizeMobile(input.phone) ?? input.phone.slice(0, 32);
      const { rows } = await ctx.db.query<StaffRow>('SELECT * FROM staff WHERE phone_hash = $1', [
        ctx.cipher.lookupHash(`staff:${phone}`),
      ]);
      const staff = rows[0];
      // Counted before it is checked, under the row lock: parallel guesses cannot outrun the lock.
      if (staff) {
        const reserved = await reserveGuess(ctx.db, now, staffGuessCounter(staff.id));
        if (!reserved.ok) return reserved;
      }
      // An unknown phone is checked against a dummy hash: the same argon2 work, the same answer.
      const passwordOk =
        (await verifySecret(staff?.password_hash ?? (await dummySecretHash()), input.password.slice(0, 256))) &&
        staff !== undefined;
      const step =
        staff && passwordOk
          ? await checkTotp(ctx.cipher.decrypt(staff.totp_secret_enc), input.totpCode, now, staff.totp_last_step)
          : null;
      if (!staff || !staff.active || step === null) {
        await ctx.throttle.take([failuresFromAddress]);
        await ctx.audit.record(ctx.db, {
          actorKind: 'system',
          actorId: 'staff-login',
          action: 'staff.sign_in_failed',
          subjectType: 'staff',
          subjectId: staff?.id,
          ip: request.ip,
          requestId: request.requestId,
        });
        return err({ code: 'INVALID_CREDENTIALS' });
      }
      await ctx.db.query(
        'UPDATE staff SET login_failures = 0, login_locked_until = NULL, totp_last_step = $2 WHERE id = $1',
        [staff.id, step],
      );
      const session = await ctx.sessions.start('staff', staff.id, {
        deviceId: null,
        ip: request.ip,
        userAgent: request.userAgent,
      });
      await ctx.audit.record(ctx.db, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'staff.signed_in',
        subjectType: 'session',
        subjectId: session.id,
        ip: request.ip,
        requestId: request.requestId,
      });
      return ok({ staffId: staff.id, roles: staff.roles, session });
    },

    async profile(staffId: string): Promise<{ id: string; name: string; roles: string[] } | null> {
      const { rows } = await ctx.db.query<StaffRow>('SELECT * FROM staff WHERE id = $1 AND active', [staffId]);
      return rows[0] ? { id: rows[0].id, name: ctx.cipher.decrypt(rows[0].name_enc), roles: rows[0].roles } : null;
    },
  };
}

export type Staff = ReturnType<typeof createStaff>;
