import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem } from './problem-error.js';

/** Who is calling. Domains add their own kinds (wallet users, merchant staff, bank staff). */
export interface Principal {
  kind: 'operator' | 'user' | 'merchant' | 'staff' | 'merchant_api';
  id: string;
  roles?: readonly string[];
  sessionId?: string;
}

export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

export interface RouteAccess {
  method: string;
  url: string;
  auth?: readonly Principal['kind'][];
  roles?: readonly string[];
  /** The named permission the route declares, when its domain keeps a permissions table. */
  permission?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route's method, URL and access rule, as registered (for the authorization matrix test). */
    routeAccess: RouteAccess[];
  }
  interface FastifyContextConfig {
    /** Which principals may call the route; absent means public. */
    auth?: readonly Principal['kind'][];
    /** Roles of which the principal needs at least one (staff routes). */
    roles?: readonly string[];
    /** A permission of the domain's table (merchant routes); the domain maps it to `roles`. */
    permission?: string;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Who is acting with the operator token: a person's or a tool's name, recorded in the audit log. */
export const OPERATOR_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * The operator's bearer token: the internal API used by operators' tools and benchmarks. The
 * token is shared, so every call must also say who is acting (`X-Operator-Id`); that name is the
 * principal's id, lands in the audit log, and tells a movement's maker from its checker.
 */
export function operatorAuthenticator(token: string): Authenticator {
  return async (request) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer op_')) return null;
    if (!sameSecret(header.slice('Bearer '.length), token)) return null;
    const operatorId = request.headers['x-operator-id'];
    if (typeof operatorId !== 'string' || !OPERATOR_ID_PATTERN.test(operatorId))
      throw new Problem('OPERATOR_ID_REQUIRED');
    return { kind: 'operator', id: operatorId };
  };
}

/**
 * Resolves the principal with the first authenticator that recognises the request, then enforces
 * the route's `auth` and `roles` config. Routes stay free of authentication code.
 */
export function registerAuth(app: FastifyInstance, authenticators: Authenticator[]): void {
  app.decorateRequest('principal', null);
  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  app.addHook('onRoute', (route) => {
    const config = route.config as
      { auth?: RouteAccess['auth']; roles?: RouteAccess['roles']; permission?: string } | undefined;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        routeAccess.push({
          method,
          url: route.url,
          auth: config?.auth,
          roles: config?.roles,
          permission: config?.permission,
        });
    }
  });
  app.addHook('onRequest', async (request) => {
    const required = request.routeOptions.config.auth;
    for (const authenticate of authenticators) {
      const principal = await authenticate(request);
      if (principal) {
        request.principal = principal;
        break;
      }
    }
    if (!required) return;
    if (!request.principal) throw new Problem('UNAUTHENTICATED', {}, [], { 'www-authenticate': 'Bearer' });
    if (!required.includes(request.principal.kind)) throw new Problem('FORBIDDEN');
    const roles = request.routeOptions.config.roles;
    if (roles && !roles.some((role) => request.principal?.roles?.includes(role))) throw new Problem('FORBIDDEN');
  });
}
