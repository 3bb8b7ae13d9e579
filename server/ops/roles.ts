import type { StaffRole } from '../identity/staff.js';

/**
 * Who may do what in the operations console. The routes take their `roles` from this table and
 * the console asks `GET /api/v1/ops/permissions` for the caller's set, so a page or button is
 * shown only when the API would allow it. docs/ops.md explains each line.
 */
export const OPS_PERMISSIONS = {
  'customers.view': ['support', 'kyc_reviewer', 'risk_analyst', 'admin'],
  'customers.reveal': ['kyc_reviewer', 'admin'],
  'customers.freeze': ['support', 'risk_analyst', 'admin'],
  'customers.unfreeze': ['risk_analyst', 'admin'],
  'cases.view': ['support', 'risk_analyst', 'admin'],
  'cases.close': ['risk_analyst', 'admin'],
  'maintenance.view': ['support', 'kyc_reviewer', 'risk_analyst', 'admin'],
  'maintenance.manage': ['admin'],
  'audit.search': ['admin'],
  // The overview's money volumes of the day: the bank's business figures, not for front-line roles.
  'volumes.view': ['risk_analyst', 'admin'],
  // Granted by other domains' staff routes; listed so the console can hide what they refuse.
  'kyc.review': ['kyc_reviewer', 'admin'],
  'risk.alerts': ['risk_analyst', 'admin'],
  'risk.rules': ['admin'],
  'merchants.view': ['support', 'admin'],
  'merchants.manage': ['admin'],
  'wallet.reconciliation': ['admin'],
  'bills.view': ['support', 'admin'],
  'bills.manage': ['admin'],
  'bills.reconciliation': ['admin'],
  'savings.view': ['support', 'risk_analyst', 'admin'],
  // Proposing product and rate changes; a second admin approves them in the approvals queue.
  'savings.products': ['admin'],
  'savings.applications': ['risk_analyst', 'admin'],
  'credit.view': ['support', 'risk_analyst', 'admin'],
  // Deciding referred applications and disputes; above the threshold a second person approves.
  'credit.decide': ['risk_analyst', 'admin'],
  // Collection contacts (never 22:00-08:00).
  'credit.collect': ['support', 'risk_analyst', 'admin'],
  // Asking for a write-off; a second person approves it in the approvals queue.
  'credit.write_off': ['risk_analyst', 'admin'],
  // Customer service (server/support/): the ticket queue, answering, help articles, disputes, claw-backs.
  'support.view': ['support', 'risk_analyst', 'admin'],
  'support.handle': ['support', 'admin'],
  'support.articles': ['support', 'admin'],
  'support.disputes': ['support', 'admin'],
  'support.clawback': ['support', 'risk_analyst', 'admin'],
  // Approving the return of clawed-back money; never the person who asked for it.
  'support.clawback_approve': ['risk_analyst', 'admin'],
  // The approvals inbox; which kinds each role may decide is the approval kind's own rule.
  'approvals.decide': ['kyc_reviewer', 'risk_analyst', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type OpsPermission = keyof typeof OPS_PERMISSIONS;

/** Route config for a permission: staff only, with one of its roles. */
export function may(permission: OpsPermission) {
  return { auth: ['staff'] as const, roles: OPS_PERMISSIONS[permission] as readonly string[] };
}

export function permissionsOf(roles: readonly string[]): OpsPermission[] {
  return (Object.keys(OPS_PERMISSIONS) as OpsPermission[]).filter((permission) =>
    (OPS_PERMISSIONS[permission] as readonly string[]).some((role) => roles.includes(role)),
  );
}

export function allows(roles: readonly string[] | undefined, permission: OpsPermission): boolean {
  return (OPS_PERMISSIONS[permission] as readonly string[]).some((role) => roles?.includes(role) ?? false);
}
