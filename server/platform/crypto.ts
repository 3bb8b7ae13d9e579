import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Personal data at rest: AES-256-GCM with a random IV per value, and a keyed hash (HMAC with a
 * subkey) to find a row by phone or ID number without storing either in clear.
 */

export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  lookupHash(value: string): string;
}

export function loadPiiKey(options: { dataDir: string; production: boolean; env?: NodeJS.ProcessEnv }): Buffer {
  const raw = (options.env ?? process.env).TONGBAO_PII_KEY;
  if (raw) {
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new Error('TONGBAO_PII_KEY must be 32 bytes in base64');
    return key;
  }
  if (options.production) throw new Error('TONGBAO_PII_KEY is required when NODE_ENV=production');
  const file = join(options.dataDir, 'pii.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

export function createPiiCipher(key: Buffer): PiiCipher {
  if (key.length !== 32) throw new Error('the personal-data key must be 32 bytes');
  const encryptionKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tongbao-encrypt', 32));
  const lookupKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tongbao-lookup', 32));
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `v1.${iv.toString('base64url')}.${tag.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash(value) {
      return createHmac('sha256', lookupKey).update(value).digest('hex');
    },
  };
}

/** An unguessable token: 32 random bytes (256 bits) by default, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A numeric code of `digits` digits, uniformly random. */
export function randomDigits(digits: number): string {
  let code = '';
  while (code.length < digits) {
    const byte = randomBytes(1)[0];
    if (byte < 250) code += String(byte % 10);
  }
  return code;
}

/** A 32-byte subkey of `root` for one purpose (HKDF-SHA256), so one secret never serves two uses. */
export function deriveSubkey(root: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), purpose, 32));
}
