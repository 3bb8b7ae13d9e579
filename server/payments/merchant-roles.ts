import type { FastifyInstance } from 'fastify';

/**
 * What each merchant staff role may do: the one table every `/api/v1/merchant/...` route is
 * checked against. A route declares the permission it needs with `merchantAccess(permission)`;
 * `guardMerchantRoutes` refuses to start an app with a merchant route that declares none, so a
 * new route cannot forget it. Rules that depend on the request (a refund's amount, how far back a
 * list goes) ask `may()` in the service.
 */

export const MERCHANT_ROLES = ['owner', 'manager', 'cashier'] as const;
export type MerchantRole = (typeof MERCHANT_ROLES)[number];

/**
 * A cashier may refund a payment only while its refunds, this one included, stay at or under this
 * amount (¥50): the cap is per payment, so splitting a larger refund into small ones does not pass it.
 */
export const CASHIER_REFUND_LIMIT_FEN = 5_000n;

const EVERY_ROLE: readonly MerchantRole[] = MERCHANT_ROLES;
const OWNER_OR_MANAGER: readonly MerchantRole[] = ['owner', 'manager'];
const OWNER: readonly MerchantRole[] = ['owner'];

/** Permission → the roles that have it. Keep docs/payments.md's table in step with this one. */
const TABLE = {
  /** Own session and merchant: who am I, sign out. */
  session: EVERY_ROLE,
  /** Issue and show static and dynamic QR codes at the counter. */
  'qr.issue': EVERY_ROLE,
  /** Charge a customer's payment code. */
  charge: EVERY_ROLE,
  /** Today's (Asia/Shanghai) payments, their refunds, today's takings and the live stream. */
  'payments.today': EVERY_ROLE,
  /** Payments of earlier days. */
  'payments.history': OWNER_OR_MANAGER,
  /** Refund a payment, up to CASHIER_REFUND_LIMIT_FEN per payment. */
  refund: EVERY_ROLE,
  /** Refund past CASHIER_REFUND_LIMIT_FEN. */
  'refund.large': OWNER_OR_MANAGER,
  /** Answer a dispute of our payments with our account of it and evidence files (docs/support.md). */
  disputes: OWNER_OR_MANAGER,
  /** Reports and the CSV export. */
  reports: OWNER_OR_MANAGER,
  /** Payouts to the merchant's bank account. */
  payouts: OWNER_OR_MANAGER,
  /** Staff logins of the merchant: list, add, deactivate. */
  'staff.manage': OWNER,
  /** API-level settings (API keys and webhooks, when they come). */
  settings: OWNER,
} as const satisfies Record<string, readonly MerchantRole[]>;

export type MerchantPermission = keyof typeof TABLE;
export const MERCHANT_PERMISSIONS = Object.keys(TABLE) as MerchantPermission[];

export function isMerchantRole(value: unknown): value is MerchantRole {
  return typeof value === 'string' && (MERCHANT_ROLES as readonly string[]).includes(value);
}

/** Whether a staff member of this role has the permission. Unknown roles have none. */
export function may(role: string, permission: MerchantPermission): boolean {
  return isMerchantRole(role) && (TABLE[permission] as readonly MerchantRole[]).includes(role);
}

/** The roles that have a permission. */
export const rolesThatMay = (permission: MerchantPermission): MerchantRole[] =>
  MERCHANT_ROLES.filter((role) => may(role, permission));

/** Every permission a role has (the merchant pages show only what these allow). */
export const permissionsOf = (role: string): MerchantPermission[] =>
  MERCHANT_PERMISSIONS.filter((permission) => may(role, permission));

/**
 * The route option of a merchant route: signed-in merchant staff whose role has the permission.
 * The platform's auth hook refuses other roles with 403 FORBIDDEN before the body is read.
 */
export function merchantAccess(permission: MerchantPermission) {
  return { auth: ['merchant'] as const, roles: rolesThatMay(permission), permission };
}

const MERCHANT_PREFIX = '/api/v1/merchant/';

/**
 * Registers a check on every route the app adds from here on: a route under `/api/v1/merchant/`
 * that requires sign-in must declare a merchant permission, and its roles must be the table's.
 * A route that does not stops the app from starting.
 */
export function guardMerchantRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(MERCHANT_PREFIX)) return;
    const config = (route.config ?? {}) as { auth?: readonly string[]; roles?: readonly string[]; permission?: string };
    if (!config.auth) return; // Public on purpose (sign-in); the authorization matrix lists those.
    const where = `${[route.method].flat().join(',')} ${route.url}`;
    if (!config.permission || !(MERCHANT_PERMISSIONS as string[]).includes(config.permission)) {
      throw new Error(`merchant route ${where} declares no merchant permission: use merchantAccess()`);
    }
    const expected = rolesThatMay(config.permission as MerchantPermission);
    if (config.auth.join() !== 'merchant' || config.roles?.join() !== expected.join()) {
      const fix = `merchantAccess('${config.permission}')`;
      throw new Error(`merchant route ${where} must take its auth and roles from ${fix}`);
    }
  });
}
