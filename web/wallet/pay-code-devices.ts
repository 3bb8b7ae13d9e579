import { ApiError, api, deviceId } from '../shared/api';
import { confirmWithPasskey } from './passkey';
import type { PayCodeSeed } from './pay-code';

/**
 * This device's payment-code seed on the server: minting it (the PIN or a passkey approves it),
 * and my devices that hold one (at most 3; see docs/payments.md).
 */

/** One of my payment-code devices, as GET /api/v1/payment-code/devices lists them. */
export interface PayCodeDevice {
  id: string;
  deviceName: string;
  createdAt: string;
  lastUsedAt: string | null;
  current: boolean;
}

export const listPayCodeDevices = () => api.get<{ items: PayCodeDevice[] }>('/api/v1/payment-code/devices');

/**
 * Whether the stored seed still pays: the server lists it among my devices. Offline (or the
 * server unreachable) the seed is kept, so the code keeps working without a connection.
 */
export async function seedStillListed(seed: PayCodeSeed): Promise<boolean> {
  if (!seed.id) return false;
  try {
    return (await listPayCodeDevices()).items.some((device) => device.id === seed.id);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NETWORK_ERROR') return true;
    throw error;
  }
}

/** Mints this device's seed, approved with the payment PIN. */
export function mintSeedWithPin(pin: string): Promise<PayCodeSeed> {
  // The server names the device from its user agent ("Chrome · Android"), as everywhere else.
  const device = { deviceId: deviceId() };
  return api.post<PayCodeSeed>('/api/v1/payment-code/seed', { ...device, pin });
}

/** Mints this device's seed, approved with a passkey over a confirmation bound to this device. */
export async function mintSeedWithPasskey(): Promise<PayCodeSeed> {
  // The server names the device from its user agent ("Chrome · Android"), as everywhere else.
  const device = { deviceId: deviceId() };
  const path = '/api/v1/payment-code/seed/confirmation';
  const confirmation = await api.post<{ id: string }>(path, { deviceId: device.deviceId });
  await confirmWithPasskey(confirmation.id);
  return api.post<PayCodeSeed>('/api/v1/payment-code/seed', { ...device, confirmationId: confirmation.id });
}
