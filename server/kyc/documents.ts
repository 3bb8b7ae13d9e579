import { createInflate, crc32 } from 'node:zlib';
import { type Result, err, ok } from '../platform/result.js';

/**
 * Uploaded identity documents are judged by their content, never by the name or the declared
 * Content-Type: the type comes from the magic bytes, the structure is walked far enough to
 * refuse truncated or damaged files, and PDFs that could run code are refused.
 */

export type DocumentContentType = 'image/jpeg' | 'image/png' | 'application/pdf';
export const IMAGE_TYPES: readonly DocumentContentType[] = ['image/jpeg', 'image/png'];
export const DOCUMENT_TYPES: readonly DocumentContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];

/** 5 MiB per file. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const MAX_PIXELS = 60_000_000;
const MAX_INFLATED_STREAM_BYTES = 16 * 1024 * 1024;
const MAX_PDF_STREAMS = 2_000;

export type DocumentProblem =
  | { code: 'DOCUMENT_TYPE_UNSUPPORTED'; detectedType: string; allowed: readonly DocumentContentType[] }
  | { code: 'DOCUMENT_TOO_LARGE'; maxBytes: number }
  | { code: 'DOCUMENT_CORRUPT'; problem: string }
  | { code: 'DOCUMENT_UNSAFE'; problem: string };

/** The type named by the first bytes, or a short label of what was found instead. */
export function sniffType(bytes: Uint8Array): DocumentContentType | string {
  const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return 'image/heic-or-mp4';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'application/zip';
  if (starts(0x4d, 0x5a)) return 'application/x-msdownload';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'application/x-elf';
  return 'unknown';
}

export async function inspectDocument(
  bytes: Buffer,
  allowed: readonly DocumentContentType[],
): Promise<Result<DocumentContentType, DocumentProblem>> {
  if (bytes.length > MAX_DOCUMENT_BYTES) return err({ code: 'DOCUMENT_TOO_LARGE', maxBytes: MAX_DOCUMENT_BYTES });
  if (bytes.length === 0) return err({ code: 'DOCUMENT_CORRUPT', problem: 'empty' });
  const type = sniffType(bytes);
  if (!(allowed as readonly string[]).includes(type))
    return err({ code: 'DOCUMENT_TYPE_UNSUPPORTED', detectedType: type, allowed });
  const problem =
    type === 'image/jpeg' ? checkJpeg(bytes) : type === 'image/png' ? await checkPng(bytes) : await checkPdf(bytes);
  if (problem) return err(problem);
  return ok(type as DocumentContentType);
}

const corrupt = (problem: string): DocumentProblem => ({ code: 'DOCUMENT_CORRUPT', problem });

/** Walks the JPEG's segments: a frame header with real dimensions, scan data, and the end marker. */
export function checkJpeg(bytes: Buffer): DocumentProblem | null {
  let pos = 2;
  let frame = false;
  let scan = false;
  while (pos < bytes.length) {
    if (bytes[pos] !== 0xff) return corrupt('jpeg_segment');
    while (bytes[pos] === 0xff) pos++;
    const marker = bytes[pos++];
    if (marker === undefined) break;
    if (marker === 0xd9) return frame && scan ? null : corrupt('jpeg_incomplete');
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (pos + 2 > bytes.length) break;
    const length = bytes.readUInt16BE(pos);
    if (length < 2 || pos + length > bytes.length) return corrupt('jpeg_segment_length');
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 8) return corrupt('jpeg_frame');
      const height = bytes.readUInt16BE(pos + 3);
      const width = bytes.readUInt16BE(pos + 5);
      const components = bytes[pos + 7];
      if (width === 0 || height === 0 || width * height > MAX_PIXELS || components < 1 || components > 4)
        return corrupt('jpeg_dimensions');
      frame = true;
    }
    pos += length;
    if (marker === 0xda) {
      if (!frame) return corrupt('jpeg_scan_before_frame');
      scan = true;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      while (
        pos < bytes.length - 1 &&
        !(bytes[pos] === 0xff && bytes[pos + 1] !== 0x00 && !(bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7))
      )
        pos++;
      if (pos >= bytes.length - 1) return corrupt('jpeg_truncated');
    }
  }
  return corrupt('jpeg_truncated');
}

/** Counts the bytes a zlib stream inflates to, discarding them, so a compression bomb costs no memory. */
function inflatedLength(
  data: Buffer,
  cap: number,
  keep = false,
): Promise<{ length: number; data?: Buffer } | 'corrupt' | 'too_large'> {
  return new Promise((resolve) => {
    const inflater = createInflate();
    const kept: Buffer[] = [];
    let length = 0;
    let settled = false;
    const settle = (value: { length: number; data?: Buffer } | 'corrupt' | 'too_large') => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    inflater.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > cap) {
        inflater.destroy();
        settle('too_large');
        return;
      }
      if (keep) kept.push(chunk);
    });
    inflater.on('error', () => settle('corrupt'));
    inflater.on('end', () => settle({ length, data: keep ? Buffer.concat(kept) : undefined }));
    inflater.end(data);
  });
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Walks the PNG's chunks, checks every CRC, and inflates the image data to its expected size. */
export async function checkPng(bytes: Buffer): Promise<DocumentProblem | null> {
  let pos = 8;
  let header: { width: number; height: number; depth: number; colorType: number; interlaced: boolean } | null = null;
  const idat: Buffer[] = [];
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > bytes.length) return corrupt('png_truncated');
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length))
      return corrupt('png_crc');
    if (!header && type !== 'IHDR') return corrupt('png_header');
    if (type === 'IHDR') {
      if (length !== 13 || header) return corrupt('png_header');
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8],
        colorType: body[9],
        interlaced: body[12] === 1,
      };
      if (
        header.width === 0 ||
        header.height === 0 ||
        header.width * header.height > MAX_PIXELS ||
        !PNG_CHANNELS[header.colorType]
      )
        return corrupt('png_header');
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos += 12 + length;
  }
  if (!header || !ended || idat.length === 0) return corrupt('png_truncated');
  const rowBytes = Math.ceil((header.width * PNG_CHANNELS[header.colorType] * header.depth) / 8) + 1;
  const expected = rowBytes * header.height;
  const inflated = await inflatedLength(Buffer.concat(idat), header.interlaced ? expected * 2 : expected);
  if (inflated === 'corrupt' || inflated === 'too_large') return corrupt('png_data');
  if (!header.interlaced && inflated.length !== expected) return corrupt('png_data');
  return null;
}

/**
 * Names that make a PDF act rather than show: scripts, launching programs, embedded files, rich
 * media, XFA forms and form submission. An identity scan needs none of them.
 */
const ACTIVE_PDF_NAMES = ['JS', 'JavaScript', 'Launch', 'EmbeddedFile', 'RichMedia', 'XFA', 'SubmitForm', 'ImportData'];
const ACTIVE_NAME = new RegExp(`/(${ACTIVE_PDF_NAMES.join('|')})(?=[\\s/<>\\[\\]()%{}]|$)`);

/** PDF names may spell characters as #xx (`/J#61vaScript`); decode them before looking. */
function decodeNames(text: string): string {
  return text.replace(/\/[^\s/<>[\]()%{}]+/g, (name) =>
    name.replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}

function activeName(text: string): string | null {
  const match = ACTIVE_NAME.exec(decodeNames(text));
  return match ? match[1] : null;
}

/** Checks the PDF's frame (header, xref pointer, end marker, a page) and refuses active content. */
export async function checkPdf(bytes: Buffer): Promise<DocumentProblem | null> {
  const text = bytes.toString('latin1');
  if (!/^%PDF-(1\.[0-7]|2\.0)/.test(text)) return corrupt('pdf_header');
  const tail = text.slice(-1024);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref || Number(startxref[1]) >= bytes.length) return corrupt('pdf_trailer');
  if (!/\bobj\b[\s\S]*?\bendobj\b/.test(text)) return corrupt('pdf_objects');
  const decoded = decodeNames(text);
  if (/\/Encrypt\b/.test(decoded)) return { code: 'DOCUMENT_UNSAFE', problem: 'pdf_encrypted' };
  const found = activeName(text);
  if (found) return { code: 'DOCUMENT_UNSAFE', problem: `pdf_${found.toLowerCase()}` };
  // Object streams and content streams are usually compressed; look inside them as well.
  let streams = 0;
  let hasPage = /\/Type\s*\/Page\b/.test(decoded);
  // `\b` keeps the `stream` inside `endstream` from counting as the start of another stream.
  const streamPattern = /\bstream(?:\r\n|\n|\r)/g;
  for (let match = streamPattern.exec(text); match; match = streamPattern.exec(text)) {
    if (++streams > MAX_PDF_STREAMS) return corrupt('pdf_too_complex');
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) return corrupt('pdf_stream');
    const dictionaryStart = text.lastIndexOf('obj', match.index);
    const dictionary = decodeNames(text.slice(Math.max(0, dictionaryStart), match.index));
    streamPattern.lastIndex = end + 'endstream'.length;
    if (/\/Subtype\s*\/Image\b/.test(dictionary)) continue;
    const filters = [...dictionary.matchAll(/\/(\w+Decode)\b/g)].map((m) => m[1]);
    if (filters.length === 0) continue;
    if (filters.some((filter) => filter !== 'FlateDecode') || filters.length > 1)
      return { code: 'DOCUMENT_UNSAFE', problem: 'pdf_unsupported_encoding' };
    const inflated = await inflatedLength(bytes.subarray(start, end), MAX_INFLATED_STREAM_BYTES, true);
    if (inflated === 'corrupt') return corrupt('pdf_stream');
    if (inflated === 'too_large') return corrupt('pdf_too_complex');
    const inner = (inflated.data as Buffer).toString('latin1');
    const hidden = activeName(inner);
    if (hidden) return { code: 'DOCUMENT_UNSAFE', problem: `pdf_${hidden.toLowerCase()}` };
    hasPage ||= /\/Type\s*\/Page\b/.test(decodeNames(inner));
  }
  if (!hasPage) return corrupt('pdf_no_pages');
  return null;
}
