import type { Queryable } from '../platform/db/types.js';

/**
 * Credentials other domains keep on a holder's devices (payment-code seeds in server/payments)
 * that must end with the holder's sessions. Identity cannot reach those tables, so each domain
 * registers a revoker once at start; identity calls every one of them in the same transaction
 * as the sessions it ends, so no code from an old device outlives a theft report, a password
 * recovery or change, or "sign out other devices".
 */

export type DeviceCredentialRevocation = 'theft' | 'recovery' | 'password_change' | 'sign_out_others' | 'pin_reset';

/** Revokes every such credential of the holder in `q`'s transaction; answers how many it revoked. */
export type DeviceCredentialRevoker = (
  q: Queryable,
  userId: string,
  reason: DeviceCredentialRevocation,
) => Promise<number>;

export function createDeviceCredentials() {
  const revokers: DeviceCredentialRevoker[] = [];
  return {
    register(revoker: DeviceCredentialRevoker): void {
      revokers.push(revoker);
    },

    async revokeAll(q: Queryable, userId: string, reason: DeviceCredentialRevocation): Promise<number> {
      let revoked = 0;
      for (const revoker of revokers) revoked += await revoker(q, userId, reason);
      return revoked;
    },
  };
}

export type DeviceCredentials = ReturnType<typeof createDeviceCredentials>;
