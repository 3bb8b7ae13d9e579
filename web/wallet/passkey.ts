import { ApiError, api, deviceId } from '../shared/api';

/**
 * Passkeys (WebAuthn with user verification: the phone's fingerprint, face or screen lock) for
 * signing in and for approving payments. The browser library loads only when a passkey is used.
 */

export function passkeySupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

/** The person cancelled the system prompt (or it timed out): not an error worth a red banner. */
export function passkeyCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
}

async function browser() {
  return import('@simplewebauthn/browser');
}

export async function signInWithPasskey(phone?: string): Promise<void> {
  const { startAuthentication } = await browser();
  // biome-ignore lint/suspicious/noExplicitAny: the server answers the WebAuthn options JSON as is.
  const optionsJSON = await api.post<any>('/api/v1/auth/passkey/options', phone ? { phone } : {});
  const response = await startAuthentication({ optionsJSON });
  await api.post('/api/v1/auth/passkey/login', { response, deviceId: deviceId() });
}

export async function addPasskey(password: string, name: string): Promise<void> {
  const { startRegistration } = await browser();
  // biome-ignore lint/suspicious/noExplicitAny: the server answers the WebAuthn options JSON as is.
  const optionsJSON = await api.post<any>('/api/v1/me/passkeys/registration-options', { password });
  const response = await startRegistration({ optionsJSON });
  await api.post('/api/v1/me/passkeys', { name, response });
}

/** Approves a prepared movement with a passkey: the challenge is bound to its amount and payee. */
export async function confirmWithPasskey(confirmationId: string): Promise<void> {
  const { startAuthentication } = await browser();
  const id = encodeURIComponent(confirmationId);
  // biome-ignore lint/suspicious/noExplicitAny: the server answers the WebAuthn options JSON as is.
  const optionsJSON = await api.post<any>(`/api/v1/confirmations/${id}/passkey/options`);
  const response = await startAuthentication({ optionsJSON });
  await api.post(`/api/v1/confirmations/${id}/passkey`, { response });
}

export { ApiError };
