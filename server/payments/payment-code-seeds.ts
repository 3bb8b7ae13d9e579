import { randomBytes } from 'node:crypto';
import type { Operation } from '../confirmations/service.js';
import type { DeviceCredentialRevocation } from '../identity/device-credentials.js';
import { randomDigits, sha256Hex } from '../platform/crypto.js';
import { type Queryable, isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { PAYMENT_CODE_PREFIX, PAYMENT_CODE_STEP_SECONDS, type PaymentCodeSeed } from './payment-code.js';
import * as store from './store-payment-codes.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import type { PaymentsDeps } from './deps.js';
import type { PaymentError } from './types.js';

/**
 * Minting, listing and removing the holder's payment-code devices. A seed pays offline (up to
 * the password-free allowance without a PIN), so minting one is approved like a payment: with
 * the payment PIN, or with a confirmation (PIN or passkey) bound to this seed and this device.
 * At most MAX_PAYMENT_CODE_DEVICES seeds live per holder; a new one revokes the oldest. Theft
 * reports, password recovery and change and "sign out other devices" revoke them all (through
 * identity's device-credential revokers, in the transaction that ends the sessions).
 */

export const MAX_PAYMENT_CODE_DEVICES = 3;
const SEED_ID_PREFIX = 'pcs';
const SEED_NUMBER_ATTEMPTS = 5;

/** How the holder approves a new seed: the PIN at once, or a confirmation approved by PIN or passkey. */
export type SeedApproval = { pin: string } | { confirmationId: string };

export interface PaymentCodeDevice {
  id: string;
  deviceName: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** The device the request came from (its X-Device-Id). */
  current: boolean;
}

const deviceHashOf = (deviceId: string) => sha256Hex(`payment-code-device:${deviceId}`);

/** What a seed confirmation approves: this seed id, on this device, moving no money. */
const seedOperation = (seedId: string, deviceHash: string): Operation => ({
  reference: seedId,
  amountFen: 0n,
  currency: 'CNY',
  payee: `payment-code-device:${deviceHash}`,
});

interface NewSeed {
  userId: string;
  seedId: string;
  device: { hash: string; name: string };
  approval: SeedApproval;
  secret: Buffer;
}

export function createPaymentCodeSeeds(deps: PaymentsDeps) {
  const { db, clock, cipher, identity } = deps;

  /** Spends the confirmation (if any), replaces the device's seed, inserts, and applies the cap: one transaction. */
  async function insertWithCap(seed: NewSeed, seedNumber: string): Promise<Result<string, PaymentError>> {
    const { userId, seedId, device, approval } = seed;
    return inTransaction(db, async (tx, rollback: RollbackWith<PaymentError>) => {
      const now = clock.now();
      await store.lockHolderSeeds(tx, userId);
      if ('confirmationId' in approval) {
        const operation = seedOperation(seedId, device.hash);
        const spent = await identity.confirmations.consume(tx, userId, approval.confirmationId, operation);
        if (!spent.ok) return rollback(spent.error);
      }
      await store.revokeDeviceSeed(tx, userId, device.hash, now);
      const secretEnc = cipher.encrypt(seed.secret.toString('base64url'));
      await store.insertSeed(tx, {
        id: seedId,
        userId,
        deviceHash: device.hash,
        deviceName: device.name,
        seedNumber,
        secretEnc,
        createdAt: now,
      });
      const capped = await store.revokeSeedsBeyond(tx, userId, MAX_PAYMENT_CODE_DEVICES, now);
      await deps.audit.record(tx, {
        actorKind: 'user',
        actorId: userId,
        action: 'payment_code.seed_minted',
        subjectType: 'payment_code_seed',
        subjectId: seedId,
        details: { method: 'pin' in approval ? 'pin' : 'confirmation', revokedOldest: capped },
      });
      return seedNumber;
    });
  }

  /** Draws a seed number free among live seeds (a unique index decides), a few times at most. */
  async function save(seed: NewSeed): Promise<Result<string, PaymentError>> {
    for (let attempt = 0; attempt < SEED_NUMBER_ATTEMPTS; attempt++) {
      try {
        return await insertWithCap(seed, randomDigits(8));
      } catch (error) {
        if (!isUniqueViolation(error, 'payment_code_seeds_number_idx')) throw error;
      }
    }
    throw new Error(`could not draw a free seed number in ${SEED_NUMBER_ATTEMPTS} attempts`);
  }

  /** The new seed's id once the approval holds: fresh for a PIN, the confirmation's reference otherwise. */
  async function approvedSeedId(userId: string, approval: SeedApproval): Promise<Result<string, PaymentError>> {
    if ('pin' in approval) {
      // A wrong PIN here counts toward the same lockout as payments.
      const checked = await identity.pin.verify(userId, approval.pin);
      return checked.ok ? ok(newId(SEED_ID_PREFIX, clock.now().getTime())) : checked;
    }
    const confirmation = await identity.confirmations.get(userId, approval.confirmationId);
    if (!confirmation) return err({ code: 'CONFIRMATION_NOT_FOUND' });
    if (!confirmation.reference.startsWith(`${SEED_ID_PREFIX}_`)) return err({ code: 'CONFIRMATION_INVALID' });
    return ok(confirmation.reference);
  }

  return {
    /** A confirmation to approve a seed for this device with a passkey (or the PIN) before minting it. */
    async prepare(userId: string, deviceId: string) {
      const seedId = newId(SEED_ID_PREFIX, clock.now().getTime());
      return identity.confirmations.create(userId, seedOperation(seedId, deviceHashOf(deviceId)));
    },

    /**
     * A new secret for one of the holder's devices, once approved; the device's previous seed and,
     * past the cap, the oldest other device's stop working.
     */
    async mint(
      userId: string,
      input: { deviceId: string; deviceName: string },
      approval: SeedApproval | null,
    ): Promise<Result<PaymentCodeSeed & { id: string }, PaymentError>> {
      if (!approval) return err({ code: 'PAYMENT_CODE_AUTH_REQUIRED' });
      const seedId = await approvedSeedId(userId, approval);
      if (!seedId.ok) return seedId;
      const secret = randomBytes(32);
      const device = { hash: deviceHashOf(input.deviceId), name: input.deviceName };
      const saved = await save({ userId, seedId: seedId.value, device, approval, secret });
      if (!saved.ok) return saved;
      await identity.notifyHolder(userId, {
        kind: 'security.payment_code_device_added',
        titleZh: '付款码已在新设备开启',
        titleEn: 'Payment code turned on',
        bodyZh: `付款码已在设备“${input.deviceName}”上开启。如非本人操作，请立即在安全中心移除该设备并冻结账户。`,
        bodyEn:
          `The payment code was turned on on "${input.deviceName}". ` +
          'If this was not you, remove the device in the security centre and freeze your wallet now.',
        data: { seedId: seedId.value },
      });
      return ok({
        id: seedId.value,
        seedNumber: saved.value,
        secret: secret.toString('base64url'),
        prefix: PAYMENT_CODE_PREFIX,
        stepSeconds: PAYMENT_CODE_STEP_SECONDS,
        digits: 18,
        algorithm: 'HMAC-SHA256',
      });
    },

    /** The holder's payment-code devices in use, newest first. */
    async list(userId: string, currentDeviceId?: string): Promise<PaymentCodeDevice[]> {
      const current = currentDeviceId ? deviceHashOf(currentDeviceId) : null;
      const rows = await store.liveSeedDevices(db, userId, MAX_PAYMENT_CODE_DEVICES);
      return rows.map((row) => ({
        id: row.id,
        deviceName: row.device_name,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        current: row.device_hash === current,
      }));
    },

    /** Removes one of the holder's own devices: its codes are refused from now on. */
    async remove(
      userId: string,
      seedId: string,
      request: { ip?: string; requestId?: string },
    ): Promise<Result<true, PaymentError>> {
      const removed = await inTransaction(db, async (tx, rollback: RollbackWith<PaymentError>) => {
        const row = await store.revokeOwnSeed(tx, userId, seedId, clock.now());
        if (!row) return rollback({ code: 'PAYMENT_CODE_DEVICE_NOT_FOUND' });
        await deps.audit.record(tx, {
          actorKind: 'user',
          actorId: userId,
          action: 'payment_code.device_removed',
          subjectType: 'payment_code_seed',
          subjectId: seedId,
          ip: request.ip,
          requestId: request.requestId,
        });
        return row;
      });
      return removed.ok ? ok(true) : removed;
    },

    /** Identity's revoker: every seed of the holder, in the caller's transaction. */
    revokeAll: (q: Queryable, userId: string, reason: DeviceCredentialRevocation) =>
      store.revokeAllSeeds(q, userId, reason, clock.now()),
  };
}

export type PaymentCodeSeeds = ReturnType<typeof createPaymentCodeSeeds>;
