import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import type { Authenticator, Principal } from '../platform/http/auth.js';
import { WEB_COOKIES, webCookies } from '../platform/http/cookies.js';
import { Problem } from '../platform/http/problem-error.js';
import * as store from './store-sessions.js';

/**
 * Sessions: opaque 256-bit tokens, stored only as SHA-256 hashes. Web clients get an httpOnly
 * SameSite=Lax cookie plus a CSRF token they must echo in `X-CSRF-Token` on writes; API clients
 * send `Authorization: Bearer <token>` and need no CSRF token. Idle and absolute timeouts.
 */

export interface SessionSettings {
  idleMs: number;
  absoluteMs: number;
  secureCookies: boolean;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3600_000,
  secureCookies: false,
};

/** Bare cookie names (development); over HTTPS they carry `__Host-` (platform/http/cookies.ts). */
export const COOKIE = {
  user: WEB_COOKIES.wallet.session,
  staff: WEB_COOKIES.staff.session,
  csrf: WEB_COOKIES.wallet.csrf,
  staffCsrf: WEB_COOKIES.staff.csrf,
} as const;
const APP_OF = { user: 'wallet', staff: 'staff' } as const;
const TOKEN_PREFIX = { user: 'ses_', staff: 'sts_' } as const;
// Sliding idle timeout: last use is written at most once a minute, not on every request.
const TOUCH_EVERY_MS = 60_000;

export interface SessionView {
  id: string;
  deviceId: string | null;
  ip: string;
  userAgent: string;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

export function createSessions(deps: {
  db: Queryable;
  clock: Clock;
  settings: SessionSettings;
  staffRoles: (staffId: string) => Promise<string[] | null>;
}) {
  const { db, clock, settings } = deps;

  async function start(
    kind: 'user' | 'staff',
    principalId: string,
    context: { deviceId: string | null; ip: string; userAgent: string },
  ) {
    const now = clock.now();
    const token = `${TOKEN_PREFIX[kind]}${randomToken(32)}`;
    const csrfToken = randomToken(24);
    const id = newId('sess', now.getTime());
    await store.insertSession(db, {
      id,
      token_hash: sha256Hex(token),
      principal_kind: kind,
      principal_id: principalId,
      device_id: context.deviceId,
      csrf_token: csrfToken,
      ip: context.ip,
      user_agent: context.userAgent.slice(0, 300),
      created_at: now,
      expires_at: new Date(now.getTime() + settings.absoluteMs),
    });
    return { id, token, csrfToken, expiresAt: new Date(now.getTime() + settings.absoluteMs) };
  }

  /** Sets the session cookies on a web response. */
  // Wallet holders and staff each have their own session and CSRF cookie.
  const cookies = {
    user: webCookies(APP_OF.user, settings.secureCookies),
    staff: webCookies(APP_OF.staff, settings.secureCookies),
  };

  function setCookies(reply: FastifyReply, kind: 'user' | 'staff', session: { token: string; csrfToken: string }) {
    const { session: sessionCookie, csrf, attributes } = cookies[kind];
    const options = { ...attributes, maxAge: Math.floor(settings.absoluteMs / 1000) };
    reply.setCookie(sessionCookie, session.token, { ...options, httpOnly: true });
    reply.setCookie(csrf, session.csrfToken, { ...options, httpOnly: false });
  }

  function clearCookies(reply: FastifyReply, kind: 'user' | 'staff') {
    const { session: sessionCookie, csrf, attributes } = cookies[kind];
    reply.clearCookie(sessionCookie, attributes);
    reply.clearCookie(csrf, attributes);
  }

  const authenticator: Authenticator = async (request: FastifyRequest): Promise<Principal | null> => {
    const header = request.headers.authorization;
    let token: string | undefined;
    let viaCookie = false;
    if (header?.startsWith('Bearer ses_') || header?.startsWith('Bearer sts_')) token = header.slice('Bearer '.length);
    else {
      // A staff route reads the staff cookie; every other route the customer cookie.
      const staffRoute = request.url.startsWith('/api/v1/staff/') || request.url.startsWith('/api/v1/ops/');
      token = request.cookies?.[cookies[staffRoute ? 'staff' : 'user'].session];
      viaCookie = token !== undefined;
    }
    if (!token || token.length > 100) return null;
    const now = clock.now();
    const session = await store.findSessionByTokenHash(db, sha256Hex(token));
    if (
      !session ||
      session.revoked_at ||
      session.expires_at <= now ||
      session.last_seen_at.getTime() + settings.idleMs <= now.getTime()
    )
      return null;
    if (
      viaCookie &&
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method) &&
      request.headers['x-csrf-token'] !== session.csrf_token
    ) {
      throw new Problem('CSRF_FAILED');
    }
    if (now.getTime() - session.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await store.touchSession(db, session.id, now);
    }
    if (session.principal_kind === 'staff') {
      const roles = await deps.staffRoles(session.principal_id);
      if (!roles) return null;
      return { kind: 'staff', id: session.principal_id, roles, sessionId: session.id };
    }
    return { kind: 'user', id: session.principal_id, sessionId: session.id };
  };

  return {
    start,
    setCookies,
    clearCookies,
    authenticator,

    async list(kind: 'user' | 'staff', principalId: string, currentSessionId?: string): Promise<SessionView[]> {
      const now = clock.now();
      const rows = await store.listLiveSessions(db, kind, principalId, now, new Date(now.getTime() - settings.idleMs));
      return rows.map((row) => ({
        id: row.id,
        deviceId: row.device_id,
        ip: row.ip,
        userAgent: row.user_agent,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        current: row.id === currentSessionId,
      }));
    },

    /** Revokes one of the principal's own sessions; another principal's id is simply not found. */
    async revoke(kind: 'user' | 'staff', principalId: string, sessionId: string): Promise<boolean> {
      return store.revokeSession(db, kind, principalId, sessionId, clock.now());
    },

    async revokeAll(
      q: Queryable,
      kind: 'user' | 'staff',
      principalId: string,
      exceptSessionId?: string,
    ): Promise<number> {
      return store.revokeAllSessions(q, kind, principalId, exceptSessionId ?? null, clock.now());
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
