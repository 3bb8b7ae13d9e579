import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { jpeg, pdf, png } from '../../test/kyc-factories.js';
import { markersIn } from './adapter.js';
import { createDocumentCipher } from './document-cipher.js';
import { DOCUMENT_TYPES, IMAGE_TYPES, MAX_DOCUMENT_BYTES, inspectDocument } from './documents.js';
import { decide } from './rules.js';

const code = async (bytes: Buffer, allowed = DOCUMENT_TYPES) => {
  const inspected = await inspectDocument(bytes, allowed);
  return inspected.ok ? inspected.value : inspected.error.code;
};
const problem = async (bytes: Buffer) => {
  const inspected = await inspectDocument(bytes, DOCUMENT_TYPES);
  return inspected.ok ? null : inspected.error;
};

describe('document inspection', () => {
  it('detects the type from the content', async () => {
    expect(await code(jpeg('UNCLEAR'))).toBe('image/jpeg');
    expect(await code(png(['EXPIRED']))).toBe('image/png');
    expect(await code(pdf(['NAME_MISMATCH']))).toBe('application/pdf');
  });

  it('refuses other types whatever they are called', async () => {
    expect(await code(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
    expect(await code(Buffer.from('MZ\x90\x00 this is a program', 'latin1'))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
    expect(await code(Buffer.from('just some text, named id.jpg'))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
    expect(await code(pdf(), IMAGE_TYPES)).toBe('DOCUMENT_TYPE_UNSUPPORTED');
  });

  it('refuses files over 5 MiB and empty files', async () => {
    expect(await code(png([], { padBytes: MAX_DOCUMENT_BYTES }))).toBe('DOCUMENT_TOO_LARGE');
    expect(await code(Buffer.alloc(0))).toBe('DOCUMENT_CORRUPT');
  });

  it('refuses truncated and damaged files', async () => {
    const goodJpeg = jpeg();
    expect(await code(goodJpeg.subarray(0, goodJpeg.length - 40))).toBe('DOCUMENT_CORRUPT');
    const goodPng = png();
    expect(await code(goodPng.subarray(0, goodPng.length - 20))).toBe('DOCUMENT_CORRUPT');
    const flipped = Buffer.from(goodPng);
    flipped[40] ^= 0xff; // inside a chunk: its CRC no longer matches
    expect(await code(flipped)).toBe('DOCUMENT_CORRUPT');
    const goodPdf = pdf();
    expect(await code(goodPdf.subarray(0, goodPdf.length - 30))).toBe('DOCUMENT_CORRUPT');
    expect(await code(Buffer.from('%PDF-1.7\n%%EOF\n'))).toBe('DOCUMENT_CORRUPT');
  });

  it('refuses a PNG whose data inflates past its dimensions (a compression bomb)', async () => {
    const bomb = png([], { width: 4, height: 4 });
    const idatAt = bomb.indexOf('IDAT') - 4;
    const huge = deflateSync(Buffer.alloc(50_000_000));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(huge.length);
    const { crc32 } = await import('node:zlib');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from('IDAT'), huge])));
    const iend = bomb.subarray(bomb.indexOf('IEND') - 4);
    expect(await code(Buffer.concat([bomb.subarray(0, idatAt), length, Buffer.from('IDAT'), huge, crc, iend]))).toBe(
      'DOCUMENT_CORRUPT',
    );
  });

  it.each([
    ['an OpenAction running JavaScript', { extraCatalog: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ' }],
    ['a JS name spelt with #xx escapes', { extraCatalog: '/OpenAction << /S /J#61vaScript /J#53 (x) >> ' }],
    ['a Launch action', { extraCatalog: '/OpenAction << /S /Launch /F (calc.exe) >> ' }],
    ['an embedded file', { extraObjects: ['<< /Type /EmbeddedFile /Length 0 >>'] }],
  ])('refuses a PDF with %s', async (_name, options) => {
    expect(await problem(pdf([], options))).toMatchObject({ code: 'DOCUMENT_UNSAFE' });
  });

  it('refuses JavaScript hidden in a compressed object stream', async () => {
    const hidden = deflateSync(Buffer.from('<< /S /JavaScript /JS (app.alert(1)) >>'));
    const stream =
      `<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length ${hidden.length} ` +
      `>>\nstream\n${hidden.toString('latin1')}\nendstream`;
    expect(await problem(pdf([], { extraObjects: [stream] }))).toMatchObject({
      code: 'DOCUMENT_UNSAFE',
      problem: 'pdf_javascript',
    });
  });

  it('accepts a real-world PDF: compressed content, an embedded font and an image', async () => {
    const doc = new PDFDocument({ compress: true });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => doc.on('end', resolve));
    doc.text('Resident ID card, scanned');
    doc.image(png([], { width: 64, height: 40 }), 50, 100, { width: 200 });
    doc.addPage().text('Back side');
    doc.end();
    await ended;
    expect(await code(Buffer.concat(chunks))).toBe('application/pdf');
  });

  it('accepts a PDF whose OpenAction only opens a page', async () => {
    expect(await code(pdf([], { extraCatalog: '/OpenAction [3 0 R /Fit] ' }))).toBe('application/pdf');
  });
});

describe('sandbox markers, rules and the document cipher', () => {
  it('finds markers in comments and text chunks', () => {
    expect([...markersIn(jpeg('UNCLEAR', 'EXPIRED'))].sort()).toEqual(['EXPIRED', 'UNCLEAR']);
    expect([...markersIn(png(['FACE_MISMATCH', 'NOT_A_MARKER']))]).toEqual(['FACE_MISMATCH']);
  });

  it('decides by the first failing rule', () => {
    const registration = { name: '张三', idNumber: '11010119900307001X', birthDate: '1990-03-07' };
    const report = {
      quality: 'clear' as const,
      fields: { name: '张 三', documentNumber: '11010119900307001x', birthDate: '1990-03-07', expiresOn: null },
      faceMatchScore: 0.97,
    };
    const now = new Date('2026-11-23T02:00:00Z');
    expect(decide(report, registration, 'resident_id', now)).toMatchObject({ outcome: 'approved', reason: null });
    expect(
      decide({ ...report, fields: { ...report.fields, expiresOn: '2026-11-22' } }, registration, 'resident_id', now)
        .reason,
    ).toBe('DOCUMENT_EXPIRED');
    expect(
      decide({ ...report, fields: { ...report.fields, expiresOn: '2026-11-23' } }, registration, 'resident_id', now)
        .outcome,
    ).toBe('approved');
    expect(decide({ ...report, faceMatchScore: 0.7 }, registration, 'resident_id', now)).toMatchObject({
      outcome: 'manual_review',
      reason: 'FACE_UNCERTAIN',
    });
    expect(
      decide({ ...report, fields: { ...report.fields, documentNumber: 'E12345678' } }, registration, 'passport', now)
        .outcome,
    ).toBe('approved');
  });

  it('seals documents with AES-256-GCM bound to their submission and page', () => {
    const cipher = createDocumentCipher(Buffer.alloc(32, 3));
    const sealed = cipher.seal(jpeg(), 'kyc_1:front');
    expect(sealed.includes(jpeg().subarray(20, 60))).toBe(false);
    expect(cipher.open(sealed, 'kyc_1:front').equals(jpeg())).toBe(true);
    expect(() => cipher.open(sealed, 'kyc_2:front')).toThrow();
  });
});
