import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_DOCUMENT_BYTES } from '../kyc/documents.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import type { Upload } from './attachments.js';

/** Reading one uploaded file (field `file`, optional field `text`) and sending one back. */

export const UPLOAD_LIMITS = {
  fileSize: MAX_DOCUMENT_BYTES,
  files: 1,
  fields: 2,
  parts: 3,
  fieldSize: 4000,
  headerPairs: 50,
};

export const UPLOAD_PROBLEMS = [
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'MALFORMED_REQUEST',
  'DOCUMENT_TOO_LARGE',
  'DOCUMENT_CORRUPT',
  'DOCUMENT_TYPE_UNSUPPORTED',
  'DOCUMENT_UNSAFE',
  'SUPPORT_ATTACHMENT_MISSING',
] as const;

export async function readUpload(request: FastifyRequest): Promise<{ upload: Upload; text: string | null }> {
  if (!request.isMultipart()) throw new Problem('UNSUPPORTED_MEDIA_TYPE', { expected: 'multipart/form-data' });
  let upload: Upload | null = null;
  let text: string | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        try {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'file') upload = { bytes, fileName: part.filename || 'file' };
        } catch (error) {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw problemFrom({ code: 'DOCUMENT_TOO_LARGE', field: part.fieldname, maxBytes: MAX_DOCUMENT_BYTES });
          throw error;
        }
      } else if (part.fieldname === 'text') {
        text = String(part.value).slice(0, 4000) || null;
      }
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw new Problem('PAYLOAD_TOO_LARGE', { limits: 'one file of at most 5 MiB' });
    throw new Problem('MALFORMED_REQUEST', { problem: 'multipart body could not be read' });
  }
  if (!upload) throw problemFrom({ code: 'SUPPORT_ATTACHMENT_MISSING', field: 'file' });
  return { upload, text };
}

/** A stored file never lands in a shared cache, is never sniffed, and runs no script. */
export function sendFile(reply: FastifyReply, file: { contentType: string; fileName: string; bytes: Buffer }) {
  const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .header('cache-control', 'no-store, private')
    .header('pragma', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .type(file.contentType)
    .send(file.bytes);
}
