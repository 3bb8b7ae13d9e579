import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A software authenticator for tests: it answers WebAuthn creation and request options exactly as a
 * browser with a platform authenticator would (RegistrationResponseJSON / AuthenticationResponseJSON),
 * with real EC P-256 keys, a CBOR attestation object (fmt "none"), authenticator data with the RP ID
 * hash, flags, signature counter and attested credential data (COSE key), and ES256 signatures in
 * DER. Knobs let a test misbehave: no user verification, another origin, a counter that goes back.
 */

// ---- A minimal CBOR encoder (RFC 8949): what attestation objects and COSE keys need. ----

type Cbor = number | string | Uint8Array | Cbor[] | Map<number | string, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(length, 1);
  return out;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('only integers');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [key, inner] of value) parts.push(cbor(key), cbor(inner));
  return Buffer.concat(parts);
}

// ---- The authenticator ----

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  signCount: number;
}

export interface GestureOptions {
  /** The origin the "browser" reports in clientDataJSON; defaults to the authenticator's. */
  origin?: string;
  /** User verification (biometric or device PIN) performed; true unless a test says otherwise. */
  userVerified?: boolean;
  /** Use this credential (base64url id) rather than the first one the options allow. */
  credentialId?: string;
  /** Sign with this counter instead of the next one, e.g. a cloned key's stale counter. */
  signCount?: number;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { alg: number; type: string }[];
  excludeCredentials?: { id: string }[];
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(readonly origin: string = 'http://localhost') {}

  private rpIdFor(rpId: string | undefined): string {
    return rpId ?? new URL(this.origin).hostname;
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  private flags(gesture: GestureOptions, attested: boolean): number {
    return FLAG_UP | (gesture.userVerified === false ? 0 : FLAG_UV) | (attested ? FLAG_AT : 0);
  }

  /** navigator.credentials.create(): a new resident ES256 credential, attestation "none". */
  create(options: CreationOptions, gesture: GestureOptions = {}) {
    if (!options.pubKeyCredParams.some((param) => param.alg === -7)) throw new Error('the RP does not accept ES256');
    const rpId = this.rpIdFor(options.rp.id);
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(b64url(c.id))))
      throw new Error('InvalidStateError: already registered');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: StoredCredential = {
      id: randomBytes(32),
      privateKey,
      rpId,
      userHandle: options.user.id,
      signCount: 0,
    };
    const coseKey = cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(gesture, true)]),
      this.counterBytes(gesture.signCount ?? 0),
      Buffer.alloc(16),
      idLength,
      credential.id,
      coseKey,
    ]);
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, gesture.origin ?? this.origin)),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
    };
  }

  /** navigator.credentials.get(): an assertion by an allowed (or any discoverable) credential. */
  get(options: RequestOptions, gesture: GestureOptions = {}) {
    const rpId = this.rpIdFor(options.rpId);
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.credentials.find(
      (c) =>
        c.rpId === rpId &&
        (gesture.credentialId
          ? b64url(c.id) === gesture.credentialId
          : allowed.size === 0 || allowed.has(b64url(c.id))),
    );
    if (!credential) throw new Error('NotAllowedError: no credential for this request');
    const signCount = gesture.signCount ?? ++credential.signCount;
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(gesture, false)]),
      this.counterBytes(signCount),
    ]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, gesture.origin ?? this.origin);
    // ES256: ECDSA P-256 over SHA-256 of authData ‖ SHA-256(clientDataJSON), DER-encoded (node's default).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    };
  }

  private counterBytes(count: number): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(count);
    return out;
  }
}
