import { randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { maskName, maskPhone } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import type { ConfirmationError, ConfirmationView, Confirmations } from '../confirmations/service.js';
import { type IdentityContext, type RequestContext, verifySecret } from './deps.js';
import { MAX_IP_FAILURES_PER_15_MIN } from './login.js';
import * as passkeyStore from './store-passkeys.js';
import type { PasskeyRow } from './store-passkeys.js';
import { normalizeMobile } from './phone.js';
import * as store from './store.js';

/**
 * Passkeys (WebAuthn level 3 through @simplewebauthn/server): several per holder, for signing in
 * and for confirming payments. User verification is always required (a biometric or device PIN,
 * so one passkey is two factors); the signature counter must grow; every challenge is random,
 * single-use and short-lived, except a payment confirmation's, which is the confirmation's own
 * challenge so the assertion approves exactly that amount, payee and reference.
 */

export interface WebAuthnSettings {
  rpId: string;
  rpName: string;
  /** The origins the browser may report (the public URL's origin). */
  origins: string[];
}

export function webAuthnSettingsFrom(publicUrl: string): WebAuthnSettings {
  const url = new URL(publicUrl);
  return { rpId: url.hostname, rpName: '通宝 Tongbao', origins: [url.origin] };
}

export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_PASSKEYS_PER_USER = 10;
export const MAX_SIGN_IN_OPTIONS_PER_IP_15_MIN = 60;
const ES256 = -7;
const RS256 = -257;

export type PasskeyError =
  | { code: 'PASSKEY_INVALID'; reason: string }
  | { code: 'PASSKEY_CHALLENGE_INVALID' }
  | { code: 'PASSKEY_NOT_FOUND' }
  | { code: 'PASSKEY_LIMIT_REACHED' }
  | { code: 'PASSWORD_INVALID' }
  | { code: 'RATE_LIMITED' };

export interface PasskeyView {
  id: string;
  name: string;
  deviceType: string;
  backedUp: boolean;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

const view = (row: PasskeyRow): PasskeyView => ({
  id: row.id,
  name: row.name,
  deviceType: row.device_type,
  backedUp: row.backed_up,
  transports: row.transports,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** Why a response was refused, from the verifier's message; only for the problem's `reason`. */
function refusal(error: unknown): { code: 'PASSKEY_INVALID'; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (/user verification/i.test(message)) return { code: 'PASSKEY_INVALID', reason: 'user_verification' };
  if (/origin/i.test(message)) return { code: 'PASSKEY_INVALID', reason: 'origin' };
  if (/rp ?id/i.test(message)) return { code: 'PASSKEY_INVALID', reason: 'rp_id' };
  if (/not present/i.test(message)) return { code: 'PASSKEY_INVALID', reason: 'user_presence' };
  if (/signature/i.test(message)) return { code: 'PASSKEY_INVALID', reason: 'signature' };
  return { code: 'PASSKEY_INVALID', reason: 'malformed' };
}

function challengeOf(clientDataJSON: string): string | null {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof challenge === 'string' && challenge.length <= 200 ? challenge : null;
  } catch {
    return null;
  }
}

const newChallenge = (): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(32));
const userHandle = (userId: string) => isoBase64URL.fromUTF8String(userId);

export function createPasskeys(
  ctx: IdentityContext,
  deps: {
    settings: WebAuthnSettings;
    confirmations: Confirmations;
    signIn: (
      userId: string,
      request: RequestContext,
    ) => Promise<{ userId: string; session: { id: string; token: string; csrfToken: string; expiresAt: Date } }>;
  },
) {
  const { settings } = deps;

  async function saveChallenge(
    bytes: Uint8Array<ArrayBuffer>,
    purpose: string,
    userId: string | null,
    ip: string,
  ): Promise<void> {
    const now = ctx.clock.now();
    await passkeyStore.insertChallenge(ctx.db, {
      id: newId('wch', now.getTime()),
      userId,
      purpose,
      challenge: isoBase64URL.fromBuffer(bytes),
      ip,
      expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      createdAt: now,
    });
  }

  /** Verifies an assertion by a known passkey over `expectedChallenge`, then advances its counter. */
  async function verifyAssertion(
    passkey: PasskeyRow,
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    request: RequestContext,
  ): Promise<Result<number, PasskeyError>> {
    let newCounter: number;
    try {
      const verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: settings.origins,
        expectedRPID: settings.rpId,
        // The counter is compared below, after the signature is known good, so that a clone is told
        // apart from a forgery and reported.
        credential: {
          id: passkey.credential_id,
          publicKey: isoBase64URL.toBuffer(passkey.public_key),
          counter: 0,
          transports: passkey.transports,
        },
        requireUserVerification: true,
      });
      if (!verified.verified || !verified.authenticationInfo.userVerified)
        return err({ code: 'PASSKEY_INVALID', reason: 'user_verification' });
      newCounter = verified.authenticationInfo.newCounter;
    } catch (error) {
      return err(refusal(error));
    }
    if (!(await passkeyStore.advanceCounter(ctx.db, passkey.id, newCounter, ctx.clock.now()))) {
      // A counter that did not grow means two copies of the key exist (or a replay raced a use).
      await ctx.audit.record(ctx.db, {
        actorKind: 'system',
        actorId: 'webauthn',
        action: 'passkey.counter_regression',
        subjectType: 'passkey',
        subjectId: passkey.id,
        details: { storedCounter: passkey.counter.toString(), presentedCounter: newCounter },
        ip: request.ip,
        requestId: request.requestId,
      });
      await ctx.notifications.notify(passkey.user_id, {
        kind: 'security.passkey_cloned',
        titleZh: '通行密钥异常',
        titleEn: 'Passkey problem',
        bodyZh: `通行密钥“${passkey.name}”的签名计数异常，可能已被复制，本次使用已被拒绝。如非本人操作，请删除该通行密钥并冻结账户。`,
        bodyEn:
          `The passkey "${passkey.name}" reported a signature counter that did not grow: it may have been ` +
          `copied, and this use was refused. If this was not you, remove it and freeze your wallet.`,
      });
      return err({ code: 'PASSKEY_INVALID', reason: 'counter' });
    }
    return ok(newCounter);
  }

  async function notifyChange(
    userId: string,
    kind: 'security.passkey_added' | 'security.passkey_removed',
    name: string,
  ): Promise<void> {
    const user = await store.findUserById(ctx.db, userId);
    const added = kind === 'security.passkey_added';
    await ctx.notifications.notify(userId, {
      kind,
      titleZh: added ? '已添加通行密钥' : '已删除通行密钥',
      titleEn: added ? 'Passkey added' : 'Passkey removed',
      bodyZh: added
        ? `您的账户添加了通行密钥“${name}”。如非本人操作，请立即冻结账户。`
        : `您的账户删除了通行密钥“${name}”。如非本人操作，请立即冻结账户。`,
      bodyEn: added
        ? `The passkey "${name}" was added to your account. If this was not you, freeze your wallet now.`
        : `The passkey "${name}" was removed from your account. If this was not you, freeze your wallet now.`,
      data: { name },
      smsTo: user ? ctx.cipher.decrypt(user.phone_enc) : undefined,
    });
  }

  return {
    settings,

    async list(userId: string): Promise<PasskeyView[]> {
      return (await passkeyStore.livePasskeys(ctx.db, userId)).map(view);
    },

    /** Options for adding a passkey; adding a credential needs the password again (a stolen session cannot). */
    async registrationOptions(
      userId: string,
      password: string,
      request: RequestContext,
    ): Promise<Result<PublicKeyCredentialCreationOptionsJSON, PasskeyError>> {
      const now = ctx.clock.now();
      if (
        (await store.countLoginFailures(ctx.db, new Date(now.getTime() - 15 * 60_000), { ip: request.ip })) >=
        MAX_IP_FAILURES_PER_15_MIN
      )
        return err({ code: 'RATE_LIMITED' });
      const user = await store.findUserById(ctx.db, userId);
      if (!user) throw new Error(`user ${userId} vanished`);
      if (!(await verifySecret(user.password_hash, password.slice(0, 256)))) {
        await store.recordLoginFailure(
          ctx.db,
          ctx.cipher.lookupHash(`login:${ctx.cipher.decrypt(user.phone_enc)}`),
          request.ip,
          now,
        );
        return err({ code: 'PASSWORD_INVALID' });
      }
      const existing = await passkeyStore.livePasskeys(ctx.db, userId);
      if (existing.length >= MAX_PASSKEYS_PER_USER) return err({ code: 'PASSKEY_LIMIT_REACHED' });
      const challenge = newChallenge();
      const options = await generateRegistrationOptions({
        rpName: settings.rpName,
        rpID: settings.rpId,
        userID: isoBase64URL.toBuffer(userHandle(userId)),
        userName: maskPhone(ctx.cipher.decrypt(user.phone_enc)),
        userDisplayName: maskName(ctx.cipher.decrypt(user.name_enc)),
        challenge,
        timeout: PASSKEY_CHALLENGE_TTL_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((passkey) => ({ id: passkey.credential_id, transports: passkey.transports })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        supportedAlgorithmIDs: [ES256, RS256],
      });
      await saveChallenge(challenge, 'register', userId, request.ip);
      return ok(options);
    },

    async register(
      userId: string,
      input: { name?: string; response: RegistrationResponseJSON },
      request: RequestContext,
    ): Promise<Result<PasskeyView, PasskeyError>> {
      const now = ctx.clock.now();
      const challenge = challengeOf(input.response.response.clientDataJSON);
      const spent = challenge ? await passkeyStore.consumeChallenge(ctx.db, challenge, 'register', now) : null;
      if (!challenge || !spent || spent.user_id !== userId) return err({ code: 'PASSKEY_CHALLENGE_INVALID' });
      let info;
      try {
        const verified = await verifyRegistrationResponse({
          response: input.response,
          expectedChallenge: challenge,
          expectedOrigin: settings.origins,
          expectedRPID: settings.rpId,
          requireUserVerification: true,
          supportedAlgorithmIDs: [ES256, RS256],
        });
        if (!verified.verified) return err({ code: 'PASSKEY_INVALID', reason: 'attestation' });
        info = verified.registrationInfo;
      } catch (error) {
        return err(refusal(error));
      }
      if ((await passkeyStore.livePasskeys(ctx.db, userId)).length >= MAX_PASSKEYS_PER_USER)
        return err({ code: 'PASSKEY_LIMIT_REACHED' });
      const row = {
        id: newId('pky', now.getTime()),
        user_id: userId,
        credential_id: info.credential.id,
        public_key: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: BigInt(info.credential.counter),
        transports: (info.credential.transports ?? []).slice(0, 8),
        name: input.name?.trim() || 'Passkey',
        aaguid: info.aaguid,
        device_type: info.credentialDeviceType,
        backed_up: info.credentialBackedUp,
        created_at: now,
      };
      try {
        await passkeyStore.insertPasskey(ctx.db, row);
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'PASSKEY_INVALID', reason: 'already_registered' });
        throw error;
      }
      await ctx.audit.record(ctx.db, {
        actorKind: 'user',
        actorId: userId,
        action: 'passkey.added',
        subjectType: 'passkey',
        subjectId: row.id,
        details: { aaguid: row.aaguid, deviceType: row.device_type },
        ip: request.ip,
        requestId: request.requestId,
      });
      await notifyChange(userId, 'security.passkey_added', row.name);
      return ok(view({ ...row, last_used_at: null, removed_at: null }));
    },

    async rename(userId: string, id: string, name: string): Promise<Result<PasskeyView, PasskeyError>> {
      const renamed = await passkeyStore.renamePasskey(ctx.db, userId, id, name.trim());
      return renamed ? ok(view(renamed)) : err({ code: 'PASSKEY_NOT_FOUND' });
    },

    async remove(userId: string, id: string, request: RequestContext): Promise<Result<true, PasskeyError>> {
      const removed = await passkeyStore.removePasskey(ctx.db, userId, id, ctx.clock.now());
      if (!removed) return err({ code: 'PASSKEY_NOT_FOUND' });
      await ctx.audit.record(ctx.db, {
        actorKind: 'user',
        actorId: userId,
        action: 'passkey.removed',
        subjectType: 'passkey',
        subjectId: id,
        ip: request.ip,
        requestId: request.requestId,
      });
      await notifyChange(userId, 'security.passkey_removed', removed.name);
      return ok(true);
    },

    /**
     * Sign-in options. Without a phone the browser offers the holder's discoverable passkeys; with
     * one, that holder's passkeys are listed. An unknown phone gets made-up credential ids derived
     * from it, so the answer does not tell whether the phone is registered.
     */
    async signInOptions(
      input: { phone?: string },
      request: RequestContext,
    ): Promise<Result<PublicKeyCredentialRequestOptionsJSON, PasskeyError>> {
      const now = ctx.clock.now();
      if (
        (await passkeyStore.countChallengesFromIp(ctx.db, request.ip, new Date(now.getTime() - 15 * 60_000))) >=
        MAX_SIGN_IN_OPTIONS_PER_IP_15_MIN
      )
        return err({ code: 'RATE_LIMITED' });
      let userId: string | null = null;
      let allowCredentials: { id: string; transports?: string[] }[] | undefined;
      if (input.phone !== undefined) {
        const phone = normalizeMobile(input.phone) ?? input.phone.slice(0, 32);
        const user = await store.findUserByPhoneHash(ctx.db, ctx.cipher.lookupHash(phone));
        const passkeys = user ? await passkeyStore.livePasskeys(ctx.db, user.id) : [];
        userId = user?.id ?? null;
        allowCredentials = passkeys.length
          ? passkeys.map((passkey) => ({ id: passkey.credential_id, transports: passkey.transports }))
          : [
              {
                id: Buffer.from(ctx.cipher.lookupHash(`no-passkey:${phone}`), 'hex').toString('base64url'),
                transports: ['internal', 'hybrid'],
              },
            ];
      }
      const challenge = newChallenge();
      const options = await generateAuthenticationOptions({
        rpID: settings.rpId,
        challenge,
        allowCredentials,
        userVerification: 'required',
        timeout: PASSKEY_CHALLENGE_TTL_MS,
      });
      await saveChallenge(challenge, 'login', userId, request.ip);
      return ok(options);
    },

    async signIn(
      response: AuthenticationResponseJSON,
      request: RequestContext,
    ): Promise<Result<Awaited<ReturnType<typeof deps.signIn>>, PasskeyError>> {
      const now = ctx.clock.now();
      if (
        (await store.countLoginFailures(ctx.db, new Date(now.getTime() - 15 * 60_000), { ip: request.ip })) >=
        MAX_IP_FAILURES_PER_15_MIN
      )
        return err({ code: 'RATE_LIMITED' });
      const failed = async (error: PasskeyError) => {
        await store.recordLoginFailure(
          ctx.db,
          ctx.cipher.lookupHash(`passkey:${response.id.slice(0, 200)}`),
          request.ip,
          now,
        );
        return err(error);
      };
      const challenge = challengeOf(response.response.clientDataJSON);
      const spent = challenge ? await passkeyStore.consumeChallenge(ctx.db, challenge, 'login', now) : null;
      if (!challenge || !spent) return failed({ code: 'PASSKEY_CHALLENGE_INVALID' });
      const passkey = await passkeyStore.findLivePasskeyByCredential(ctx.db, response.id);
      if (!passkey || (spent.user_id !== null && spent.user_id !== passkey.user_id))
        return failed({ code: 'PASSKEY_INVALID', reason: 'unknown_credential' });
      if (response.response.userHandle && response.response.userHandle !== userHandle(passkey.user_id))
        return failed({ code: 'PASSKEY_INVALID', reason: 'user_handle' });
      const verified = await verifyAssertion(passkey, response, challenge, request);
      if (!verified.ok) return failed(verified.error);
      return ok(await deps.signIn(passkey.user_id, request));
    },

    /** Options for approving one payment confirmation: the WebAuthn challenge is the confirmation's challenge. */
    async confirmationOptions(
      userId: string,
      confirmationId: string,
    ): Promise<Result<PublicKeyCredentialRequestOptionsJSON, PasskeyError | ConfirmationError>> {
      const confirmation = await deps.confirmations.get(userId, confirmationId);
      const pending = pendingConfirmation(confirmation, ctx.clock.now());
      if (!pending.ok) return pending;
      const passkeys = await passkeyStore.livePasskeys(ctx.db, userId);
      if (passkeys.length === 0) return err({ code: 'PASSKEY_NOT_FOUND' });
      return ok(
        await generateAuthenticationOptions({
          rpID: settings.rpId,
          challenge: isoBase64URL.toBuffer(pending.value.challenge),
          allowCredentials: passkeys.map((passkey) => ({ id: passkey.credential_id, transports: passkey.transports })),
          userVerification: 'required',
          timeout: Math.max(1000, pending.value.expiresAt.getTime() - ctx.clock.now().getTime()),
        }),
      );
    },

    /**
     * Approves a payment confirmation with a passkey assertion over that confirmation's challenge.
     * The challenge hashes amount, currency, payee, reference and a nonce, so an assertion made for
     * one confirmation can never approve another.
     */
    async confirm(
      userId: string,
      confirmationId: string,
      response: AuthenticationResponseJSON,
      request: RequestContext,
    ): Promise<Result<ConfirmationView, PasskeyError | ConfirmationError>> {
      const confirmation = await deps.confirmations.get(userId, confirmationId);
      const pending = pendingConfirmation(confirmation, ctx.clock.now());
      if (!pending.ok) return pending;
      if (challengeOf(response.response.clientDataJSON) !== pending.value.challenge) {
        await deps.confirmations.recordFailure(confirmationId);
        return err({ code: 'CONFIRMATION_INVALID' });
      }
      const passkey = await passkeyStore.findLivePasskeyByCredential(ctx.db, response.id);
      if (!passkey || passkey.user_id !== userId) {
        await deps.confirmations.recordFailure(confirmationId);
        return err({ code: 'PASSKEY_INVALID', reason: 'unknown_credential' });
      }
      const verified = await verifyAssertion(passkey, response, pending.value.challenge, request);
      if (!verified.ok) {
        await deps.confirmations.recordFailure(confirmationId);
        return verified;
      }
      return deps.confirmations.markConfirmed(userId, confirmationId, 'passkey');
    },

    /** Theft report: every passkey goes at once. */
    removeAll: (userId: string) => passkeyStore.removeAllPasskeys(ctx.db, userId, ctx.clock.now()),

    pruneChallenges: (limit = 500) =>
      passkeyStore.deleteExpiredChallenges(ctx.db, new Date(ctx.clock.now().getTime() - 3600_000), limit),
  };
}

function pendingConfirmation(
  confirmation: ConfirmationView | null,
  now: Date,
): Result<ConfirmationView, ConfirmationError> {
  if (!confirmation) return err({ code: 'CONFIRMATION_NOT_FOUND' });
  if (confirmation.expiresAt <= now) return err({ code: 'CONFIRMATION_EXPIRED' });
  if (confirmation.status !== 'pending') return err({ code: 'CONFIRMATION_INVALID' });
  return ok(confirmation);
}

export type Passkeys = ReturnType<typeof createPasskeys>;
