/**
 * The payment code (付款码), computed on the device like the server does (server/payments/
 * payment-code.ts): step = floor(unix s / 60); mac = HMAC-SHA256(secret, step as 8-byte
 * big-endian); dynamic truncation to 8 digits; code = prefix + seed number + otp. The seed is kept
 * on this device, so the code works offline once loaded.
 */

export interface PayCodeSeed {
  /** The seed's id on the server (absent in seeds stored before devices were listed: those are stale). */
  id?: string;
  seedNumber: string;
  secret: string;
  prefix: string;
  stepSeconds: number;
  digits: number;
}

const STORAGE_PREFIX = 'tb_paycode_seed:';

export function loadSeed(userId: string): PayCodeSeed | null {
  try {
    const text = localStorage.getItem(STORAGE_PREFIX + userId);
    return text ? (JSON.parse(text) as PayCodeSeed) : null;
  } catch {
    return null;
  }
}

export function saveSeed(userId: string, seed: PayCodeSeed): void {
  localStorage.setItem(STORAGE_PREFIX + userId, JSON.stringify(seed));
}

export function forgetSeed(userId: string): void {
  localStorage.removeItem(STORAGE_PREFIX + userId);
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function stepAt(seed: PayCodeSeed, nowMs: number): number {
  return Math.floor(nowMs / 1000 / seed.stepSeconds);
}

export async function codeAt(seed: PayCodeSeed, step: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    base64UrlToBytes(seed.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const message = new DataView(new ArrayBuffer(8));
  message.setBigUint64(0, BigInt(step));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[31] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  const otpDigits = seed.digits - seed.prefix.length - seed.seedNumber.length;
  const otp = String(binary % 10 ** otpDigits).padStart(otpDigits, '0');
  return `${seed.prefix}${seed.seedNumber}${otp}`;
}
