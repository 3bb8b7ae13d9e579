import { generateSecret, generateURI } from 'otplib';
import type { Queryable } from '../platform/db/types.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type GuessCounter, reserveGuess } from '../platform/throttle.js';
import { type IdentityContext, type RequestContext, dummySecretHash, hashSecret, verifySecret } from './deps.js';
import { checkPassword } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import * as store from './store-staff.js';
import { checkTotp } from './totp.js';

/** Bank staff: separate from customers, with roles; signing in needs password and TOTP. */

export const STAFF_ROLES = ['support', 'kyc_reviewer', 'risk_analyst', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type StaffError =
  | { code: 'INVALID_PHONE' }
  | { code: 'PASSWORD_TOO_WEAK'; reason: string }
  | { code: 'PHONE_TAKEN' }
  | { code: 'INVALID_CREDENTIALS' }
  | { code: 'ACCOUNT_LOCKED'; retryAfterSeconds: number }
  | { code: 'RATE_LIMITED'; retryAfterSeconds: number };

export async function staffRoles(q: Queryable, staffId: string): Promise<string[] | null> {
  const found = await store.findStaffRoles(q, staffId);
  return found?.active ? found.roles : null;
}

export const STAFF_FAILURES_PER_IP_PER_15_MIN = 50;

export function createStaff(ctx: IdentityContext) {
  const staffGuessCounter = (staffId: string): GuessCounter => ({
    lock: (tx) => store.lockStaffFailures(tx, staffId),
    save: (q, state) => store.saveStaffFailures(q, staffId, state),
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
        await store.insertStaff(ctx.db, {
          id,
          phoneHash: ctx.cipher.lookupHash(`staff:${phone}`),
          phoneEnc: ctx.cipher.encrypt(phone),
          nameEnc: ctx.cipher.encrypt(input.name),
          passwordHash: await hashSecret(input.password),
          totpSecretEnc: ctx.cipher.encrypt(totpSecret),
          roles: input.roles,
          createdAt: now,
        });
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
      const staff = (await store.findStaffByPhoneHash(ctx.db, ctx.cipher.lookupHash(`staff:${phone}`))) ?? undefined;
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
      await store.recordStaffSignIn(ctx.db, staff.id, step);
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

    /** The id of the staff login with this phone (the demo seed finds its agents by it); null when none. */
    async idByPhone(phone: string): Promise<string | null> {
      const normal = normalizeMobile(phone);
      if (!normal) return null;
      return (await store.findStaffByPhoneHash(ctx.db, ctx.cipher.lookupHash(`staff:${normal}`)))?.id ?? null;
    },

    /** How many staff with one of these roles have used the console within the last `withinMs`. */
    countSeenWithin(roles: readonly StaffRole[], withinMs: number): Promise<number> {
      const now = ctx.clock.now();
      return store.countStaffSeenSince(ctx.db, roles, new Date(now.getTime() - withinMs), now);
    },

    /** Every staff member's name by id, for the console to name who acted (audit log, claims, approvals). */
    async directory(): Promise<{ id: string; name: string; active: boolean }[]> {
      const rows = await store.listStaffNames(ctx.db);
      return rows.map((row) => ({ id: row.id, name: ctx.cipher.decrypt(row.name_enc), active: row.active }));
    },

    async profile(staffId: string): Promise<{ id: string; name: string; roles: string[] } | null> {
      const staff = await store.findActiveStaff(ctx.db, staffId);
      return staff ? { id: staff.id, name: ctx.cipher.decrypt(staff.name_enc), roles: staff.roles } : null;
    },
  };
}

export type Staff = ReturnType<typeof createStaff>;
