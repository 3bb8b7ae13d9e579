import { DOCUMENT_TYPES, inspectDocument, type DocumentProblem } from '../kyc/documents.js';
import type { DocumentCipher } from '../kyc/document-cipher.js';
import { type Result, err, ok } from '../platform/result.js';

/**
 * Attachments (screenshots, receipts, police reports) are checked exactly like KYC documents, by
 * their content (server/kyc/documents.ts): JPEG, PNG or PDF, at most 5 MiB, structure walked, PDFs
 * that could run code refused. They are sealed at rest with AES-256-GCM bound to the attachment id.
 */

export interface Upload {
  bytes: Buffer;
  fileName: string;
}

export interface CheckedUpload {
  contentType: string;
  sizeBytes: number;
  fileName: string;
  sealed: Buffer;
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function cleanFileName(name: string, contentType: string): string {
  const base = name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 80) || 'file';
  const extension = contentType === 'application/pdf' ? '.pdf' : contentType === 'image/png' ? '.png' : '.jpg';
  return base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`;
}

export async function checkAndSeal(
  cipher: DocumentCipher,
  attachmentId: string,
  upload: Upload,
): Promise<Result<CheckedUpload, DocumentProblem>> {
  const inspected = await inspectDocument(upload.bytes, DOCUMENT_TYPES);
  if (!inspected.ok) return err(inspected.error);
  return ok({
    contentType: inspected.value,
    sizeBytes: upload.bytes.length,
    fileName: cleanFileName(upload.fileName, inspected.value),
    sealed: cipher.seal(upload.bytes, `support:${attachmentId}`),
  });
}

export function openAttachment(cipher: DocumentCipher, attachmentId: string, sealed: Uint8Array): Buffer {
  return cipher.open(sealed, `support:${attachmentId}`);
}
