import type { DocumentSide, DocumentType } from './adapter.js';
import type { DocumentContentType } from './documents.js';
import { REASONS, type ReasonCode } from './rules.js';
import type { SubmissionStatus } from './store.js';

/** A submission as its holder and the reviewers see it: no document bytes, the reason in both languages. */
export interface SubmissionView {
  id: string;
  documentType: DocumentType;
  status: SubmissionStatus;
  reason: { code: ReasonCode; zh: string; en: string } | null;
  documents: { side: DocumentSide; contentType: DocumentContentType; sizeBytes: number }[];
  createdAt: Date;
  decidedAt: Date | null;
}

export function reasonView(code: string | null): SubmissionView['reason'] {
  if (!code || !(code in REASONS)) return null;
  return { code: code as ReasonCode, ...REASONS[code as ReasonCode] };
}
