import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashSecret, verifySecret } from '../identity/deps.js';
import { normalizeMobile } from '../identity/phone.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import type { Authenticator, Principal } from '../platform/http/auth.js';
import { WEB_COOKIES, webCookies } from '../platform/http/cookies.js';
import { Problem } from '../platform/http/problem-error.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { guessRight, reserveGuess } from '../platform/throttle.js';
import type { Merchants } from './merchants.js';
import * as store from './store-merchants.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantActor, PaymentError } from './types.js';

/**
 * Merchant staff sessions, apart from wallet holders' and bank staff's: opaque 256-bit tokens
 * (`mss_…`) stored as SHA-256 hashes; the web gets an httpOnly cookie read only on
 * `/api/v1/merchant/` routes plus a CSRF token to echo in `X-CSRF-Token` on writes; API clients
 * send `Authorization: Bearer mss_…`. Idle 30 minutes, absolute 12 hours.
 */

/** Bare cookie names (development); over HTTPS they carry `__Host-` (platform/http/cookies.ts). */
export const MERCHANT_COOKIE = WEB_COOKIES.merchant.session;
export const MERCHANT_CSRF_COOKIE = WEB_COOKIES.merchant.csrf;
const TOKEN_PREFIX = 'mss_';
const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 12 * 3600_000;
const TOUCH_EVERY_MS = 60_000;
export const MERCHANT_FAILURES_PER_IP_PER_15_MIN = 50;

const actors = new WeakMap<FastifyRequest, MerchantActor>();
// An unknown phone is checked against this hash, so a sign-in takes as long whether the login exists or not.
let dummyHash: Promise<string> | null = null;

/** The merchant a signed-in merchant request acts for; routes with `auth: ['merchant']` always have one. */
export function merchantActor(request: FastifyRequest): MerchantActor {
  const actor = actors.get(request);
  if (!actor) throw new Problem('UNAUTHENTICATED');
  return actor;
}

export function createMerchantAuth(deps: PaymentsDeps & { merchants: Merchants; secureCookies: boolean }) {
  const { db, clock } = deps;
  const cookies = webCookies('merchant', deps.secureCookies);

  const authenticator: Authenticator = async (request): Promise<Principal | null> => {
    const header = request.headers.authorization;
    let token: string | undefined;
    let viaCookie = false;
    if (header?.startsWith(`Bearer ${TOKEN_PREFIX}`)) token = header.slice('Bearer '.length);
    else if (request.url.startsWith('/api/v1/merchant/')) {
      token = request.cookies?.[cookies.session];
      viaCookie = token !== undefined;
    }
    if (!token || token.length > 100) return null;
    const now = clock.now();
    const session = await store.findSessionByTokenHash(db, sha256Hex(token));
    if (
      !session ||
      session.revoked_at ||
      session.expires_at <= now ||
      session.last_seen_at.getTime() + IDLE_MS <= now.getTime()
    )
      return null;
    if (!session.staff_active || !['active', 'suspended'].includes(session.merchant_status)) return null;
    if (
      viaCookie &&
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method) &&
      request.headers['x-csrf-token'] !== session.csrf_token
    )
      throw new Problem('CSRF_FAILED');
    if (now.getTime() - session.last_seen_at.getTime() > TOUCH_EVERY_MS) await store.touchSession(db, session.id, now);
    actors.set(request, { staffId: session.staff_id, merchantId: session.merchant_id, role: session.role });
    return { kind: 'merchant', id: session.staff_id, roles: [session.role], sessionId: session.id };
  };

  return {
    authenticator,

    /** Signs a merchant staff member in; refused while the merchant is pending or rejected. */
    async login(
      input: { phone: string; password: string },
      context: { ip: string; requestId: string },
    ): Promise<
      Result<{ staffId: string; merchantId: string; token: string; csrfToken: string; expiresAt: Date }, PaymentError>
    > {
      const now = clock.now();
      const failuresFromAddress = {
        scope: 'merchant-login-failures:ip',
        key: context.ip,
        limit: MERCHANT_FAILURES_PER_IP_PER_15_MIN,
        windowMs: 15 * 60_000,
      };
      const allowed = await deps.identity.throttle.check([failuresFromAddress]);
      if (!allowed.ok) return allowed;
      const phone = normalizeMobile(input.phone);
      const staff = phone ? await store.findStaffByPhoneHash(db, deps.merchants.staffPhoneHash(phone)) : null;
      // Counted before it is checked, under the row lock: parallel guesses cannot outrun the lock.
      if (staff) {
        const reserved = await reserveGuess(db, now, store.staffGuessCounter(staff.id));
        if (!reserved.ok) return reserved;
      }
      dummyHash ??= hashSecret('tongbao-merchant-no-such-login');
      const passwordOk = await verifySecret(
        staff?.password_hash ?? (await dummyHash),
        input.password.slice(0, 256),
      ).then((same) => same && staff !== null);
      const merchant = staff && passwordOk ? await store.findMerchant(db, staff.merchant_id) : null;
      if (!staff || !passwordOk || !staff.active || !merchant || !['active', 'suspended'].includes(merchant.status)) {
        if (!passwordOk) await deps.identity.throttle.take([failuresFromAddress]);
        // A right password for a login that may not sign in (inactive, merchant pending) is not a guess.
        else if (staff) await guessRight(db, store.staffGuessCounter(staff.id));
        return err({ code: 'INVALID_CREDENTIALS' });
      }
      await guessRight(db, store.staffGuessCounter(staff.id));
      const token = `${TOKEN_PREFIX}${randomToken(32)}`;
      const csrfToken = randomToken(24);
      const expiresAt = new Date(now.getTime() + ABSOLUTE_MS);
      const id = newId('mss', now.getTime());
      await store.insertSession(db, {
        id,
        tokenHash: sha256Hex(token),
        staffId: staff.id,
        merchantId: staff.merchant_id,
        csrfToken,
        ip: context.ip,
        now,
        expiresAt,
      });
      await deps.audit.record(db, {
        actorKind: 'system',
        actorId: 'merchant-login',
        action: 'merchant.staff_signed_in',
        subjectType: 'merchant',
        subjectId: staff.merchant_id,
        ip: context.ip,
        requestId: context.requestId,
        details: { staffId: staff.id },
      });
      return ok({ staffId: staff.id, merchantId: staff.merchant_id, token, csrfToken, expiresAt });
    },

    logout: (sessionId: string) => store.revokeSession(db, sessionId, clock.now()),

    setCookies(reply: FastifyReply, session: { token: string; csrfToken: string }) {
      const options = { ...cookies.attributes, maxAge: Math.floor(ABSOLUTE_MS / 1000) };
      reply.setCookie(cookies.session, session.token, { ...options, httpOnly: true });
      reply.setCookie(cookies.csrf, session.csrfToken, { ...options, httpOnly: false });
    },

    clearCookies(reply: FastifyReply) {
      reply.clearCookie(cookies.session, cookies.attributes);
      reply.clearCookie(cookies.csrf, cookies.attributes);
    },
  };
}

export type MerchantAuth = ReturnType<typeof createMerchantAuth>;
