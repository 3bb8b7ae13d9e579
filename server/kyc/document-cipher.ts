import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Identity documents at rest: AES-256-GCM over the raw bytes with a random IV per file, sealed
 * as `iv (12) | tag (16) | ciphertext`. The key is derived from the personal-data key with its own
 * HKDF label, so a document key can never decrypt a name or phone number or the other way round.
 * The submission id and page are bound in as associated data: a sealed page copied onto another
 * submission does not decrypt.
 */
export interface DocumentCipher {
  seal(plain: Buffer, associated: string): Buffer;
  open(sealed: Uint8Array, associated: string): Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createDocumentCipher(piiKey: Buffer): DocumentCipher {
  if (piiKey.length !== 32) throw new Error('the personal-data key must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), 'tongbao-kyc-documents', 32));
  return {
    seal(plain, associated) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed, associated) {
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('not a sealed document');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associated, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}
