import { type Clock, shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';
import type { DocumentContentType } from './documents.js';

/**
 * The outside identity-document check (OCR of the document, authenticity and face comparison).
 * Real providers take the images together with the claimed name and number and answer what they
 * read; the decision stays ours (rules.ts). Failures to answer are values, so the caller can
 * leave the submission in 'checking' for the recheck job.
 */

export type DocumentType = 'resident_id' | 'passport';
export type DocumentSide = 'front' | 'back' | 'passport' | 'selfie';

export interface DocumentPage {
  side: DocumentSide;
  contentType: DocumentContentType;
  bytes: Buffer;
}

export interface DocumentCheckRequest {
  /** The submission id; with `attempt`, unique per call. */
  reference: string;
  attempt: number;
  documentType: DocumentType;
  pages: DocumentPage[];
  selfie: DocumentPage;
  claimed: { name: string; idNumber: string; birthDate: string };
}

export interface DocumentCheckReport {
  /** 'uncertain': readable but the provider is not confident (glare, partly covered). */
  quality: 'clear' | 'unclear' | 'uncertain';
  /** What was read from the document. `expiresOn` null means long-term (长期). */
  fields: { name: string; documentNumber: string; birthDate: string; expiresOn: string | null };
  /** Similarity of the selfie to the document photo, 0..1. */
  faceMatchScore: number;
}

export type DocumentCheckFailure = { code: 'TIMEOUT' } | { code: 'UNAVAILABLE' };

export interface DocumentCheckAdapter {
  check(request: DocumentCheckRequest): Promise<Result<DocumentCheckReport, DocumentCheckFailure>>;
}

/**
 * Magic values the sandbox looks for anywhere in the bytes of the uploaded files, as the ASCII
 * text `TBKYC:<MARKER>` (a JPEG comment, a PNG tEXt chunk, a PDF comment). See docs/kyc.md.
 */
export const SANDBOX_MARKERS = [
  'UNCLEAR',
  'UNCERTAIN',
  'NAME_MISMATCH',
  'NUMBER_MISMATCH',
  'EXPIRED',
  'MINOR',
  'FACE_MISMATCH',
  'FACE_UNCERTAIN',
  'TIMEOUT',
  'TIMEOUT_ONCE',
  'UNAVAILABLE',
] as const;
export type SandboxMarker = (typeof SANDBOX_MARKERS)[number];

export function markersIn(bytes: Buffer): Set<SandboxMarker> {
  const found = new Set<SandboxMarker>();
  for (const match of bytes.toString('latin1').matchAll(/TBKYC:([A-Z_]+)/g)) {
    if ((SANDBOX_MARKERS as readonly string[]).includes(match[1])) found.add(match[1] as SandboxMarker);
  }
  return found;
}

export interface SandboxOptions {
  clock: Clock;
  /** Simulated processing time, uniformly between these bounds. */
  minLatencyMs?: number;
  maxLatencyMs?: number;
  /** How long a TIMEOUT marker makes the call hang before it gives up. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Another valid-looking number for the same person: the sequence digits changed. */
function otherNumber(idNumber: string): string {
  const sequence = (Number(idNumber.slice(14, 17)) + 1) % 1000;
  return `${idNumber.slice(0, 14)}${String(sequence).padStart(3, '0')}${idNumber.slice(17)}`;
}

function yearsBefore(day: string, years: number): string {
  return `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
}

/** The sandbox reads a document as carrying the claimed identity unless a marker says otherwise. */
export function createSandboxDocumentCheck(options: SandboxOptions): DocumentCheckAdapter {
  const sleep = options.sleep ?? defaultSleep;
  const minLatencyMs = options.minLatencyMs ?? 40;
  const maxLatencyMs = Math.max(options.maxLatencyMs ?? 150, minLatencyMs);
  const timeoutMs = options.timeoutMs ?? 1_000;
  return {
    async check(request) {
      const documentMarkers = new Set(request.pages.flatMap((page) => [...markersIn(page.bytes)]));
      const selfieMarkers = markersIn(request.selfie.bytes);
      const all = new Set([...documentMarkers, ...selfieMarkers]);
      if (all.has('TIMEOUT') || (all.has('TIMEOUT_ONCE') && request.attempt === 1)) {
        await sleep(timeoutMs);
        return err({ code: 'TIMEOUT' });
      }
      await sleep(minLatencyMs + Math.floor(Math.random() * (maxLatencyMs - minLatencyMs + 1)));
      if (all.has('UNAVAILABLE')) return err({ code: 'UNAVAILABLE' });
      const today = shanghaiDay(options.clock.now());
      const { name, idNumber, birthDate } = request.claimed;
      const passportNumber = `E${idNumber.slice(-8).replace('X', '0')}`;
      return ok({
        quality: documentMarkers.has('UNCLEAR') ? 'unclear' : documentMarkers.has('UNCERTAIN') ? 'uncertain' : 'clear',
        fields: {
          name: documentMarkers.has('NAME_MISMATCH') ? (name.startsWith('李') ? '王小明' : '李四') : name,
          documentNumber:
            request.documentType === 'passport'
              ? passportNumber
              : documentMarkers.has('NUMBER_MISMATCH')
                ? otherNumber(idNumber)
                : idNumber,
          birthDate: documentMarkers.has('MINOR')
            ? yearsBefore(today, 16)
            : request.documentType === 'passport' && documentMarkers.has('NUMBER_MISMATCH')
              ? yearsBefore(birthDate, 1)
              : birthDate,
          expiresOn: documentMarkers.has('EXPIRED')
            ? yearsBefore(today, 1)
            : `${Number(today.slice(0, 4)) + 8}${today.slice(4)}`,
        },
        faceMatchScore: selfieMarkers.has('FACE_MISMATCH') ? 0.12 : selfieMarkers.has('FACE_UNCERTAIN') ? 0.72 : 0.97,
      });
    },
  };
}
